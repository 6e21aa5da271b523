#include "trafficframe.h"

#include "envelope.h"
#include "framecodec.h"
#include "hexdump.h"
#include "modulecatalog.h"

namespace fleet {

namespace {

// A frame's body, or the reason the bytes are no whole frame.
std::optional<QByteArrayView> frameBody(QByteArrayView wire, QString* error)
{
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

// Decodes the frame's body as its direction's envelope (envelope.h judges and names it).
std::optional<Envelope> decodeBody(TrafficDirection direction, QByteArrayView wire, QString* error)
{
    const std::optional<QByteArrayView> body = frameBody(wire, error);
    if (!body)
        return std::nullopt;
    return decodeEnvelope(direction, *body);
}

TrafficKind kindOf(const Envelope& envelope)
{
    switch (envelope.kind) {
    case EnvelopeKind::Connect:
        return TrafficKind::Connect;
    case EnvelopeKind::Status:
        return TrafficKind::Status;
    case EnvelopeKind::ConnectResponse:
        return TrafficKind::ConnectResponse;
    case EnvelopeKind::Command:
        return TrafficKind::Command; // the log tells answers from pushed commands by timing
    case EnvelopeKind::Unparsable:
    case EnvelopeKind::Empty:
        break;
    }
    return TrafficKind::Malformed;
}

QString describeDevice(const DeviceIdentity& device)
{
    return QStringLiteral("%1, %2, role '%3', name '%4', priority %5")
        .arg(ModuleCatalog::moduleName(device.module),
             ModuleCatalog::deviceTypeName(device.module, device.deviceType), device.role,
             device.name)
        .arg(device.priority);
}

} // namespace

TrafficKind classifyFrame(TrafficDirection direction, QByteArrayView wire, int* responseType,
                          QString* error)
{
    const std::optional<Envelope> envelope = decodeBody(direction, wire, error);
    if (!envelope)
        return TrafficKind::Malformed;
    if (!envelope->isValid() && error)
        *error = envelope->error;
    if (envelope->kind == EnvelopeKind::ConnectResponse && responseType)
        *responseType = int(envelope->responseType);
    return kindOf(*envelope);
}

DecodedFrame decodeFrame(TrafficDirection direction, QByteArrayView wire, bool withText)
{
    DecodedFrame decoded;
    const std::optional<Envelope> envelope = decodeBody(direction, wire, &decoded.error);
    if (!envelope)
        return decoded;
    decoded.kind = kindOf(*envelope);
    if (withText && envelope->kind != EnvelopeKind::Unparsable)
        decoded.envelopeText = envelopeText(direction, wire.sliced(kFrameHeaderBytes));
    if (!envelope->isValid()) {
        decoded.error = envelope->error;
        return decoded;
    }
    decoded.ok = true;
    decoded.hasDevice = envelope->hasDevice;
    decoded.device = envelope->device;
    decoded.payload = envelope->payload;
    if (envelope->kind == EnvelopeKind::ConnectResponse)
        decoded.responseType = int(envelope->responseType);
    return decoded;
}

QString summarizeFrame(const TrafficFrame& frame)
{
    // A large frame was summarized once on arrival (and may have lost its tail since).
    if (frame.kind == TrafficKind::ProtocolError || frame.kind == TrafficKind::Connection ||
        frame.largeSize)
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
        return decoded.hasDevice
                   ? QStringLiteral("%1 for %2")
                         .arg(responseTypeName(decoded.responseType),
                              describeDevice(decoded.device))
                   : responseTypeName(decoded.responseType) + QStringLiteral(" without a device");
    case TrafficKind::Status:
        return ModuleCatalog::describeStatus(module, decoded.payload);
    case TrafficKind::Command:
    case TrafficKind::PushedCommand:
        if (decoded.payload.isEmpty())
            return QStringLiteral("empty: nothing new");
        return ModuleCatalog::describeCommand(module, decoded.payload);
    case TrafficKind::Malformed:
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        break;
    }
    return decoded.error;
}

QString trafficKindName(TrafficKind kind)
{
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
    case TrafficKind::Connection:
        return QStringLiteral("connection");
    }
    return {};
}

QString trafficKindName(TrafficKind kind, int responseType)
{
    if (kind != TrafficKind::ConnectResponse || responseType < 0)
        return trafficKindName(kind);
    return trafficKindName(kind) + QStringLiteral(": ") + responseTypeName(responseType);
}

QString trafficKindKey(TrafficKind kind)
{
    return trafficKindName(kind).replace(QLatin1Char(' '), QLatin1Char('_'));
}

QString trafficDirectionName(TrafficDirection direction)
{
    return direction == TrafficDirection::DeviceToGateway ? QStringLiteral("device → gateway")
                                                          : QStringLiteral("gateway → device");
}

QString trafficRowDirectionName(const TrafficFrame& frame)
{
    return frame.kind == TrafficKind::Connection ? QStringLiteral("local event")
                                                 : trafficDirectionName(frame.direction);
}

QString trafficRowDirectionKey(const TrafficFrame& frame)
{
    return frame.kind == TrafficKind::Connection ? QStringLiteral("local")
                                                 : trafficDirectionKey(frame.direction);
}

QString trafficDirectionKey(TrafficDirection direction)
{
    return direction == TrafficDirection::DeviceToGateway ? QStringLiteral("device_to_gateway")
                                                          : QStringLiteral("gateway_to_device");
}

QString readableDeviceLabel(const QString& label)
{
    DeviceIdentity identity;
    if (!DeviceIdentity::fromString(label, &identity))
        return label;
    QString who = identity.name.trimmed();
    if (who.isEmpty())
        who = identity.role.isEmpty() ? QStringLiteral("(no role)") : identity.role;
    return QStringLiteral("%1 · %2").arg(
        who, ModuleCatalog::deviceTypeName(identity.module, identity.deviceType));
}

QString trafficSideName(TrafficSide side)
{
    return side == TrafficSide::Device ? QStringLiteral("device") : QStringLiteral("gateway");
}

QString trafficSideKey(TrafficSide side)
{
    return trafficSideName(side);
}

QString trafficHexDump(QByteArrayView bytes, qsizetype maxBytes)
{
    const qsizetype shown = qBound<qsizetype>(0, maxBytes, bytes.size());
    QString dump = hexDump(bytes.first(shown).toByteArray());
    if (shown < bytes.size())
        dump += QStringLiteral("… %1 more bytes not shown\n").arg(bytes.size() - shown);
    return dump;
}

} // namespace fleet
