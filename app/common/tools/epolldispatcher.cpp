#include "epolldispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

namespace fleet {

namespace {

constexpr int kMaxEventsPerWait = 256;

} // namespace

EpollDispatcher::EpollDispatcher(QObject* parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wakeOnlyEpoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (!isValid())
        return;
    for (int epoll : {m_epoll, m_wakeOnlyEpoll}) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = m_wakeFd;
        ::epoll_ctl(epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
    }
}

EpollDispatcher::~EpollDispatcher()
{
    for (int fd : {m_wakeFd, m_wakeOnlyEpoll, m_epoll}) {
        if (fd >= 0)
            ::close(fd);
    }
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    // Everything posted so far; anything posted later wakes the eventfd (see wakeUp()), so
    // the wait below cannot sleep through it.
    QCoreApplication::sendPostedEvents();

    // A pass that excludes socket notifiers must not wake for them either: level-triggered,
    // a readable socket would end every wait at once and the caller's loop would spin. Such
    // a pass waits on an epoll set holding only the eventfd; the sockets stay armed in the
    // other one and are reported by the next pass that includes them.
    const bool sockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    if (sockets)
        syncWatches();
    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) &&
                         !(sockets && !m_alwaysReady.isEmpty()) &&
                         !m_interrupted.load(std::memory_order_relaxed);
    const int timeoutMs = mayWait ? waitTimeoutMs(Clock::now()) : 0;
    if (mayWait)
        emit aboutToBlock();

    epoll_event events[kMaxEventsPerWait];
    int count =
        ::epoll_wait(sockets ? m_epoll : m_wakeOnlyEpoll, events, kMaxEventsPerWait, timeoutMs);
    if (count < 0)
        count = 0; // EINTR (a signal): just another pass
    if (mayWait)
        emit awake();

    bool handled = false;
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd) {
            drainWakeUps();
            continue;
        }
        const quint32 bits = events[i].events;
        handled |= dispatchSocket(fd, bits & (EPOLLIN | EPOLLHUP | EPOLLERR),
                                  bits & (EPOLLOUT | EPOLLERR), bits & EPOLLPRI);
    }
    if (sockets) {
        // poll() calls a regular file always ready; so does this dispatcher.
        const QList<int> alwaysReady = m_alwaysReady;
        for (int fd : alwaysReady)
            handled |= dispatchSocket(fd, true, true, false);
    }
    handled |= fireDueTimers();
    QCoreApplication::sendPostedEvents();
    return handled;
}

void EpollDispatcher::drainWakeUps()
{
    quint64 value = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &value, sizeof value);
    // Only after the read: a wakeUp() between the two sees the flag still set and writes
    // nothing, and the sendPostedEvents() that ends this pass delivers its event. Cleared
    // before the read, that wakeUp()'s write could be swallowed by it, leaving the flag set
    // with nothing left to wake the loop ever again.
    m_wakeUpPending.store(false);
}

bool EpollDispatcher::dispatchSocket(int fd, bool readable, bool writable, bool exceptional)
{
    // A notifier of this batch may have been unregistered by an earlier one: look it up anew
    // before each activation.
    bool handled = false;
    const auto current = [this, fd](QSocketNotifier* Watch::*which) -> QSocketNotifier* {
        const auto it = m_watches.constFind(fd);
        return it == m_watches.constEnd() ? nullptr : it.value().*which;
    };
    if (readable) {
        if (QSocketNotifier* notifier = current(&Watch::read)) {
            activate(notifier);
            handled = true;
        }
    }
    if (writable) {
        if (QSocketNotifier* notifier = current(&Watch::write)) {
            activate(notifier);
            handled = true;
        }
    }
    if (exceptional) {
        if (QSocketNotifier* notifier = current(&Watch::exception)) {
            activate(notifier);
            handled = true;
        }
    }
    return handled;
}

void EpollDispatcher::activate(QSocketNotifier* notifier)
{
    QEvent event(QEvent::SockAct);
    QCoreApplication::sendEvent(notifier, &event);
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    Watch& watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    m_dirty.append(fd);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    for (QSocketNotifier* Watch::*which : {&Watch::read, &Watch::write, &Watch::exception}) {
        if (it.value().*which == notifier)
            it.value().*which = nullptr;
    }
    Watch& watch = it.value();
    if (watch.read || watch.write || watch.exception) {
        m_dirty.append(fd);
        return;
    }
    // The last notifier of a descriptor goes now, not lazily: the descriptor is about to be
    // closed, and its number may come back for a new socket in this very pass.
    if (watch.alwaysReady)
        m_alwaysReady.removeOne(fd);
    else if (watch.kernelInterest != 0)
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    m_watches.erase(it);
}

void EpollDispatcher::syncWatches()
{
    const QList<int> dirty = std::exchange(m_dirty, {});
    for (int fd : dirty) {
        const auto it = m_watches.find(fd);
        if (it == m_watches.end())
            continue; // its last notifier went meanwhile
        Watch& watch = it.value();
        quint32 interest = 0;
        if (watch.read)
            interest |= EPOLLIN;
        if (watch.write)
            interest |= EPOLLOUT;
        if (watch.exception)
            interest |= EPOLLPRI;

        if (watch.alwaysReady || interest == 0 || interest == watch.kernelInterest)
            continue;
        epoll_event event{};
        event.events = interest;
        event.data.fd = fd;
        // A closed-and-reused descriptor may be unknown to epoll (ENOENT) or still known
        // (EEXIST): whatever we believed, try the other operation once.
        const int first = watch.kernelInterest != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        const int second = first == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        if (::epoll_ctl(m_epoll, first, fd, &event) == 0 ||
            ((errno == ENOENT || errno == EEXIST) &&
             ::epoll_ctl(m_epoll, second, fd, &event) == 0)) {
            watch.kernelInterest = interest;
        } else if (errno == EPERM) {
            // A regular file or the like: poll() would call it always ready.
            watch.alwaysReady = true;
            watch.kernelInterest = 0;
            m_alwaysReady.append(fd);
        }
    }
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                    QObject* object)
{
    unregisterTimer(timerId); // an id is registered once; be safe against a stale entry
    if (timerType == Qt::VeryCoarseTimer)
        interval = (interval / 500 + 1) / 2 * 1000; // whole seconds, rounded as Qt does
    const Clock::time_point due = Clock::now() + std::chrono::milliseconds(interval);
    const auto [it, inserted] = m_timers.insert_or_assign(
        timerId, Timer{interval, timerType, object, due, ++m_sequence, m_queue.end()});
    enqueue(timerId, it->second);
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    dequeue(it->second);
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject* object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            dequeue(it->second);
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject* object) const
{
    QList<TimerInfo> timers;
    for (const auto& [id, timer] : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return timers;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(it->second.due - Clock::now());
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

void EpollDispatcher::enqueue(int timerId, Timer& timer)
{
    timer.queued = m_queue.emplace(QueueKey{timer.due, ++m_sequence}, timerId).first;
}

void EpollDispatcher::dequeue(Timer& timer)
{
    if (timer.queued == m_queue.end())
        return; // its activation is on the stack: not queued
    m_queue.erase(timer.queued);
    timer.queued = m_queue.end();
}

int EpollDispatcher::waitTimeoutMs(Clock::time_point now) const
{
    // A timer whose activation is on the stack is not queued, so it cannot cut the wait short
    // either (QTimerInfoList::timerWait skips such timers too).
    if (m_queue.empty())
        return -1;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(m_queue.begin()->first.first - now);
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

bool EpollDispatcher::fireDueTimers()
{
    if (m_queue.empty())
        return false;
    const Clock::time_point now = Clock::now();
    // Timers queued from here on (re-armed after firing, started by a handler) wait for the
    // next pass: a 0 ms timer fires once per pass, not forever within one.
    const quint64 passStart = m_sequence;
    bool fired = false;
    while (!m_queue.empty()) {
        const auto front = m_queue.begin();
        if (front->first.first > now || front->first.second > passStart)
            break;
        const int id = front->second;
        Timer& timer = m_timers.find(id)->second;
        // Out of the queue while its activation is on the stack: a nested event loop in its
        // handler cannot fire it again (Qt's QTimerInfoList keeps its activateRef for that).
        m_queue.erase(front);
        timer.queued = m_queue.end();
        // Qt's PreciseTimer schedule: keep the phase, but a late pass does not cause a burst
        // of catch-ups.
        const auto interval = std::chrono::milliseconds(timer.intervalMs);
        timer.due += interval;
        if (timer.due < now)
            timer.due = now + interval;
        const quint64 registration = timer.registration;
        QObject* const object = timer.object;

        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        fired = true;

        // The handler may have stopped the timer, or stopped it and started another one that
        // got the same id; only the timer that fired goes back into the queue.
        const auto it = m_timers.find(id);
        if (it != m_timers.end() && it->second.registration == registration)
            enqueue(id, it->second);
    }
    return fired;
}

void EpollDispatcher::wakeUp()
{
    // One write until the loop has drained it; Qt's own dispatchers coalesce the same way.
    if (m_wakeUpPending.exchange(true))
        return;
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace fleet
