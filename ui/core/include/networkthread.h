#pragma once

#include <QtGlobal>

#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace fleet {

// The console's one thread for network work (docs/performance.md#console-round-trips): the
// embedded gateway and the console's own device clients live there, so that painting on the GUI
// thread never sits between a socket and the clock that times a round trip.
//
// Shared: the main window starts it with acquire(); gateway controllers and device sessions
// created while it runs take a reference through current() (without one, e.g. in a test without
// a window, they keep their sockets on their own thread). The last holder to let go quits the
// thread and waits for it — the one wait, at shutdown — and the thread's finish deletes every
// object handed to deleteLater() on the way out, on the thread it lived on.
class NetworkThread {
public:
    NetworkThread(); // use acquire()
    ~NetworkThread();
    NetworkThread(const NetworkThread&) = delete;
    NetworkThread& operator=(const NetworkThread&) = delete;

    // The running network thread, started now if none runs.
    static std::shared_ptr<NetworkThread> acquire();
    // The running network thread, or null.
    static std::shared_ptr<NetworkThread> current();

    QThread* thread() const { return m_thread.get(); }

private:
    std::unique_ptr<QThread> m_thread;
};

} // namespace fleet
