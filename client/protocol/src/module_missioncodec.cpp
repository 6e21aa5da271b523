#include "module_mission.h"

#include "module_json.h"
#include "payloadtext.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <optional>
#include <string_view>

namespace fleet::detail::mission {

using MissionModule::AutonomyCommand;
using MissionModule::AutonomyStatus;
using MissionModule::Position;
using MissionModule::Station;

namespace {

QString key(QLatin1String name)
{
    return QStringLiteral("\"%1\"").arg(name);
}

// Fills `position` from {"latitude", "longitude", "altitude"}; names the first bad coordinate.
std::optional<QString> positionFromJson(const QJsonValue& json, const QString& where,
                                        Position* position)
{
    if (!json.isObject())
        return QStringLiteral("%1 is %2, expected an object with numeric \"latitude\", "
                              "\"longitude\" and \"altitude\"")
            .arg(where, describeJsonValue(json));
    const QJsonObject object = json.toObject();
    double values[3] = {};
    const QLatin1String names[3] = {QLatin1String("latitude"), QLatin1String("longitude"),
                                    QLatin1String("altitude")};
    for (int i = 0; i < 3; ++i) {
        const QJsonValue value = object.value(names[i]);
        if (!value.isDouble())
            return QStringLiteral("%1.%2 is %3, expected a number")
                .arg(where, names[i], describeJsonValue(value));
        values[i] = value.toDouble();
    }
    position->set_latitude(values[0]);
    position->set_longitude(values[1]);
    position->set_altitude(values[2]);
    return std::nullopt;
}

// The encoders below write JSON by hand to keep the vehicle's key order (state, telemetry,
// nextStop; latitude, longitude, altitude), which QJsonDocument would sort alphabetically.
QByteArray jsonNumber(double value)
{
    // JSON has no NaN or infinity; null makes the payload fail validation visibly.
    if (!qIsFinite(value))
        return QByteArrayLiteral("null");
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray positionJson(const Position& position)
{
    return "{\"latitude\":" + jsonNumber(position.latitude()) +
           ",\"longitude\":" + jsonNumber(position.longitude()) +
           ",\"altitude\":" + jsonNumber(position.altitude()) + '}';
}

QByteArray stationJson(const Station& station)
{
    return "{\"name\":" + jsonString(station.name()) +
           ",\"position\":" + positionJson(station.position()) + '}';
}

template <typename Message> bool parseProto(const QByteArray& payload, Message* message)
{
    return message->ParseFromArray(payload.constData(), int(payload.size()));
}

QByteArray serialize(const google::protobuf::MessageLite& message)
{
    return QByteArray::fromStdString(message.SerializeAsString());
}

// JSON text begins with optional whitespace (RFC 8259: space, tab, LF, CR) and '{' for an
// object. Only such bytes are worth a JSON parse, and only for the wording of errors does
// anything else look at this.
bool startsLikeJsonObject(const QByteArray& payload)
{
    for (const char c : payload) {
        if (c == '{')
            return true;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    }
    return false;
}

// The payload as a JSON object, or nullopt with `error` set.
std::optional<QJsonObject> jsonObject(const QByteArray& payload, QString* error)
{
    if (!startsLikeJsonObject(payload)) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const JsonParse parsed = parseJson(payload);
    if (!parsed.ok()) {
        *error = parsed.error;
        return std::nullopt;
    }
    if (!parsed.value.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    return parsed.value.toObject();
}

enum class ProtobufFit { None, WithUnknownFields, Complete, Exact };

// How well the bytes parse as `message`: Exact when they are its canonical serialization (no
// field the schema lacks, no default written out, fields in order, each once), Complete when
// they parse without unknown fields, WithUnknownFields when libprotobuf keeps some bytes it
// could not place. `message` holds the known fields after any successful parse.
template <typename Message> ProtobufFit protobufFit(const QByteArray& payload, Message* message)
{
    if (!parseProto(payload, message))
        return ProtobufFit::None;
    const size_t parsedSize = message->ByteSizeLong();
    message->DiscardUnknownFields();
    if (message->ByteSizeLong() != parsedSize)
        return ProtobufFit::WithUnknownFields;
    if (parsedSize == size_t(payload.size()) &&
        message->SerializeAsString() == std::string_view(payload.constData(), payload.size()))
        return ProtobufFit::Exact;
    return ProtobufFit::Complete;
}

template <typename Message> QString protobufName()
{
    return QStringLiteral("MissionModule.") + QString::fromStdString(Message::descriptor()->name());
}

template <typename Message>
Reading readMission(const QByteArray& payload, Message* out,
                    ValidationResult (*fromJson)(const QJsonValue&, Message*))
{
    Message fromProtobuf;
    const ProtobufFit fit = protobufFit(payload, &fromProtobuf);
    QString jsonError;
    const std::optional<QJsonObject> object = jsonObject(payload, &jsonError);

    if (object) {
        Message fromJsonText;
        const ValidationResult rules = fromJson(*object, &fromJsonText);
        // Bytes that are both a JSON object and an exact protobuf message are JSON only when
        // the module's JSON rules take them.
        if (fit != ProtobufFit::Exact || rules.ok) {
            if (out && rules.ok)
                *out = std::move(fromJsonText);
            return {MissionEncoding::Json, rules};
        }
    }
    if (fit == ProtobufFit::Exact || fit == ProtobufFit::Complete) {
        if (out)
            *out = std::move(fromProtobuf);
        return {MissionEncoding::Protobuf, ValidationResult::valid()};
    }

    // Neither flavour reads the bytes: explain in the flavour they look like.
    if (startsLikeJsonObject(payload))
        return {std::nullopt, ValidationResult::invalid(jsonError)};
    const QString why =
        fit == ProtobufFit::WithUnknownFields
            ? QStringLiteral("it parses as %1 only with fields that message does not have")
            : QStringLiteral("it does not parse as %1");
    return {std::nullopt,
            ValidationResult::invalid(
                QStringLiteral("the payload is not a JSON object, so it is read as the protobuf "
                               "flavour (mission module up to 1.2.x), and %1 (%2)")
                    .arg(why.arg(protobufName<Message>()), describeBytes(payload)))};
}

} // namespace

QString stateNames()
{
    return QStringLiteral("IDLE, DRIVE, IN_STOP, OBSTACLE, ERROR");
}

QString actionNames()
{
    return QStringLiteral("NO_ACTION, STOP, START");
}

QString stateName(int state)
{
    if (!AutonomyStatus::State_IsValid(state))
        return QStringLiteral("state %1").arg(state);
    return QString::fromStdString(AutonomyStatus::State_Name(AutonomyStatus::State(state)));
}

QString actionName(int action)
{
    if (!AutonomyCommand::Action_IsValid(action))
        return QStringLiteral("action %1").arg(action);
    return QString::fromStdString(AutonomyCommand::Action_Name(AutonomyCommand::Action(action)));
}

ValidationResult statusFromJson(const QJsonValue& json, AutonomyStatus* status)
{
    const QString required = QStringLiteral("the mission module requires \"state\", "
                                            "\"telemetry\" and \"nextStop\"");
    if (!json.isObject())
        return ValidationResult::invalid(
            QStringLiteral("the mission module expects a JSON object, got %1; %2")
                .arg(describeJsonValue(json), required));
    const QJsonObject object = json.toObject();
    for (const QLatin1String name :
         {QLatin1String("state"), QLatin1String("telemetry"), QLatin1String("nextStop")}) {
        if (!object.contains(name))
            return ValidationResult::invalid(
                QStringLiteral("key %1 is missing; %2").arg(key(name), required));
    }

    const QJsonValue state = object.value(QLatin1String("state"));
    AutonomyStatus::State stateValue = AutonomyStatus::IDLE;
    if (!state.isString() ||
        !AutonomyStatus::State_Parse(state.toString().toStdString(), &stateValue))
        return ValidationResult::invalid(QStringLiteral("\"state\" is %1, expected one of %2")
                                             .arg(describeJsonValue(state), stateNames()));

    const QJsonValue telemetry = object.value(QLatin1String("telemetry"));
    if (!telemetry.isObject())
        return ValidationResult::invalid(
            QStringLiteral("\"telemetry\" is %1, expected an object with a numeric \"speed\"")
                .arg(describeJsonValue(telemetry)));
    const QJsonObject telemetryObject = telemetry.toObject();
    const QJsonValue speed = telemetryObject.value(QLatin1String("speed"));
    if (speed.isUndefined())
        return ValidationResult::invalid(
            QStringLiteral("\"telemetry\" has no \"speed\"; the mission module requires a "
                           "numeric speed"));
    if (!speed.isDouble())
        return ValidationResult::invalid(
            QStringLiteral("\"telemetry.speed\" is %1, expected a number")
                .arg(describeJsonValue(speed)));

    // Required, but any value: the module only checks that the key is there, so
    // "nextStop": null is accepted (docs/modules.md#mission-module).
    const QJsonValue nextStop = object.value(QLatin1String("nextStop"));

    if (status) {
        status->Clear();
        status->set_state(stateValue);
        auto* telemetryOut = status->mutable_telemetry();
        telemetryOut->set_speed(speed.toDouble());
        telemetryOut->set_fuel(telemetryObject.value(QLatin1String("fuel")).toDouble());
        Position position;
        if (!positionFromJson(telemetryObject.value(QLatin1String("position")), {}, &position))
            *telemetryOut->mutable_position() = position;
        if (nextStop.isObject()) {
            const QJsonObject stop = nextStop.toObject();
            auto* stopOut = status->mutable_nextstop();
            stopOut->set_name(stop.value(QLatin1String("name")).toString().toStdString());
            if (!positionFromJson(stop.value(QLatin1String("position")), {}, &position))
                *stopOut->mutable_position() = position;
        }
    }
    return ValidationResult::valid();
}

ValidationResult commandFromJson(const QJsonValue& json, AutonomyCommand* command)
{
    const QString required = QStringLiteral("a mission command has \"action\", \"route\" and "
                                            "\"stops\"");
    if (!json.isObject())
        return ValidationResult::invalid(QStringLiteral("expected a JSON object, got %1; %2")
                                             .arg(describeJsonValue(json), required));
    const QJsonObject object = json.toObject();
    for (const QLatin1String name :
         {QLatin1String("action"), QLatin1String("route"), QLatin1String("stops")}) {
        if (!object.contains(name))
            return ValidationResult::invalid(
                QStringLiteral("key %1 is missing; %2").arg(key(name), required));
    }
    const QJsonValue action = object.value(QLatin1String("action"));
    AutonomyCommand::Action actionValue = AutonomyCommand::NO_ACTION;
    if (!action.isString() ||
        !AutonomyCommand::Action_Parse(action.toString().toStdString(), &actionValue))
        return ValidationResult::invalid(QStringLiteral("\"action\" is %1, expected one of %2")
                                             .arg(describeJsonValue(action), actionNames()));
    const QJsonValue route = object.value(QLatin1String("route"));
    if (!route.isString())
        return ValidationResult::invalid(
            QStringLiteral("\"route\" is %1, expected a string").arg(describeJsonValue(route)));
    const QJsonValue stops = object.value(QLatin1String("stops"));
    if (!stops.isArray())
        return ValidationResult::invalid(
            QStringLiteral("\"stops\" is %1, expected an array of stations")
                .arg(describeJsonValue(stops)));

    AutonomyCommand parsed;
    parsed.set_action(actionValue);
    parsed.set_route(route.toString().toStdString());
    const QJsonArray stopArray = stops.toArray();
    for (qsizetype i = 0; i < stopArray.size(); ++i) {
        const QString where = QStringLiteral("stops[%1]").arg(i);
        const QJsonValue stop = stopArray.at(i);
        if (!stop.isObject())
            return ValidationResult::invalid(
                QStringLiteral("%1 is %2, expected a station {\"name\": …, \"position\": {…}}")
                    .arg(where, describeJsonValue(stop)));
        const QJsonValue name = stop.toObject().value(QLatin1String("name"));
        if (!name.isString())
            return ValidationResult::invalid(QStringLiteral("%1.name is %2, expected a string")
                                                 .arg(where, describeJsonValue(name)));
        Station* station = parsed.add_stops();
        station->set_name(name.toString().toStdString());
        if (auto problem =
                positionFromJson(stop.toObject().value(QLatin1String("position")),
                                 where + QStringLiteral(".position"), station->mutable_position()))
            return ValidationResult::invalid(*problem);
    }
    if (command)
        *command = std::move(parsed);
    return ValidationResult::valid();
}

bool decodeStatus(const QByteArray& payload, AutonomyStatus* status)
{
    return readStatus(payload, status).decoded();
}

bool decodeCommand(const QByteArray& payload, AutonomyCommand* command)
{
    return readCommand(payload, command).decoded();
}

Reading readStatus(const QByteArray& payload, AutonomyStatus* status)
{
    return readMission(payload, status, &statusFromJson);
}

Reading readCommand(const QByteArray& payload, AutonomyCommand* command)
{
    return readMission(payload, command, &commandFromJson);
}

QByteArray encodeCommand(const AutonomyCommand& command, MissionEncoding encoding)
{
    if (encoding == MissionEncoding::Protobuf)
        return serialize(command);
    QByteArray json = "{\"action\":\"" + actionName(command.action()).toLatin1() +
                      "\",\"route\":" + jsonString(command.route()) + ",\"stops\":[";
    for (int i = 0; i < command.stops_size(); ++i)
        json += (i > 0 ? "," : "") + stationJson(command.stops(i));
    return json + "]}";
}

QByteArray encodeStatus(const AutonomyStatus& status, MissionEncoding encoding)
{
    if (encoding == MissionEncoding::Protobuf)
        return serialize(status);
    const auto& telemetry = status.telemetry();
    return "{\"state\":\"" + stateName(status.state()).toLatin1() +
           "\",\"telemetry\":{\"speed\":" + jsonNumber(telemetry.speed()) +
           ",\"fuel\":" + jsonNumber(telemetry.fuel()) +
           ",\"position\":" + positionJson(telemetry.position()) +
           "},\"nextStop\":" + stationJson(status.nextstop()) + '}';
}

} // namespace fleet::detail::mission
