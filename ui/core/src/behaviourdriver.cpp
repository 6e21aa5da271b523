#include "behaviourdriver.h"

#include "devicesession.h"

#include <QTimer>

namespace fleet {

BehaviourDriver::BehaviourDriver(DeviceSession* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_timer(new QTimer(this))
{
    m_elapsed.start();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &BehaviourDriver::poll);
    connect(session, &DeviceSession::commandReceived, this,
            [this](const QByteArray& data, bool, bool, double) { onCommand(data); });
    // Connected (the first status is due at once) or the answer slot freed up.
    connect(session, &DeviceSession::statusChanged, this, &BehaviourDriver::pollLater);
}

BehaviourDriver::~BehaviourDriver() = default;

void BehaviourDriver::setBehaviour(Behaviour* behaviour)
{
    if (m_behaviour)
        m_behaviour->disconnect(this);
    m_behaviour = behaviour;
    if (!behaviour) {
        m_timer->stop();
        return;
    }
    behaviour->advanceTo(now());
    connect(behaviour, &Behaviour::statusPending, this, &BehaviourDriver::pollLater);
    pollLater();
}

void BehaviourDriver::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 BehaviourDriver::now() const
{
    return m_clock ? m_clock() : m_elapsed.elapsed();
}

void BehaviourDriver::onCommand(const QByteArray& data)
{
    if (!m_behaviour)
        return;
    m_behaviour->advanceTo(now());
    const Behaviour::CommandOutcome outcome = m_behaviour->applyCommand(data);
    if (outcome.applied)
        ++m_applied;
    emit commandHandled(data, outcome.applied, outcome.note);
    pollLater(); // the next status may be due already; sent once this exchange has settled
}

void BehaviourDriver::pollLater()
{
    if (m_pollQueued || !m_behaviour)
        return;
    m_pollQueued = true;
    // Queued: the session's other listeners see this exchange complete before the next
    // status goes out.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pollQueued = false;
            poll();
        },
        Qt::QueuedConnection);
}

void BehaviourDriver::poll()
{
    if (!m_behaviour)
        return;
    m_behaviour->advanceTo(now());
    const bool due = m_behaviour->statusDue() || m_resendAfterSuspend;
    if (!m_suspended && m_session && m_session->canSend() && due) {
        QString error;
        if (!sendNow(&error))
            emit sendFailed(error);
    }
    schedule();
}

void BehaviourDriver::setSendingSuspended(bool suspended)
{
    if (suspended == m_suspended)
        return;
    m_suspended = suspended;
    m_resendAfterSuspend = !suspended && m_session && m_session->isActive();
    pollLater();
}

bool BehaviourDriver::sendNow(QString* error)
{
    if (!m_behaviour || !m_session) {
        if (error)
            *error = tr("no behaviour is running");
        return false;
    }
    m_behaviour->advanceTo(now());
    if (!m_session->canSend()) {
        if (error)
            *error = tr("the session cannot take a status now");
        return false;
    }
    // Taken before sending: a status the session refuses is not retried at once (no storm of
    // failures); the next change or heartbeat tries again.
    const QByteArray status = m_behaviour->takeStatus();
    m_resendAfterSuspend = false;
    if (!m_session->sendStatus(status, m_statusTimeoutMs, error))
        return false;
    ++m_sent;
    emit statusSent(status);
    return true;
}

void BehaviourDriver::schedule()
{
    const qint64 current = now();
    qint64 delay = m_behaviour->nextWakeMs() - current;
    // Suspended, a due status stays due: look again now and then rather than spin on it.
    const bool blocked = (m_behaviour->statusDue() || m_resendAfterSuspend) &&
                         (m_suspended || !(m_session && m_session->canSend()));
    if (blocked)
        delay = kBlockedRecheckMs; // the answer or the connection wakes the driver sooner
    if (m_behaviour->isAnimating())
        delay = qMin<qint64>(delay, m_frameIntervalMs);
    m_timer->start(int(qBound(qint64(0), delay, qint64(60000))));
}

} // namespace fleet
