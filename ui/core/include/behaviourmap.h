#pragma once

#include "modulecatalog.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace fleet {

// A map in the OSM subset the reference virtual vehicle reads
// (docs/modules.md#device-behaviour): nodes with lat/lon and the tags `stop` (exactly "true"),
// `name` and `speed` (m/s), ways as ordered node references, and named relations whose member
// ways, concatenated in member order, form a route. Every reference points at an element
// defined earlier in the file, so nodes come first, then ways, then relations.
struct MapNode {
    qint64 id = 0;
    double latitude = 0;
    double longitude = 0;
    bool stop = false; // stop=true with a name
    QString name;
    double speed = 0; // m/s from the speed tag; 0 = none
};

struct MapWay {
    qint64 id = 0;
    QList<int> nodes; // indices into OsmMap::nodes()
};

struct MapRoute {
    QString name;
    QList<int> points;     // indices into OsmMap::nodes(), in driving order
    QList<double> speeds;  // m/s per point: its tag, else the previous point's, else 5
    bool circular = false; // first and last point less than 10 m apart: the vehicle laps
    double lengthM = 0;    // one lap (circular) or one way (otherwise)
    QList<int> stopPoints; // positions in `points` that are named stops
    QStringList stopNames; // their names, in the same order
    bool hasStop(const QString& name) const;
};

class OsmMap {
public:
    static constexpr double kDefaultSpeedMps = 5.0;
    static constexpr double kCircularWithinM = 10.0;
    static constexpr double kGapWarningM = 50.0;

    // Reads a map file. False with *error naming the file, the line and the element.
    bool load(const QString& fileName, QString* error);
    // The same from bytes; sourceName labels the messages ("demo-site.osm").
    bool loadData(const QByteArray& xml, const QString& sourceName, QString* error);

    // The map made for this project: a fictional yard with two routes (a resource).
    static QString demoMapFile();

    QString sourceName() const { return m_sourceName; }
    const QList<MapNode>& nodes() const { return m_nodes; }
    const QList<MapWay>& ways() const { return m_ways; }
    const QList<MapRoute>& routes() const { return m_routes; }
    const MapRoute* route(const QString& name) const; // nullptr when unknown
    QStringList routeNames() const;
    // A START mission on `route` to the stops named, in that order, with their positions from
    // the map: what the console's mission planner and `fleet-gateway --mission` queue. False
    // with *error naming the route or the first stop the route does not have (a stop off the
    // route would put the vehicle in ERROR, docs/modules.md#device-behaviour).
    bool mission(const QString& route, const QStringList& stopNames, MissionCommand* command,
                 QString* error) const;
    // Things a reader should know but that do not stop loading: an unnamed stop, a gap
    // between a route's ways, a first point without speed.
    const QStringList& warnings() const { return m_warnings; }

    // Great-circle distance in metres (haversine, the reference vehicle's Earth radius).
    static double distanceM(double lat1, double lon1, double lat2, double lon2);
    // Initial bearing from the first point to the second, degrees clockwise from north.
    static double bearingDeg(double lat1, double lon1, double lat2, double lon2);

private:
    QString m_sourceName;
    QList<MapNode> m_nodes;
    QList<MapWay> m_ways;
    QList<MapRoute> m_routes;
    QStringList m_warnings;
};

} // namespace fleet
