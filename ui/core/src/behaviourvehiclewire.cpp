// The autonomous vehicle on the wire (docs/modules.md#mission-module): mission commands read in
// either encoding, and the status it sends, with nextStop echoing the command's stop exactly.
#include "behaviourvehicle.h"

#include "modulecatalog.h"
#include "payloadtext.h"

#include "MissionModule.pb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fleet {

namespace {

const char* const kActionNames[] = {"NO_ACTION", "STOP", "START"};

QByteArray jsonNumber(double value)
{
    if (!std::isfinite(value))
        return QByteArrayLiteral("0");
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

// The raw text of each element of the top-level array `key` in compact JSON object text, so a
// stop can be echoed exactly as the command wrote it (key order and number spelling included:
// the mission module compares the whole object, docs/modules.md#mission-module).
QList<QByteArray> rawArrayElements(const QByteArray& compact, const QByteArray& key)
{
    const QByteArray quotedKey = '"' + key + '"';
    QList<QByteArray> elements;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    qsizetype stringStart = -1;
    qsizetype keyColon = -1; // index of the ':' after the wanted key at depth 1
    int arrayDepth = -1;
    qsizetype elementStart = -1;
    for (qsizetype i = 0; i < compact.size(); ++i) {
        const char c = compact.at(i);
        if (inString) {
            if (escape) {
                escape = false;
            } else if (c == '\\') {
                escape = true;
            } else if (c == '"') {
                inString = false;
                if (depth == 1 && arrayDepth < 0 && i + 1 < compact.size() &&
                    compact.at(i + 1) == ':' &&
                    compact.mid(stringStart, i + 1 - stringStart) == quotedKey)
                    keyColon = i + 1;
            }
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            stringStart = i;
            break;
        case '[':
        case '{':
            if (c == '[' && arrayDepth < 0 && depth == 1 && keyColon == i - 1) {
                arrayDepth = depth + 1;
                elementStart = i + 1;
            }
            ++depth;
            break;
        case ']':
        case '}':
            --depth;
            if (arrayDepth >= 0 && depth == arrayDepth - 1) {
                if (i > elementStart)
                    elements.append(compact.mid(elementStart, i - elementStart));
                return elements;
            }
            break;
        case ',':
            if (arrayDepth >= 0 && depth == arrayDepth) {
                elements.append(compact.mid(elementStart, i - elementStart));
                elementStart = i + 1;
            }
            break;
        default:
            break;
        }
    }
    return elements;
}
} // namespace

QString VehicleBehaviour::actionName(int action)
{
    return action >= 0 && action <= 2 ? QLatin1String(kActionNames[action])
                                      : QStringLiteral("action %1").arg(action);
}

bool VehicleBehaviour::decode(const QByteArray& bytes, Command* command, QString* error) const
{
    if (ModuleCatalog::missionEncoding(bytes) == MissionEncoding::Protobuf) {
        MissionModule::AutonomyCommand message;
        if (!message.ParseFromArray(bytes.constData(), int(bytes.size()))) {
            *error = tr("not a mission command (neither JSON nor AutonomyCommand)");
            return false;
        }
        command->action = message.action();
        if (command->action < 0 || command->action > 2) {
            *error = tr("unknown action %1").arg(command->action);
            return false;
        }
        command->route = QString::fromStdString(message.route());
        for (const MissionModule::Station& station : message.stops()) {
            Stop stop;
            stop.name = QString::fromStdString(station.name());
            stop.latitude = station.position().latitude();
            stop.longitude = station.position().longitude();
            stop.altitude = station.position().altitude();
            command->stops.append(stop);
        }
        return true;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = tr("not a JSON mission command");
        return false;
    }
    // The module's rule for a command: action, stops as an array, route as a string.
    const QJsonObject object = document.object();
    const QString action = object.value(QLatin1String("action")).toString();
    command->action = -1;
    for (int i = 0; i < 3; ++i) {
        if (action == QLatin1String(kActionNames[i]))
            command->action = i;
    }
    if (!object.value(QLatin1String("stops")).isArray() ||
        !object.value(QLatin1String("route")).isString()) {
        *error = tr("a JSON command needs \"action\", \"stops\" (array) and \"route\" (string)");
        return false;
    }
    if (command->action < 0) {
        *error = tr("unknown action '%1'").arg(action);
        return false;
    }
    command->route = object.value(QLatin1String("route")).toString();
    const QJsonArray stops = object.value(QLatin1String("stops")).toArray();
    const QList<QByteArray> raw = rawArrayElements(reindentJson(bytes, 0), "stops");
    for (qsizetype i = 0; i < stops.size(); ++i) {
        const QJsonObject station = stops.at(i).toObject();
        const QJsonObject position = station.value(QLatin1String("position")).toObject();
        if (!station.value(QLatin1String("name")).isString() ||
            !position.value(QLatin1String("latitude")).isDouble() ||
            !position.value(QLatin1String("longitude")).isDouble()) {
            *error = tr("stop %1 needs a \"name\" and a \"position\" with latitude and longitude")
                         .arg(i);
            return false;
        }
        Stop stop;
        stop.name = station.value(QLatin1String("name")).toString();
        stop.latitude = position.value(QLatin1String("latitude")).toDouble();
        stop.longitude = position.value(QLatin1String("longitude")).toDouble();
        stop.altitude = position.value(QLatin1String("altitude")).toDouble();
        stop.json = raw.size() == stops.size() ? raw.at(i) : QByteArray();
        command->stops.append(stop);
    }
    return true;
}

QByteArray VehicleBehaviour::status() const
{
    const State reported = state();
    if (m_encoding == Encoding::Protobuf) {
        MissionModule::AutonomyStatus message;
        message.set_state(MissionModule::AutonomyStatus::State(int(reported)));
        auto* telemetry = message.mutable_telemetry();
        telemetry->set_speed(speed());
        telemetry->set_fuel(m_fuel);
        telemetry->mutable_position()->set_latitude(latitude());
        telemetry->mutable_position()->set_longitude(longitude());
        // nextStop is always there, with an empty name when there is none.
        auto* next = message.mutable_nextstop();
        next->set_name(m_nextStop.name.toStdString());
        next->mutable_position()->set_latitude(m_nextStop.latitude);
        next->mutable_position()->set_longitude(m_nextStop.longitude);
        next->mutable_position()->set_altitude(m_nextStop.altitude);
        return QByteArray::fromStdString(message.SerializeAsString());
    }
    QByteArray nextStop = m_nextStop.json;
    if (nextStop.isEmpty()) {
        nextStop = "{\"name\":" + jsonString(m_nextStop.name) +
                   ",\"position\":{\"latitude\":" + jsonNumber(m_nextStop.latitude) +
                   ",\"longitude\":" + jsonNumber(m_nextStop.longitude) +
                   ",\"altitude\":" + jsonNumber(m_nextStop.altitude) + "}}";
    }
    return "{\"state\":\"" + stateName(reported).toLatin1() +
           "\",\"telemetry\":{\"speed\":" + jsonNumber(speed()) +
           ",\"fuel\":" + jsonNumber(m_fuel) +
           ",\"position\":{\"latitude\":" + jsonNumber(latitude()) +
           ",\"longitude\":" + jsonNumber(longitude()) +
           ",\"altitude\":0}},\"nextStop\":" + nextStop + '}';
}

} // namespace fleet
