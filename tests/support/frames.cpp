#include "frames.h"

#include <QtEndian>

namespace fleet::test {

InternalProtocol::InternalClient connectMessage(const DeviceIdentity& device)
{
    InternalProtocol::InternalClient message;
    device.toProto(message.mutable_deviceconnect()->mutable_device());
    return message;
}

InternalProtocol::InternalClient statusMessage(const DeviceIdentity& device,
                                               const QByteArray& statusData)
{
    InternalProtocol::InternalClient message;
    auto* status = message.mutable_devicestatus();
    device.toProto(status->mutable_device());
    status->set_statusdata(statusData.toStdString());
    return message;
}

InternalProtocol::InternalServer connectResponseMessage(const DeviceIdentity& device,
                                                        int responseType)
{
    InternalProtocol::InternalServer message;
    auto* response = message.mutable_deviceconnectresponse();
    response->set_responsetype(
        static_cast<InternalProtocol::DeviceConnectResponse::ResponseType>(responseType));
    device.toProto(response->mutable_device());
    return message;
}

InternalProtocol::InternalServer commandMessage(const DeviceIdentity& device,
                                                const QByteArray& commandData)
{
    InternalProtocol::InternalServer message;
    auto* command = message.mutable_devicecommand();
    device.toProto(command->mutable_device());
    command->set_commanddata(commandData.toStdString());
    return message;
}

QByteArray frameAround(const QByteArray& body)
{
    return headerAnnouncing(quint32(body.size())) + body;
}

QByteArray frameOf(const google::protobuf::MessageLite& message)
{
    return frameAround(QByteArray::fromStdString(message.SerializeAsString()));
}

QByteArray connectFrame(const DeviceIdentity& device)
{
    return frameOf(connectMessage(device));
}

QByteArray statusFrame(const DeviceIdentity& device, const QByteArray& statusData)
{
    return frameOf(statusMessage(device, statusData));
}

QByteArray connectResponseFrame(const DeviceIdentity& device, int responseType)
{
    return frameOf(connectResponseMessage(device, responseType));
}

QByteArray commandFrame(const DeviceIdentity& device, const QByteArray& commandData)
{
    return frameOf(commandMessage(device, commandData));
}

QByteArray headerAnnouncing(quint32 length)
{
    QByteArray header(4, '\0');
    qToLittleEndian<quint32>(length, header.data());
    return header;
}

QByteArray garbageBody()
{
    // Tag byte 0x07 is field 0 with wire type 7: no protobuf message can start like that.
    return QByteArray("\x07\xff\xfe\x01garbage", 11);
}

DeviceIdentity deviceOf(const InternalProtocol::InternalClient& message)
{
    if (message.has_deviceconnect())
        return DeviceIdentity::fromProto(message.deviceconnect().device());
    return DeviceIdentity::fromProto(message.devicestatus().device());
}

} // namespace fleet::test
