#pragma once

#include <QtGlobal>

namespace fleet {

class MainWindow;

// Adds the traffic log and the embedded gateway panel to a console window and feeds the log
// from every device client and from the embedded gateway. Kept out of MainWindow so the
// window stays a frame that panels plug into.
// The traffic log holds at most logBytes of wire bytes and logFrames rows
// (docs/architecture.md#limits).
void installConsoleDocks(MainWindow* window, qint64 logBytes = 256LL * 1024 * 1024,
                         int logFrames = 100'000);

} // namespace fleet
