#include "missiondispatcher.h"

#include "behaviourmap.h"
#include "gatewayserver.h"

#include "MissionModule.pb.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace fleet {

namespace {

constexpr quint32 kMissionModule = 1;
constexpr quint32 kAutonomyDeviceType = 1;

enum class Reported { Idle, Underway, Other };

// The state a vehicle's status reports, in either flavour (docs/modules.md#mission-module).
Reported reportedState(const QByteArray& status, MissionEncoding encoding)
{
    if (encoding == MissionEncoding::Json) {
        const QString state =
            QJsonDocument::fromJson(status).object().value(QLatin1String("state")).toString();
        if (state == QLatin1String("IDLE"))
            return Reported::Idle;
        if (state == QLatin1String("DRIVE") || state == QLatin1String("IN_STOP"))
            return Reported::Underway;
        return Reported::Other;
    }
    MissionModule::AutonomyStatus decoded;
    if (!decoded.ParseFromArray(status.constData(), int(status.size())))
        return Reported::Other;
    switch (decoded.state()) {
    case MissionModule::AutonomyStatus::IDLE:
        return Reported::Idle;
    case MissionModule::AutonomyStatus::DRIVE:
    case MissionModule::AutonomyStatus::IN_STOP:
        return Reported::Underway;
    default:
        return Reported::Other;
    }
}

} // namespace

bool MissionDispatcher::plan(const QString& spec, const QString& mapFile, MissionCommand* mission,
                             QString* error)
{
    // The route ends at the first ':' (the demo site's names have none; a stop may).
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    QStringList stops;
    if (colon > 0) {
        for (const QString& stop : spec.mid(colon + 1).split(QLatin1Char(','))) {
            if (!stop.trimmed().isEmpty())
                stops.append(stop.trimmed());
        }
    }
    if (colon <= 0 || stops.isEmpty()) {
        *error = QStringLiteral("--mission '%1': expected ROUTE:STOP[,STOP…], e.g. "
                                "\"Yard loop:Paint Shop,Canteen\"")
                     .arg(spec);
        return false;
    }
    OsmMap map;
    const QString file = mapFile.isEmpty() ? OsmMap::demoMapFile() : mapFile;
    if (!map.load(file, error)) {
        *error = QStringLiteral("--map: ") + *error;
        return false;
    }
    if (!map.mission(spec.left(colon).trimmed(), stops, mission, error)) {
        *error = QStringLiteral("--mission: ") + *error;
        return false;
    }
    return true;
}

MissionDispatcher::MissionDispatcher(GatewayServer* server, const MissionCommand& mission,
                                     QObject* parent)
    : QObject(parent)
    , m_server(server)
    , m_json(ModuleCatalog::encodeMissionCommand(mission, MissionEncoding::Json))
    , m_protobuf(ModuleCatalog::encodeMissionCommand(mission, MissionEncoding::Protobuf))
{
    connect(server, &GatewayServer::gatewayEvent, this, &MissionDispatcher::onEvent);
}

void MissionDispatcher::onEvent(const GatewayEvent& event)
{
    if (event.kind == GatewayEvent::Kind::Disconnected) {
        m_vehicles.remove(event.connectionId);
        return;
    }
    if (event.kind != GatewayEvent::Kind::StatusReceived || !event.hasDevice ||
        event.device.module != kMissionModule || event.device.deviceType != kAutonomyDeviceType)
        return;
    Vehicle& vehicle = m_vehicles[event.connectionId];
    // The encoding is known only from a status, so the first mission waits for the first one;
    // queued now, it answers this very status (the server emits the event before answering).
    if (!vehicle.queued) {
        queueFor(event, &vehicle);
        return;
    }
    const MissionEncoding encoding = ModuleCatalog::missionEncoding(event.data);
    switch (reportedState(event.data, encoding)) {
    case Reported::Underway:
        vehicle.underway = true;
        break;
    case Reported::Idle:
        // IDLE before it ever drove is the vehicle still on its way to the mission (statuses
        // cross the queued command); IDLE after driving is a mission finished.
        if (vehicle.underway)
            queueFor(event, &vehicle);
        break;
    case Reported::Other:
        break; // OBSTACLE, ERROR, unreadable: wait for the vehicle to sort itself out
    }
}

void MissionDispatcher::queueFor(const GatewayEvent& event, Vehicle* vehicle)
{
    const MissionEncoding encoding = ModuleCatalog::missionEncoding(event.data);
    const QByteArray& command = encoding == MissionEncoding::Json ? m_json : m_protobuf;
    QString error;
    if (!m_server->queueCommand(event.device, command, &error)) {
        qCWarning(lcGateway).noquote()
            << "--mission: cannot queue for" << GatewayServer::slotName(event.device) << error;
        return;
    }
    vehicle->queued = true;
    vehicle->underway = false;
    ++m_queued;
}

} // namespace fleet
