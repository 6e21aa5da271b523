// The session's life: creation, what it tells the server about itself, and its end (a drop, a
// timeout, a graceful close). Reading and back-pressure are in gatewaysessionflow.cpp, the
// conversation (connect, status, answer) in gatewaysessionconversation.cpp.
#include "gatewaysession.h"

#include "gatewayserver.h"
#include "hostport.h"
#include "slotregistry.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QTimer>

#include <chrono>

namespace fleet {

namespace {

// A socket that does not finish a graceful close (the peer stopped reading) is aborted.
constexpr int kCloseGraceMs = 5000;
// Qt reads at most this much ahead of what the session has taken. Bounded, so that a paused
// session (back-pressure) leaves further bytes in the kernel and TCP holds the peer back.
constexpr qint64 kReadBufferBytes = 64 * 1024;

} // namespace

GatewaySession::GatewaySession(GatewayServer* server, QTcpSocket* socket, quint64 id)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_id(id)
    , m_reader(server->policy().maxFrameBytes)
    , m_answerTimer(new QTimer(this))
    , m_stallTimer(new QTimer(this))
    , m_frameTimer(new QTimer(this))
    , m_connectTimer(new QTimer(this))
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kReadBufferBytes);
    m_peer = HostPort{m_socket->peerAddress().toString(), m_socket->peerPort()}.toString();
    m_lastActivityMs = m_server->clockMs();
    m_answerTimer->setSingleShot(true);
    m_answerTimer->setTimerType(Qt::PreciseTimer);
    m_stallTimer->setSingleShot(true);
    m_frameTimer->setSingleShot(true);
    m_connectTimer->setSingleShot(true);

    connect(m_socket, &QTcpSocket::readyRead, this, &GatewaySession::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &GatewaySession::onDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        // The peer closing is reported by disconnected(); everything else ends the session.
        if (e != QAbstractSocket::RemoteHostClosedError)
            drop(GatewayEvent::Reason::SocketError, m_socket->errorString());
    });
    connect(m_answerTimer, &QTimer::timeout, this, &GatewaySession::onAnswerTimer);
    connect(m_stallTimer, &QTimer::timeout, this, &GatewaySession::onStallTimer);
    connect(m_frameTimer, &QTimer::timeout, this, &GatewaySession::onFrameDeadline);
    connect(m_connectTimer, &QTimer::timeout, this, &GatewaySession::onConnectDeadline);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &GatewaySession::onBytesWritten);
    if (const int deadline = m_server->policy().connectDeadlineMs; deadline > 0)
        m_connectTimer->start(deadline);
}

GatewaySession::~GatewaySession() = default;

GatewayDeviceInfo GatewaySession::info() const
{
    GatewayDeviceInfo info;
    info.connectionId = m_id;
    info.peer = m_peer;
    info.device = m_identity;
    info.connectedSinceMs = m_connectedSinceMs;
    info.statusesReceived = m_statuses;
    info.commandsSent = m_commands;
    info.lastStatusMs = m_lastStatusMs;
    info.lastStatus = m_lastStatus;
    info.queuedCommands = m_slot ? int(m_slot->queue.size()) : 0;
    return info;
}

qint64 GatewaySession::unsentBytes() const
{
    return m_socket->bytesToWrite() + m_pendingBytes;
}

void GatewaySession::doom(GatewayEvent::Reason reason, const QString& detail, int afterMs)
{
    qCInfo(lcGateway).noquote() << tag() << "no answer:" << detail;
    GatewayEvent event = makeEvent(GatewayEvent::Kind::StatusUnanswered);
    event.data = m_lastStatus;
    event.reason = reason;
    event.detail = detail;
    m_server->emitEvent(std::move(event));
    if (m_state == State::Closed)
        return;
    if (afterMs <= 0) {
        drop(reason, detail);
        return;
    }
    m_state = State::Doomed;
    m_doomReason = reason;
    m_doomDetail = detail;
    m_pending.clear();
    m_pendingBytes = 0;
    reportUnsent();
    m_stallTimer->stop();
    m_frameTimer->stop();
    releasePartial(); // nothing more is read
    m_answerTimer->start(afterMs);
}

void GatewaySession::protocolError(const QString& detail)
{
    qCInfo(lcGateway).noquote() << tag() << m_peer << "protocol error:" << detail;
    GatewayEvent event = makeEvent(GatewayEvent::Kind::ProtocolError);
    event.reason = GatewayEvent::Reason::ProtocolError;
    event.detail = detail;
    m_server->emitEvent(std::move(event));
    drop(GatewayEvent::Reason::ProtocolError, detail);
}

void GatewaySession::onStallTimer()
{
    if (m_state == State::Closed || m_state == State::Doomed || !m_reader.hasPartialFrame() ||
        readingHeld())
        return;
    ++m_server->m_counters.stallDrops;
    partialError(QStringLiteral("then nothing for %1 ms"), m_server->policy().stallTimeoutMs);
}

void GatewaySession::onFrameDeadline()
{
    if (m_state == State::Closed || m_state == State::Doomed || !m_reader.hasPartialFrame() ||
        readingHeld())
        return;
    ++m_server->m_counters.frameDeadlineDrops;
    partialError(QStringLiteral("not complete %1 ms after its first byte (frame deadline)"),
                 m_server->policy().frameDeadlineMs);
}

void GatewaySession::partialError(const QString& what, int limitMs)
{
    const qsizetype pending = m_reader.pendingBytes();
    protocolError((pending < kFrameHeaderBytes
                       ? QStringLiteral("header cut short: %1 of 4 header bytes, ").arg(pending)
                       : QStringLiteral("frame cut short: %1 bytes of an unfinished frame "
                                        "(header included), ")
                             .arg(pending)) +
                  what.arg(limitMs));
}

void GatewaySession::onConnectDeadline()
{
    if (m_state != State::AwaitingConnect && m_state != State::Rejected)
        return;
    ++m_server->m_counters.connectDeadlineDrops;
    const int deadline = m_server->policy().connectDeadlineMs;
    drop(GatewayEvent::Reason::ConnectDeadline,
         m_state == State::Rejected
             ? QStringLiteral("the connect was refused and the device left the connection "
                              "open for %1 ms (connect deadline)")
                   .arg(deadline)
             : QStringLiteral("no connect message within %1 ms of the connection (connect "
                              "deadline)")
                   .arg(deadline));
}

void GatewaySession::onDisconnected()
{
    if (m_state == State::Closed) {
        finish();
        return;
    }
    if (m_reader.hasPartialFrame()) {
        protocolError(QStringLiteral("the device closed the connection in the middle of a "
                                     "frame (%1 bytes of it received)")
                          .arg(m_reader.pendingBytes()));
        return;
    }
    drop(GatewayEvent::Reason::PeerClosed, {});
}

void GatewaySession::drop(GatewayEvent::Reason reason, const QString& detail)
{
    if (m_state == State::Closed)
        return;
    const bool heldSlot = m_slot != nullptr;
    m_state = State::Closed;
    m_answerTimer->stop();
    m_stallTimer->stop();
    m_frameTimer->stop();
    m_connectTimer->stop();
    m_pending.clear();
    m_pendingBytes = 0;
    m_paused = false;
    m_budgetPaused = false;
    reportUnsent(); // closed: nothing of it counts any more
    releasePartial();
    if (heldSlot) {
        m_server->m_slots->release(m_identity, this);
        m_slot = nullptr;
    }
    if (reason != GatewayEvent::Reason::PeerClosed || heldSlot)
        qCInfo(lcGateway).noquote()
            << tag() << m_identity.toString() << "disconnected:" << GatewayEvent::reasonName(reason)
            << detail;
    GatewayEvent event = makeEvent(GatewayEvent::Kind::Disconnected);
    event.reason = reason;
    event.detail = detail;
    m_server->emitEvent(std::move(event));
    if (heldSlot)
        emit m_server->devicesChanged();

    if (m_socket->state() == QAbstractSocket::UnconnectedState) {
        finish();
        return;
    }
    if (reason == GatewayEvent::Reason::Limit) {
        // The descriptor is what the limit protects: freed now, not after a graceful close.
        m_socket->abort();
        finish();
        return;
    }
    // Graceful: what was written (a connect response) still reaches the device. If the
    // socket closes synchronously, disconnected() lands in onDisconnected() → finish().
    QTimer::singleShot(kCloseGraceMs, m_socket, [socket = m_socket] { socket->abort(); });
    m_socket->disconnectFromHost();
}

void GatewaySession::finish()
{
    releaseDecodeRoom(); // a body cut short never reaches the worker
    if (m_decoding) {
        m_finishPending = true; // the worker's result is still addressed to this object
        return;
    }
    m_server->sessionFinished(this);
}

void GatewaySession::abortSilently()
{
    m_state = State::Closed;
    m_socket->disconnect(this);
    m_socket->abort();
}

QString GatewaySession::tag() const
{
    return QStringLiteral("#%1").arg(m_id);
}

GatewayEvent GatewaySession::makeEvent(GatewayEvent::Kind kind) const
{
    GatewayEvent event;
    event.kind = kind;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.connectionId = m_id;
    event.peer = m_peer;
    event.hasDevice = m_hasDevice;
    event.device = m_identity;
    return event;
}

void GatewaySession::emitFrame(GatewayFrame::Direction direction, const QByteArray& frame)
{
    GatewayFrame record;
    record.direction = direction;
    record.timeMs = QDateTime::currentMSecsSinceEpoch();
    record.steadyNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
    record.connectionId = m_id;
    record.peer = m_peer;
    record.hasDevice = m_hasDevice;
    record.device = m_identity;
    record.bytes = frame;
    emit m_server->frameTransferred(record);
}

} // namespace fleet
