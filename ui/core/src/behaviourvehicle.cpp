#include "behaviourvehicle.h"

#include <algorithm>
#include <cmath>

namespace fleet {

namespace {

// The reference vehicle's tolerance when it compares a command's stops with its mission, and
// when it looks for the node where a new route can be joined (docs/modules.md#device-behaviour).
constexpr double kSameStopDegrees = 1e-6;
constexpr double kJoinRouteWithinM = 0.5;
constexpr double kTrailStepM = 2.0;
constexpr qsizetype kTrailPoints = 400;
constexpr double kMinSpeedFactor = 0.1;
constexpr double kMaxSpeedFactor = 10.0;

std::shared_ptr<const OsmMap> demoMap()
{
    static const std::shared_ptr<const OsmMap> map = [] {
        auto loaded = std::make_shared<OsmMap>();
        QString error;
        if (!loaded->load(OsmMap::demoMapFile(), &error))
            qFatal("the compiled-in demo map does not load: %s", qPrintable(error));
        return loaded;
    }();
    return map;
}

} // namespace

bool VehicleBehaviour::Stop::operator==(const Stop& other) const
{
    return name == other.name && std::fabs(latitude - other.latitude) < kSameStopDegrees &&
           std::fabs(longitude - other.longitude) < kSameStopDegrees;
}

VehicleBehaviour::VehicleBehaviour(QObject* parent)
    : Behaviour(parent)
{
    setPeriodMs(kDefaultPeriodMs);
    setMap(demoMap());
}

bool VehicleBehaviour::setMap(std::shared_ptr<const OsmMap> map, const QString& route,
                              QString* error)
{
    if (!map || map->routes().isEmpty()) {
        if (error)
            *error = tr("the map has no route");
        return false;
    }
    const MapRoute* chosen = route.isEmpty() ? &map->routes().first() : map->route(route);
    if (!chosen) {
        if (error)
            *error =
                tr("the map %1 has no route '%2' (routes: %3)")
                    .arg(map->sourceName(), route, map->routeNames().join(QStringLiteral(", ")));
        return false;
    }
    m_map = std::move(map);
    m_route = chosen;
    m_pendingRoute = nullptr;
    m_direction = 1;
    m_state = State::Idle;
    m_missionInvalid = false;
    m_mission.clear();
    m_nextStop = Stop{};
    m_waitUntilMs = -1;
    m_trail.clear();
    placeAt(0);
    markStatusChanged();
    notifyChanged();
    return true;
}

bool VehicleBehaviour::loadMap(const QString& fileName, const QString& route, QString* error)
{
    auto map = std::make_shared<OsmMap>();
    if (!map->load(fileName, error))
        return false;
    return setMap(std::move(map), route, error);
}

VehicleBehaviour::State VehicleBehaviour::state() const
{
    if (m_fault || m_missionInvalid)
        return State::Error;
    if (m_obstacle && m_state == State::Drive)
        return State::Obstacle;
    return m_state;
}

QString VehicleBehaviour::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("IDLE");
    case State::Drive:
        return QStringLiteral("DRIVE");
    case State::InStop:
        return QStringLiteral("IN_STOP");
    case State::Obstacle:
        return QStringLiteral("OBSTACLE");
    case State::Error:
        return QStringLiteral("ERROR");
    }
    return QStringLiteral("ERROR");
}

QPointF VehicleBehaviour::nodePoint(int routeIndex) const
{
    const MapNode& node = m_map->nodes().at(m_route->points.at(routeIndex));
    return {node.longitude, node.latitude};
}

int VehicleBehaviour::nextIndex() const
{
    const int count = int(m_route->points.size());
    if (m_route->circular)
        return (m_index + 1) % count;
    return qBound(0, m_index + m_direction, count - 1);
}

double VehicleBehaviour::legLengthM() const
{
    const QPointF a = nodePoint(m_index);
    const QPointF b = nodePoint(nextIndex());
    return OsmMap::distanceM(a.y(), a.x(), b.y(), b.x());
}

double VehicleBehaviour::legSpeed() const
{
    const double base = m_speedOverride > 0 ? m_speedOverride : m_route->speeds.at(m_index);
    return base * m_speedFactor;
}

double VehicleBehaviour::latitude() const
{
    const QPointF a = nodePoint(m_index);
    if (!m_interpolate || m_progressM <= 0)
        return a.y();
    const double length = legLengthM();
    const QPointF b = nodePoint(nextIndex());
    return length > 0 ? a.y() + (b.y() - a.y()) * qMin(1.0, m_progressM / length) : a.y();
}

double VehicleBehaviour::longitude() const
{
    const QPointF a = nodePoint(m_index);
    if (!m_interpolate || m_progressM <= 0)
        return a.x();
    const double length = legLengthM();
    const QPointF b = nodePoint(nextIndex());
    return length > 0 ? a.x() + (b.x() - a.x()) * qMin(1.0, m_progressM / length) : a.x();
}

double VehicleBehaviour::speed() const
{
    return state() == State::Drive && !m_paused ? legSpeed() : 0.0;
}

qint64 VehicleBehaviour::waitLeftMs() const
{
    if (m_state != State::InStop || m_waitUntilMs < 0)
        return 0;
    return qMax<qint64>(0, m_waitUntilMs - now());
}

void VehicleBehaviour::placeAt(int index)
{
    m_index = index;
    m_progressM = 0;
    const QPointF a = nodePoint(m_index);
    const QPointF b = nodePoint(nextIndex());
    if (a != b)
        m_headingDeg = OsmMap::bearingDeg(a.y(), a.x(), b.y(), b.x());
    addTrailPoint();
}

void VehicleBehaviour::addTrailPoint()
{
    const QPointF here(longitude(), latitude());
    if (!m_trail.isEmpty()) {
        const QPointF& last = m_trail.last();
        if (OsmMap::distanceM(last.y(), last.x(), here.y(), here.x()) < kTrailStepM)
            return;
    }
    m_trail.append(here);
    if (m_trail.size() > kTrailPoints)
        m_trail.removeFirst();
}

void VehicleBehaviour::setBaseState(State state)
{
    if (state != State::InStop)
        m_waitUntilMs = -1;
    if (state == m_state)
        return;
    const State before = this->state();
    m_state = state;
    if (this->state() != before)
        markStatusChanged();
}

bool VehicleBehaviour::isAnimating() const
{
    return state() == State::Drive && !m_paused;
}

void VehicleBehaviour::advance(qint64 fromMs, qint64 toMs)
{
    if (m_paused) {
        if (m_state == State::InStop && m_waitUntilMs >= 0)
            m_waitUntilMs += toMs - fromMs; // the wait stands still too
        return;
    }
    if (m_state == State::InStop && m_waitUntilMs > fromMs && m_waitUntilMs <= toMs) {
        // The wait is over: the next command decides, so the next status should not wait for
        // the heartbeat.
        markStatusChanged();
        notifyChanged();
        return;
    }
    if (state() != State::Drive)
        return;
    double remainingMs = double(toMs - fromMs);
    double atMs = double(fromMs);
    // Every leg has a length (the loader refuses routes without one), so this ends; the bound
    // only guards against a leg of a few micrometres at a huge speed factor.
    for (int legs = 0; remainingMs > 0 && legs < 100000; ++legs) {
        const double speed = legSpeed();
        const double leftM = legLengthM() - m_progressM;
        const double toEndMs = leftM / speed * 1000.0;
        if (toEndMs > remainingMs) {
            m_progressM += speed * remainingMs / 1000.0;
            break;
        }
        remainingMs -= toEndMs;
        atMs += toEndMs;
        if (arriveAtNextNode(qint64(std::ceil(atMs))))
            break;
    }
    addTrailPoint();
    notifyChanged();
}

bool VehicleBehaviour::arriveAtNextNode(qint64 atMs)
{
    const int count = int(m_route->points.size());
    const int reached = nextIndex();
    if (!m_route->circular) {
        if (reached == count - 1)
            m_direction = -1; // the far end: back the way it came
        else if (reached == 0)
            m_direction = 1;
    }
    placeAt(reached);
    if (!m_interpolate)
        markStatusChanged(); // the reported position jumped to the node
    if (m_pendingRoute && trySwitchRoute())
        return true;
    return checkTargetStop(atMs);
}

bool VehicleBehaviour::checkTargetStop(qint64 atMs)
{
    if (m_progressM > 0 || m_nextStop.name.isEmpty() || m_state != State::Drive)
        return false;
    const MapNode& node = m_map->nodes().at(m_route->points.at(m_index));
    if (!node.stop || node.name != m_nextStop.name)
        return false; // other stops are driven through
    setBaseState(State::InStop);
    m_waitUntilMs = atMs + m_waitAtStopMs;
    markStatusChanged();
    notifyChanged();
    return true;
}

bool VehicleBehaviour::trySwitchRoute()
{
    const MapNode& here = m_map->nodes().at(m_route->points.at(m_index));
    const MapRoute* target = m_pendingRoute;
    int join = -1;
    for (int i = 0; i < target->points.size(); ++i) {
        const MapNode& node = m_map->nodes().at(target->points.at(i));
        if (OsmMap::distanceM(here.latitude, here.longitude, node.latitude, node.longitude) <
            kJoinRouteWithinM) {
            join = i;
            break;
        }
    }
    if (join < 0)
        return false; // not yet: tried again at every following node
    m_route = target;
    m_pendingRoute = nullptr;
    m_direction = 1;
    if (!target->circular) {
        // Towards the next stop: ahead when it lies further along, else back.
        bool ahead = false;
        for (int i = join; i < target->points.size() && !ahead; ++i) {
            const MapNode& node = m_map->nodes().at(target->points.at(i));
            ahead = node.stop && node.name == m_nextStop.name;
        }
        if (!ahead || join == target->points.size() - 1)
            m_direction = join == 0 ? 1 : -1;
    }
    placeAt(join);
    markStatusChanged();
    if (!missionOnRoute(m_mission, *target)) {
        m_mission.clear();
        m_missionInvalid = true;
        m_nextStop = Stop{};
        setBaseState(State::Idle);
        markStatusChanged();
        return true;
    }
    return false;
}

bool VehicleBehaviour::missionOnRoute(const QList<Stop>& stops, const MapRoute& route) const
{
    return std::all_of(stops.cbegin(), stops.cend(),
                       [&](const Stop& stop) { return route.hasStop(stop.name); });
}

qint64 VehicleBehaviour::nextEventMs() const
{
    if (m_paused)
        return -1;
    if (m_state == State::InStop && m_waitUntilMs > now())
        return m_waitUntilMs;
    if (state() != State::Drive)
        return -1;
    const double toEndMs = (legLengthM() - m_progressM) / legSpeed() * 1000.0;
    return now() + qMax<qint64>(1, qint64(std::ceil(toEndMs)));
}

Behaviour::CommandOutcome VehicleBehaviour::apply(const QByteArray& bytes)
{
    // Empty bytes: the protobuf NO_ACTION (every field at its default) for a protobuf vehicle,
    // a newer gateway's "nothing new" for a JSON one (docs/modules.md#mission-module).
    if (bytes.isEmpty() && m_encoding == Encoding::Json)
        return {false, tr("empty answer: nothing new")};
    Command command;
    QString error;
    if (!decode(bytes, &command, &error))
        return {false, tr("ignored: %1").arg(error)};
    if (command.action == 2)
        return applyStart(command);
    // STOP and NO_ACTION: no next stop, standing where it is; a later START resumes here.
    m_nextStop = Stop{};
    setBaseState(State::Idle);
    notifyChanged();
    return {true, tr("%1: %2").arg(actionName(command.action), stateName(state()))};
}

Behaviour::CommandOutcome VehicleBehaviour::applyStart(const Command& command)
{
    if (command.stops.isEmpty()) {
        // The gateway repeats this after every status once a mission is done: only a change
        // makes a status due.
        if (m_missionInvalid || !m_nextStop.name.isEmpty() || m_state != State::Idle)
            markStatusChanged();
        m_mission.clear();
        m_missionInvalid = false;
        m_nextStop = Stop{};
        m_pendingRoute = nullptr;
        setBaseState(State::Idle);
        notifyChanged();
        return {true, tr("START without stops: IDLE")};
    }
    bool routeChange = false;
    if (!command.route.isEmpty() && command.route != m_route->name) {
        const MapRoute* target = m_map->route(command.route);
        if (!target)
            return {false, tr("ignored: route '%1' is not on the map").arg(command.route)};
        m_pendingRoute = target;
        routeChange = true;
    }
    if (command.stops != m_mission) {
        if (!routeChange && !missionOnRoute(command.stops, *m_route)) {
            QString missing;
            for (const Stop& stop : command.stops) {
                if (!m_route->hasStop(stop.name)) {
                    missing = stop.name;
                    break;
                }
            }
            m_mission.clear();
            m_missionInvalid = true;
            m_nextStop = Stop{};
            setBaseState(State::Idle);
            markStatusChanged();
            notifyChanged();
            return {true, tr("ERROR: stop '%1' is not on route '%2'").arg(missing, m_route->name)};
        }
        m_mission = command.stops;
        if (m_missionInvalid)
            markStatusChanged();
        m_missionInvalid = false;
    }
    const QString stops = tr("START, %n stop(s)", nullptr, int(m_mission.size()));
    if (m_state == State::InStop && m_waitUntilMs > now()) {
        notifyChanged();
        return {true, tr("%1; waiting at '%2' %3 s more")
                          .arg(stops, m_nextStop.name)
                          .arg((m_waitUntilMs - now() + 999) / 1000)};
    }
    if (m_mission.isEmpty()) { // after a route switch made it invalid
        setBaseState(State::Idle);
        notifyChanged();
        return {true, tr("%1: IDLE").arg(stops)};
    }
    if (!(m_nextStop == m_mission.first()) || m_nextStop.json != m_mission.first().json)
        markStatusChanged();
    m_nextStop = m_mission.first();
    setBaseState(State::Drive);
    checkTargetStop(now()); // standing at the stop already
    notifyChanged();
    return {true, tr("%1: driving to '%2'").arg(stops, m_nextStop.name)};
}

void VehicleBehaviour::setObstacle(bool on)
{
    if (on == m_obstacle)
        return;
    const State before = state();
    m_obstacle = on;
    if (state() != before)
        markStatusChanged();
    notifyChanged();
}

void VehicleBehaviour::setFault(bool on)
{
    if (on == m_fault)
        return;
    const State before = state();
    m_fault = on;
    if (state() != before)
        markStatusChanged();
    notifyChanged();
}

void VehicleBehaviour::setPaused(bool on)
{
    if (on == m_paused)
        return;
    m_paused = on;
    markStatusChanged(); // the speed changes
    notifyChanged();
}

void VehicleBehaviour::setSpeedFactor(double factor)
{
    m_speedFactor = qBound(kMinSpeedFactor, factor, kMaxSpeedFactor);
    notifyChanged();
}

} // namespace fleet
