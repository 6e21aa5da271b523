#include "internalclient.h"
#include "internalclient_p.h"

#include "envelope.h"
#include "hostport.h"

#include <utility>

namespace fleet {

Q_LOGGING_CATEGORY(lcInternalClient, "fleet.client", QtInfoMsg)

namespace {

// Reads land here, one buffer per thread; FrameReader copies what it keeps at once.
char* readScratch()
{
    static thread_local char buffer[kReadChunkBytes];
    return buffer;
}

} // namespace

InternalClient::InternalClient(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->waitTimer = new QTimer(this);
    d->waitTimer->setSingleShot(true);
    // A coarse timer may fire up to 5 % early; a timeout is a promise to the operator.
    d->waitTimer->setTimerType(Qt::PreciseTimer);
    connect(d->waitTimer, &QTimer::timeout, this, &InternalClient::onWaitTimeout);
    d->clock.start();
}

// Silent: a dying client emits nothing, and its socket and timer die with it as its children.
// That is why the header asks for deleteLater() from inside the client's signals: a direct
// delete there would free the socket or timer whose own signal is still on the call stack.
InternalClient::~InternalClient()
{
    if (d->socket)
        d->socket->close(); // tells nobody: its close must not reach a half-destroyed client
}

void InternalClient::setSettings(const ClientSettings& settings)
{
    if (m_state != State::Disconnected) {
        qCWarning(lcInternalClient)
            << "setSettings() ignored: the client already started connecting";
        return;
    }
    m_settings = settings;
    if (m_settings.connectAttempts < 1) {
        qCWarning(lcInternalClient)
            << "connectAttempts" << settings.connectAttempts << "is below 1; using 1";
        m_settings.connectAttempts = 1;
    }
    if (m_settings.resendAttempts < 0) {
        qCWarning(lcInternalClient)
            << "resendAttempts" << settings.resendAttempts << "is negative; using 0";
        m_settings.resendAttempts = 0;
    }
    if (m_settings.connectTimeoutMs < 0) {
        qCWarning(lcInternalClient) << "connectTimeoutMs" << settings.connectTimeoutMs
                                    << "is negative; using" << kDefaultConnectTimeoutMs;
        m_settings.connectTimeoutMs = kDefaultConnectTimeoutMs;
    }
}

InternalClient::Error InternalClient::connectToServer(const QString& host, quint16 port,
                                                      const DeviceIdentity& device)
{
    if (m_state == State::Destroyed)
        return Error::ContextDestroyed;
    if (m_state != State::Disconnected)
        return Error::NotConnected;
    m_host = host.trimmed();
    m_port = port;
    m_device = device;
    d->connectAttempt = 1;
    setState(State::Connecting);
    if (m_state != State::Connecting) // a slot called destroy()
        return Error::NoError;
    // Deferred, so that even an immediate socket error reaches the caller as a signal after
    // this call returned, never from inside it (docs/architecture.md#house-style: defer
    // re-entrancy).
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_state == State::Connecting && !d->socket)
                startConnection();
        },
        Qt::QueuedConnection);
    return Error::NoError;
}

InternalClient::Error InternalClient::sendStatus(const QByteArray& payload, int timeoutMs)
{
    switch (m_state) {
    case State::Destroyed:
        return Error::ContextDestroyed;
    case State::Disconnected:
    case State::Connecting:
    case State::Handshaking:
        return timeoutMs < 0 ? Error::InvalidTimeout : Error::NotConnected;
    case State::AwaitingCommand:
    case State::Reconnecting:
        return timeoutMs < 0 ? Error::InvalidTimeout : Error::StatusPending;
    case State::Connected:
        break;
    }
    if (timeoutMs < 0)
        return Error::InvalidTimeout;
    d->pendingStatus = payload;
    d->pendingTimeoutMs = timeoutMs;
    d->resendsLeft = m_settings.resendAttempts;
    d->roundTripStartNs = -1; // set when the status is first written
    if (!d->connectionLost) {
        ++d->statusesWritten;
        sendPendingStatus();
        return Error::NoError;
    }
    // The idle connection was closed by the gateway. The reference Python client would only
    // notice now, when its send fails, and then reconnect and resend: so the reconnect made
    // here is the first reconnect-and-resend round, keeping every failing sendStatus() within
    // about 2 × timeout + connect timeout.
    if (d->resendsLeft > 0) {
        beginReconnectRound(Error::CommunicationError, d->lostDetail);
        return Error::NoError;
    }
    setState(State::AwaitingCommand);
    const QString detail = d->lostDetail;
    QMetaObject::invokeMethod(
        this, [this, detail] { fail(Error::CommunicationError, detail); }, Qt::QueuedConnection);
    return Error::NoError;
}

InternalClient::Error InternalClient::command(QByteArray* data) const
{
    if (m_state == State::Destroyed)
        return Error::ContextDestroyed;
    if (!d->hasCommand)
        return Error::NoCommand;
    if (data)
        *data = d->latestCommand;
    return Error::NoError;
}

void InternalClient::destroy()
{
    if (m_state == State::Destroyed)
        return;
    qCDebug(lcInternalClient) << "destroyed by the application";
    d->stopWait();
    retireSocket();
    d->pendingStatus.clear();
    m_state = State::Destroyed;
    emit stateChanged(State::Destroyed);
}

QString InternalClient::errorString() const
{
    if (m_errorDetail.isEmpty())
        return errorSentence(m_error);
    return QStringLiteral("%1 (%2)").arg(errorSentence(m_error), m_errorDetail);
}

// --- connection lifecycle ---------------------------------------------------------------

void InternalClient::startConnection()
{
    retireSocket();
    d->reader.reset();
    d->reader.setMaxFrameBytes(m_settings.maxFrameBytes);
    d->tcpConnected = false;
    d->handshakeSent = false;
    d->connectionLost = false;
    // One budget for TCP connect and connect response together (docs/protocol.md#client-contract).
    d->armWait(m_settings.connectTimeoutMs);
    if (m_host.isEmpty()) {
        fail(Error::ConnectionRefused, QStringLiteral("no host name or address given"));
        return;
    }
    qCDebug(lcInternalClient) << "connecting to" << m_host << m_port << "as" << m_device.toString();
    auto* socket = new TcpTransport(d.get(), this);
    d->socket = socket;
    // Names and IPv4/IPv6 literals alike; every resolved address is tried in turn. Each frame
    // is one send() straight to the kernel (docs/performance.md#client-round-trip).
    socket->connectToHost(m_host, m_port);
}

void InternalClient::retireSocket()
{
    TcpTransport* socket = std::exchange(d->socket, nullptr);
    if (!socket)
        return;
    socket->close(); // no notification of an old connection may reach us
    // Later: this often runs inside one of the socket's own notifications.
    socket->deleteLater();
}

void InternalClient::onSocketConnected()
{
    TcpTransport* socket = d->socket;
    d->tcpConnected = true;
    if (m_state == State::Connecting) {
        setState(State::Handshaking);
        if (d->socket != socket) // a slot called destroy()
            return;
    }
    d->handshakeSent = true;
    sendFrame(encodeEnvelopeFrame(Envelope::connect(m_device)));
}

void InternalClient::onSocketReadyRead()
{
    // One read() per notification (docs/performance.md#client-round-trip): reading again until
    // the kernel says EAGAIN would be a system call per round trip that finds nothing. Bytes
    // left in the kernel, or a close behind them, keep the level-triggered notifier ready, and
    // the next pass reads on. Only a full scratch buffer reads again at once.
    char* const scratch = readScratch();
    qint64 n = 0;
    do {
        n = d->socket->read(scratch, kReadChunkBytes);
        if (n > 0)
            d->reader.append(QByteArrayView(scratch, n));
    } while (n == kReadChunkBytes);
    if (!processFrames())
        return;
    if (n < 0) // the end of the stream or an error, after every byte before it was handled
        onSocketError();
}

// The connection could not be made, or it ended: closed by the gateway or broken.
void InternalClient::onSocketError()
{
    TcpTransport* socket = d->socket;
    // Bytes that arrived together with the close still count: an answer followed by a close
    // is an answer.
    if (socket->isConnected()) {
        char* const scratch = readScratch();
        qint64 n = 0;
        while ((n = socket->read(scratch, kReadChunkBytes)) > 0)
            d->reader.append(QByteArrayView(scratch, n));
        if (!processFrames())
            return;
    }
    const QString where = HostPort{m_host, m_port}.toString();
    if (!d->tcpConnected) {
        // Refused, unreachable, or a name that does not resolve: nobody to talk to.
        fail(Error::ConnectionRefused,
             QStringLiteral("cannot connect to %1: %2").arg(where, socket->errorString()));
        return;
    }
    QString what;
    if (m_state == State::AwaitingCommand)
        what =
            QStringLiteral("the gateway at %1 closed the connection without answering the status")
                .arg(where);
    else if (d->handshakeSent && (m_state == State::Handshaking || m_state == State::Reconnecting))
        what =
            QStringLiteral("the gateway at %1 closed the connection before answering the connect")
                .arg(where);
    else
        what = QStringLiteral("the gateway at %1 closed the idle connection").arg(where);
    if (d->reader.hasPartialFrame())
        what += QStringLiteral(", in the middle of a frame (%1 bytes of it had arrived)")
                    .arg(d->reader.pendingBytes());
    if (!socket->peerClosed())
        what += QStringLiteral(": %1").arg(socket->errorString());
    fail(Error::CommunicationError, what);
}

void InternalClient::onWaitTimeout()
{
    if (!d->waitExpired())
        return; // an earlier wait's timer, or one armed before a later deadline was set
    QString detail;
    if (m_state == State::AwaitingCommand) {
        detail =
            QStringLiteral("no command answered the status within %1 ms").arg(d->pendingTimeoutMs);
        if (d->reader.hasPartialFrame())
            detail += QStringLiteral(" (%1 bytes of an unfinished frame had arrived)")
                          .arg(d->reader.pendingBytes());
    } else if (d->handshakeSent) {
        detail =
            QStringLiteral("no connect response within %1 ms").arg(m_settings.connectTimeoutMs);
    } else {
        detail = QStringLiteral("no TCP connection to %1:%2 within %3 ms")
                     .arg(m_host)
                     .arg(m_port)
                     .arg(m_settings.connectTimeoutMs);
    }
    fail(Error::ServerTookTooLong, detail);
}

// --- failures ------------------------------------------------------------------------------

// The one failure path (docs/protocol.md#client-contract): it stops the wait and retires the
// connection, then either tries again where the settings allow it (another connect attempt,
// a reconnect-and-resend round, or, for an idle connection, a reconnect on the next status)
// or ends the client: error and state are set once, then errorOccurred() and
// stateChanged(Destroyed).
void InternalClient::fail(Error error, const QString& detail, Retry retry)
{
    if (m_state == State::Destroyed || m_state == State::Disconnected)
        return;
    qCDebug(lcInternalClient) << "failure in state" << stateName(m_state) << ":" << errorName(error)
                              << detail;
    d->stopWait();
    retireSocket();
    QString finalDetail = detail;
    if (retry == Retry::Allowed) {
        switch (m_state) {
        case State::Connecting:
        case State::Handshaking:
            if (d->connectAttempt < m_settings.connectAttempts) {
                retryConnect(error, detail);
                return;
            }
            if (m_settings.connectAttempts > 1)
                finalDetail = QStringLiteral("%1 (connect attempt %2 of %2)")
                                  .arg(detail)
                                  .arg(m_settings.connectAttempts);
            break;
        case State::AwaitingCommand:
        case State::Reconnecting:
            if (d->resendsLeft > 0) {
                beginReconnectRound(error, detail);
                return;
            }
            if (const int rounds = m_settings.resendAttempts; rounds > 0)
                finalDetail = QStringLiteral("%1 (after %2 reconnect-and-resend round%3)")
                                  .arg(detail)
                                  .arg(rounds)
                                  .arg(rounds == 1 ? QString() : QStringLiteral("s"));
            break;
        case State::Connected:
            // Idle: like the reference Python client, notice only when the next status goes
            // out, and reconnect then (see sendStatus()). The application hears of it now.
            d->connectionLost = true;
            d->lostDetail = detail;
            emit connectionLost(error, detail);
            emit notice(QStringLiteral("%1 (%2); the next status reconnects first")
                            .arg(detail, errorName(error)));
            return;
        case State::Disconnected:
        case State::Destroyed:
            return;
        }
    }
    qCDebug(lcInternalClient) << "destroyed by" << errorName(error) << finalDetail;
    d->pendingStatus.clear();
    m_error = error;
    m_errorDetail = finalDetail;
    m_state = State::Destroyed; // before any signal: a slot calling us sees ContextDestroyed
    emit errorOccurred(error, finalDetail);
    emit stateChanged(State::Destroyed);
}

void InternalClient::retryConnect(Error error, const QString& detail)
{
    emit notice(QStringLiteral("connect attempt %1 of %2 failed (%3: %4); trying again")
                    .arg(d->connectAttempt)
                    .arg(m_settings.connectAttempts)
                    .arg(errorName(error), detail));
    if (m_state != State::Connecting && m_state != State::Handshaking)
        return; // a slot called destroy()
    ++d->connectAttempt;
    setState(State::Connecting);
    if (m_state != State::Connecting)
        return;
    startConnection();
}

void InternalClient::beginReconnectRound(Error error, const QString& detail)
{
    --d->resendsLeft;
    d->stopWait();
    retireSocket();
    emit notice(QStringLiteral("status exchange failed (%1: %2); reconnecting to resend the "
                               "same status")
                    .arg(errorName(error), detail));
    if (m_state == State::Destroyed)
        return;
    setState(State::Reconnecting);
    if (m_state != State::Reconnecting)
        return;
    startConnection();
}

void InternalClient::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcInternalClient) << stateName(m_state) << "->" << stateName(state);
    m_state = state;
    emit stateChanged(state);
}

} // namespace fleet
