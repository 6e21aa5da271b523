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
    , m_wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (!isValid())
        return;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event);
}

EpollDispatcher::~EpollDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    // Everything posted so far; anything posted later writes the eventfd, so the wait below
    // cannot sleep through it.
    QCoreApplication::sendPostedEvents();
    bool handled = fireDueTimers();

    syncWatches();
    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && !handled
                         && m_alwaysReady.isEmpty()
                         && !m_interrupted.load(std::memory_order_relaxed);
    const int timeoutMs = mayWait ? msUntilNextTimer() : 0;
    if (mayWait)
        emit aboutToBlock();

    epoll_event events[kMaxEventsPerWait];
    int count = ::epoll_wait(m_epoll, events, kMaxEventsPerWait, timeoutMs);
    if (count < 0)
        count = 0; // EINTR (a signal): just another pass
    if (mayWait)
        emit awake();

    const bool sockets = !(flags & QEventLoop::ExcludeSocketNotifiers);
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd) {
            quint64 value = 0;
            [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &value, sizeof value);
            continue;
        }
        if (!sockets)
            continue; // level-triggered: reported again next time
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
        if (::epoll_ctl(m_epoll, first, fd, &event) == 0
            || ((errno == ENOENT || errno == EEXIST)
                && ::epoll_ctl(m_epoll, second, fd, &event) == 0)) {
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
    m_timers[timerId] = {interval, timerType, object,
                         Clock::now() + std::chrono::milliseconds(interval)};
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    return m_timers.erase(timerId) > 0;
}

bool EpollDispatcher::unregisterTimers(QObject* object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
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
    return int(qMax<qint64>(0, left.count()));
}

int EpollDispatcher::msUntilNextTimer() const
{
    if (m_timers.empty())
        return -1;
    Clock::time_point next = Clock::time_point::max();
    for (const auto& entry : m_timers)
        next = qMin(next, entry.second.due);
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(next - Clock::now());
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

bool EpollDispatcher::fireDueTimers()
{
    const Clock::time_point now = Clock::now();
    QList<int> due;
    for (const auto& [id, timer] : m_timers) {
        if (timer.due <= now)
            due.append(id);
    }
    for (int id : due) {
        // A timer handler may stop or restart any timer, this one included.
        const auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.due > now)
            continue;
        Timer& timer = it->second;
        // The next period counts from now: a late pass must not cause a burst of catch-ups.
        timer.due = now + std::chrono::milliseconds(timer.intervalMs);
        QTimerEvent event(id);
        QCoreApplication::sendEvent(timer.object, &event);
    }
    return !due.isEmpty();
}

void EpollDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace fleet
