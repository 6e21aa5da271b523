#include "devicesession.h"

#include "hostport.h"

namespace fleet {

DeviceSession::DeviceSession(QObject* parent)
    : QObject(parent)
{
}

DeviceSession::~DeviceSession()
{
    retireClient();
}

bool DeviceSession::connectToServer(const QString& host, quint16 port,
                                    const DeviceIdentity& identity, const ClientSettings& settings,
                                    QString* error)
{
    retireClient();
    m_identity = identity;
    m_host = host;
    m_port = port;
    m_lastError = InternalClient::Error::NoError;
    m_lastErrorDetail.clear();
    m_lastErrorCause.clear();
    m_closeReason.clear();
    m_gatewayCloseWhy.clear();

    auto* client = new InternalClient(this);
    client->setSettings(settings);
    m_client = client;
    connect(client, &InternalClient::stateChanged, this, &DeviceSession::onClientState);
    connect(client, &InternalClient::errorOccurred, this, &DeviceSession::onClientError);
    // Answers come with their round-trip time through statusAnswered(); commandReceived()
    // is only needed for the commands nobody asked for.
    connect(client, &InternalClient::statusAnswered, this,
            [this](const QByteArray& command, double roundTripMs) {
                m_gatewayCloseWhy.clear(); // answered: an earlier close explains nothing now
                ++m_commandsReceived;
                emit commandReceived(command, false, command.isEmpty(), roundTripMs);
            });
    connect(client, &InternalClient::commandReceived, this,
            [this](const QByteArray& data, bool pushed, bool empty) {
                if (!pushed)
                    return;
                ++m_commandsReceived;
                emit commandReceived(data, true, empty, -1.0);
            });
    connect(client, &InternalClient::notice, this, &DeviceSession::notice);
    connect(client, &InternalClient::connectionLost, this,
            [this](InternalClient::Error, const QString& detail) { onConnectionLost(detail); });
    emit clientCreated(client);

    const InternalClient::Error refused = client->connectToServer(host, port, identity);
    if (refused != InternalClient::Error::NoError) {
        if (error) {
            *error = QStringLiteral("%1: %2").arg(InternalClient::errorName(refused),
                                                  InternalClient::errorSentence(refused));
        }
        retireClient();
        return false;
    }
    // The client may already have moved on (e.g. Connecting) before we were listening.
    setStatus(sessionStatusFor(client->state()));
    return true;
}

void DeviceSession::disconnectFromServer()
{
    if (!m_client)
        return;
    const bool wasActive = isActive();
    retireClient();
    if (wasActive)
        setStatus(SessionStatus::Disconnected);
}

bool DeviceSession::sendStatus(const QByteArray& payload, int timeoutMs, QString* error)
{
    if (!m_client) {
        if (error)
            *error = tr("not connected: press Connect first");
        return false;
    }
    const InternalClient::Error refused = m_client->sendStatus(payload, timeoutMs);
    if (refused != InternalClient::Error::NoError) {
        if (error) {
            *error = QStringLiteral("%1: %2").arg(InternalClient::errorName(refused),
                                                  InternalClient::errorSentence(refused));
        }
        return false;
    }
    ++m_statusesSent;
    emit statusSent(payload);
    return true;
}

bool DeviceSession::isActive() const
{
    return m_client && m_client->state() != InternalClient::State::Destroyed;
}

bool DeviceSession::canSend() const
{
    return m_client && m_client->state() == InternalClient::State::Connected;
}

QString DeviceSession::serverAddress() const
{
    if (m_host.isEmpty())
        return {};
    return HostPort{m_host, m_port}.toString(); // brackets an IPv6 literal
}

void DeviceSession::setStatus(SessionStatus status)
{
    if (status == m_status)
        return;
    // Connected ⇄ Awaiting command is one connection: its time counts from the handshake.
    const auto connected = [](SessionStatus s) {
        return s == SessionStatus::Connected || s == SessionStatus::AwaitingCommand;
    };
    if (!(connected(status) && connected(m_status)))
        m_since = QDateTime::currentDateTime();
    if (status != SessionStatus::ClosedByGateway)
        m_closeReason.clear();
    m_status = status;
    emit statusChanged(status);
}

void DeviceSession::retireClient()
{
    if (!m_client)
        return;
    InternalClient* client = m_client;
    m_client = nullptr;
    client->disconnect(this);
    client->destroy();
    // Not deleted in place: this may run inside one of the client's own signal emissions.
    client->deleteLater();
}

void DeviceSession::onClientState(InternalClient::State state)
{
    if (sender() != m_client)
        return;
    // A client destroyed by an error reports it through errorOccurred(), whichever of the
    // two signals comes first.
    if (state == InternalClient::State::Destroyed &&
        m_client->error() != InternalClient::Error::NoError)
        return;
    setStatus(sessionStatusFor(state));
}

void DeviceSession::noteGatewayClose(const QString& why)
{
    m_gatewayCloseWhy = why;
    m_gatewayCloseTime = QDateTime::currentDateTime();
    if (m_status == SessionStatus::ClosedByGateway && m_closeReason != why) {
        m_closeReason = why; // the client noticed first: now say why
        emit statusChanged(m_status);
    }
}

void DeviceSession::onConnectionLost(const QString& detail)
{
    // A reason the embedded gateway gave just before is about this close.
    constexpr qint64 kReasonFreshMs = 2000;
    const bool fresh = !m_gatewayCloseWhy.isEmpty() && m_gatewayCloseTime.isValid() &&
                       m_gatewayCloseTime.msecsTo(QDateTime::currentDateTime()) < kReasonFreshMs;
    const QString reason = fresh ? m_gatewayCloseWhy : detail;
    m_gatewayCloseWhy.clear();
    if (m_status == SessionStatus::ClosedByGateway) {
        m_closeReason = reason;
        emit statusChanged(m_status);
        return;
    }
    setStatus(SessionStatus::ClosedByGateway);
    m_closeReason = reason;
    emit statusChanged(m_status); // again, now with the reason
}

void DeviceSession::onClientError(InternalClient::Error error, const QString& detail)
{
    if (sender() != m_client)
        return;
    m_lastError = error;
    m_lastErrorDetail = detail;
    // The embedded gateway said why it closed (e.g. its answer deadline): that is the cause,
    // not the client's guess from the outside.
    constexpr qint64 kCauseFreshMs = 10000;
    m_lastErrorCause =
        !m_gatewayCloseWhy.isEmpty() && m_gatewayCloseTime.isValid() &&
                m_gatewayCloseTime.msecsTo(QDateTime::currentDateTime()) < kCauseFreshMs
            ? m_gatewayCloseWhy
            : QString();
    m_gatewayCloseWhy.clear();
    // Set before the status so that statusChanged() listeners can already read the error.
    m_status = SessionStatus::Failed;
    m_since = QDateTime::currentDateTime();
    emit statusChanged(m_status);
    emit failed(error, detail);
}

} // namespace fleet
