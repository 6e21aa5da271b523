#include "deviceidentity.h"

#include "payloadtext.h"

#include <QRegularExpression>

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

namespace {

// "module/type/role 'name' priority p", built by concatenation: the traffic log labels every
// frame with it, and a chain of arg() calls would also rewrite a "%1" inside the role or name.
QString identityText(const DeviceIdentity& identity, QStringView role, QStringView name)
{
    QString text;
    text.reserve(role.size() + name.size() + 40);
    text += QString::number(identity.module);
    text += u'/';
    text += QString::number(identity.deviceType);
    text += u'/';
    text += role;
    text += u" '";
    text += name;
    text += u"' priority ";
    text += QString::number(identity.priority);
    return text;
}

} // namespace

QString DeviceIdentity::toString() const
{
    return identityText(*this, role, name);
}

QString DeviceIdentity::toLine() const
{
    return identityText(*this, printableText(role), printableText(name));
}

bool DeviceIdentity::fromString(const QString& text, DeviceIdentity* identity)
{
    // The role is everything up to the last " '" before the name: a role may hold any text.
    static const QRegularExpression form(
        QStringLiteral("^(\\d+)/(\\d+)/(.*) '(.*)' priority (\\d+)$"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = form.match(text);
    if (!match.hasMatch())
        return false;
    bool ok[3] = {};
    DeviceIdentity parsed;
    parsed.module = match.captured(1).toUInt(&ok[0]);
    parsed.deviceType = match.captured(2).toUInt(&ok[1]);
    parsed.role = match.captured(3);
    parsed.name = match.captured(4);
    parsed.priority = match.captured(5).toUInt(&ok[2]);
    if (!ok[0] || !ok[1] || !ok[2])
        return false;
    *identity = parsed;
    return true;
}

} // namespace fleet
