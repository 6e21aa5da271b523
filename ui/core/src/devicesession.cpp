#include "devicesession.h"

#include "hostport.h"
#include "networkthread.h"

#include <QThread>

namespace fleet {

DeviceSession::DeviceSession(QObject* parent)
    : QObject(parent)
    , m_network(NetworkThread::current())
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

    // No parent: it may move to the network thread, where it is deleted (retireClient()).
    auto* client = new InternalClient;
    client->setSettings(settings);
    m_client = client;
    m_clientState = client->state();
    m_clientFailed = false;
    // Each handler checks that the client is still ours: a retired client's queued signals
    // may still be on their way.
    connect(client, &InternalClient::stateChanged, this, &DeviceSession::onClientState);
    connect(client, &InternalClient::errorOccurred, this, &DeviceSession::onClientError);
    // Answers come with their round-trip time through statusAnswered(); commandReceived()
    // is only needed for the commands nobody asked for.
    connect(client, &InternalClient::statusAnswered, this,
            [this, client](const QByteArray& command, double roundTripMs) {
                if (client != m_client)
                    return;
                m_gatewayCloseWhy.clear(); // answered: an earlier close explains nothing now
                ++m_commandsReceived;
                emit commandReceived(command, false, command.isEmpty(), roundTripMs);
            });
    connect(client, &InternalClient::commandReceived, this,
            [this, client](const QByteArray& data, bool pushed, bool empty) {
                if (!pushed || client != m_client)
                    return;
                ++m_commandsReceived;
                emit commandReceived(data, true, empty, -1.0);
            });
    connect(client, &InternalClient::notice, this, [this, client](const QString& text) {
        if (client == m_client)
            emit notice(text);
    });
    connect(client, &InternalClient::connectionLost, this,
            [this, client](InternalClient::Error, const QString& detail) {
                if (client == m_client)
                    onConnectionLost(detail);
            });

    // Told its server here, on this thread: its socket is only made on its first event-loop
    // pass, which then happens on the network thread.
    const InternalClient::Error refused = client->connectToServer(host, port, identity);
    if (refused != InternalClient::Error::NoError) {
        if (error) {
            *error = QStringLiteral("%1: %2").arg(InternalClient::errorName(refused),
                                                  InternalClient::errorSentence(refused));
        }
        retireClient();
        return false;
    }
    emit clientCreated(client);
    if (m_client != client)
        return true; // a clientCreated() slot disconnected us again
    if (m_network) {
        client->moveToThread(m_network->thread()); // with its pending start and its timer
        m_clientRemote = true;
    }
    // The client may already have moved on (e.g. Connecting) before we were listening.
    setStatus(sessionStatusFor(m_clientState));
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
    InternalClient* client = m_client;
    const InternalClient::Error refused =
        m_clientRemote ? sendRefusal(timeoutMs) : client->sendStatus(payload, timeoutMs);
    if (refused != InternalClient::Error::NoError) {
        if (error) {
            *error = QStringLiteral("%1: %2").arg(InternalClient::errorName(refused),
                                                  InternalClient::errorSentence(refused));
        }
        return false;
    }
    if (m_clientRemote) {
        // What the client does at once on its own thread; its stateChanged() confirms it.
        m_clientState = InternalClient::State::AwaitingCommand;
        QMetaObject::invokeMethod(
            client,
            [client, payload, timeoutMs] {
                const InternalClient::Error late = client->sendStatus(payload, timeoutMs);
                // Only a client destroyed meanwhile refuses what the copy allowed; its own
                // errorOccurred() has then told the session already. Say it in the log too.
                if (late != InternalClient::Error::NoError)
                    emit client->notice(
                        QStringLiteral("status not sent: %1").arg(InternalClient::errorName(late)));
            },
            Qt::QueuedConnection);
        setStatus(SessionStatus::AwaitingCommand);
    }
    ++m_statusesSent;
    emit statusSent(payload);
    return true;
}

InternalClient::Error DeviceSession::sendRefusal(int timeoutMs) const
{
    switch (m_clientState) {
    case InternalClient::State::Destroyed:
        return InternalClient::Error::ContextDestroyed;
    case InternalClient::State::Disconnected:
    case InternalClient::State::Connecting:
    case InternalClient::State::Handshaking:
        return timeoutMs < 0 ? InternalClient::Error::InvalidTimeout
                             : InternalClient::Error::NotConnected;
    case InternalClient::State::AwaitingCommand:
    case InternalClient::State::Reconnecting:
        return timeoutMs < 0 ? InternalClient::Error::InvalidTimeout
                             : InternalClient::Error::StatusPending;
    case InternalClient::State::Connected:
        break;
    }
    return timeoutMs < 0 ? InternalClient::Error::InvalidTimeout : InternalClient::Error::NoError;
}

bool DeviceSession::isActive() const
{
    return m_client && m_clientState != InternalClient::State::Destroyed;
}

bool DeviceSession::canSend() const
{
    return m_client && m_clientState == InternalClient::State::Connected;
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
    if (std::exchange(m_clientRemote, false)) {
        // On its own thread, in this order; should the network thread end first, its finish
        // still deletes the client there.
        QMetaObject::invokeMethod(client, &InternalClient::destroy, Qt::QueuedConnection);
        client->deleteLater();
        return;
    }
    client->destroy();
    // Not deleted in place: this may run inside one of the client's own signal emissions.
    client->deleteLater();
}

void DeviceSession::onClientState(InternalClient::State state)
{
    if (sender() != m_client)
        return;
    m_clientState = state;
    // A client destroyed by an error reports it through errorOccurred(), which comes first.
    if (state == InternalClient::State::Destroyed && m_clientFailed)
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
    m_clientFailed = true;
    m_clientState = InternalClient::State::Destroyed;
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
