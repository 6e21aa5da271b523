#include "scenarioreader.h"

#include "internalclient.h"
#include "modulecatalog.h"
#include "payloadtext.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QRegularExpression>

#include <limits>

namespace fleet {

namespace {

constexpr const char* kBehaviours[] = {"example", "io", "vehicle"};

constexpr const char* kPayloadKeys[] = {"text", "json", "hex", "template", "preset", "file"};
constexpr const char* kMatchKeys[] = {"bytes", "hex", "json", "json_subset", "regex", "fields"};

QString quoted(const QString& key)
{
    return QLatin1Char('"') + key + QLatin1Char('"');
}

QStringList quotedAll(const QStringList& keys)
{
    QStringList list;
    for (const QString& key : keys)
        list.append(quoted(key));
    return list;
}

template <std::size_t N> QStringList names(const char* const (&keys)[N])
{
    QStringList list;
    for (const char* key : keys)
        list.append(QLatin1String(key));
    return list;
}

// The spellings of InternalClient::Error a scenario may expect: the client's stable names
// ("AlreadyConnected") and the wire's ("ALREADY_CONNECTED"), compared without case and '_'.
QString canonicalErrorName(const QString& written)
{
    const QMetaEnum errors = QMetaEnum::fromType<InternalClient::Error>();
    QString folded = written;
    folded.remove(QLatin1Char('_'));
    for (int i = 0; i < errors.keyCount(); ++i) {
        const QString key = QLatin1String(errors.key(i));
        if (key.compare(folded, Qt::CaseInsensitive) == 0 && key != QLatin1String("NoError"))
            return key;
    }
    return {};
}

QStringList errorNames()
{
    const QMetaEnum errors = QMetaEnum::fromType<InternalClient::Error>();
    QStringList list;
    for (int i = 0; i < errors.keyCount(); ++i) {
        if (qstrcmp(errors.key(i), "NoError") != 0)
            list.append(QLatin1String(errors.key(i)));
    }
    return list;
}

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

bool ScenarioReader::readSteps(const QJsonValue& value, const Node* node, const QString& path,
                               QList<ScenarioStep>* steps)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return fail(node, QStringLiteral("%1 must be a list with at least one step").arg(path));
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const Node* stepNode = node->element(i);
        ScenarioStep step;
        step.path = QStringLiteral("%1[%2]").arg(path).arg(i);
        const TextPosition position = m_locator.position(stepNode->offset);
        step.line = position.line;
        step.column = position.column;
        const QString outer = std::exchange(m_step, step.path);
        if (!array.at(i).isObject())
            return fail(stepNode,
                        QStringLiteral("a step is an object such as {\"connect\": \"plc\"}"));
        if (!readStep(array.at(i).toObject(), stepNode, &step))
            return false;
        m_step = outer;
        steps->append(step);
    }
    return true;
}

bool ScenarioReader::readStep(const QJsonObject& object, const Node* node, ScenarioStep* step)
{
    const StepKey* kind = nullptr;
    for (const StepKey& candidate : kStepKeys) {
        if (!object.contains(QLatin1String(candidate.key)))
            continue;
        if (kind)
            return fail(node, QStringLiteral("a step does one thing: it has both \"%1\" and \"%2\"")
                                  .arg(QLatin1String(kind->key), QLatin1String(candidate.key)));
        kind = &candidate;
    }
    QStringList kinds;
    for (const StepKey& candidate : kStepKeys)
        kinds.append(QLatin1String(candidate.key));
    if (!kind)
        return fail(node, QStringLiteral("a step needs one of %1")
                              .arg(quotedAll(kinds).join(QStringLiteral(", "))));
    step->kind = kind->kind;
    const QString key = QLatin1String(kind->key);
    m_step = step->label();
    const Node* keyNode = member(node, key);
    if (kind->takesDevice && !readDeviceName(object.value(key), keyNode, &step->device))
        return false;
    const ScenarioDevice* device = m_scenario.device(step->device);
    QStringList allowed{key, QStringLiteral("comment")};
    switch (step->kind) {
    case ScenarioStep::Kind::Connect:
        allowed << QStringLiteral("within_ms");
        if (!checkKeys(object, node, allowed))
            return false;
        return readWithin(object, node, &step->withinMs);
    case ScenarioStep::Kind::Send:
        allowed << names(kPayloadKeys);
        return checkKeys(object, node, allowed) &&
               readPayload(object, node, true, device, &step->payload);
    case ScenarioStep::Kind::ExpectCommand:
        allowed << QStringLiteral("within_ms") << names(kMatchKeys);
        return checkKeys(object, node, allowed) && readWithin(object, node, &step->withinMs) &&
               readMatch(object, node, &step->match);
    case ScenarioStep::Kind::ExpectError: {
        allowed << QStringLiteral("error") << QStringLiteral("within_ms");
        if (!checkKeys(object, node, allowed) || !readWithin(object, node, &step->withinMs))
            return false;
        step->errorName = canonicalErrorName(object.value(QLatin1String("error")).toString());
        if (step->errorName.isEmpty())
            return fail(object.contains(QLatin1String("error"))
                            ? member(node, QStringLiteral("error"))
                            : node,
                        QStringLiteral("\"error\" must name an error: %1")
                            .arg(errorNames().join(QStringLiteral(", "))));
        return true;
    }
    case ScenarioStep::Kind::ExpectState: {
        allowed << QStringLiteral("state") << QStringLiteral("within_ms");
        if (!checkKeys(object, node, allowed) || !readWithin(object, node, &step->withinMs))
            return false;
        if (device->behaviour.isEmpty())
            return fail(keyNode,
                        QStringLiteral("device %1 has no \"behaviour\", so no state to expect")
                            .arg(quoted(device->key)));
        step->state = object.value(QLatin1String("state")).toString();
        if (step->state.isEmpty())
            return fail(object.contains(QLatin1String("state"))
                            ? member(node, QStringLiteral("state"))
                            : node,
                        QStringLiteral("\"state\" must be non-empty text, e.g. \"IN_STOP\""));
        return true;
    }
    case ScenarioStep::Kind::Wait:
        return checkKeys(object, node, allowed) &&
               readCount(object.value(key), keyNode, quoted(key), 0, 24 * 3600 * 1000,
                         &step->waitMs);
    case ScenarioStep::Kind::Repeat:
        allowed << QStringLiteral("steps");
        return checkKeys(object, node, allowed) &&
               readCount(object.value(key), keyNode, quoted(key), 1, Scenario::kMaxRepeat,
                         &step->count) &&
               readSteps(object.value(QLatin1String("steps")),
                         object.contains(QLatin1String("steps"))
                             ? member(node, QStringLiteral("steps"))
                             : node,
                         step->path + QStringLiteral(".steps"), &step->steps);
    case ScenarioStep::Kind::Together:
        return checkKeys(object, node, allowed) &&
               readSteps(object.value(key), keyNode, step->path + QStringLiteral(".together"),
                         &step->steps);
    case ScenarioStep::Kind::Disconnect:
        return checkKeys(object, node, allowed);
    case ScenarioStep::Kind::Gateway: {
        const QString action = object.value(key).toString();
        static const QStringList actions{QStringLiteral("queue"), QStringLiteral("push"),
                                         QStringLiteral("disconnect"), QStringLiteral("delay")};
        const qsizetype index = actions.indexOf(action);
        if (index < 0)
            return fail(keyNode, QStringLiteral("\"gateway\" must be one of %1")
                                     .arg(actions.join(QStringLiteral(", "))));
        step->gatewayAction = ScenarioStep::GatewayAction(index);
        m_step = step->label();
        if (step->gatewayAction == ScenarioStep::GatewayAction::Delay) {
            allowed << QStringLiteral("ms");
            return checkKeys(object, node, allowed) &&
                   readCount(object.value(QLatin1String("ms")),
                             object.contains(QLatin1String("ms"))
                                 ? member(node, QStringLiteral("ms"))
                                 : node,
                             QStringLiteral("\"ms\""), 0, 3600 * 1000, &step->waitMs);
        }
        allowed << QStringLiteral("device");
        const bool carriesCommand = step->gatewayAction != ScenarioStep::GatewayAction::Disconnect;
        if (carriesCommand)
            allowed << names(kPayloadKeys);
        if (!checkKeys(object, node, allowed) ||
            !readDeviceName(object.value(QLatin1String("device")),
                            object.contains(QLatin1String("device"))
                                ? member(node, QStringLiteral("device"))
                                : node,
                            &step->device))
            return false;
        // A command may be empty (an empty answer is a valid command).
        return !carriesCommand ||
               readPayload(object, node, false, m_scenario.device(step->device), &step->payload);
    }
    }
    return true;
}

bool ScenarioReader::readWithin(const QJsonObject& object, const Node* node, int* ms)
{
    *ms = Scenario::kDefaultWithinMs;
    if (!object.contains(QLatin1String("within_ms")))
        return true;
    return readCount(object.value(QLatin1String("within_ms")),
                     member(node, QStringLiteral("within_ms")), QStringLiteral("\"within_ms\""), 0,
                     24 * 3600 * 1000, ms);
}

bool ScenarioReader::readPayload(const QJsonObject& object, const Node* node, bool required,
                                 const ScenarioDevice* device, ScenarioPayload* payload)
{
    const QStringList keys = names(kPayloadKeys);
    QString found;
    if (!oneKeyOf(object, node, keys, QStringLiteral("the bytes come from one source"), &found))
        return false;
    if (found.isEmpty()) {
        if (!required)
            return true;
        return fail(node, QStringLiteral("a status needs one of %1")
                              .arg(quotedAll(keys).join(QStringLiteral(", "))));
    }
    payload->source = ScenarioPayload::Source(keys.indexOf(found));
    const QJsonValue value = object.value(found);
    const Node* at = member(node, found);
    if (payload->source == ScenarioPayload::Source::Json) {
        // Exactly as written, spaces and line breaks included: modules compare bytes
        // (docs/modules.md#example-module).
        payload->data = asWritten(at);
        return true;
    }
    if (!value.isString())
        return fail(at, QStringLiteral("%1 must be text").arg(quoted(found)));
    const QString text = value.toString();
    switch (payload->source) {
    case ScenarioPayload::Source::Hex: {
        const HexParse hex = parseHex(text);
        if (!hex.ok())
            return fail(at, QStringLiteral("\"hex\": %1").arg(hex.error));
        payload->data = hex.bytes;
        return true;
    }
    case ScenarioPayload::Source::Preset: {
        QStringList presets;
        for (const PayloadPreset& preset :
             ModuleCatalog::statusPresets(device->identity.module, device->identity.deviceType))
            presets.append(preset.name);
        if (!presets.contains(text))
            return fail(at, QStringLiteral("device %1 has no preset %2 (presets: %3)")
                                .arg(quoted(device->key), quoted(text),
                                     presets.isEmpty() ? QStringLiteral("none")
                                                       : presets.join(QStringLiteral(", "))));
        payload->data = text.toUtf8();
        return true;
    }
    case ScenarioPayload::Source::File:
        payload->data = text.toUtf8();
        payload->fileName = QFileInfo(m_fileName).dir().filePath(text);
        if (!QFileInfo(payload->fileName).isFile())
            return fail(at, QStringLiteral("no file %1").arg(payload->fileName));
        return true;
    default:
        payload->data = text.toUtf8();
        return true;
    }
}

bool ScenarioReader::readMatch(const QJsonObject& object, const Node* node, ScenarioMatch* match)
{
    QString found;
    if (!oneKeyOf(object, node, names(kMatchKeys), QStringLiteral("one expectation per step"),
                  &found))
        return false;
    if (found.isEmpty()) {
        match->kind = ScenarioMatch::Kind::Any;
        return true;
    }
    const QJsonValue value = object.value(found);
    const Node* at = member(node, found);
    if (found == QLatin1String("bytes") || found == QLatin1String("regex") ||
        found == QLatin1String("hex")) {
        if (!value.isString())
            return fail(at, QStringLiteral("%1 must be text").arg(quoted(found)));
    }
    if (found == QLatin1String("bytes")) {
        match->kind = ScenarioMatch::Kind::Exact;
        match->bytes = value.toString().toUtf8();
    } else if (found == QLatin1String("hex")) {
        const HexParse hex = parseHex(value.toString());
        if (!hex.ok())
            return fail(at, QStringLiteral("\"hex\": %1").arg(hex.error));
        match->kind = ScenarioMatch::Kind::Exact;
        match->bytes = hex.bytes;
    } else if (found == QLatin1String("json")) {
        match->kind = ScenarioMatch::Kind::JsonEqual;
        match->subset = value;
        match->bytes = asWritten(at); // for messages: the expectation as the author wrote it
    } else if (found == QLatin1String("json_subset")) {
        match->kind = ScenarioMatch::Kind::JsonSubset;
        match->subset = value;
        match->bytes = asWritten(at);
    } else if (found == QLatin1String("regex")) {
        const QRegularExpression regex(value.toString());
        if (!regex.isValid())
            return fail(at, QStringLiteral("\"regex\" does not compile: %1 at character %2")
                                .arg(regex.errorString())
                                .arg(regex.patternErrorOffset()));
        match->kind = ScenarioMatch::Kind::Regex;
        match->pattern = value.toString();
    } else {
        if (!value.isObject() || value.toObject().isEmpty())
            return fail(
                at, QStringLiteral("\"fields\" must be an object of paths and values, "
                                   "e.g. {\"action\": \"START\", \"stops[0].name\": \"Canteen\"}"));
        match->kind = ScenarioMatch::Kind::Fields;
        const QJsonObject fields = value.toObject();
        for (auto it = fields.begin(); it != fields.end(); ++it)
            match->fields.insert(it.key(), it.value());
    }
    return true;
}

} // namespace fleet
