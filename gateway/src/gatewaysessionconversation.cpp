// A session's conversation: a frame decoded (here or on the worker), the connect and its
// arbitration, statuses and their answers, pushed commands (docs/protocol.md#conversation).
#include "gatewaysession.h"

#include "envelope.h"
#include "gatewayserver.h"
#include "modulecatalog.h"
#include "protobuflog.h"
#include "slotregistry.h"

#include <QDateTime>
#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace fleet {

namespace {

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

} // namespace fleet
