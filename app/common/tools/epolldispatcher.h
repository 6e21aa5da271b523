#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>

#include <atomic>
#include <chrono>
#include <map>
#include <unordered_map>
#include <utility>

namespace fleet {

// An event dispatcher on Linux epoll, for the headless tools (docs/architecture.md#layers:
// the tools layer owns event dispatching for fleet-gateway and fleet-device). Qt's own
// dispatchers poll() every socket on every event-loop pass, so with a thousand devices each
// status costs a thousand socket checks in the kernel; epoll reports just the ready ones.
//
// The contract is Qt's (QEventDispatcherUNIX with its QTimerInfoList), and
// tests/tst_eventdispatcher.cpp runs the same cases under both:
// - level-triggered socket notifiers; a descriptor epoll cannot watch (a regular file on
//   stdin) counts as always ready, as poll() would say; a pass with
//   QEventLoop::ExcludeSocketNotifiers neither reports nor waits for them;
// - timers delivered as QTimerEvent in due-time order; a timer does not fire again while its
//   own activation is still on the stack (a slot running a nested event loop); every timer
//   type keeps the precise schedule except VeryCoarseTimer (whole seconds);
// - posted events, wakeUp() from any thread (one eventfd write per sleep, not per event),
//   interrupt();
// - processEvents(WaitForMoreEvents) blocks only when nothing is due.
class EpollDispatcher : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollDispatcher(QObject* parent = nullptr);
    ~EpollDispatcher() override;

    // False when epoll or the wake-up eventfd could not be created (then do not install it).
    bool isValid() const { return m_epoll >= 0 && m_wakeOnlyEpoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    struct Watch {
        QSocketNotifier* read = nullptr;
        QSocketNotifier* write = nullptr;
        QSocketNotifier* exception = nullptr;
        quint32 kernelInterest = 0; // what epoll was last told
        bool alwaysReady = false;   // epoll refused the descriptor (EPERM)
    };

    // Due timers in due order; the sequence number keeps equal due times first come, first
    // served, and tells a timer queued during the current pass from one that was due at its
    // start.
    using QueueKey = std::pair<Clock::time_point, quint64>;
    using Queue = std::map<QueueKey, int>; // → timer id

    struct Timer {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject* object;
        Clock::time_point due;
        quint64 registration;   // tells a re-registered id from the one being activated
        Queue::iterator queued; // m_queue.end() while its activation is on the stack
    };

    void syncWatches();
    int waitTimeoutMs(Clock::time_point now) const; // -1 without queued timers
    bool fireDueTimers();
    void enqueue(int timerId, Timer& timer);
    void dequeue(Timer& timer);
    void drainWakeUps();
    bool dispatchSocket(int fd, bool readable, bool writable, bool exceptional);
    void activate(QSocketNotifier* notifier);

    int m_epoll = -1;         // the wake-up eventfd and every watched socket
    int m_wakeOnlyEpoll = -1; // just the eventfd: a pass that excludes socket notifiers
    int m_wakeFd = -1;
    // Set by the wakeUp() that writes the eventfd, cleared once the loop has drained it: a
    // burst of posted events costs one write instead of one each.
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};

    QHash<int, Watch> m_watches;
    QList<int> m_alwaysReady;
    // Descriptors whose notifiers changed since the last epoll_wait. Qt switches a socket's
    // write notifier on and off around every write that is flushed at once; applied lazily,
    // such a pair costs no epoll_ctl at all.
    QList<int> m_dirty;

    std::unordered_map<int, Timer> m_timers; // by id
    Queue m_queue;
    quint64 m_sequence = 0;
};

} // namespace fleet
