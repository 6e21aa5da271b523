// The sections of a workspace file (docs/workspaces.md#devices): each value checked, each
// mistake named by WorkspaceReader::fail() with its place and key path.

#include "workspacereader.h"

#include "workspacekeys.h"

namespace fleet {

bool WorkspaceReader::readDevice(const At& at, WorkspaceDevice* device)
{
    if (!at.value.isObject())
        return expected(at, QStringLiteral("a device object {\"identity\": …}"));
    device->json = at.value.toObject();
    DeviceConfig& config = device->config;
    QJsonObject ignored;
    const At identity = member(at, QStringLiteral("identity"));
    const At server = member(at, QStringLiteral("server"));
    const At draft = member(at, QStringLiteral("draft"));
    const At autoSend = member(at, QStringLiteral("autoSend"));
    QString format = workspacekeys::formatKey(config.draft.format);
    const bool ok =
        object(identity, &ignored) &&
        number(member(identity, QStringLiteral("module")), 0, kMaxU32, &config.identity.module) &&
        number(member(identity, QStringLiteral("deviceType")), 0, kMaxU32,
               &config.identity.deviceType) &&
        text(member(identity, QStringLiteral("role")), &config.identity.role) &&
        text(member(identity, QStringLiteral("name")), &config.identity.name) &&
        number(member(identity, QStringLiteral("priority")), 0, kMaxU32,
               &config.identity.priority) &&
        object(server, &ignored) &&
        boolean(member(server, QStringLiteral("embedded")), &config.useEmbeddedGateway) &&
        text(member(server, QStringLiteral("host")), &config.host) &&
        number(member(server, QStringLiteral("port")), 1, 65535, &config.port) &&
        number(member(server, QStringLiteral("connectTimeoutMs")), 1, kMaxTimeoutMs,
               &config.connectTimeoutMs) &&
        number(member(server, QStringLiteral("connectAttempts")), 1, 100,
               &config.connectAttempts) &&
        number(member(server, QStringLiteral("resendAttempts")), 0, 100, &config.resendAttempts) &&
        number(member(server, QStringLiteral("statusTimeoutMs")), 0, kMaxTimeoutMs,
               &config.statusTimeoutMs) &&
        object(draft, &ignored) &&
        choice(member(draft, QStringLiteral("format")), workspacekeys::formatKeys(), &format) &&
        text(member(draft, QStringLiteral("text")), &config.draft.text) &&
        boolean(member(draft, QStringLiteral("template")), &config.draft.isTemplate) &&
        object(autoSend, &ignored) &&
        number(member(autoSend, QStringLiteral("intervalMs")), 1, kMaxTimeoutMs,
               &config.autoSendIntervalMs) &&
        readBehaviour(member(at, QStringLiteral("behaviour")), &config.behaviour);
    config.draft.format = *workspacekeys::formatFromKey(format);
    return ok;
}

// Whether the behaviour fits the device, and whether its settings are ones it takes, is the
// device tab's to say when it starts (a note, the rest restored): here only the shape counts.
bool WorkspaceReader::readBehaviour(const At& at, BehaviourConfig* behaviour)
{
    QJsonObject ignored;
    if (!object(at, &ignored) || !text(member(at, QStringLiteral("name")), &behaviour->name) ||
        !boolean(member(at, QStringLiteral("manual")), &behaviour->manual) ||
        !text(member(at, QStringLiteral("map")), &behaviour->mapFile) ||
        !text(member(at, QStringLiteral("route")), &behaviour->route))
        return false;
    if (behaviour->name == QLatin1String("none"))
        behaviour->name.clear();
    const At settings = member(at, QStringLiteral("settings"));
    QJsonObject values;
    if (!object(settings, &values))
        return false;
    for (auto it = values.begin(); it != values.end(); ++it) {
        const At value = member(settings, it.key());
        // Numbers and switches may be written as such by hand; the behaviour reads text.
        if (value.value.isString())
            behaviour->settings.append({it.key(), value.value.toString()});
        else if (value.value.isDouble() || value.value.isBool())
            behaviour->settings.append({it.key(), shown(value)});
        else
            return expected(value, QStringLiteral("a setting's value (text, a number, true or "
                                                  "false)"));
    }
    return true;
}

bool WorkspaceReader::readGateway(const At& at, GatewayConfig* gateway)
{
    QJsonObject ignored;
    if (!object(at, &ignored) ||
        !boolean(member(at, QStringLiteral("enabled")), &gateway->enabled) ||
        !number(member(at, QStringLiteral("port")), 0, 65535, &gateway->port) ||
        !number(member(at, QStringLiteral("answerDelayMs")), 0, kMaxTimeoutMs,
                &gateway->answerDelayMs) ||
        !boolean(member(at, QStringLiteral("emptyAnswers")), &gateway->emptyAnswers) ||
        !boolean(member(at, QStringLiteral("explainSilentDrops")), &gateway->explainSilentDrops))
        return false;
    const At modules = member(at, QStringLiteral("modules"));
    if (modules.value.isUndefined())
        return true;
    if (!modules.value.isArray())
        return expected(modules, QStringLiteral("a list of module numbers [1, 2, 3, 1000]"));
    QList<quint32> numbers;
    for (qsizetype i = 0; i < modules.value.toArray().size(); ++i) {
        quint32 module = 0;
        if (!number(element(modules, i), 0, kMaxU32, &module))
            return false;
        numbers.append(module);
    }
    gateway->supportedModules = numbers;
    return true;
}

bool WorkspaceReader::readTrafficView(const At& at, TrafficViewConfig* view)
{
    QJsonObject ignored;
    return object(at, &ignored) && text(member(at, QStringLiteral("device")), &view->device) &&
           choice(member(at, QStringLiteral("direction")),
                  {QString(), QStringLiteral("device_to_gateway"),
                   QStringLiteral("gateway_to_device")},
                  &view->direction) &&
           choice(member(at, QStringLiteral("rows")),
                  {QStringLiteral("frame"), QStringLiteral("both"), QStringLiteral("device"),
                   QStringLiteral("gateway")},
                  &view->rows) &&
           number(member(at, QStringLiteral("kinds")), 0, kMaxU32, &view->kinds) &&
           text(member(at, QStringLiteral("text")), &view->text) &&
           boolean(member(at, QStringLiteral("follow")), &view->follow) &&
           boolean(member(at, QStringLiteral("details")), &view->details) &&
           bytes(member(at, QStringLiteral("header")), &view->header);
}

} // namespace fleet
