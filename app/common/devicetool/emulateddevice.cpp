#include "emulateddevice.h"

#include "behaviour.h"
#include "behaviouroptions.h"
#include "deviceoptions.h"
#include "eventprinter.h"
#include "latencystats.h"

#include <QDateTime>

#include <utility>

namespace fleet {

EmulatedDevice::EmulatedDevice(const DeviceIdentity& identity, const DeviceOptions& options,
                               EventPrinter* printer, LatencyStats* stats, QObject* parent)
    : QObject(parent)
    , m_identity(identity)
    , m_options(options)
    , m_printer(printer)
    , m_stats(stats)
{
    m_timer.setSingleShot(true);
    // Pacing below ~20 ms would be rounded by a coarse timer into a visibly wrong rate.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EmulatedDevice::onTimer);
    if (!options.behaviour.isEmpty()) {
        m_behaviour = behaviourtool::create(options, identity);
        m_lifetime.start();
    }
}

EmulatedDevice::~EmulatedDevice() = default;

void EmulatedDevice::start()
{
    auto* client = new InternalClient(this);
    m_client = client;
    client->setSettings(m_options.client);
    connect(client, &InternalClient::connected, this, &EmulatedDevice::onConnected);
    connect(client, &InternalClient::statusAnswered, this, &EmulatedDevice::onStatusAnswered);
    connect(client, &InternalClient::commandReceived, this, &EmulatedDevice::onCommandReceived);
    connect(client, &InternalClient::errorOccurred, this, &EmulatedDevice::onError);
    connect(client, &InternalClient::notice, this,
            [this](const QString& text) { m_printer->notice(m_identity, text); });
    const InternalClient::Error error =
        client->connectToServer(m_options.server.host, m_options.server.port, m_identity);
    if (error != InternalClient::Error::NoError)
        onError(error, QStringLiteral("connectToServer() refused the call"));
}

void EmulatedDevice::stop()
{
    finish();
}

void EmulatedDevice::setOutputPaused(bool paused)
{
    m_outputPaused = paused;
    if (!paused && std::exchange(m_statusHeld, false))
        m_timer.start(0); // out of the sink's signal, and spread over the loop's passes
}

void EmulatedDevice::onConnected()
{
    m_printer->connected(m_identity, m_options.server);
    if (!m_connectSettled) {
        m_connectSettled = true;
        emit connectSettled();
    }
    // Out of the client's signal: it may still be finishing the handshake's bookkeeping.
    m_timer.start(0);
}

void EmulatedDevice::onStatusAnswered(const QByteArray& command, double roundTripMs)
{
    ++m_answered;
    m_stats->add(roundTripMs);
    m_printer->command(m_identity, m_answered, command, roundTripMs, false);
    if (m_behaviour)
        applyToBehaviour(command);
    if (countReached()) {
        m_timer.start(0);
        return;
    }
    if (m_behaviour) {
        m_timer.start(behaviourDelayMs());
        return;
    }
    // --interval is measured from send to send, so the rate holds while answers are faster.
    const qint64 wait = m_options.intervalMs > 0
                            ? qMax<qint64>(0, m_options.intervalMs - m_sinceSend.elapsed())
                            : 0;
    if (wait > 0) {
        m_timer.start(int(wait));
        return;
    }
    // Due now: sent from here, as the client allows from its completion signal, rather than
    // through a 0 ms timer (a timer registered and fired per round trip;
    // docs/performance.md#client-round-trip).
    sendNext();
}

void EmulatedDevice::onCommandReceived(const QByteArray& data, bool pushed, bool empty)
{
    Q_UNUSED(empty); // the printer derives it from the bytes
    // Answers are reported by onStatusAnswered (with their round-trip time).
    if (!pushed)
        return;
    ++m_pushed;
    m_printer->command(m_identity, m_answered, data, std::nullopt, true);
    if (m_behaviour)
        applyToBehaviour(data);
}

void EmulatedDevice::onError(InternalClient::Error error, const QString& detail)
{
    if (m_finished)
        return;
    m_error = error;
    const InternalClient::ErrorFamily family = InternalClient::errorFamily(error);
    QString message = InternalClient::errorSentence(error);
    if (!detail.isEmpty())
        message += QStringLiteral(" (") + detail + QLatin1Char(')');
    m_printer->error(&m_identity, InternalClient::errorName(error),
                     InternalClient::familyName(family), message);
    finish();
}

void EmulatedDevice::onTimer()
{
    if (countReached()) {
        finish();
        return;
    }
    if (m_behaviour) {
        m_behaviour->advanceTo(m_lifetime.elapsed());
        if (!m_behaviour->statusDue()) {
            m_timer.start(behaviourDelayMs());
            return;
        }
    }
    sendNext();
}

void EmulatedDevice::sendNext()
{
    if (m_finished || !m_client)
        return;
    if (m_outputPaused) {
        m_statusHeld = true;
        return;
    }
    QByteArray payload = m_behaviour ? m_behaviour->takeStatus() : m_options.payload;
    if (m_options.payloadTemplate) {
        payload = m_options.payloadTemplate->expand(
            {m_identity, QDateTime::currentMSecsSinceEpoch(), nullptr}, m_templateState);
    }
    if (m_behaviour)
        reportBehaviour(true);
    const InternalClient::Error error = m_client->sendStatus(payload, m_options.timeoutMs);
    if (error != InternalClient::Error::NoError) {
        onError(error, QStringLiteral("sendStatus() refused the call in state %1")
                           .arg(InternalClient::stateName(m_client->state())));
        return;
    }
    ++m_sent;
    if (m_options.payloadTemplate)
        m_options.payloadTemplate->advance(&m_templateState);
    m_sinceSend.start();
}

bool EmulatedDevice::countReached() const
{
    return m_options.count > 0 && m_answered >= m_options.count;
}

void EmulatedDevice::applyToBehaviour(const QByteArray& command)
{
    m_behaviour->advanceTo(m_lifetime.elapsed());
    m_behaviour->applyCommand(command);
    reportBehaviour(false);
}

void EmulatedDevice::reportBehaviour(bool atStatus)
{
    DeviceStateReport now = behaviourtool::report(*m_behaviour);
    const bool changed = !m_reported || !m_reported->sameState(now);
    const bool moved =
        !changed && atStatus && behaviourtool::isMoving(*m_behaviour) &&
        (now.latitude != m_reported->latitude || now.longitude != m_reported->longitude);
    if (!changed && !moved)
        return;
    m_printer->state(m_identity, now);
    m_reported = std::move(now);
}

int EmulatedDevice::behaviourDelayMs() const
{
    return int(qBound(qint64(0), m_behaviour->nextWakeMs() - m_lifetime.elapsed(), qint64(60000)));
}

void EmulatedDevice::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    if (m_client) {
        m_client->disconnect(this);
        m_client->destroy();
        m_client->deleteLater();
    }
    if (!m_connectSettled) {
        m_connectSettled = true;
        emit connectSettled();
    }
    emit finished();
}

} // namespace fleet
