#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>
#include <QList>

#include <atomic>
#include <chrono>
#include <map>

namespace fleet {

// An event dispatcher on Linux epoll, for the headless gateway only. Qt's own dispatchers
// poll() every socket on every event-loop pass, so with a thousand devices each status costs
// a thousand socket checks in the kernel; epoll reports just the ready ones.
//
// Same contract as Qt's dispatchers: level-triggered socket notifiers (a descriptor epoll
// cannot watch, like a regular file on stdin, counts as always ready, as poll() would say),
// timers delivered as QTimerEvent, posted events, wakeUp() from any thread. Timers are kept
// precise whatever their Qt::TimerType.
class EpollDispatcher : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollDispatcher(QObject* parent = nullptr);
    ~EpollDispatcher() override;

    // False when epoll or the wake-up eventfd could not be created (then do not install it).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

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
    struct Timer {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject* object;
        Clock::time_point due;
    };

    void syncWatches();
    int msUntilNextTimer() const; // -1 without timers
    bool fireDueTimers();
    bool dispatchSocket(int fd, bool readable, bool writable, bool exceptional);
    void activate(QSocketNotifier* notifier);

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_interrupted{false};
    QHash<int, Watch> m_watches;
    QList<int> m_alwaysReady;
    // Descriptors whose notifiers changed since the last epoll_wait. Qt switches a socket's
    // write notifier on and off around every write that is flushed at once; applied lazily,
    // such a pair costs no epoll_ctl at all.
    QList<int> m_dirty;
    std::map<int, Timer> m_timers; // by id
};

} // namespace fleet
