// InternalClient, frames in and out: sending statuses, reading and judging replies.
#include "internalclient.h"
#include "internalclient_p.h"

#include "envelope.h"

#include <QMetaMethod>

#include <cstring>
#include <optional>

namespace fleet {

namespace {

InternalClient::Error connectErrorFor(ResponseType responseType)
{
    switch (responseType) {
    case ResponseType::AlreadyConnected:
        return InternalClient::Error::AlreadyConnected;
    case ResponseType::ModuleNotSupported:
        return InternalClient::Error::ModuleNotSupported;
    case ResponseType::DeviceNotSupported:
        return InternalClient::Error::DeviceNotSupported;
    case ResponseType::HigherPriorityAlreadyConnected:
        return InternalClient::Error::HigherPriorityAlreadyConnected;
    case ResponseType::Ok:
        break;
    }
    return InternalClient::Error::NoError;
}

qsizetype varintSize(quint64 value)
{
    qsizetype size = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++size;
    }
    return size;
}

char* putVarint(char* p, quint64 value)
{
    while (value >= 0x80) {
        *p++ = char(0x80 | (value & 0x7f));
        value >>= 7;
    }
    *p++ = char(value);
    return p;
}

// Length-delimited fields 2 (InternalClient.deviceStatus, DeviceStatus.statusData); the tag of
// field 1 (DeviceStatus.device) is already part of the cached device field
// (docs/protocol.md#schema).
constexpr char kFieldTwoBytes = 0x12;

// InternalClient{deviceStatus{device, statusData}} framed, assembled from the encoded device
// field and the payload: the same bytes the protobuf encoder writes (proto3 leaves out empty
// bytes), without building messages and converting the identity's strings per status.
// Written into *frame, whose block is reused when nobody else holds it (a listener of
// frameSent() that kept the last frame makes this a fresh one): no allocation per status.
void assembleStatusFrame(QByteArray* frame, const QByteArray& deviceField,
                         const QByteArray& payload)
{
    const qsizetype payloadField =
        payload.isEmpty() ? 0 : 1 + varintSize(quint64(payload.size())) + payload.size();
    const qsizetype statusSize = deviceField.size() + payloadField;
    const qsizetype bodySize = 1 + varintSize(quint64(statusSize)) + statusSize;
    frame->resize(kFrameHeaderBytes + bodySize);
    char* p = frame->data();
    for (int i = 0; i < kFrameHeaderBytes; ++i)
        *p++ = char((quint32(bodySize) >> (8 * i)) & 0xff); // little-endian length
    *p++ = kFieldTwoBytes;
    p = putVarint(p, quint64(statusSize));
    std::memcpy(p, deviceField.constData(), size_t(deviceField.size()));
    p += deviceField.size();
    if (!payload.isEmpty()) {
        *p++ = kFieldTwoBytes;
        p = putVarint(p, quint64(payload.size()));
        std::memcpy(p, payload.constData(), size_t(payload.size()));
    }
}

// The Device field of a status for `device`: the generic encoding of a status without payload
// is tag, length, then exactly that field. *decodesBack tells whether the gateway's decoder
// reads that field back as exactly `device`: DeviceCommand is laid out as DeviceStatus (device
// 1, data 2, under field 2 of the envelope), so the same bytes decoded in the gateway's
// direction are a command from that device (docs/protocol.md#schema).
QByteArray encodeStatusDeviceField(const DeviceIdentity& device, bool* decodesBack)
{
    const QByteArray body = encodeEnvelope(Envelope::status(device, QByteArray()));
    const Envelope echo = decodeEnvelope(EnvelopeDirection::GatewayToDevice, body);
    *decodesBack =
        echo.kind == EnvelopeKind::Command && echo.device == device && echo.payload.isEmpty();
    qsizetype skip = 1;
    while (skip < body.size() && (uchar(body.at(skip)) & 0x80))
        ++skip;
    return body.mid(skip + 1);
}

bool readVarint(const uchar** p, const uchar* end, quint64* value)
{
    quint64 result = 0;
    for (int shift = 0; *p < end && shift < 64; shift += 7) {
        const uchar byte = *(*p)++;
        result |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return true;
        }
    }
    return false;
}

// The command data of an answer that is the canonical echo of this device: the envelope's
// field 2 (deviceCommand) holding exactly the device field the client sends, then the data as
// field 2 or nothing (proto3 leaves empty bytes out). For such bytes protobuf's parse gives
// exactly this device and this data, so the parse, and turning the identity's strings into
// QStrings per answer, are skipped (docs/performance.md#client-round-trip). Anything else
// (another device, other fields, another order) is left to the generic decoder.
std::optional<QByteArrayView> echoedCommandData(QByteArrayView body, QByteArrayView deviceField)
{
    const auto* p = reinterpret_cast<const uchar*>(body.data());
    const uchar* const end = p + body.size();
    quint64 length = 0;
    if (p == end || *p++ != uchar(kFieldTwoBytes) || !readVarint(&p, end, &length) ||
        length != quint64(end - p) || quint64(end - p) < quint64(deviceField.size()) ||
        std::memcmp(p, deviceField.data(), size_t(deviceField.size())) != 0)
        return std::nullopt;
    p += deviceField.size();
    if (p == end)
        return QByteArrayView();
    if (*p++ != uchar(kFieldTwoBytes) || !readVarint(&p, end, &length) ||
        length != quint64(end - p))
        return std::nullopt;
    return QByteArrayView(reinterpret_cast<const char*>(p), qsizetype(length));
}

} // namespace

// --- frames --------------------------------------------------------------------------------

void InternalClient::sendFrame(const QByteArray& frame)
{
    // Header and body in one write (docs/protocol.md#framing).
    d->socket->write(frame);
    emit frameSent(frame);
}

void InternalClient::sendPendingStatus()
{
    setState(State::AwaitingCommand);
    if (m_state != State::AwaitingCommand || !d->socket) // a slot called destroy()
        return;
    // Exactly the connect's device: the gateway routes answers by it
    // (docs/protocol.md#conversation).
    const QByteArray& frame = d->encodeStatusFrame(m_device);
    // The round trip and the wait start as the frame goes to the kernel, not when sendStatus()
    // was called: the stateChanged slots above (a window updating its widgets) and the encoding
    // are no part of the network's time. One clock reading serves both. A resend keeps the
    // first write's start (docs/protocol.md#client-contract).
    const qint64 now = d->armWait(d->pendingTimeoutMs);
    if (d->roundTripStartNs < 0)
        d->roundTripStartNs = now;
    sendFrame(frame);
}

// The hot path of a status stream (docs/performance.md#client-round-trip). The first status
// of a client is encoded both ways and compared, so a difference from the generic encoder could
// never reach the wire; should it ever differ, the generic encoder is used throughout. The
// identity is fixed for the client's life, and with it the device field.
const QByteArray& InternalClient::Private::encodeStatusFrame(const DeviceIdentity& device)
{
    if (!statusFrameChecked) {
        statusFrameChecked = true;
        bool decodesBack = false;
        statusDeviceField = encodeStatusDeviceField(device, &decodesBack);
        const QByteArray generic = encodeEnvelopeFrame(Envelope::status(device, pendingStatus));
        assembleStatusFrame(&statusFrame, statusDeviceField, pendingStatus);
        if (statusFrame != generic) {
            qCWarning(lcInternalClient) << "the assembled status frame differs from the "
                                           "encoder's; using the encoder";
            statusDeviceField.clear();
        }
        echoFastPath = decodesBack && !statusDeviceField.isEmpty();
        statusFrame = generic;
        return statusFrame;
    }
    if (statusDeviceField.isEmpty())
        statusFrame = encodeEnvelopeFrame(Envelope::status(device, pendingStatus));
    else
        assembleStatusFrame(&statusFrame, statusDeviceField, pendingStatus);
    return statusFrame;
}

bool InternalClient::processFrames()
{
    TcpTransport* const socket = d->socket;
    // Frames of this batch were all read before any status a slot sends while it is handled:
    // such a frame cannot be that status's answer (a slot of statusAnswered sending the next
    // status at once, as fleet-device does, would otherwise take a command pushed right behind
    // the answer for the next answer).
    const quint64 statusesBefore = d->statusesWritten;
    // Each body is read in place (nextFrameView()); handleFrame() takes what it keeps before it
    // emits anything, so a slot running a nested event loop cannot pull the bytes away under it.
    while (auto body = d->reader.nextFrameView()) {
        d->frameReadBeforeStatus = d->statusesWritten != statusesBefore;
        // Without a listener (fleet-device, the benchmarks), no copy is built for nobody.
        static const QMetaMethod frameReceivedSignal =
            QMetaMethod::fromSignal(&InternalClient::frameReceived);
        if (isSignalConnected(frameReceivedSignal)) {
            // The header is a function of the body's length, so this is the wire's exact bytes.
            const QByteArray frame = encodeFrame(*body);
            emit frameReceived(frame);
            if (d->socket != socket) // a slot called destroy()
                return false;
            handleFrame(QByteArrayView(frame).sliced(kFrameHeaderBytes));
        } else {
            handleFrame(*body);
        }
        if (d->socket != socket) // failed, reconnecting or destroyed
            return false;
    }
    if (d->reader.hasError()) {
        fail(Error::FrameTooLarge, d->reader.errorString());
        return false;
    }
    return true;
}

// How a reply is judged (one rule for connect responses and commands alike):
//   bytes that do not parse as InternalServer          → CommandIncorrect
//   parses, but neither field is set (a zero-length
//   frame included), or the wrong kind for the moment → CommunicationError
//   connect response with an unknown responseType      → CommunicationError
void InternalClient::handleFrame(QByteArrayView body)
{
    if (d->echoFastPath) {
        if (const auto data = echoedCommandData(body, d->statusDeviceField)) {
            // A device usually gets the same command again: then the latest one is shared
            // rather than copied.
            const bool same = d->hasCommand && *data == QByteArrayView(d->latestCommand);
            handleCommand(same ? d->latestCommand : data->toByteArray(), m_device);
            return;
        }
    }
    const Envelope envelope = decodeEnvelope(EnvelopeDirection::GatewayToDevice, body);
    switch (envelope.kind) {
    case EnvelopeKind::ConnectResponse:
        handleConnectResponse(envelope.responseType, envelope.device);
        return;
    case EnvelopeKind::Command:
        handleCommand(envelope.payload, envelope.device);
        return;
    case EnvelopeKind::Unparsable:
        fail(Error::CommandIncorrect, QStringLiteral("the gateway sent %1").arg(envelope.error));
        return;
    case EnvelopeKind::Empty:
    case EnvelopeKind::Connect: // not decoded in this direction
    case EnvelopeKind::Status:
        break;
    }
    fail(Error::CommunicationError, QStringLiteral("the gateway sent %1").arg(envelope.error));
}

void InternalClient::handleConnectResponse(ResponseType responseType, const DeviceIdentity& echoed)
{
    const bool awaitingResponse =
        d->handshakeSent && (m_state == State::Handshaking || m_state == State::Reconnecting);
    if (!awaitingResponse) {
        fail(Error::CommunicationError,
             QStringLiteral("the gateway sent a connect response while the client "
                            "was %1, where a command was expected")
                 .arg(stateName(m_state)));
        return;
    }
    if (!isKnownResponseType(responseType)) {
        fail(Error::CommunicationError,
             QStringLiteral("the connect response has the unknown responseType %1")
                 .arg(int(responseType)));
        return;
    }
    // A rejection is judged first: it is the more useful message, and the gateway closes
    // the connection anyway. fail() closes our side too, which frees the slot
    // (docs/protocol.md#conversation). A refusal is final: never retried.
    if (responseType != ResponseType::Ok) {
        fail(connectErrorFor(responseType),
             QStringLiteral("the gateway answered the connect of %1 with %2 (%3)")
                 .arg(m_device.toString(), responseTypeName(responseType))
                 .arg(int(responseType)),
             Retry::Never);
        return;
    }
    if (echoed != m_device) {
        fail(Error::DeviceIncorrect,
             QStringLiteral("the connect response names %1, but this client is %2")
                 .arg(echoed.toString(), m_device.toString()));
        return;
    }
    d->disarmWait();
    qCDebug(lcInternalClient) << "connected to" << m_host << m_port;
    if (m_state == State::Reconnecting) {
        sendPendingStatus();
        return;
    }
    setState(State::Connected);
    if (m_state != State::Connected) // a slot called destroy()
        return;
    emit connected();
}

// Pairing rule: the protocol cannot tell a pushed command from an answer, so every command
// that arrives while a status awaits its answer IS that answer (pushed = false), and any
// command while no status is pending is pushed. "A pushed command just before the answer"
// (docs/protocol.md#conversation) thus completes the status, and the real answer that follows
// counts as pushed: both are reported and the later one is the latest command. The one
// exception is causality: a command read before the pending status was written (later in the
// batch whose slot sent it) is pushed.
void InternalClient::handleCommand(const QByteArray& data, const DeviceIdentity& sender)
{
    if (d->handshakeSent && (m_state == State::Handshaking || m_state == State::Reconnecting)) {
        // A late answer to a status of an earlier connection, routed to this one before the
        // connect response (docs/protocol.md#conversation "late answers cross connections").
        qCDebug(lcInternalClient) << "skipping a command that arrived before the connect response";
        emit notice(QStringLiteral("skipped a %1-byte command that arrived before the connect "
                                   "response: a late answer to a status sent on an earlier "
                                   "connection")
                        .arg(data.size()));
        return;
    }
    if (m_state != State::Connected && m_state != State::AwaitingCommand)
        return;
    if (sender != m_device) {
        // Pushed commands come from upstream; a mismatch is worth a log line, not a failure.
        emit notice(QStringLiteral("a command names %1, not this device %2; accepted anyway")
                        .arg(sender.toString(), m_device.toString()));
        if (m_state != State::Connected && m_state != State::AwaitingCommand)
            return; // a slot called destroy()
    }
    d->latestCommand = data;
    d->hasCommand = true;
    const bool empty = data.isEmpty();
    if (m_state == State::Connected || d->frameReadBeforeStatus) {
        emit commandReceived(data, true, empty);
        return;
    }
    d->disarmWait();
    const double roundTripMs = double(d->clock.nsecsElapsed() - d->roundTripStartNs) / 1e6;
    d->pendingStatus.clear();
    setState(State::Connected);
    if (m_state == State::Destroyed)
        return;
    // The completion signal comes last, so a slot sending the next status from it sees
    // every signal of this exchange already delivered.
    emit commandReceived(data, false, empty);
    if (m_state == State::Destroyed)
        return;
    emit statusAnswered(data, roundTripMs);
}

} // namespace fleet
