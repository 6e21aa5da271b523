#pragma once

#include "modulecatalog.h"

#include <QByteArray>
#include <QHash>
#include <QObject>

namespace fleet {

class GatewayServer;
struct GatewayEvent;

// fleet-gateway --mission: a cloud that keeps its vehicles busy. Every vehicle (module 1,
// device type 1) gets the START mission queued at its first status, in that status's encoding,
// and again whenever it reports IDLE after having driven it (DRIVE or IN_STOP since the last
// queueing), so a fleet keeps driving. The queue is the operator's (GatewayServer::queueCommand):
// the mission module's command generation removes each stop as the vehicle reaches it
// (docs/modules.md#mission-module, docs/modules.md#device-behaviour).
class MissionDispatcher : public QObject {
    Q_OBJECT
public:
    MissionDispatcher(GatewayServer* server, const MissionCommand& mission,
                      QObject* parent = nullptr);

    // The mission of --mission "ROUTE:STOP,STOP,…" on the map in mapFile (empty: the built-in
    // demo site). False with *error naming the option and what is wrong: the map, the route or
    // the first stop the route lacks.
    static bool plan(const QString& spec, const QString& mapFile, MissionCommand* mission,
                     QString* error);

    // Missions queued so far, over all vehicles.
    quint64 missionsQueued() const { return m_queued; }

private:
    // Per connection: a new connection starts again from the module's first command.
    struct Vehicle {
        bool queued = false;   // the mission was queued at least once on this connection
        bool underway = false; // DRIVE or IN_STOP reported since it was last queued
    };

    void onEvent(const GatewayEvent& event);
    void queueFor(const GatewayEvent& event, Vehicle* vehicle);

    GatewayServer* m_server;
    QByteArray m_json; // the mission in either flavour, encoded once
    QByteArray m_protobuf;
    QHash<quint64, Vehicle> m_vehicles; // by connection id
    quint64 m_queued = 0;
};

} // namespace fleet
