#include "autosender.h"

#include <QTimer>

namespace fleet {

AutoSender::AutoSender(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &AutoSender::due);
}

void AutoSender::start(int intervalMs)
{
    m_sent = 0;
    m_answered = 0;
    m_skipped = 0;
    m_stopReason.clear();
    m_timer->start(qMax(1, intervalMs));
    // Queued: the caller finishes what it is doing before the first status goes out.
    QTimer::singleShot(0, this, [this] {
        if (isRunning())
            emit due();
    });
    emit changed();
}

void AutoSender::stop(const QString& reason)
{
    if (!isRunning())
        return;
    m_timer->stop();
    m_stopReason = reason;
    emit changed();
}

bool AutoSender::isRunning() const
{
    return m_timer->isActive();
}

int AutoSender::intervalMs() const
{
    return m_timer->interval();
}

void AutoSender::countSent()
{
    ++m_sent;
    emit changed();
}

void AutoSender::countAnswered()
{
    ++m_answered;
    emit changed();
}

void AutoSender::countSkipped()
{
    ++m_skipped;
    emit changed();
}

QString AutoSender::info() const
{
    if (!isRunning() && m_sent == 0 && m_stopReason.isEmpty())
        return {};
    QString counts = tr("%1 sent · %2 answered").arg(m_sent).arg(m_answered);
    if (m_skipped > 0)
        counts += tr(" · %1 skipped (answer still pending)").arg(m_skipped);
    if (isRunning())
        return counts;
    if (m_stopReason.isEmpty())
        return tr("stopped: %1").arg(counts);
    return tr("stopped after %1: %2").arg(counts, m_stopReason);
}

} // namespace fleet
