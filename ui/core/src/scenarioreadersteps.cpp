// The scenario reader's steps: each step's kind and keys, payloads and expectations
// (docs/scenarios.md#steps). The document and its devices are read in scenarioreader.cpp.
#include "scenarioreader.h"

#include "internalclient.h"
#include "modulecatalog.h"
#include "payloadtext.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QMetaEnum>
#include <QRegularExpression>

namespace fleet {

using namespace scenariowords;

namespace {

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
