// Workspace::parse(): every value checked against docs/workspaces.md, every mistake named by
// file, line, column and key path. Keys it does not know are not mistakes: a newer console
// may have written them, and they are kept (Workspace::json, WorkspaceDevice::json).

#include "workspace.h"

#include "jsonlocator.h"
#include "payloadtext.h"
#include "workspacekeys.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace fleet {

namespace {

constexpr qint64 kMaxU32 = std::numeric_limits<quint32>::max();
constexpr qint64 kMaxTimeoutMs = 3600 * 1000; // as the settings file allows
constexpr int kMaxShownChars = 40;

class WorkspaceReader {
public:
    WorkspaceReader(const QByteArray& bytes, const QString& fileName)
        : m_bytes(bytes)
        , m_fileName(fileName)
        , m_locator(bytes)
    {
    }

    bool read(Workspace* workspace, WorkspaceError* error, QStringList* warnings);

private:
    using Node = JsonLocator::Node;
    // A value being read: the value, where it is written and how messages name it.
    struct At {
        QJsonValue value;
        const Node* node = nullptr; // the parent's when the key is absent
        QString path;
    };

    At member(const At& object, const QString& key) const
    {
        const Node* node = object.node ? object.node->member(key) : nullptr;
        return {object.value.toObject().value(key), node ? node : object.node,
                object.path.isEmpty() ? key : object.path + QLatin1Char('.') + key};
    }
    At element(const At& array, qsizetype index) const
    {
        const Node* node = array.node ? array.node->element(index) : nullptr;
        return {array.value.toArray().at(index), node ? node : array.node,
                QStringLiteral("%1[%2]").arg(array.path).arg(index)};
    }

    bool fail(const At& at, const QString& message);
    bool expected(const At& at, const QString& what)
    {
        return fail(at, QStringLiteral("expected %1, found %2").arg(what, shown(at)));
    }
    QString shown(const At& at) const;

    // Each reads an optional value: absent leaves *out as it is.
    bool object(const At& at, QJsonObject* out);
    bool number(const At& at, qint64 minimum, qint64 maximum, qint64* out);
    template <typename T> bool number(const At& at, qint64 minimum, qint64 maximum, T* out)
    {
        qint64 value = qint64(*out);
        if (!number(at, minimum, maximum, &value))
            return false;
        *out = T(value);
        return true;
    }
    bool boolean(const At& at, bool* out);
    bool text(const At& at, QString* out);
    bool choice(const At& at, const QStringList& allowed, QString* out);
    bool bytes(const At& at, QByteArray* out);

    bool readDevice(const At& at, WorkspaceDevice* device);
    bool readBehaviour(const At& at, BehaviourConfig* behaviour);
    bool readGateway(const At& at, GatewayConfig* gateway);
    bool readTrafficView(const At& at, TrafficViewConfig* view);

    QByteArray m_bytes;
    QString m_fileName;
    JsonLocator m_locator;
    WorkspaceError m_error;
};

bool WorkspaceReader::fail(const At& at, const QString& message)
{
    const TextPosition position = m_locator.position(at.node ? at.node->offset : 0);
    m_error = WorkspaceError{m_fileName, position.line, position.column, at.path, message};
    return false;
}

// The value as written in the file (cut when long), which is what the operator will look for.
QString WorkspaceReader::shown(const At& at) const
{
    if (!at.node || at.value.isUndefined())
        return QStringLiteral("nothing");
    QString text = QString::fromUtf8(m_bytes.mid(at.node->offset, at.node->end - at.node->offset));
    if (text.size() > kMaxShownChars)
        text = text.left(kMaxShownChars) + QStringLiteral("…");
    return text;
}

bool WorkspaceReader::object(const At& at, QJsonObject* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isObject())
        return expected(at, QStringLiteral("an object {…}"));
    *out = at.value.toObject();
    return true;
}

bool WorkspaceReader::number(const At& at, qint64 minimum, qint64 maximum, qint64* out)
{
    if (at.value.isUndefined())
        return true;
    const double value = at.value.toDouble();
    if (!at.value.isDouble() || std::floor(value) != value || value < double(minimum) ||
        value > double(maximum))
        return expected(at,
                        QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum));
    *out = qint64(value);
    return true;
}

bool WorkspaceReader::boolean(const At& at, bool* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isBool())
        return expected(at, QStringLiteral("true or false"));
    *out = at.value.toBool();
    return true;
}

bool WorkspaceReader::text(const At& at, QString* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isString())
        return expected(at, QStringLiteral("text in quotes"));
    *out = at.value.toString();
    return true;
}

bool WorkspaceReader::choice(const At& at, const QStringList& allowed, QString* out)
{
    QString value = *out;
    if (!text(at, &value))
        return false;
    if (!allowed.contains(value)) {
        QStringList quoted;
        for (const QString& word : allowed)
            quoted.append(QLatin1Char('"') + word + QLatin1Char('"'));
        return expected(at, QStringLiteral("one of ") + quoted.join(QStringLiteral(", ")));
    }
    *out = value;
    return true;
}

bool WorkspaceReader::bytes(const At& at, QByteArray* out)
{
    QString encoded;
    if (!text(at, &encoded))
        return false;
    if (at.value.isUndefined())
        return true;
    const auto decoded = QByteArray::fromBase64Encoding(
        encoded.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return expected(at, QStringLiteral("Base64 text (saved window data)"));
    *out = decoded.decoded;
    return true;
}

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

bool WorkspaceReader::read(Workspace* workspace, WorkspaceError* error, QStringList* warnings)
{
    Workspace read;
    int version = Workspace::kFormatVersion;
    const bool ok = [&] {
        const JsonCheck check = checkJson(m_bytes);
        if (!check.ok()) {
            const TextPosition position = check.error->position;
            m_error = WorkspaceError{m_fileName,
                                     position.line,
                                     position.column,
                                     {},
                                     QStringLiteral("not JSON: %1").arg(check.error->reason)};
            return false;
        }
        const At root{check.value, &m_locator.root(), QString()};
        if (!check.value.isObject())
            return fail(root, QStringLiteral("a workspace is a JSON object {\"format\": \"%1\", "
                                             "…}")
                                  .arg(QLatin1String(Workspace::kFormatName)));
        read.json = check.value.toObject();
        const At format = member(root, QStringLiteral("format"));
        if (format.value.toString() != QLatin1String(Workspace::kFormatName))
            return format.value.isUndefined()
                       ? fail(root, QStringLiteral("this is not a workspace file: \"format\": "
                                                   "\"%1\" is missing")
                                        .arg(QLatin1String(Workspace::kFormatName)))
                       : expected(format, QLatin1Char('"') + QLatin1String(Workspace::kFormatName) +
                                              QLatin1Char('"'));
        const At versionAt = member(root, QStringLiteral("version"));
        if (versionAt.value.isUndefined())
            return fail(root, QStringLiteral("\"version\" (the format's version, %1) is missing")
                                  .arg(Workspace::kFormatVersion));
        if (!number(versionAt, 1, std::numeric_limits<int>::max(), &version))
            return false;
        read.version = version;

        const At devices = member(root, QStringLiteral("devices"));
        if (!devices.value.isUndefined() && !devices.value.isArray())
            return expected(devices, QStringLiteral("a list of devices [{…}, …]"));
        const QJsonArray deviceArray = devices.value.toArray();
        if (deviceArray.size() > Workspace::kMaxDevices)
            return fail(devices, QStringLiteral("%1 devices; a workspace holds at most %2")
                                     .arg(deviceArray.size())
                                     .arg(Workspace::kMaxDevices));
        for (qsizetype i = 0; i < deviceArray.size(); ++i) {
            WorkspaceDevice device;
            if (!readDevice(element(devices, i), &device))
                return false;
            read.devices.append(device);
        }
        QJsonObject ignored;
        const At window = member(root, QStringLiteral("window"));
        return number(member(root, QStringLiteral("currentDevice")), 0,
                      qMax(qsizetype(0), read.devices.size() - 1), &read.currentDevice) &&
               readGateway(member(root, QStringLiteral("gateway")), &read.gateway) &&
               readTrafficView(member(root, QStringLiteral("trafficView")), &read.trafficView) &&
               object(window, &ignored) &&
               bytes(member(window, QStringLiteral("geometry")), &read.windowGeometry) &&
               bytes(member(window, QStringLiteral("state")), &read.windowState) &&
               object(member(root, QStringLiteral("parts")), &read.parts);
    }();
    const bool newer = version > Workspace::kFormatVersion;
    if (!ok) {
        if (newer)
            m_error.message =
                QStringLiteral("written by a newer console (workspace version %1; this one reads "
                               "version %2) and cannot be read here: %3")
                    .arg(version)
                    .arg(Workspace::kFormatVersion)
                    .arg(m_error.message);
        *error = m_error;
        return false;
    }
    if (newer && warnings)
        warnings->append(QStringLiteral("%1 was written by a newer console (workspace version %2; "
                                        "this one reads version %3): what this one does not know "
                                        "is kept as it is but not used")
                             .arg(m_fileName)
                             .arg(version)
                             .arg(Workspace::kFormatVersion));
    *workspace = read;
    return true;
}

} // namespace

bool Workspace::parse(const QByteArray& bytes, const QString& fileName, Workspace* workspace,
                      WorkspaceError* error, QStringList* warnings)
{
    if (bytes.size() > kMaxFileBytes) {
        *error = WorkspaceError{fileName,
                                0,
                                0,
                                {},
                                QStringLiteral("it is %1 bytes; a workspace file is at most %2 MiB")
                                    .arg(bytes.size())
                                    .arg(kMaxFileBytes / (1024 * 1024))};
        return false;
    }
    return WorkspaceReader(bytes, fileName).read(workspace, error, warnings);
}

} // namespace fleet
