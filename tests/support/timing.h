#pragma once

// How long a fixture waits for something that should happen. Generous: the machine is shared
// by many builds, and answers on loopback take well under 5 ms when it is idle. A wait that
// runs out is a failure, never the proof that something did not happen.

namespace fleet::test {

inline constexpr int kWaitMs = 5000;

} // namespace fleet::test
