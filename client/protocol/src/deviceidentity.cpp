#include "deviceidentity.h"

#include "payloadtext.h"

#include "InternalProtocol.pb.h"

namespace fleet {

QString schemaModuleName(quint32 module)
{
    switch (module) {
    case ModuleNumber::Reserved:
        return QStringLiteral("RESERVED_MODULE");
    case ModuleNumber::Mission:
        return QStringLiteral("MISSION_MODULE");
    case ModuleNumber::Io:
        return QStringLiteral("IO_MODULE");
    case ModuleNumber::Example:
        return QStringLiteral("EXAMPLE_MODULE");
    default:
        return {};
    }
}

void DeviceIdentity::toProto(InternalProtocol::Device* device) const
{
    // Open enum: the cast keeps unnamed module numbers intact on the wire.
    device->set_module(static_cast<InternalProtocol::Device::Module>(module));
    device->set_devicetype(deviceType);
    device->set_devicerole(role.toStdString());
    device->set_devicename(name.toStdString());
    device->set_priority(priority);
}

DeviceIdentity DeviceIdentity::fromProto(const InternalProtocol::Device& device)
{
    DeviceIdentity identity;
    identity.module = static_cast<quint32>(device.module());
    identity.deviceType = device.devicetype();
    identity.role = QString::fromStdString(device.devicerole());
    identity.name = QString::fromStdString(device.devicename());
    identity.priority = device.priority();
    return identity;
}

QString DeviceIdentity::toString() const
{
    return QStringLiteral("%1/%2/%3 '%4' priority %5")
        .arg(module)
        .arg(deviceType)
        .arg(role, name)
        .arg(priority);
}

QString DeviceIdentity::toLine() const
{
    return QStringLiteral("%1/%2/%3 '%4' priority %5")
        .arg(module)
        .arg(deviceType)
        .arg(printableText(role), printableText(name))
        .arg(priority);
}

} // namespace fleet
