#pragma once

#include <QtGlobal>

namespace fleet {

// The process's open-file limit (RLIMIT_NOFILE), which bounds how many connections a gateway
// can hold: every connection is a descriptor.
struct OpenFileLimit {
    quint64 soft = 0;
    quint64 hard = 0;

    // Descriptors kept for everything but connections: stdio, the listener, the event
    // dispatcher, the signal pipe, libraries' own files.
    static constexpr int kReservedDescriptors = 64;

    static OpenFileLimit current();
    // Raises the soft limit to the hard one (what an unprivileged process may do) and returns
    // the limit in force afterwards.
    static OpenFileLimit raiseToHard();

    // Connections that fit under the soft limit.
    int connectionsFitting() const;
    // The soft limit `connections` need.
    static quint64 neededFor(int connections)
    {
        return quint64(connections) + kReservedDescriptors;
    }
};

} // namespace fleet
