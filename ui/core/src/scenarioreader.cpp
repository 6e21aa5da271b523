// The scenario reader: the document, its header and devices; the steps are read in
// scenarioreadersteps.cpp (docs/scenarios.md).
#include "scenarioreader.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <limits>

namespace fleet {

using namespace scenariowords;

namespace {

constexpr const char* kBehaviours[] = {"example", "io", "vehicle"};

} // namespace

bool ScenarioReader::fail(const Node* at, const QString& message)
{
    // Unknown keys point at the key, everything else at the value.
    const qsizetype offset = std::exchange(m_keyAt, -1);
    const TextPosition position = m_locator.position(offset >= 0 ? offset : at ? at->offset : 0);
    m_error.fileName = m_fileName;
    m_error.line = position.line;
    m_error.column = position.column;
    m_error.step = m_step;
    m_error.message = message;
    return false;
}

bool ScenarioReader::read(Scenario* scenario, ScenarioError* error)
{
    const bool ok = [&] {
        const JsonCheck check = checkJson(m_json);
        if (!check.ok()) {
            m_error.fileName = m_fileName;
            m_error.line = check.error->position.line;
            m_error.column = check.error->position.column;
            m_error.message = QStringLiteral("not JSON: %1").arg(check.error->reason);
            return false;
        }
        const Node* root = &m_locator.root();
        if (!check.value.isObject())
            return fail(root, QStringLiteral("a scenario is a JSON object"));
        const QJsonObject top = check.value.toObject();
        if (!checkKeys(top, root,
                       {QStringLiteral("scenario"), QStringLiteral("name"),
                        QStringLiteral("server"), QStringLiteral("devices"),
                        QStringLiteral("steps"), QStringLiteral("comment")}))
            return false;
        const QJsonValue version = top.value(QLatin1String("scenario"));
        if (version.isUndefined())
            return fail(root, QStringLiteral("\"scenario\": %1 (the format version) is missing")
                                  .arg(Scenario::kFormatVersion));
        if (!version.isDouble() || version.toDouble() != Scenario::kFormatVersion)
            return fail(member(root, QStringLiteral("scenario")),
                        QStringLiteral("format version %1 is not one this program reads (%2)")
                            .arg(version.isDouble() ? QString::number(version.toDouble())
                                                    : QStringLiteral("(not a number)"))
                            .arg(Scenario::kFormatVersion));
        m_scenario.m_fileName = m_fileName;
        const QJsonValue name = top.value(QLatin1String("name"));
        if (!name.isUndefined() && !name.isString())
            return fail(member(root, QStringLiteral("name")),
                        QStringLiteral("\"name\" must be text"));
        m_scenario.m_name = name.toString(QFileInfo(m_fileName).completeBaseName());
        const QJsonValue server = top.value(QLatin1String("server"));
        if (!server.isUndefined()) {
            if (!server.isString() || server.toString().isEmpty())
                return fail(member(root, QStringLiteral("server")),
                            QStringLiteral("\"server\" must be text such as \"127.0.0.1:8888\""));
            m_scenario.m_server = server.toString();
        }
        const QJsonValue devices = top.value(QLatin1String("devices"));
        if (!devices.isObject() || devices.toObject().isEmpty())
            return fail(devices.isUndefined() ? root : member(root, QStringLiteral("devices")),
                        QStringLiteral("\"devices\" must be an object with at least one device "
                                       "(its key is how steps name it)"));
        if (!readDevices(devices.toObject(), member(root, QStringLiteral("devices"))))
            return false;
        const QJsonValue steps = top.value(QLatin1String("steps"));
        if (steps.isUndefined())
            return fail(root, QStringLiteral("\"steps\" is missing"));
        return readSteps(steps, member(root, QStringLiteral("steps")), QStringLiteral("steps"),
                         &m_scenario.m_steps);
    }();
    if (!ok) {
        *error = m_error;
        return false;
    }
    *scenario = m_scenario;
    return true;
}

bool ScenarioReader::checkKeys(const QJsonObject& object, const Node* node,
                               const QStringList& allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            const Node* value = member(node, it.key());
            m_keyAt = value ? value->keyOffset : -1;
            return fail(value,
                        QStringLiteral("unknown key %1 (known here: %2)")
                            .arg(quoted(it.key()), quotedAll(allowed).join(QStringLiteral(", "))));
        }
    }
    return true;
}

bool ScenarioReader::oneKeyOf(const QJsonObject& object, const Node* node, const QStringList& keys,
                              const QString& what, QString* found)
{
    found->clear();
    for (const QString& key : keys) {
        if (!object.contains(key))
            continue;
        if (!found->isEmpty())
            return fail(
                member(node, key),
                QStringLiteral("%1: both %2 and %3").arg(what, quoted(*found), quoted(key)));
        *found = key;
    }
    return true;
}

bool ScenarioReader::readDevices(const QJsonObject& devices, const Node* node)
{
    // In the order written, so that reports list them as the author did.
    for (const auto& [key, valueNode] : node->members) {
        ScenarioDevice device;
        device.key = key;
        if (!readDevice(key, devices.value(key), &valueNode, &device))
            return false;
        m_scenario.m_devices.append(device);
    }
    return true;
}

bool ScenarioReader::readDevice(const QString& key, const QJsonValue& value, const Node* node,
                                ScenarioDevice* device)
{
    const QString where = QStringLiteral("device %1").arg(quoted(key));
    if (!value.isObject())
        return fail(node,
                    QStringLiteral("%1 must be an object with module, type and role").arg(where));
    const QJsonObject object = value.toObject();
    if (!checkKeys(object, node,
                   {QStringLiteral("module"), QStringLiteral("type"), QStringLiteral("role"),
                    QStringLiteral("name"), QStringLiteral("priority"), QStringLiteral("server"),
                    QStringLiteral("behaviour"), QStringLiteral("settings"),
                    QStringLiteral("comment")}))
        return false;
    int number = 0;
    for (const char* field : {"module", "type", "priority"}) {
        const QString fieldKey = QLatin1String(field);
        const QJsonValue fieldValue = object.value(fieldKey);
        if (fieldValue.isUndefined() && fieldKey == QLatin1String("priority"))
            continue;
        if (fieldValue.isUndefined())
            return fail(node, QStringLiteral("%1 has no %2").arg(where, quoted(fieldKey)));
        if (!readCount(fieldValue, member(node, fieldKey),
                       QStringLiteral("%1 %2").arg(where, quoted(fieldKey)), 0,
                       std::numeric_limits<int>::max(), &number))
            return false;
        if (fieldKey == QLatin1String("module"))
            device->identity.module = quint32(number);
        else if (fieldKey == QLatin1String("type"))
            device->identity.deviceType = quint32(number);
        else
            device->identity.priority = quint32(number);
    }
    for (const char* field : {"role", "name"}) {
        const QString fieldKey = QLatin1String(field);
        const QJsonValue text = object.value(fieldKey);
        const bool required = fieldKey == QLatin1String("role");
        if (text.isUndefined() && !required)
            continue;
        if (!text.isString() || (required && text.toString().isEmpty()))
            return fail(
                text.isUndefined() ? node : member(node, fieldKey),
                QStringLiteral("%1 needs %2 as non-empty text").arg(where, quoted(fieldKey)));
        (fieldKey == QLatin1String("role") ? device->identity.role : device->identity.name) =
            text.toString();
    }
    const QJsonValue server = object.value(QLatin1String("server"));
    if (!server.isUndefined()) {
        if (!server.isString() || server.toString().isEmpty())
            return fail(
                member(node, QStringLiteral("server")),
                QStringLiteral("%1 \"server\" must be text such as \"127.0.0.1:8888\"").arg(where));
        device->server = server.toString();
    }
    const QJsonValue behaviour = object.value(QLatin1String("behaviour"));
    if (!behaviour.isUndefined()) {
        const QStringList known = names(kBehaviours);
        if (!known.contains(behaviour.toString()))
            return fail(member(node, QStringLiteral("behaviour")),
                        QStringLiteral("%1 \"behaviour\" must be one of %2")
                            .arg(where, known.join(QStringLiteral(", "))));
        device->behaviour = behaviour.toString();
    }
    const QJsonValue settings = object.value(QLatin1String("settings"));
    if (!settings.isUndefined()) {
        const Node* settingsNode = member(node, QStringLiteral("settings"));
        if (!settings.isObject() || device->behaviour.isEmpty())
            return fail(settingsNode,
                        QStringLiteral("%1 \"settings\" must be an object of texts, and needs a "
                                       "\"behaviour\"")
                            .arg(where));
        const QJsonObject map = settings.toObject();
        for (auto it = map.begin(); it != map.end(); ++it) {
            if (!it.value().isString() && !it.value().isDouble() && !it.value().isBool())
                return fail(member(settingsNode, it.key()),
                            QStringLiteral("%1 setting %2 must be text, a number or true/false")
                                .arg(where, quoted(it.key())));
            device->settings.insert(it.key(), it.value().isString()
                                                  ? it.value().toString()
                                                  : it.value().toVariant().toString());
        }
    }
    for (const ScenarioDevice& other : m_scenario.m_devices) {
        if (other.identity.module == device->identity.module &&
            other.identity.deviceType == device->identity.deviceType &&
            other.identity.role == device->identity.role &&
            other.identity.name == device->identity.name &&
            other.identity.priority == device->identity.priority)
            return fail(node, QStringLiteral("%1 has the same identity as device %2")
                                  .arg(where, quoted(other.key)));
    }
    return true;
}

bool ScenarioReader::readCount(const QJsonValue& value, const Node* node, const QString& what,
                               int min, int max, int* count)
{
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != std::floor(number) || number < min || number > max)
        return fail(
            node,
            QStringLiteral("%1 must be a whole number from %2 to %3").arg(what).arg(min).arg(max));
    *count = int(number);
    return true;
}

bool ScenarioReader::readDeviceName(const QJsonValue& value, const Node* node, QString* key)
{
    QStringList known;
    for (const ScenarioDevice& device : m_scenario.m_devices)
        known.append(device.key);
    if (!value.isString() || !m_scenario.device(value.toString()))
        return fail(node, QStringLiteral("names no device of this scenario (devices: %1)")
                              .arg(known.join(QStringLiteral(", "))));
    *key = value.toString();
    return true;
}

} // namespace fleet
