#include "workspace.h"

#include "workspacekeys.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace fleet {

namespace {

// The order known keys are written in, by where the object sits ("devices[].identity"); keys
// not listed follow alphabetically. A reader of the file sees what matters first.
QStringList keyOrder(const QString& schema)
{
    static const QHash<QString, QStringList> orders{
        {QString(),
         {"format", "version", "devices", "currentDevice", "gateway", "trafficView", "window",
          "parts"}},
        {"devices[]", {"identity", "server", "draft", "autoSend", "behaviour"}},
        {"devices[].identity", {"module", "deviceType", "role", "name", "priority"}},
        {"devices[].server",
         {"embedded", "host", "port", "connectTimeoutMs", "connectAttempts", "resendAttempts",
          "statusTimeoutMs"}},
        {"devices[].draft", {"format", "text", "template"}},
        {"devices[].behaviour", {"name", "manual", "settings", "map", "route"}},
        {"gateway",
         {"enabled", "port", "modules", "answerDelayMs", "emptyAnswers", "explainSilentDrops"}},
        {"trafficView",
         {"device", "direction", "rows", "kinds", "text", "follow", "details", "header"}},
        {"window", {"geometry", "state"}},
    };
    return orders.value(schema);
}

// A scalar as JSON spells it (escapes, numbers): Qt's own writer, on a one-element array.
QByteArray scalarJson(const QJsonValue& value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

// QJsonDocument::toJson() sorts every object's keys; this writes them in keyOrder() instead,
// indented by two spaces.
void writeValue(QByteArray* out, const QJsonValue& value, const QString& schema, int depth)
{
    const QByteArray indent((depth + 1) * 2, ' ');
    const QByteArray closing(depth * 2, ' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.isEmpty()) {
            *out += "{}";
            return;
        }
        QStringList keys;
        const QStringList known = keyOrder(schema);
        for (const QString& key : known) {
            if (object.contains(key))
                keys.append(key);
        }
        for (const QString& key : object.keys()) {
            if (!known.contains(key))
                keys.append(key);
        }
        *out += "{\n";
        for (qsizetype i = 0; i < keys.size(); ++i) {
            *out += indent + scalarJson(keys[i]) + ": ";
            writeValue(out, object.value(keys[i]),
                       schema.isEmpty() ? keys[i] : schema + QLatin1Char('.') + keys[i], depth + 1);
            *out += i + 1 < keys.size() ? ",\n" : "\n";
        }
        *out += closing + '}';
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            *out += "[]";
            return;
        }
        *out += "[\n";
        for (qsizetype i = 0; i < array.size(); ++i) {
            *out += indent;
            writeValue(out, array.at(i), schema + QStringLiteral("[]"), depth + 1);
            *out += i + 1 < array.size() ? ",\n" : "\n";
        }
        *out += closing + ']';
    } else {
        *out += scalarJson(value);
    }
}

QJsonValue base64(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

} // namespace

QString WorkspaceError::toString() const
{
    QString text = fileName;
    if (line > 0)
        text += QStringLiteral(":%1:%2").arg(line).arg(column);
    text += QStringLiteral(": ");
    if (!path.isEmpty())
        text += path + QStringLiteral(": ");
    return text + message;
}

QJsonObject Workspace::deviceToJson(const DeviceConfig& config, const QJsonObject& base)
{
    QJsonObject device = base;
    QJsonObject identity = base.value(QLatin1String("identity")).toObject();
    identity[QLatin1String("module")] = qint64(config.identity.module);
    identity[QLatin1String("deviceType")] = qint64(config.identity.deviceType);
    identity[QLatin1String("role")] = config.identity.role;
    identity[QLatin1String("name")] = config.identity.name;
    identity[QLatin1String("priority")] = qint64(config.identity.priority);
    device[QLatin1String("identity")] = identity;

    QJsonObject server = base.value(QLatin1String("server")).toObject();
    server[QLatin1String("embedded")] = config.useEmbeddedGateway;
    server[QLatin1String("host")] = config.host;
    server[QLatin1String("port")] = int(config.port);
    server[QLatin1String("connectTimeoutMs")] = config.connectTimeoutMs;
    server[QLatin1String("connectAttempts")] = config.connectAttempts;
    server[QLatin1String("resendAttempts")] = config.resendAttempts;
    server[QLatin1String("statusTimeoutMs")] = config.statusTimeoutMs;
    device[QLatin1String("server")] = server;

    QJsonObject draft = base.value(QLatin1String("draft")).toObject();
    draft[QLatin1String("format")] = workspacekeys::formatKey(config.draft.format);
    draft[QLatin1String("text")] = config.draft.text;
    draft[QLatin1String("template")] = config.draft.isTemplate;
    device[QLatin1String("draft")] = draft;

    QJsonObject autoSend = base.value(QLatin1String("autoSend")).toObject();
    autoSend[QLatin1String("intervalMs")] = config.autoSendIntervalMs;
    device[QLatin1String("autoSend")] = autoSend;

    QJsonObject behaviour = base.value(QLatin1String("behaviour")).toObject();
    behaviour[QLatin1String("name")] =
        config.behaviour.isNone() ? QStringLiteral("none") : config.behaviour.name;
    behaviour[QLatin1String("manual")] = config.behaviour.manual;
    // The settings are the behaviour's, not this format's: written whole, never merged, so
    // that a setting of a behaviour the device no longer has does not linger.
    QJsonObject settings;
    for (const auto& [key, value] : config.behaviour.settings)
        settings[key] = value;
    behaviour[QLatin1String("settings")] = settings;
    behaviour[QLatin1String("map")] = config.behaviour.mapFile;
    behaviour[QLatin1String("route")] = config.behaviour.route;
    device[QLatin1String("behaviour")] = behaviour;
    return device;
}

QByteArray Workspace::toJson() const
{
    QJsonObject root = json;
    root[QLatin1String("format")] = QLatin1String(kFormatName);
    // What this console wrote is this version's format, whatever the file said before.
    root[QLatin1String("version")] = kFormatVersion;
    QJsonArray deviceArray;
    for (const WorkspaceDevice& device : devices)
        deviceArray.append(deviceToJson(device.config, device.json));
    root[QLatin1String("devices")] = deviceArray;
    root[QLatin1String("currentDevice")] = currentDevice;

    QJsonObject gatewayObject = json.value(QLatin1String("gateway")).toObject();
    gatewayObject[QLatin1String("enabled")] = gateway.enabled;
    gatewayObject[QLatin1String("port")] = int(gateway.port);
    QJsonArray modules;
    for (quint32 module : gateway.supportedModules)
        modules.append(qint64(module));
    gatewayObject[QLatin1String("modules")] = modules;
    gatewayObject[QLatin1String("answerDelayMs")] = gateway.answerDelayMs;
    gatewayObject[QLatin1String("emptyAnswers")] = gateway.emptyAnswers;
    gatewayObject[QLatin1String("explainSilentDrops")] = gateway.explainSilentDrops;
    root[QLatin1String("gateway")] = gatewayObject;

    QJsonObject view = json.value(QLatin1String("trafficView")).toObject();
    view[QLatin1String("device")] = trafficView.device;
    view[QLatin1String("direction")] = trafficView.direction;
    view[QLatin1String("rows")] = trafficView.rows;
    view[QLatin1String("kinds")] = qint64(trafficView.kinds);
    view[QLatin1String("text")] = trafficView.text;
    view[QLatin1String("follow")] = trafficView.follow;
    view[QLatin1String("details")] = trafficView.details;
    view[QLatin1String("header")] = base64(trafficView.header);
    root[QLatin1String("trafficView")] = view;

    QJsonObject window = json.value(QLatin1String("window")).toObject();
    window[QLatin1String("geometry")] = base64(windowGeometry);
    window[QLatin1String("state")] = base64(windowState);
    root[QLatin1String("window")] = window;

    root[QLatin1String("parts")] = parts;

    QByteArray out;
    writeValue(&out, root, QString(), 0);
    return out + '\n';
}

bool Workspace::load(const QString& fileName, Workspace* workspace, WorkspaceError* error,
                     QStringList* warnings)
{
    QFile file(fileName);
    const auto fail = [&](const QString& message) {
        *error = WorkspaceError{fileName, 0, 0, {}, message};
        return false;
    };
    if (!file.exists())
        return fail(QStringLiteral("there is no such file"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("it cannot be read: %1").arg(file.errorString()));
    // Checked before reading: a wrong file picked by mistake (a log, an image) must not be
    // read into memory whole.
    if (file.size() > kMaxFileBytes)
        return fail(QStringLiteral("it is %1 bytes; a workspace file is at most %2 MiB")
                        .arg(file.size())
                        .arg(kMaxFileBytes / (1024 * 1024)));
    const QByteArray bytes = file.read(kMaxFileBytes + 1);
    return parse(bytes, fileName, workspace, error, warnings);
}

bool Workspace::save(const QString& fileName, QString* error) const
{
    const QString folder = QFileInfo(fileName).absolutePath();
    QDir().mkpath(folder);
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("The workspace %1 could not be written: %2")
                         .arg(fileName, file.errorString());
        return false;
    }
    file.write(toJson());
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("The workspace %1 could not be written: %2")
                         .arg(fileName, file.errorString());
        return false;
    }
    return true;
}

} // namespace fleet
