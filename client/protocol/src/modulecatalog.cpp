#include "modulecatalog.h"

#include "deviceidentity.h"
#include "module_json.h"
#include "module_mission.h"
#include "module_rules.h"

namespace fleet {

namespace {

// A switch rather than a container: lookups happen for every status the gateway validates.
const detail::ModuleRules* rulesFor(quint32 module)
{
    switch (module) {
    case ModuleNumber::Mission:
        return &detail::missionRules();
    case ModuleNumber::Io:
        return &detail::ioRules();
    case ModuleNumber::Transparent:
        return &detail::transparentRules();
    case ModuleNumber::Example:
        return &detail::exampleRules();
    default:
        return nullptr;
    }
}

// The rules of a known module when it supports the device type, nullptr otherwise.
const detail::ModuleRules* rulesFor(quint32 module, quint32 deviceType)
{
    return ModuleCatalog::supportsDeviceType(module, deviceType) ? rulesFor(module) : nullptr;
}

QString knownDeviceTypes(const ModuleInfo& info)
{
    QStringList types;
    for (const DeviceTypeInfo& type : info.deviceTypes)
        types.append(QStringLiteral("%1 %2").arg(type.number).arg(type.name));
    return types.join(QStringLiteral(", "));
}

ValidationResult unknownDeviceType(const ModuleInfo& info, quint32 deviceType)
{
    return ValidationResult::invalid(QStringLiteral("the %1 has no device type %2; known: %3")
                                         .arg(info.name)
                                         .arg(deviceType)
                                         .arg(knownDeviceTypes(info)));
}

} // namespace

QList<quint32> ModuleCatalog::knownModules()
{
    return {ModuleNumber::Mission, ModuleNumber::Io, ModuleNumber::Transparent,
            ModuleNumber::Example};
}

const ModuleInfo* ModuleCatalog::module(quint32 number)
{
    const detail::ModuleRules* rules = rulesFor(number);
    return rules ? &rules->info() : nullptr;
}

QString ModuleCatalog::moduleName(quint32 number)
{
    if (const ModuleInfo* info = module(number))
        return info->name;
    return QStringLiteral("module %1").arg(number);
}

QString ModuleCatalog::deviceTypeName(quint32 moduleNumber, quint32 deviceType)
{
    if (const ModuleInfo* info = module(moduleNumber)) {
        for (const DeviceTypeInfo& type : info->deviceTypes) {
            if (type.number == deviceType)
                return type.name;
        }
    }
    return QStringLiteral("type %1").arg(deviceType);
}

bool ModuleCatalog::supportsDeviceType(quint32 moduleNumber, quint32 deviceType)
{
    const ModuleInfo* info = module(moduleNumber);
    if (!info)
        return false;
    if (info->acceptsAnyDeviceType)
        return true;
    for (const DeviceTypeInfo& type : info->deviceTypes) {
        if (type.number == deviceType)
            return true;
    }
    return false;
}

QList<PayloadPreset> ModuleCatalog::statusPresets(quint32 module, quint32 deviceType)
{
    const detail::ModuleRules* rules = rulesFor(module, deviceType);
    return rules ? rules->statusPresets(deviceType) : QList<PayloadPreset>();
}

QList<PayloadPreset> ModuleCatalog::commandPresets(quint32 module, quint32 deviceType)
{
    const detail::ModuleRules* rules = rulesFor(module, deviceType);
    return rules ? rules->commandPresets(deviceType) : QList<PayloadPreset>();
}

ValidationResult ModuleCatalog::validateStatus(quint32 module, quint32 deviceType,
                                               const QByteArray& status)
{
    const detail::ModuleRules* rules = rulesFor(module);
    if (!rules)
        return ValidationResult::valid();
    if (!supportsDeviceType(module, deviceType))
        return unknownDeviceType(rules->info(), deviceType);
    return rules->validateStatus(deviceType, status);
}

ValidationResult ModuleCatalog::validateCommand(quint32 module, quint32 deviceType,
                                                const QByteArray& command)
{
    const detail::ModuleRules* rules = rulesFor(module);
    if (!rules)
        return ValidationResult::valid();
    if (!supportsDeviceType(module, deviceType))
        return unknownDeviceType(rules->info(), deviceType);
    return rules->validateCommand(deviceType, command);
}

QByteArray ModuleCatalog::encodeMissionCommand(const MissionCommand& command,
                                               MissionEncoding encoding)
{
    MissionModule::AutonomyCommand message;
    message.set_action(MissionModule::AutonomyCommand::Action(int(command.action)));
    message.set_route(command.route.toStdString());
    for (const MissionStop& stop : command.stops) {
        MissionModule::Station* station = message.add_stops();
        station->set_name(stop.name.toStdString());
        station->mutable_position()->set_latitude(stop.latitude);
        station->mutable_position()->set_longitude(stop.longitude);
        station->mutable_position()->set_altitude(stop.altitude);
    }
    return detail::mission::encodeCommand(message, encoding);
}

MissionEncoding ModuleCatalog::missionEncoding(const QByteArray& payload)
{
    const detail::mission::Reading status = detail::mission::readStatus(payload, nullptr);
    const detail::mission::Reading command = detail::mission::readCommand(payload, nullptr);
    const auto decodedAs = [](const detail::mission::Reading& reading, MissionEncoding encoding) {
        return reading.decoded() && reading.encoding == encoding;
    };
    if (decodedAs(status, MissionEncoding::Json) || decodedAs(command, MissionEncoding::Json))
        return MissionEncoding::Json;
    if (status.encoding == MissionEncoding::Protobuf ||
        command.encoding == MissionEncoding::Protobuf)
        return MissionEncoding::Protobuf;
    // A JSON object that is no mission message, or bytes neither flavour reads: the flavour
    // they look like, for the wording of what the operator sees.
    if (status.encoding == MissionEncoding::Json)
        return MissionEncoding::Json;
    for (const char c : payload) {
        if (c == '{')
            return MissionEncoding::Json;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
    }
    return MissionEncoding::Protobuf;
}

QString ModuleCatalog::describeCommand(quint32 module, const QByteArray& command)
{
    const detail::ModuleRules* rules = rulesFor(module);
    return rules ? rules->describeCommand(command) : describeBytes(command);
}

QString ModuleCatalog::describeStatus(quint32 module, const QByteArray& status)
{
    const detail::ModuleRules* rules = rulesFor(module);
    return rules ? rules->describeStatus(status) : describeBytes(status);
}

QString ModuleCatalog::prettyStatus(quint32 module, const QByteArray& status)
{
    const detail::ModuleRules* rules = rulesFor(module);
    return rules ? rules->prettyStatus(status) : prettyPayload(status);
}

QString ModuleCatalog::prettyCommand(quint32 module, const QByteArray& command)
{
    const detail::ModuleRules* rules = rulesFor(module);
    return rules ? rules->prettyCommand(command) : prettyPayload(command);
}

std::unique_ptr<ModuleEmulator> ModuleCatalog::createEmulator(quint32 module, quint32 deviceType)
{
    const detail::ModuleRules* rules = rulesFor(module, deviceType);
    return rules ? rules->createEmulator(deviceType) : nullptr;
}

} // namespace fleet
