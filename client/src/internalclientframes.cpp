// InternalClient, frames in and out: sending statuses, reading and judging replies.
#include "internalclient.h"
#include "internalclient_p.h"

#include "envelope.h"

#include <QMetaMethod>

#include <cstring>

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
QByteArray assembleStatusFrame(const QByteArray& deviceField, const QByteArray& payload)
{
    const qsizetype payloadField =
        payload.isEmpty() ? 0 : 1 + varintSize(quint64(payload.size())) + payload.size();
    const qsizetype statusSize = deviceField.size() + payloadField;
    const qsizetype bodySize = 1 + varintSize(quint64(statusSize)) + statusSize;
    QByteArray frame(kFrameHeaderBytes + bodySize, Qt::Uninitialized);
    char* p = frame.data();
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
    return frame;
}

// The Device field of a status for `device`: the generic encoding of a status without payload
// is tag, length, then exactly that field.
QByteArray encodeStatusDeviceField(const DeviceIdentity& device)
{
    const QByteArray body = encodeEnvelope(Envelope::status(device, QByteArray()));
    qsizetype skip = 1;
    while (skip < body.size() && (uchar(body.at(skip)) & 0x80))
        ++skip;
    return body.mid(skip + 1);
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
    d->armWait(d->pendingTimeoutMs);
    // Exactly the connect's device: the gateway routes answers by it
    // (docs/protocol.md#conversation).
    const QByteArray frame = d->encodeStatusFrame(m_device);
    // The round trip starts as the frame goes to the kernel, not when sendStatus() was called:
    // the stateChanged slots above (a window updating its widgets) are no part of the network's
    // time. A resend keeps the first write's start (docs/protocol.md#client-contract).
    if (!d->roundTrip.isValid())
        d->roundTrip.start();
    sendFrame(frame);
}

// The hot path of a status stream (docs/performance.md#client-round-trip). The first status
// of a client is encoded both ways and compared, so a difference from the generic encoder could
// never reach the wire; should it ever differ, the generic encoder is used throughout. The
// identity is fixed for the client's life, and with it the device field.
QByteArray InternalClient::Private::encodeStatusFrame(const DeviceIdentity& device)
{
    if (!statusFrameChecked) {
        statusFrameChecked = true;
        statusDeviceField = encodeStatusDeviceField(device);
        const QByteArray generic = encodeEnvelopeFrame(Envelope::status(device, pendingStatus));
        if (assembleStatusFrame(statusDeviceField, pendingStatus) != generic) {
            qCWarning(lcInternalClient) << "the assembled status frame differs from the "
                                           "encoder's; using the encoder";
            statusDeviceField.clear();
        }
        return generic;
    }
    if (statusDeviceField.isEmpty())
        return encodeEnvelopeFrame(Envelope::status(device, pendingStatus));
    return assembleStatusFrame(statusDeviceField, pendingStatus);
}

bool InternalClient::processFrames()
{
    QTcpSocket* const socket = d->socket;
    while (auto body = d->reader.nextFrame()) {
        // Without a listener (fleet-device, the benchmarks), no copy is built for nobody.
        static const QMetaMethod frameReceivedSignal =
            QMetaMethod::fromSignal(&InternalClient::frameReceived);
        if (isSignalConnected(frameReceivedSignal)) {
            // The header is a function of the body's length, so this is the wire's exact bytes.
            emit frameReceived(encodeFrame(*body));
            if (d->socket != socket) // a slot called destroy()
                return false;
        }
        handleFrame(*body);
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
void InternalClient::handleFrame(const QByteArray& body)
{
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
// counts as pushed: both are reported and the later one is the latest command.
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
    if (m_state == State::Connected) {
        emit commandReceived(data, true, empty);
        return;
    }
    d->disarmWait();
    const double roundTripMs = double(d->roundTrip.nsecsElapsed()) / 1e6;
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
