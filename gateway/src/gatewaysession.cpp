#include "gatewaysession.h"

#include "envelope.h"
#include "gatewayserver.h"
#include "hostport.h"
#include "modulecatalog.h"
#include "protobuflog.h"
#include "slotregistry.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QThreadPool>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <QTimer>

namespace fleet {

namespace {

// A socket that does not finish a graceful close (the peer stopped reading) is aborted.
constexpr int kCloseGraceMs = 5000;
// Qt reads at most this much ahead of what the session has taken. Bounded, so that a paused
// session (back-pressure) leaves further bytes in the kernel and TCP holds the peer back.
constexpr qint64 kReadBufferBytes = 64 * 1024;

// UTF-8 length of a string without building the UTF-8 copy (a role may be megabytes).
qint64 utf8Length(QStringView text)
{
    qint64 bytes = 0;
    for (const QChar c : text) {
        const char16_t unit = c.unicode();
        if (unit < 0x80)
            bytes += 1;
        else if (unit < 0x800 || c.isSurrogate())
            bytes += 2; // a surrogate pair is 4 bytes: 2 per half
        else
            bytes += 3;
    }
    return bytes;
}

// At most `max` UTF-16 units of `text`, not splitting a surrogate pair.
QString cutTo(const QString& text, qsizetype max)
{
    if (text.size() <= max)
        return text;
    qsizetype end = max;
    if (end > 0 && text.at(end - 1).isHighSurrogate())
        --end;
    return text.left(end);
}

bool sameDevice(const DeviceIdentity& a, const DeviceIdentity& b)
{
    // Answers are routed by slot and priority; the name is a label (docs/protocol.md#conversation).
    return a.sameSlot(b) && a.priority == b.priority;
}

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

void GatewaySession::onReadyRead()
{
    if (m_state == State::Closed || m_state == State::Doomed) {
        m_socket->readAll(); // nothing more is processed: the verdict is out
        return;
    }
    if (readingHeld())
        return; // stays in the socket until the peer takes its answers (resumeIfDrained())
                // or the worker's decode is back (onDecoded())
    // Read by processFrames() straight into the frame's storage, one frame at a time.
    if (m_socket->bytesAvailable() > 0)
        m_lastActivityMs = m_server->clockMs();
    processFrames();
}

void GatewaySession::processFrames()
{
    const qint64 maxUnsent = m_server->policy().maxUnsentBytes;
    bool frameCompleted = false;
    const qint64 offloadAbove = m_server->policy().offloadDecodeBytes;
    while (m_state != State::Closed && m_state != State::Doomed && !m_decoding && !m_budgetPaused) {
        // A peer that sends statuses but does not read the answers would otherwise make the
        // gateway queue answers without end.
        if (maxUnsent > 0 && unsentBytes() > maxUnsent) {
            pause();
            break;
        }
        // A body for the worker waits while the worker is behind: its bytes stay in the kernel.
        // The header first: a new frame's length decides before any of its body comes in.
        if (offloadAbove > 0 && m_server->decodeBacklogFull() && !m_reader.readHeader(*m_socket))
            break;
        const bool forWorker = offloadAbove > 0 && m_reader.announcedBytes() > offloadAbove;
        if (forWorker && m_reservedDecodeBytes == 0 && m_server->decodeBacklogFull()) {
            m_awaitingDecodeRoom = true;
            m_server->m_sessionsWaitForDecode = true;
            break;
        }
        if (!m_reader.readFrom(*m_socket)) {
            reserveDecodeRoom(offloadAbove);
            break;
        }
        frameCompleted = true;
        handleFrame(m_reader.takeFrame());
    }
    if (m_state == State::Closed || m_state == State::Doomed)
        return;
    if (m_reader.hasError()) {
        protocolError(m_reader.errorString());
        return;
    }
    updatePartial(frameCompleted);
}

void GatewaySession::updatePartial(bool frameCompleted)
{
    const GatewayPolicy& policy = m_server->policy();
    const qsizetype pending = m_reader.pendingBytes();
    const qsizetype delta = pending - m_countedPartial;
    m_countedPartial = pending;
    if (pending == 0) {
        m_partialSinceMs = 0;
        m_stallTimer->stop();
        m_frameTimer->stop();
    } else if (readingHeld()) {
        // The wait is the gateway's (the peer does not take its answers, or a big frame is
        // being decoded), not the peer's.
        m_stallTimer->stop();
        m_frameTimer->stop();
        if (m_partialSinceMs == 0)
            m_partialSinceMs = m_server->clockMs();
    } else {
        // The frame deadline runs from a frame's first byte; each byte restarts only the stall.
        if (m_partialSinceMs == 0 || frameCompleted) {
            m_partialSinceMs = m_server->clockMs();
            if (policy.frameDeadlineMs > 0)
                m_frameTimer->start(policy.frameDeadlineMs);
            else
                m_frameTimer->stop();
        }
        if (policy.stallTimeoutMs > 0)
            m_stallTimer->start(policy.stallTimeoutMs);
        else
            m_stallTimer->stop();
    }
    if (delta != 0)
        m_server->partialBytesChanged(delta); // may drop this session (oldest partial first)
}

void GatewaySession::releasePartial()
{
    m_reader.reset();
    m_partialSinceMs = 0;
    if (m_countedPartial == 0)
        return;
    const qsizetype delta = -m_countedPartial;
    m_countedPartial = 0;
    m_server->partialBytesChanged(delta);
}

void GatewaySession::pause()
{
    if (m_paused)
        return;
    m_paused = true;
    ++m_server->m_counters.pauses;
    m_stallTimer->stop();
    m_frameTimer->stop();
    qCDebug(lcGateway).noquote() << tag() << "paused:" << unsentBytes()
                                 << "bytes unsent, the peer does not read its answers";
}

void GatewaySession::onBytesWritten()
{
    reportUnsent();
    resumeIfDrained();
}

void GatewaySession::reportUnsent()
{
    const qint64 unsent = m_state == State::Closed ? 0 : unsentBytes();
    const qint64 delta = unsent - m_reportedUnsent;
    if (delta == 0)
        return;
    m_reportedUnsent = unsent;
    m_server->unsentChanged(delta); // may pause or resume this and other sessions
}

void GatewaySession::setBudgetPaused(bool paused)
{
    if (paused == m_budgetPaused || m_state == State::Closed)
        return;
    m_budgetPaused = paused;
    if (paused) {
        // As for the connection's own bound: the wait is the gateway's, not the peer's.
        m_stallTimer->stop();
        m_frameTimer->stop();
        qCDebug(lcGateway).noquote() << tag()
                                     << "paused: the gateway's unsent answers of all "
                                        "connections are above their budget, and this "
                                        "one holds"
                                     << unsentBytes();
        return;
    }
    m_partialSinceMs = 0; // the frame deadline starts again
    scheduleResume();
}

// A body bound for the worker counts in its backlog from the moment it is being received, not
// only once complete: then the bodies arriving at once and those awaiting the worker are bounded
// together (docs/architecture.md#limits), rather than every connection that started a body
// before the backlog filled going on to receive all of it.
void GatewaySession::reserveDecodeRoom(qint64 offloadAbove)
{
    const qint64 announced = m_reader.announcedBytes();
    if (offloadAbove <= 0 || announced <= offloadAbove || m_reservedDecodeBytes > 0)
        return;
    m_reservedDecodeBytes = announced;
    m_server->decodeBacklogChanged(announced);
}

void GatewaySession::releaseDecodeRoom()
{
    if (m_reservedDecodeBytes > 0)
        m_server->decodeBacklogChanged(-std::exchange(m_reservedDecodeBytes, 0));
}

void GatewaySession::decodeRoomAvailable()
{
    if (!m_awaitingDecodeRoom)
        return;
    m_awaitingDecodeRoom = false;
    scheduleResume();
}

void GatewaySession::resumeIfDrained()
{
    if (!m_paused || m_state == State::Closed || m_state == State::Doomed)
        return;
    // Half the bound: a peer reading slowly does not flip the session every answer.
    if (unsentBytes() > m_server->policy().maxUnsentBytes / 2)
        return;
    m_paused = false;
    m_partialSinceMs = 0; // the frame deadline starts again: the wait was the gateway's
    qCDebug(lcGateway).noquote() << tag() << "resumed";
    scheduleResume();
}

void GatewaySession::scheduleResume()
{
    if (m_resumeQueued || readingHeld() || m_state == State::Closed || m_state == State::Doomed)
        return;
    // Not from inside a write (bytesWritten can come from sendFrame's flush()).
    m_resumeQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_resumeQueued = false;
            onReadyRead();
        },
        Qt::QueuedConnection);
}

void GatewaySession::handleFrame(const FrameBody& body)
{
    if (m_server->wantsFrames())
        emitFrame(GatewayFrame::Direction::In, body.frame());
    const qint64 offloadAbove = m_server->policy().offloadDecodeBytes;
    if (offloadAbove > 0 && body.size() > offloadAbove) {
        decodeInWorker(body);
        return;
    }
    ProtobufLog::takeLastMessage(); // only what this parse logs counts
    const Envelope envelope = decodeEnvelope(EnvelopeDirection::DeviceToGateway, body.joined());
    handleEnvelope(envelope, std::nullopt, ProtobufLog::takeLastMessage());
}

namespace {

// The worker's copies of a big frame (the joined body, a parsed JSON document) are freed by now,
// but glibc keeps freed pages of a thread's heap in the process: without this the resident
// size keeps the high-water mark of every big frame decoded (docs/architecture.md#limits).
void releaseFreedMemory()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

} // namespace

void GatewaySession::decodeInWorker(const FrameBody& body)
{
    // Parsing and validating megabytes takes tens of milliseconds: on the worker, so the other
    // connections keep being served. This connection reads nothing more until the result is
    // back, which keeps its frames in order. The session is not deleted while the job runs
    // (finish()), and the server waits for its pool before deleting sessions.
    m_decoding = true;
    m_decodingBytes = body.size();
    // Counted since its first bytes arrived (reserveDecodeRoom()), or now.
    m_server->decodeBacklogChanged(m_decodingBytes - std::exchange(m_reservedDecodeBytes, 0));
    ++m_server->m_counters.offloadedDecodes;
    const bool validate = m_state == State::Connected;
    const quint32 module = m_identity.module;
    const quint32 type = m_identity.deviceType;
    GatewaySession* session = this;
    m_server->decodePool()->start([session, body, validate, module, type] {
        ProtobufLog::takeLastMessage();
        // A body above kFrameSegmentBytes arrived in segments: joined here, not on the loop.
        Envelope envelope = decodeEnvelope(EnvelopeDirection::DeviceToGateway, body.joined());
        const QString protobufSays = ProtobufLog::takeLastMessage();
        std::optional<ValidationResult> validation;
        if (validate && envelope.kind == EnvelopeKind::Status)
            validation = ModuleCatalog::validateStatus(module, type, envelope.payload);
        QMetaObject::invokeMethod(
            session,
            [session, envelope = std::move(envelope), validation, protobufSays] {
                session->onDecoded(envelope, validation, protobufSays);
            },
            Qt::QueuedConnection);
        releaseFreedMemory();
    });
}

void GatewaySession::onDecoded(const Envelope& envelope,
                               const std::optional<ValidationResult>& validation,
                               const QString& protobufSays)
{
    m_decoding = false;
    m_server->decodeBacklogChanged(-m_decodingBytes);
    m_decodingBytes = 0;
    if (m_state == State::Closed) {
        if (m_finishPending)
            finish();
        return;
    }
    if (m_state == State::Doomed)
        return;
    handleEnvelope(envelope, validation, protobufSays);
    onReadyRead(); // what arrived meanwhile, and the frames already buffered
}

void GatewaySession::handleEnvelope(const Envelope& envelope,
                                    const std::optional<ValidationResult>& validation,
                                    const QString& protobufSays)
{
    switch (envelope.kind) {
    case EnvelopeKind::Connect:
        if (m_state == State::AwaitingConnect)
            handleConnect(envelope.device);
        else
            protocolError(QStringLiteral("a second connect message on a connection that "
                                         "already sent one"));
        return;
    case EnvelopeKind::Status:
        if (m_state == State::Connected)
            handleStatus(envelope, validation);
        else
            protocolError(QStringLiteral("a status before a successful connect"));
        return;
    case EnvelopeKind::Unparsable:
    case EnvelopeKind::Empty:
    case EnvelopeKind::ConnectResponse: // not decoded in this direction
    case EnvelopeKind::Command:
        break;
    }
    // libprotobuf may have said more precisely what is wrong (a role that is not UTF-8).
    protocolError(protobufSays.isEmpty()
                      ? envelope.error
                      : QStringLiteral("%1 (libprotobuf: %2)").arg(envelope.error, protobufSays));
}

QString GatewaySession::identityTooLong(const DeviceIdentity& device) const
{
    const int max = m_server->policy().maxIdentityBytes;
    if (max <= 0)
        return {};
    const auto check = [max](const QString& field, const QString& what) -> QString {
        const qint64 bytes = utf8Length(field);
        if (bytes <= max)
            return {};
        return QStringLiteral("the device's %1 is %2 bytes long, above this gateway's limit of "
                              "%3 bytes (docs/protocol.md#identity-and-arbitration)")
            .arg(what)
            .arg(bytes)
            .arg(max);
    };
    const QString role = check(device.role, QStringLiteral("role"));
    return role.isEmpty() ? check(device.name, QStringLiteral("name")) : role;
}

void GatewaySession::handleConnect(const DeviceIdentity& device)
{
    m_identity = device;
    m_hasDevice = true;
    if (const QString tooLong = identityTooLong(device); !tooLong.isEmpty()) {
        // Refused as a device the gateway does not support, echoing the device with the
        // over-long text cut to the limit: the refusal costs at most a few KiB whatever was
        // sent, and a client judges the response type before the echo.
        const qsizetype max = m_server->policy().maxIdentityBytes;
        m_identity.role = cutTo(device.role, max);
        m_identity.name = cutTo(device.name, max);
        ++m_server->m_counters.identityRefusals;
        rejectConnect(ResponseType::DeviceNotSupported, tooLong);
        return;
    }
    SlotRegistry& registry = *m_server->m_slots;
    const ConnectVerdict verdict = registry.decide(m_server->policy(), m_identity);
    if (verdict.responseType != ResponseType::Ok) {
        rejectConnect(verdict.responseType, verdict.detail);
        return;
    }
    if (verdict.displaced)
        verdict.displaced->drop(GatewayEvent::Reason::Takeover,
                                verdict.detail + QStringLiteral(" on connection #%1").arg(m_id));
    // Event handlers run synchronously and may have closed this connection too.
    if (m_state == State::Closed)
        return;

    m_slot = &registry.take(m_identity, this);
    m_state = State::Connected;
    m_connectTimer->stop();
    m_connectedSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_emulator = ModuleCatalog::createEmulator(m_identity.module, m_identity.deviceType);

    // The device is echoed as the reference builds it: the five Device fields of the connect,
    // never unknown fields it carried (docs/protocol.md#identity-and-arbitration).
    sendFrame(encodeEnvelopeFrame(Envelope::connectResponse(ResponseType::Ok, m_identity)));

    qCInfo(lcGateway).noquote() << tag() << m_identity.toString() << "connected from" << m_peer;
    GatewayEvent event = makeEvent(GatewayEvent::Kind::Connected);
    event.responseType = int(ResponseType::Ok);
    if (verdict.displaced)
        event.detail = QStringLiteral("took the slot over from a lower-priority device");
    m_server->emitEvent(std::move(event));
    emit m_server->devicesChanged();
}

void GatewaySession::rejectConnect(ResponseType responseType, const QString& detail)
{
    sendFrame(encodeEnvelopeFrame(Envelope::connectResponse(responseType, m_identity)));

    qCInfo(lcGateway).noquote() << tag() << m_identity.toString()
                                << "rejected:" << responseTypeName(responseType) << detail;
    GatewayEvent event = makeEvent(GatewayEvent::Kind::Rejected);
    event.responseType = int(responseType);
    event.detail = detail;
    m_server->emitEvent(std::move(event));
    if (m_state == State::Closed)
        return;

    if (responseType == ResponseType::ModuleNotSupported ||
        responseType == ResponseType::DeviceNotSupported) {
        // The reference leaves this socket open for the client to close
        // (docs/protocol.md#identity-and-arbitration). Unlike the reference, the rejected device
        // takes no slot, so a lingering socket blocks no one.
        m_state = State::Rejected;
        return;
    }
    drop(GatewayEvent::Reason::ConnectRejected,
         responseTypeName(responseType) + QStringLiteral(": ") + detail);
}

void GatewaySession::handleStatus(const Envelope& status,
                                  const std::optional<ValidationResult>& validated)
{
    const QByteArray& payload = status.payload;
    ++m_statuses;
    m_lastStatus = payload;
    m_lastStatusMs = QDateTime::currentMSecsSinceEpoch();

    if (!sameDevice(status.device, m_identity)) {
        const DeviceIdentity& other = status.device;
        qCDebug(lcGateway).noquote() << tag() << "status for another device" << other.toString();
        GatewayEvent event = makeEvent(GatewayEvent::Kind::StatusUnanswered);
        event.data = payload;
        event.detail = QStringLiteral("the status names device %1, but this connection "
                                      "connected as %2: answers are routed by that identity, "
                                      "so this status gets no answer")
                           .arg(other.toString(), m_identity.toString());
        m_server->emitEvent(std::move(event));
        return;
    }
    if (m_server->wantsEvents()) {
        GatewayEvent event = makeEvent(GatewayEvent::Kind::StatusReceived);
        event.data = payload;
        m_server->emitEvent(std::move(event));
        if (m_state != State::Connected)
            return; // a handler disconnected the device
    }

    const GatewayPolicy& policy = m_server->policy();
    const ValidationResult validation =
        validated
            ? *validated
            : ModuleCatalog::validateStatus(m_identity.module, m_identity.deviceType, payload);
    if (!validation.ok) {
        // The reference sends nothing, its wait runs out, then it closes
        // (docs/protocol.md#conversation).
        doom(GatewayEvent::Reason::InvalidStatus,
             QStringLiteral("%1 rejected the status: %2")
                 .arg(ModuleCatalog::moduleName(m_identity.module), validation.message),
             policy.answerDeadlineMs);
        return;
    }
    if (policy.answerDeadlineMs > 0 && policy.answerDelayMs > policy.answerDeadlineMs) {
        doom(GatewayEvent::Reason::AnswerDeadline,
             QStringLiteral("the emulated module answers after %1 ms, beyond the gateway's "
                            "%2 ms deadline: closed without an answer")
                 .arg(policy.answerDelayMs)
                 .arg(policy.answerDeadlineMs),
             policy.answerDeadlineMs);
        return;
    }
    if (policy.answerDelayMs <= 0 && m_pending.isEmpty()) {
        answer(payload);
        return;
    }
    m_pending.append({m_server->clockMs() + policy.answerDelayMs, payload});
    m_pendingBytes += payload.size();
    reportUnsent();
    if (!m_answerTimer->isActive())
        m_answerTimer->start(qMax(0, policy.answerDelayMs));
}

void GatewaySession::onAnswerTimer()
{
    if (m_state == State::Doomed) {
        const GatewayEvent::Reason reason = m_doomReason;
        drop(reason, m_doomDetail);
        return;
    }
    const qint64 now = m_server->clockMs();
    while (!m_pending.isEmpty() && m_pending.first().dueMs <= now && m_state == State::Connected) {
        const QByteArray status = m_pending.takeFirst().status;
        m_pendingBytes -= status.size();
        answer(status);
    }
    reportUnsent();
    if (!m_pending.isEmpty() && m_state == State::Connected)
        m_answerTimer->start(int(qMax<qint64>(0, m_pending.first().dueMs - now)));
    resumeIfDrained();
}

void GatewaySession::answer(const QByteArray& status)
{
    // The operator's queue stands in for the cloud. As in the real gateway, a queued command
    // becomes the module's current command and goes through the module's command generation
    // like every answer (docs/modules.md#device-behaviour): the example module overwrites it,
    // the mission module removes a reached stop. Unknown modules send it as it is.
    QByteArray queued;
    const bool hasQueued = m_slot && SlotRegistry::takeQueued(*m_slot, &queued);
    QByteArray command;
    GatewayEvent::Source source = GatewayEvent::Source::Default;
    QString detail;
    if (hasQueued) {
        command = m_emulator ? m_emulator->answerCloudCommand(status, queued) : queued;
        source = GatewayEvent::Source::Queued;
        if (command != queued)
            detail = QStringLiteral("the module's command generation turned the queued %1 "
                                    "bytes into these")
                         .arg(queued.size());
    } else if (m_emulator) {
        // The module sees every valid status: its state must not depend on what answers.
        command = m_emulator->answerStatus(status);
        source = GatewayEvent::Source::Module;
    } else {
        command = m_server->policy().defaultCommand;
    }
    if (!hasQueued && m_server->policy().emptyAnswers) {
        command.clear();
        source = GatewayEvent::Source::Empty;
    }
    sendCommand(command, source, detail);
}

void GatewaySession::push(const QByteArray& command)
{
    if (m_state != State::Connected)
        return;
    // The operator's way to send bytes unchanged: no command generation, sent at once.
    if (m_emulator)
        m_emulator->setCurrentCommand(command);
    sendCommand(command, GatewayEvent::Source::Pushed);
}

void GatewaySession::sendCommand(const QByteArray& command, GatewayEvent::Source source,
                                 const QString& detail)
{
    // Addressed to the device exactly as it connected (docs/protocol.md#conversation).
    sendFrame(encodeEnvelopeFrame(Envelope::command(m_identity, command)));
    ++m_commands;
    if (m_server->wantsEvents()) {
        GatewayEvent event = makeEvent(GatewayEvent::Kind::CommandSent);
        event.data = command;
        event.source = source;
        event.detail = detail;
        m_server->emitEvent(std::move(event));
    }
}

void GatewaySession::sendFrame(const QByteArray& frame)
{
    // Header and body in one write (docs/protocol.md#framing), handed to the kernel now rather than
    // on the next event-loop pass: one loop pass less of latency per answer under load.
    m_socket->write(frame);
    m_socket->flush();
    m_server->noteUnsent(unsentBytes());
    reportUnsent();
    if (m_server->wantsFrames())
        emitFrame(GatewayFrame::Direction::Out, frame);
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
    record.connectionId = m_id;
    record.peer = m_peer;
    record.hasDevice = m_hasDevice;
    record.device = m_identity;
    record.bytes = frame;
    emit m_server->frameTransferred(record);
}

} // namespace fleet
