#include "trafficframe.h"

#include "framecodec.h"
#include "hexdump.h"
#include "modulecatalog.h"

#include "InternalProtocol.pb.h"

#include <google/protobuf/text_format.h>


namespace fleet {

namespace {

// A frame's body, or the reason the bytes are no whole frame.
std::optional<QByteArrayView> frameBody(QByteArrayView wire, QString* error) {
    if (wire.size() < kFrameHeaderBytes) {
        if (error)
            *error = QStringLiteral("only %1 bytes: a frame starts with a 4-byte length header")
                         .arg(wire.size());
        return std::nullopt;
    }
    const quint32 announced = decodeFrameLength(wire);
    const qsizetype held = wire.size() - kFrameHeaderBytes;
    if (qsizetype(announced) != held) {
        if (error)
            *error = QStringLiteral("the header announces %1 bytes but the frame holds %2")
                         .arg(announced)
                         .arg(held);
        return std::nullopt;
    }
    return wire.sliced(kFrameHeaderBytes);
}

// Reused per thread: parsing into a message that already owns its sub-messages and strings
// costs no allocation, which matters at tens of thousands of frames per second.
InternalProtocol::InternalClient& clientMessage() {
    thread_local InternalProtocol::InternalClient message;
    return message;
}

InternalProtocol::InternalServer& serverMessage() {
    thread_local InternalProtocol::InternalServer message;
    return message;
}

// Parses the body into the direction's envelope; the message stays valid until the next call
// on this thread.
const google::protobuf::Message* parseEnvelope(TrafficDirection direction, QByteArrayView body,
                                               QString* error) {
    google::protobuf::Message* message = nullptr;
    if (direction == TrafficDirection::DeviceToGateway)
        message = &clientMessage();
    else
        message = &serverMessage();
    if (!message->ParseFromArray(body.data(), int(body.size()))) {
        if (error)
            *error = QStringLiteral("%1 bytes that do not parse as %2")
                         .arg(body.size())
                         .arg(QString::fromStdString(message->GetDescriptor()->name()));
        return nullptr;
    }
    return message;
}

TrafficKind kindOf(TrafficDirection direction, const google::protobuf::Message& message,
                   int* responseType, QString* error) {
    if (direction == TrafficDirection::DeviceToGateway) {
        const auto& client = static_cast<const InternalProtocol::InternalClient&>(message);
        switch (client.MessageType_case()) {
        case InternalProtocol::InternalClient::kDeviceConnect:
            return TrafficKind::Connect;
        case InternalProtocol::InternalClient::kDeviceStatus:
            return TrafficKind::Status;
        default:
            break;
        }
        if (error)
            *error = QStringLiteral("InternalClient with neither deviceConnect nor deviceStatus "
                                    "set: the gateway closes the connection "
                                    "(docs/protocol.md#conversation)");
        return TrafficKind::Malformed;
    }
    const auto& server = static_cast<const InternalProtocol::InternalServer&>(message);
    switch (server.MessageType_case()) {
    case InternalProtocol::InternalServer::kDeviceConnectResponse:
        if (responseType)
            *responseType = int(server.deviceconnectresponse().responsetype());
        return TrafficKind::ConnectResponse;
    case InternalProtocol::InternalServer::kDeviceCommand:
        return TrafficKind::Command;
    default:
        break;
    }
    if (error)
        *error = QStringLiteral("InternalServer with neither deviceConnectResponse nor "
                                "deviceCommand set: a protocol error for the device");
    return TrafficKind::Malformed;
}

QString describeDevice(const DeviceIdentity& device) {
    return QStringLiteral("%1, %2, role '%3', name '%4', priority %5")
        .arg(ModuleCatalog::moduleName(device.module),
             ModuleCatalog::deviceTypeName(device.module, device.deviceType), device.role,
             device.name)
        .arg(device.priority);
}

} // namespace

TrafficKind classifyFrame(TrafficDirection direction, QByteArrayView wire, int* responseType,
                          QString* error) {
    const std::optional<QByteArrayView> body = frameBody(wire, error);
    if (!body)
        return TrafficKind::Malformed;
    const google::protobuf::Message* message = parseEnvelope(direction, *body, error);
    if (!message)
        return TrafficKind::Malformed;
    return kindOf(direction, *message, responseType, error);
}

DecodedFrame decodeFrame(TrafficDirection direction, QByteArrayView wire, bool withText) {
    DecodedFrame decoded;
    const std::optional<QByteArrayView> body = frameBody(wire, &decoded.error);
    if (!body)
        return decoded;
    const google::protobuf::Message* message = parseEnvelope(direction, *body, &decoded.error);
    if (!message)
        return decoded;
    decoded.kind = kindOf(direction, *message, &decoded.responseType, &decoded.error);
    if (withText) {
        google::protobuf::TextFormat::Printer printer;
        // Payloads are mostly JSON text: show it as text, not as octal escapes.
        printer.SetUseUtf8StringEscaping(true);
        std::string text;
        printer.PrintToString(*message, &text);
        decoded.envelopeText = QString::fromStdString(text);
    }
    if (decoded.kind == TrafficKind::Malformed)
        return decoded;
    decoded.ok = true;

    const InternalProtocol::Device* device = nullptr;
    const std::string* payload = nullptr;
    if (direction == TrafficDirection::DeviceToGateway) {
        const auto& client = static_cast<const InternalProtocol::InternalClient&>(*message);
        if (client.has_deviceconnect()) {
            if (client.deviceconnect().has_device())
                device = &client.deviceconnect().device();
        } else {
            if (client.devicestatus().has_device())
                device = &client.devicestatus().device();
            payload = &client.devicestatus().statusdata();
        }
    } else {
        const auto& server = static_cast<const InternalProtocol::InternalServer&>(*message);
        if (server.has_deviceconnectresponse()) {
            if (server.deviceconnectresponse().has_device())
                device = &server.deviceconnectresponse().device();
        } else {
            if (server.devicecommand().has_device())
                device = &server.devicecommand().device();
            payload = &server.devicecommand().commanddata();
        }
    }
    if (device) {
        decoded.hasDevice = true;
        decoded.device = DeviceIdentity::fromProto(*device);
    }
    if (payload)
        decoded.payload = QByteArray(payload->data(), qsizetype(payload->size()));
    return decoded;
}

QString summarizeFrame(const TrafficFrame& frame) {
    if (frame.kind == TrafficKind::ProtocolError)
        return frame.note;
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    if (!decoded.ok)
        return frame.note.isEmpty() ? decoded.error : frame.note;
    // A frame without a Device still decodes: module 0 is then what the gateway would see.
    const quint32 module = decoded.device.module;
    switch (decoded.kind) {
    case TrafficKind::Connect:
        return decoded.hasDevice ? QStringLiteral("connect as ") + describeDevice(decoded.device)
                                 : QStringLiteral("connect without a device");
    case TrafficKind::ConnectResponse:
        return decoded.hasDevice ? QStringLiteral("%1 for %2")
                                       .arg(connectResponseName(decoded.responseType),
                                            describeDevice(decoded.device))
                                 : connectResponseName(decoded.responseType) +
                                       QStringLiteral(" without a device");
    case TrafficKind::Status:
        return ModuleCatalog::describeStatus(module, decoded.payload);
    case TrafficKind::Command:
    case TrafficKind::PushedCommand:
        if (decoded.payload.isEmpty())
            return QStringLiteral("empty: nothing new");
        return ModuleCatalog::describeCommand(module, decoded.payload);
    case TrafficKind::Malformed:
    case TrafficKind::ProtocolError:
        break;
    }
    return decoded.error;
}

QString trafficKindName(TrafficKind kind) {
    switch (kind) {
    case TrafficKind::Connect:
        return QStringLiteral("connect");
    case TrafficKind::ConnectResponse:
        return QStringLiteral("connect response");
    case TrafficKind::Status:
        return QStringLiteral("status");
    case TrafficKind::Command:
        return QStringLiteral("command");
    case TrafficKind::PushedCommand:
        return QStringLiteral("pushed command");
    case TrafficKind::Malformed:
        return QStringLiteral("malformed");
    case TrafficKind::ProtocolError:
        return QStringLiteral("protocol error");
    }
    return {};
}

QString trafficKindName(TrafficKind kind, int responseType) {
    if (kind != TrafficKind::ConnectResponse || responseType < 0)
        return trafficKindName(kind);
    return trafficKindName(kind) + QStringLiteral(": ") + connectResponseName(responseType);
}

QString trafficKindKey(TrafficKind kind) {
    return trafficKindName(kind).replace(QLatin1Char(' '), QLatin1Char('_'));
}

QString trafficDirectionName(TrafficDirection direction) {
    return direction == TrafficDirection::DeviceToGateway ? QStringLiteral("device → gateway")
                                                          : QStringLiteral("gateway → device");
}

QString trafficDirectionKey(TrafficDirection direction) {
    return direction == TrafficDirection::DeviceToGateway ? QStringLiteral("device_to_gateway")
                                                          : QStringLiteral("gateway_to_device");
}

QString trafficSideName(TrafficSide side) {
    return side == TrafficSide::Device ? QStringLiteral("device") : QStringLiteral("gateway");
}

QString trafficSideKey(TrafficSide side) {
    return trafficSideName(side);
}

QString connectResponseName(int responseType) {
    using Response = InternalProtocol::DeviceConnectResponse;
    if (Response::ResponseType_IsValid(responseType))
        return QString::fromStdString(
            Response::ResponseType_Name(static_cast<Response::ResponseType>(responseType)));
    return QStringLiteral("response type %1").arg(responseType);
}

QString trafficHexDump(QByteArrayView bytes, qsizetype maxBytes) {
    const qsizetype shown = qBound<qsizetype>(0, maxBytes, bytes.size());
    QString dump = hexDump(bytes.first(shown).toByteArray());
    if (shown < bytes.size())
        dump += QStringLiteral("… %1 more bytes not shown\n").arg(bytes.size() - shown);
    return dump;
}

} // namespace fleet
