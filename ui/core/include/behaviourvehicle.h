#pragma once

#include "behaviour.h"
#include "behaviourmap.h"

#include <QPointF>

#include <memory>

namespace fleet {

// The autonomous vehicle of the mission module (docs/modules.md#device-behaviour): drives a
// route of an OSM-subset map, stops at the stations its START command names and reports its
// state, position, speed and next stop. States and transitions follow the reference virtual
// vehicle: START with stops drives to stops[0]; reaching it gives IN_STOP for the stop wait;
// only a command evaluated after the wait moves on (to the command's new stops[0], or IDLE when
// none are left); START without stops, STOP and NO_ACTION give IDLE; a stop that is not on the
// route gives ERROR until a valid START. nextStop echoes the command's stop object exactly,
// which the mission module needs to remove a reached stop (docs/modules.md#mission-module).
//
// Unlike the reference, the position moves smoothly between nodes by the leg's speed
// (settable back to the reference's node-to-node jumps), and the operator can put an
// obstacle in the way, raise an error, pause the vehicle and change its speed.
class VehicleBehaviour final : public Behaviour {
    Q_OBJECT
public:
    static constexpr quint32 kModule = 1;
    static constexpr quint32 kDeviceType = 1;
    static constexpr int kDefaultPeriodMs = 1000;
    static constexpr int kDefaultWaitAtStopMs = 10000;
    static constexpr double kDefaultFuel = 0.42;

    enum class State { Idle, Drive, InStop, Obstacle, Error };
    Q_ENUM(State)
    enum class Encoding { Json, Protobuf };
    Q_ENUM(Encoding)

    // A station of a command: its name and position, and the exact JSON it came as.
    struct Stop {
        QString name;
        double latitude = 0;
        double longitude = 0;
        double altitude = 0;
        QByteArray json; // compact JSON object as the command wrote it; empty from protobuf
        bool operator==(const Stop& other) const;
    };

    // Starts on the demo map (OsmMap::demoMapFile()), at the first node of its first route.
    explicit VehicleBehaviour(QObject* parent = nullptr);

    Kind kind() const override { return Kind::Vehicle; }
    QString title() const override { return tr("Autonomous vehicle"); }
    quint32 module() const override { return kModule; }
    quint32 deviceType() const override { return kDeviceType; }

    // The map and route; the vehicle stands at the route's first node, IDLE, without mission.
    // A fleet shares one map. False (nothing changed) for an unknown route.
    bool setMap(std::shared_ptr<const OsmMap> map, const QString& route = {},
                QString* error = nullptr);
    bool loadMap(const QString& fileName, const QString& route = {}, QString* error = nullptr);
    const OsmMap& map() const { return *m_map; }
    std::shared_ptr<const OsmMap> sharedMap() const { return m_map; }
    const MapRoute& route() const { return *m_route; }

    // What the status reports.
    State state() const;
    static QString stateName(State state); // "IN_STOP"
    double latitude() const;
    double longitude() const;
    double speed() const; // m/s; 0 unless driving
    double headingDeg() const { return m_headingDeg; }
    Stop nextStop() const { return m_nextStop; } // name empty: none
    QList<Stop> mission() const { return m_mission; }
    // The route node the vehicle is at or left last (an index into route().points).
    int routeIndex() const { return m_index; }
    // Milliseconds of stop wait left (0 unless waiting IN_STOP).
    qint64 waitLeftMs() const;
    // Recent positions, oldest first (for a trail on the map).
    const QList<QPointF>& trail() const { return m_trail; } // x = longitude, y = latitude

    // The operator's hand on the vehicle.
    void setObstacle(bool on); // halts while driving, reports OBSTACLE
    bool obstacle() const { return m_obstacle; }
    void setFault(bool on); // reports ERROR until cleared
    bool fault() const { return m_fault; }
    void setPaused(bool on); // time stands still for the vehicle: no movement, no stop wait
    bool paused() const { return m_paused; }
    void setSpeedFactor(double factor); // 0.1 … 10
    double speedFactor() const { return m_speedFactor; }

    // Settings (also through setSetting()).
    Encoding encoding() const { return m_encoding; }
    void setEncoding(Encoding encoding);
    int waitAtStopMs() const { return m_waitAtStopMs; }
    void setWaitAtStopMs(int ms);
    double speedOverride() const { return m_speedOverride; } // 0 = the map's speeds
    void setSpeedOverride(double mps);
    bool interpolate() const { return m_interpolate; }
    void setInterpolate(bool on);
    double fuel() const { return m_fuel; }
    void setFuel(double fuel);

    QByteArray status() const override;
    bool isAnimating() const override;
    QString stateText() const override { return stateName(state()); }
    QList<Setting> settings() const override;
    bool setSetting(const QString& key, const QString& value, QString* error = nullptr) override;

protected:
    void advance(qint64 fromMs, qint64 toMs) override;
    CommandOutcome apply(const QByteArray& command) override;
    qint64 nextEventMs() const override;

private:
    struct Command {
        int action = 0; // NO_ACTION 0, STOP 1, START 2 (the schema's numbers)
        QString route;
        QList<Stop> stops;
    };
    // "NO_ACTION", "STOP", "START" (the schema's numbers 0–2).
    static QString actionName(int action);
    bool decode(const QByteArray& bytes, Command* command, QString* error) const;
    CommandOutcome applyStart(const Command& command);
    void setBaseState(State state);
    void placeAt(int index);
    int nextIndex() const; // the node the current leg leads to
    double legLengthM() const;
    double legSpeed() const; // m/s of the current leg, factor included
    // Reaches the end of the current leg at `atMs`; true when that stopped the vehicle.
    bool arriveAtNextNode(qint64 atMs);
    bool checkTargetStop(qint64 atMs);
    bool trySwitchRoute();
    bool missionOnRoute(const QList<Stop>& stops, const MapRoute& route) const;
    void addTrailPoint();
    QPointF nodePoint(int routeIndex) const;

    std::shared_ptr<const OsmMap> m_map;
    const MapRoute* m_route = nullptr;
    const MapRoute* m_pendingRoute = nullptr; // a START's route, switched to at a shared node
    int m_index = 0;                          // current leg starts at route point m_index
    int m_direction = 1;    // +1 forwards, -1 back (non-circular routes ping-pong)
    double m_progressM = 0; // metres along the current leg
    double m_headingDeg = 0;
    State m_state = State::Idle; // the machine's state; state() adds obstacle and fault
    bool m_missionInvalid = false;
    QList<Stop> m_mission;
    Stop m_nextStop;
    qint64 m_waitUntilMs = -1; // IN_STOP: when the wait ends
    bool m_obstacle = false;
    bool m_fault = false;
    bool m_paused = false;
    double m_speedFactor = 1.0;
    Encoding m_encoding = Encoding::Json;
    int m_waitAtStopMs = kDefaultWaitAtStopMs;
    double m_speedOverride = 0;
    bool m_interpolate = true;
    double m_fuel = kDefaultFuel;
    QList<QPointF> m_trail;
};

} // namespace fleet
