#include "coalescedrefresh.h"

namespace fleet {

CoalescedRefresh::CoalescedRefresh(std::function<void()> refresh, QObject* parent, int intervalMs)
    : QObject(parent)
    , m_refresh(std::move(refresh))
    , m_intervalMs(qMax(0, intervalMs))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &CoalescedRefresh::run);
}

void CoalescedRefresh::request()
{
    if (m_timer.isActive())
        return; // the interval's end runs it
    const qint64 sinceLast = m_lastRun.isValid() ? m_lastRun.elapsed() : m_intervalMs;
    if (sinceLast >= m_intervalMs) {
        run();
        return;
    }
    m_timer.start(int(m_intervalMs - sinceLast));
}

void CoalescedRefresh::flush()
{
    run();
}

void CoalescedRefresh::run()
{
    m_timer.stop();
    // Started before the refresh: a request the refresh itself causes waits for the next
    // interval instead of running the refresh inside itself.
    m_lastRun.start();
    m_refresh();
}

} // namespace fleet
