// InternalClient, frames in and out: sending statuses, reading and judging replies.
#include "internalclient.h"
#include "internalclient_p.h"

#include "InternalProtocol.pb.h"

namespace fleet {

namespace {
using ProtoResponse = InternalProtocol::DeviceConnectResponse;

InternalClient::Error connectErrorFor(int responseType)
{
    switch (responseType) {
    case ProtoResponse::ALREADY_CONNECTED:
        return InternalClient::Error::AlreadyConnected;
    case ProtoResponse::MODULE_NOT_SUPPORTED:
        return InternalClient::Error::ModuleNotSupported;
    case ProtoResponse::DEVICE_NOT_SUPPORTED:
        return InternalClient::Error::DeviceNotSupported;
    case ProtoResponse::HIGHER_PRIORITY_ALREADY_CONNECTED:
        return InternalClient::Error::HigherPriorityAlreadyConnected;
    default:
        return InternalClient::Error::NoError;
    }
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
    QPointer<InternalClient> self(this);
    setState(State::AwaitingCommand);
    if (!self || m_state != State::AwaitingCommand || !d->socket)
        return;
    InternalProtocol::InternalClient message;
    auto* status = message.mutable_devicestatus();
    // Exactly the connect's device: the gateway routes answers by it
    // (docs/protocol.md#conversation).
    m_device.toProto(status->mutable_device());
    status->set_statusdata(d->pendingStatus.constData(), size_t(d->pendingStatus.size()));
    d->waitTimer->start(d->pendingTimeoutMs);
    sendFrame(encodeFrame(message));
}

bool InternalClient::processFrames()
{
    QPointer<InternalClient> self(this);
    QTcpSocket* const socket = d->socket;
    while (auto body = d->reader.nextFrame()) {
        // The header is a function of the body's length, so this is the wire's exact bytes.
        emit frameReceived(encodeFrame(*body));
        if (!self || d->socket != socket)
            return false;
        handleFrame(*body);
        if (!self || d->socket != socket)
            return false;
    }
    if (d->reader.hasError()) {
        connectionFailed(Error::FrameTooLarge, d->reader.errorString());
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
    InternalProtocol::InternalServer message;
    if (!message.ParseFromArray(body.constData(), int(body.size()))) {
        connectionFailed(Error::CommandIncorrect,
                         QStringLiteral("a %1-byte frame from the gateway does not parse as an "
                                        "InternalServer message")
                             .arg(body.size()));
        return;
    }
    switch (message.MessageType_case()) {
    case InternalProtocol::InternalServer::kDeviceConnectResponse: {
        const auto& response = message.deviceconnectresponse();
        handleConnectResponse(int(response.responsetype()),
                              DeviceIdentity::fromProto(response.device()));
        return;
    }
    case InternalProtocol::InternalServer::kDeviceCommand: {
        const auto& command = message.devicecommand();
        handleCommand(QByteArray::fromStdString(command.commanddata()),
                      DeviceIdentity::fromProto(command.device()));
        return;
    }
    case InternalProtocol::InternalServer::MESSAGETYPE_NOT_SET:
        break;
    }
    connectionFailed(
        Error::CommunicationError,
        body.isEmpty() ? QStringLiteral("the gateway sent an empty (zero-length) frame, which is "
                                        "neither a connect response nor a command")
                       : QStringLiteral("a %1-byte frame from the gateway holds neither a connect "
                                        "response nor a command")
                             .arg(body.size()));
}

void InternalClient::handleConnectResponse(int responseType, const DeviceIdentity& echoed)
{
    const bool awaitingResponse =
        d->handshakeSent && (m_state == State::Handshaking || m_state == State::Reconnecting);
    if (!awaitingResponse) {
        connectionFailed(Error::CommunicationError,
                         QStringLiteral("the gateway sent a connect response while the client "
                                        "was %1, where a command was expected")
                             .arg(stateName(m_state)));
        return;
    }
    if (!ProtoResponse::ResponseType_IsValid(responseType)) {
        connectionFailed(Error::CommunicationError,
                         QStringLiteral("the connect response has the unknown responseType %1")
                             .arg(responseType));
        return;
    }
    // A rejection is judged first: it is the more useful message, and the gateway closes
    // the connection anyway. fail() closes our side too, which frees the slot
    // (docs/protocol.md#conversation).
    if (responseType != ProtoResponse::OK) {
        fail(connectErrorFor(responseType),
             QStringLiteral("the gateway answered the connect of %1 with %2 (%3)")
                 .arg(m_device.toString(),
                      QString::fromStdString(ProtoResponse::ResponseType_Name(responseType)))
                 .arg(responseType));
        return;
    }
    if (echoed != m_device) {
        connectionFailed(Error::DeviceIncorrect,
                         QStringLiteral("the connect response names %1, but this client is %2")
                             .arg(echoed.toString(), m_device.toString()));
        return;
    }
    d->waitTimer->stop();
    qCDebug(lcInternalClient) << "connected to" << m_host << m_port;
    if (m_state == State::Reconnecting) {
        sendPendingStatus();
        return;
    }
    QPointer<InternalClient> self(this);
    setState(State::Connected);
    if (!self || m_state != State::Connected)
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
    QPointer<InternalClient> self(this);
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
        if (!self || (m_state != State::Connected && m_state != State::AwaitingCommand))
            return;
    }
    d->latestCommand = data;
    d->hasCommand = true;
    const bool empty = data.isEmpty();
    if (m_state == State::Connected) {
        emit commandReceived(data, true, empty);
        return;
    }
    d->waitTimer->stop();
    const double roundTripMs = double(d->roundTrip.nsecsElapsed()) / 1e6;
    d->pendingStatus.clear();
    setState(State::Connected);
    if (!self || m_state == State::Destroyed)
        return;
    // The completion signal comes last, so a slot sending the next status from it sees
    // every signal of this exchange already delivered.
    emit commandReceived(data, false, empty);
    if (!self || m_state == State::Destroyed)
        return;
    emit statusAnswered(data, roundTripMs);
}

} // namespace fleet
