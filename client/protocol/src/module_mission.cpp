#include "module_mission.h"

#include "module_json.h"
#include "module_rules.h"

#include <QJsonArray>

// Mission module (docs/modules.md#mission-module): device type 1, JSON payloads from module 1.3.0
// on, protobuf before; mission::readStatus()/readCommand() tell them apart per payload.

namespace fleet::detail {

namespace {

using MissionModule::AutonomyCommand;
using MissionModule::AutonomyStatus;
using MissionModule::Station;

constexpr qsizetype kListedStops = 5;

QString stationName(const Station& station)
{
    return QString::fromStdString(station.name());
}

QString describeDecodedStatus(const AutonomyStatus& status)
{
    QString text =
        QStringLiteral("%1 at %2 m/s")
            .arg(mission::stateName(status.state()), formatNumber(status.telemetry().speed()));
    if (status.has_nextstop() && !status.nextstop().name().empty())
        text += QStringLiteral(", next stop '%1'").arg(stationName(status.nextstop()));
    else
        text += QStringLiteral(", no next stop");
    return text;
}

QString describeDecodedCommand(const AutonomyCommand& command)
{
    QString text = mission::actionName(command.action());
    text += command.route().empty()
                ? QStringLiteral(", no route")
                : QStringLiteral(", route '%1'").arg(QString::fromStdString(command.route()));
    const int count = command.stops_size();
    if (count == 0)
        return text + QStringLiteral(", no stops");
    QStringList names;
    for (int i = 0; i < count && i < kListedStops; ++i)
        names.append(stationName(command.stops(i)));
    if (count > kListedStops)
        names.append(QStringLiteral("…"));
    return text + QStringLiteral(", %1 %2: %3")
                      .arg(count)
                      .arg(count == 1 ? QStringLiteral("stop") : QStringLiteral("stops"),
                           names.join(QStringLiteral(", ")));
}

// Empty bytes are a valid protobuf message with every field at its default, which is how a
// 1.2.x module's NO_ACTION command and an IDLE status at 0 m/s look on the wire.
QString flavourSuffix(const QByteArray& payload, MissionEncoding encoding, const QString& decoded)
{
    if (payload.isEmpty())
        return QStringLiteral("empty (protobuf: %1)").arg(decoded);
    if (encoding == MissionEncoding::Protobuf)
        return decoded + QStringLiteral(" (protobuf)");
    return decoded;
}

// Removes the first element of the top-level "stops" array from a JSON command, keeping key
// order and every other byte's spelling, compacted as the module writes its JSON. Returns a
// null array when the text has no such element.
QByteArray withoutFirstStop(const QByteArray& json)
{
    const QByteArray text = reindentJson(json, 0);
    qsizetype depth = 0;
    qsizetype stopsArray = -1; // index of the '[' of the top-level "stops"
    bool expectKey = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '"') {
            const qsizetype start = i;
            for (++i; i < text.size() && text.at(i) != '"'; ++i) {
                if (text.at(i) == '\\')
                    ++i;
            }
            const bool isKey = depth == 1 && expectKey;
            expectKey = false;
            if (isKey && text.mid(start, i - start + 1) == "\"stops\"" &&
                text.mid(i + 1, 2) == ":[") {
                stopsArray = i + 2;
                break;
            }
            continue;
        }
        if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']')
            --depth;
        expectKey = depth == 1 && (c == '{' || c == ',');
    }
    if (stopsArray < 0 || stopsArray + 1 >= text.size() || text.at(stopsArray + 1) == ']')
        return {};
    // Skip the first element: the first ',' or ']' back at the array's own depth ends it.
    qsizetype nested = 0;
    for (qsizetype i = stopsArray + 1; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c == '"') {
            for (++i; i < text.size() && text.at(i) != '"'; ++i) {
                if (text.at(i) == '\\')
                    ++i;
            }
        } else if (c == '{' || c == '[') {
            ++nested;
        } else if ((c == '}' || c == ']') && nested > 0) {
            --nested;
        } else if (nested == 0 && (c == ',' || c == ']')) {
            const qsizetype end = c == ',' ? i + 1 : i;
            return text.left(stopsArray + 1) + text.mid(end);
        }
    }
    return {};
}

// The mission module's command generation (docs/modules.md#mission-module): the current
// command, with stops[0] removed when the new status is IN_STOP and its nextStop equals
// stops[0]. The module's other clause ("or the stored status is DRIVE") never fires in the
// gateway, which stores the new status before asking for the command. Equality is the whole
// station as JSON values in the JSON flavour (position values and keys must match exactly,
// so a device must echo the command's stop verbatim), the name in the protobuf flavour.
// Anything else passes through byte for byte.
QByteArray generateCommand(const QByteArray& status, const QByteArray& command)
{
    AutonomyStatus decodedStatus;
    const mission::Reading statusReading = mission::readStatus(status, &decodedStatus);
    if (statusReading.encoding == MissionEncoding::Protobuf) {
        AutonomyCommand decoded;
        if (!statusReading.decoded() ||
            mission::readCommand(command, &decoded).encoding != MissionEncoding::Protobuf)
            return command;
        if (decodedStatus.state() != AutonomyStatus::IN_STOP || decoded.stops_size() == 0 ||
            decodedStatus.nextstop().name() != decoded.stops(0).name())
            return command;
        decoded.mutable_stops()->DeleteSubrange(0, 1);
        return mission::encodeCommand(decoded, MissionEncoding::Protobuf);
    }
    const QJsonObject statusObject = parseJson(status).value.toObject();
    const JsonParse parsedCommand = parseJson(command);
    const QJsonArray stops = parsedCommand.value.toObject().value(QLatin1String("stops")).toArray();
    if (statusObject.value(QLatin1String("state")) != QJsonValue(QStringLiteral("IN_STOP")) ||
        stops.isEmpty() || statusObject.value(QLatin1String("nextStop")) != stops.first())
        return command;
    const QByteArray removed = withoutFirstStop(command);
    return removed.isNull() ? command : removed;
}

class MissionEmulator final : public ModuleEmulator {
public:
    // The first answer is the module's first command, NO_ACTION without stops, in the flavour
    // of the status: {"action":"NO_ACTION","route":"","stops":[]} or 0 protobuf bytes.
    QByteArray answerStatus(const QByteArray& status) override
    {
        if (m_command.isNull()) {
            AutonomyCommand first;
            first.set_action(AutonomyCommand::NO_ACTION);
            const auto encoding = mission::readStatus(status, nullptr).encoding;
            return mission::encodeCommand(first, encoding.value_or(MissionEncoding::Json));
        }
        m_command = generateCommand(status, m_command);
        return m_command;
    }

    QByteArray answerCloudCommand(const QByteArray& status, const QByteArray& command) override
    {
        setCurrentCommand(command);
        return answerStatus(status);
    }

    void setCurrentCommand(const QByteArray& command) override
    {
        m_command = command.isNull() ? QByteArray("") : command;
    }

private:
    QByteArray m_command; // null: still the module's first command
};

// Stations of the presets: the example vehicle of docs/modules.md#mission-module drives through
// Zagreb.
Station station(const char* name, double latitude, double longitude, double altitude)
{
    Station result;
    result.set_name(name);
    result.mutable_position()->set_latitude(latitude);
    result.mutable_position()->set_longitude(longitude);
    result.mutable_position()->set_altitude(altitude);
    return result;
}

const Station& trainStation()
{
    static const Station s = station("Train Station", 45.815011, 15.981919, 125.3);
    return s;
}

const Station& mainSquare()
{
    static const Station s = station("Main Square", 45.813029, 15.977281, 122.1);
    return s;
}

AutonomyStatus status(AutonomyStatus::State state, double speed)
{
    AutonomyStatus result;
    result.set_state(state);
    result.mutable_telemetry()->set_speed(speed);
    result.mutable_telemetry()->set_fuel(0.62);
    auto* position = result.mutable_telemetry()->mutable_position();
    position->set_latitude(45.8137528);
    position->set_longitude(15.9870608);
    position->set_altitude(120.7);
    *result.mutable_nextstop() = trainStation();
    return result;
}

AutonomyCommand command(AutonomyCommand::Action action, const char* route,
                        const QList<Station>& stops)
{
    AutonomyCommand result;
    result.set_action(action);
    result.set_route(route);
    for (const Station& stop : stops)
        *result.add_stops() = stop;
    return result;
}

class MissionRules final : public ModuleRules {
public:
    const ModuleInfo& info() const override
    {
        static const ModuleInfo info{
            1, QStringLiteral("Mission module"), {{1, QStringLiteral("Autonomy device")}}, false};
        return info;
    }

    QList<PayloadPreset> statusPresets(quint32 deviceType) const override
    {
        const auto json = MissionEncoding::Json;
        const auto proto = MissionEncoding::Protobuf;
        const AutonomyStatus driving = status(AutonomyStatus::DRIVE, 7.2);
        const AutonomyStatus inStop = status(AutonomyStatus::IN_STOP, 0);
        return {
            {QStringLiteral("Idle"), deviceType,
             mission::encodeStatus(status(AutonomyStatus::IDLE, 0), json),
             QStringLiteral("Standing, no mission (JSON, module 1.3.0 and later)")},
            // Byte for byte the example of docs/modules.md#mission-module, keys in the vehicle's
            // order.
            {QStringLiteral("Driving"), deviceType,
             QByteArrayLiteral(
                 R"({"state":"DRIVE","telemetry":{"speed":7.2,"fuel":0.62,"position":)"
                 R"({"latitude":45.8137528,"longitude":15.9870608,"altitude":120.7}},)"
                 R"("nextStop":{"name":"Train Station","position":{"latitude":45.815011,)"
                 R"("longitude":15.981919,"altitude":125.3}}})"),
             QStringLiteral("Driving at 7.2 m/s towards Train Station (JSON)")},
            {QStringLiteral("In stop at Train Station"), deviceType,
             mission::encodeStatus(inStop, json),
             QStringLiteral("Arrived at the first stop: the module drops it from the command")},
            {QStringLiteral("Obstacle"), deviceType,
             mission::encodeStatus(status(AutonomyStatus::OBSTACLE, 0), json),
             QStringLiteral("Stopped by an obstacle (JSON)")},
            {QStringLiteral("Error"), deviceType,
             mission::encodeStatus(status(AutonomyStatus::ERROR, 0), json),
             QStringLiteral("The vehicle reports an error (JSON)")},
            {QStringLiteral("Driving (protobuf)"), deviceType,
             mission::encodeStatus(driving, proto),
             QStringLiteral("Driving at 7.2 m/s, as modules up to 1.2.x expect it")},
            {QStringLiteral("In stop at Train Station (protobuf)"), deviceType,
             mission::encodeStatus(inStop, proto),
             QStringLiteral("Arrived at the first stop, protobuf flavour")},
        };
    }

    QList<PayloadPreset> commandPresets(quint32 deviceType) const override
    {
        const AutonomyCommand noAction = command(AutonomyCommand::NO_ACTION, "", {});
        const AutonomyCommand stop = command(AutonomyCommand::STOP, "City loop", {});
        const AutonomyCommand start =
            command(AutonomyCommand::START, "City loop", {trainStation(), mainSquare()});
        QList<PayloadPreset> presets;
        for (const MissionEncoding encoding : {MissionEncoding::Json, MissionEncoding::Protobuf}) {
            const QString suffix =
                encoding == MissionEncoding::Json ? QString() : QStringLiteral(" (protobuf)");
            presets.append({QStringLiteral("No action") + suffix, deviceType,
                            mission::encodeCommand(noAction, encoding),
                            encoding == MissionEncoding::Json
                                ? QStringLiteral("The module's first command")
                                : QStringLiteral("The module's first command: 0 bytes, every "
                                                 "field at its default")});
            presets.append({QStringLiteral("Stop") + suffix, deviceType,
                            mission::encodeCommand(stop, encoding),
                            QStringLiteral("Stop the vehicle where it is")});
            presets.append({QStringLiteral("Start, 2 stops") + suffix, deviceType,
                            mission::encodeCommand(start, encoding),
                            QStringLiteral("Drive route 'City loop' via Train Station and "
                                           "Main Square")});
        }
        return presets;
    }

    ValidationResult validateStatus(quint32, const QByteArray& payload) const override
    {
        return mission::readStatus(payload, nullptr).validation;
    }

    ValidationResult validateCommand(quint32, const QByteArray& payload) const override
    {
        return mission::readCommand(payload, nullptr).validation;
    }

    std::unique_ptr<ModuleEmulator> createEmulator(quint32) const override
    {
        return std::make_unique<MissionEmulator>();
    }

    QString describeStatus(const QByteArray& payload) const override
    {
        AutonomyStatus decoded;
        const mission::Reading reading = mission::readStatus(payload, &decoded);
        if (!reading.decoded())
            return describeBytes(payload);
        return flavourSuffix(payload, *reading.encoding, describeDecodedStatus(decoded));
    }

    QString describeCommand(const QByteArray& payload) const override
    {
        AutonomyCommand decoded;
        const mission::Reading reading = mission::readCommand(payload, &decoded);
        if (!reading.decoded())
            return describeBytes(payload);
        return flavourSuffix(payload, *reading.encoding, describeDecodedCommand(decoded));
    }

    // Protobuf payloads are spelled out in their JSON form; anything else shows as it is.
    QString prettyStatus(const QByteArray& payload) const override
    {
        AutonomyStatus decoded;
        if (payload.isEmpty() ||
            mission::readStatus(payload, &decoded).encoding != MissionEncoding::Protobuf)
            return prettyPayload(payload);
        return prettyJson(mission::encodeStatus(decoded, MissionEncoding::Json));
    }

    QString prettyCommand(const QByteArray& payload) const override
    {
        AutonomyCommand decoded;
        if (payload.isEmpty() ||
            mission::readCommand(payload, &decoded).encoding != MissionEncoding::Protobuf)
            return prettyPayload(payload);
        return prettyJson(mission::encodeCommand(decoded, MissionEncoding::Json));
    }
};

} // namespace

const ModuleRules& missionRules()
{
    static const MissionRules rules;
    return rules;
}

} // namespace fleet::detail
