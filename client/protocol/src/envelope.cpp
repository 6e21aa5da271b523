#include "envelope.h"

#include "framecodec.h"

#include "InternalProtocol.pb.h"

#include <google/protobuf/text_format.h>

namespace fleet {

namespace {

using ProtoResponse = InternalProtocol::DeviceConnectResponse;

// The numbers are the wire contract (docs/protocol.md#schema): the enum must follow the schema.
static_assert(int(ResponseType::Ok) == ProtoResponse::OK);
static_assert(int(ResponseType::AlreadyConnected) == ProtoResponse::ALREADY_CONNECTED);
static_assert(int(ResponseType::ModuleNotSupported) == ProtoResponse::MODULE_NOT_SUPPORTED);
static_assert(int(ResponseType::DeviceNotSupported) == ProtoResponse::DEVICE_NOT_SUPPORTED);
static_assert(int(ResponseType::HigherPriorityAlreadyConnected) ==
              ProtoResponse::HIGHER_PRIORITY_ALREADY_CONNECTED);

// Reused per thread: parsing into a message that already owns its sub-messages and strings
// costs no allocation, which matters to a gateway or a traffic log at tens of thousands of
// frames per second.
InternalProtocol::InternalClient& clientMessage()
{
    thread_local InternalProtocol::InternalClient message;
    return message;
}

InternalProtocol::InternalServer& serverMessage()
{
    thread_local InternalProtocol::InternalServer message;
    return message;
}

google::protobuf::Message& messageFor(EnvelopeDirection direction)
{
    if (direction == EnvelopeDirection::DeviceToGateway)
        return clientMessage();
    return serverMessage();
}

QString messageName(EnvelopeDirection direction)
{
    return direction == EnvelopeDirection::DeviceToGateway ? QStringLiteral("InternalClient")
                                                           : QStringLiteral("InternalServer");
}

QString unparsableError(EnvelopeDirection direction, qsizetype bytes)
{
    return (bytes == 1 ? QStringLiteral("1 byte that does not parse as %2")
                       : QStringLiteral("%1 bytes that do not parse as %2").arg(bytes))
        .arg(messageName(direction));
}

QString emptyError(EnvelopeDirection direction, qsizetype bytes)
{
    const QString fields = direction == EnvelopeDirection::DeviceToGateway
                               ? QStringLiteral("deviceConnect nor deviceStatus")
                               : QStringLiteral("deviceConnectResponse nor deviceCommand");
    const QString body = bytes == 0 ? QStringLiteral("a zero-length body")
                                    : QStringLiteral("a %1-byte body").arg(bytes);
    return QStringLiteral("%1 with neither %2 set (%3)").arg(messageName(direction), fields, body);
}

QByteArray bytesOf(const std::string& data)
{
    return QByteArray(data.data(), qsizetype(data.size()));
}

void takeDevice(Envelope* envelope, bool has, const InternalProtocol::Device& device)
{
    // Without a Device the schema's defaults stand in, as for any peer reading the message.
    envelope->hasDevice = has;
    envelope->device = DeviceIdentity::fromProto(device);
}

void decodeClient(const InternalProtocol::InternalClient& message, Envelope* envelope)
{
    switch (message.MessageType_case()) {
    case InternalProtocol::InternalClient::kDeviceConnect: {
        const auto& connect = message.deviceconnect();
        envelope->kind = EnvelopeKind::Connect;
        takeDevice(envelope, connect.has_device(), connect.device());
        return;
    }
    case InternalProtocol::InternalClient::kDeviceStatus: {
        const auto& status = message.devicestatus();
        envelope->kind = EnvelopeKind::Status;
        takeDevice(envelope, status.has_device(), status.device());
        envelope->payload = bytesOf(status.statusdata());
        return;
    }
    case InternalProtocol::InternalClient::MESSAGETYPE_NOT_SET:
        break;
    }
    envelope->kind = EnvelopeKind::Empty;
    takeDevice(envelope, false, InternalProtocol::Device::default_instance());
}

void decodeServer(const InternalProtocol::InternalServer& message, Envelope* envelope)
{
    switch (message.MessageType_case()) {
    case InternalProtocol::InternalServer::kDeviceConnectResponse: {
        const auto& response = message.deviceconnectresponse();
        envelope->kind = EnvelopeKind::ConnectResponse;
        envelope->responseType = static_cast<ResponseType>(response.responsetype());
        takeDevice(envelope, response.has_device(), response.device());
        return;
    }
    case InternalProtocol::InternalServer::kDeviceCommand: {
        const auto& command = message.devicecommand();
        envelope->kind = EnvelopeKind::Command;
        takeDevice(envelope, command.has_device(), command.device());
        envelope->payload = bytesOf(command.commanddata());
        return;
    }
    case InternalProtocol::InternalServer::MESSAGETYPE_NOT_SET:
        break;
    }
    envelope->kind = EnvelopeKind::Empty;
    takeDevice(envelope, false, InternalProtocol::Device::default_instance());
}

} // namespace

bool isKnownResponseType(ResponseType type)
{
    return ProtoResponse::ResponseType_IsValid(int(type));
}

QString responseTypeName(ResponseType type)
{
    // Generated from the schema, so the names are written down exactly once.
    if (isKnownResponseType(type))
        return QString::fromStdString(
            ProtoResponse::ResponseType_Name(static_cast<ProtoResponse::ResponseType>(type)));
    return QStringLiteral("response type %1").arg(int(type));
}

QString envelopeKindName(EnvelopeKind kind)
{
    switch (kind) {
    case EnvelopeKind::Unparsable:
        return QStringLiteral("unparsable envelope");
    case EnvelopeKind::Empty:
        return QStringLiteral("empty envelope");
    case EnvelopeKind::Connect:
        return QStringLiteral("connect");
    case EnvelopeKind::Status:
        return QStringLiteral("status");
    case EnvelopeKind::ConnectResponse:
        return QStringLiteral("connect response");
    case EnvelopeKind::Command:
        return QStringLiteral("command");
    }
    return {};
}

Envelope Envelope::connect(const DeviceIdentity& device)
{
    Envelope envelope;
    envelope.direction = EnvelopeDirection::DeviceToGateway;
    envelope.kind = EnvelopeKind::Connect;
    envelope.hasDevice = true;
    envelope.device = device;
    return envelope;
}

Envelope Envelope::status(const DeviceIdentity& device, const QByteArray& payload)
{
    Envelope envelope = connect(device);
    envelope.kind = EnvelopeKind::Status;
    envelope.payload = payload;
    return envelope;
}

Envelope Envelope::connectResponse(ResponseType type, const DeviceIdentity& device)
{
    Envelope envelope;
    envelope.direction = EnvelopeDirection::GatewayToDevice;
    envelope.kind = EnvelopeKind::ConnectResponse;
    envelope.responseType = type;
    envelope.hasDevice = true;
    envelope.device = device;
    return envelope;
}

Envelope Envelope::command(const DeviceIdentity& device, const QByteArray& payload)
{
    Envelope envelope = connectResponse(ResponseType::Ok, device);
    envelope.kind = EnvelopeKind::Command;
    envelope.payload = payload;
    return envelope;
}

Envelope Envelope::empty(EnvelopeDirection direction)
{
    Envelope envelope;
    envelope.direction = direction;
    envelope.kind = EnvelopeKind::Empty;
    envelope.device = DeviceIdentity::fromProto(InternalProtocol::Device::default_instance());
    envelope.error = emptyError(direction, 0);
    return envelope;
}

Envelope decodeEnvelope(EnvelopeDirection direction, QByteArrayView body)
{
    Envelope envelope;
    envelope.direction = direction;
    google::protobuf::Message& message = messageFor(direction);
    if (!message.ParseFromArray(body.data(), int(body.size()))) {
        envelope.kind = EnvelopeKind::Unparsable;
        envelope.device = DeviceIdentity::fromProto(InternalProtocol::Device::default_instance());
        envelope.error = unparsableError(direction, body.size());
        return envelope;
    }
    if (direction == EnvelopeDirection::DeviceToGateway)
        decodeClient(clientMessage(), &envelope);
    else
        decodeServer(serverMessage(), &envelope);
    if (envelope.kind == EnvelopeKind::Empty)
        envelope.error = emptyError(direction, body.size());
    return envelope;
}

namespace {

// Fills the message of the envelope's kind into `client` or `server` and returns it; an
// Empty envelope gives its direction's message with no field set, an Unparsable one nothing.
const google::protobuf::MessageLite* buildMessage(const Envelope& envelope,
                                                  InternalProtocol::InternalClient* client,
                                                  InternalProtocol::InternalServer* server)
{
    const auto setDevice = [&envelope](auto* message) {
        if (envelope.hasDevice)
            envelope.device.toProto(message->mutable_device());
    };
    switch (envelope.kind) {
    case EnvelopeKind::Connect:
        setDevice(client->mutable_deviceconnect());
        return client;
    case EnvelopeKind::Status: {
        auto* status = client->mutable_devicestatus();
        setDevice(status);
        status->set_statusdata(envelope.payload.constData(), size_t(envelope.payload.size()));
        return client;
    }
    case EnvelopeKind::ConnectResponse: {
        auto* response = server->mutable_deviceconnectresponse();
        // Open enum: the cast keeps an unknown number intact on the wire.
        response->set_responsetype(static_cast<ProtoResponse::ResponseType>(envelope.responseType));
        setDevice(response);
        return server;
    }
    case EnvelopeKind::Command: {
        auto* command = server->mutable_devicecommand();
        setDevice(command);
        command->set_commanddata(envelope.payload.constData(), size_t(envelope.payload.size()));
        return server;
    }
    case EnvelopeKind::Empty:
        if (envelope.direction == EnvelopeDirection::DeviceToGateway)
            return client;
        return server;
    case EnvelopeKind::Unparsable:
        break;
    }
    return nullptr;
}

} // namespace

QByteArray encodeEnvelope(const Envelope& envelope)
{
    InternalProtocol::InternalClient client;
    InternalProtocol::InternalServer server;
    const google::protobuf::MessageLite* message = buildMessage(envelope, &client, &server);
    return message ? QByteArray::fromStdString(message->SerializeAsString()) : QByteArray();
}

QByteArray encodeEnvelopeFrame(const Envelope& envelope)
{
    InternalProtocol::InternalClient client;
    InternalProtocol::InternalServer server;
    const google::protobuf::MessageLite* message = buildMessage(envelope, &client, &server);
    // Serialized straight behind the header: one buffer, no copy of the body.
    return message ? encodeFrame(*message) : encodeFrame(QByteArrayView());
}

QString envelopeText(EnvelopeDirection direction, QByteArrayView body)
{
    google::protobuf::Message& message = messageFor(direction);
    if (!message.ParseFromArray(body.data(), int(body.size())))
        return {};
    google::protobuf::TextFormat::Printer printer;
    // Roles and names as the text they are, not as octal escapes (payloads are bytes and
    // keep their escapes: the detail pane shows them decoded elsewhere).
    printer.SetUseUtf8StringEscaping(true);
    std::string text;
    printer.PrintToString(message, &text);
    return QString::fromStdString(text);
}

} // namespace fleet
