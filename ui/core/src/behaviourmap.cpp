#include "behaviourmap.h"

#include <QFile>
#include <QHash>
#include <QXmlStreamReader>

#include <cmath>

// Resources of a static library register only when asked to (outside any namespace).
static void initMapResources()
{
    Q_INIT_RESOURCE(maps);
}

namespace fleet {

namespace {

// The Earth radius the reference vehicle's haversine uses (docs/modules.md#device-behaviour).
constexpr double kEarthRadiusM = 6372797.56;

double radians(double degrees)
{
    return degrees * M_PI / 180.0;
}

// One <node>, <way> or <relation> while the reader walks it.
struct Element {
    QString kind;
    qint64 id = 0;
    qint64 line = 0;
    double latitude = 0;
    double longitude = 0;
    QHash<QString, QString> tags;
    QList<std::pair<qint64, qint64>> refs; // (ref, line) of <nd> or <member>
};

class Reader {
public:
    Reader(const QString& source, QList<MapNode>* nodes, QList<MapWay>* ways,
           QList<MapRoute>* routes, QStringList* warnings)
        : m_source(source)
        , m_nodes(nodes)
        , m_ways(ways)
        , m_routes(routes)
        , m_warnings(warnings)
    {
    }

    bool read(const QByteArray& xml);
    QString error() const { return m_error; }

private:
    bool fail(qint64 line, const QString& what)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1 line %2: %3").arg(m_source).arg(line).arg(what);
        return false;
    }
    void warn(qint64 line, const QString& what)
    {
        m_warnings->append(QStringLiteral("%1 line %2: %3").arg(m_source).arg(line).arg(what));
    }
    bool startElement(QXmlStreamReader& xml);
    bool finishElement();
    bool addNode(const Element& element);
    bool addWay(const Element& element);
    bool addRoute(const Element& element);

    QString m_source;
    QList<MapNode>* m_nodes;
    QList<MapWay>* m_ways;
    QList<MapRoute>* m_routes;
    QStringList* m_warnings;
    QString m_error;
    QHash<qint64, int> m_nodeIndex;
    QHash<qint64, int> m_wayIndex;
    Element m_element; // kind empty outside node/way/relation
};

QString describe(const Element& element)
{
    return QStringLiteral("%1 %2").arg(element.kind).arg(element.id);
}

bool Reader::read(const QByteArray& data)
{
    QXmlStreamReader xml(data);
    bool sawRoot = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (!sawRoot) {
                if (xml.name() != QLatin1String("osm"))
                    return fail(xml.lineNumber(),
                                QStringLiteral("the root element is <%1>, expected <osm>")
                                    .arg(xml.name().toString()));
                sawRoot = true;
                continue;
            }
            if (!startElement(xml))
                return false;
        } else if (token == QXmlStreamReader::EndElement) {
            const QStringView name = xml.name();
            if (!m_element.kind.isEmpty() && name == m_element.kind && !finishElement())
                return false;
        }
    }
    if (xml.hasError())
        return fail(xml.lineNumber(),
                    QStringLiteral("not well-formed XML: %1").arg(xml.errorString()));
    if (!sawRoot)
        return fail(1, QStringLiteral("no <osm> element"));
    if (m_routes->isEmpty())
        return fail(
            xml.lineNumber(),
            QStringLiteral("no route: a route is a <relation> with a name tag and member ways"));
    return true;
}

bool Reader::startElement(QXmlStreamReader& xml)
{
    const QStringView name = xml.name();
    const QXmlStreamAttributes attributes = xml.attributes();
    const qint64 line = xml.lineNumber();
    if (name == QLatin1String("node") || name == QLatin1String("way") ||
        name == QLatin1String("relation")) {
        if (!m_element.kind.isEmpty())
            return fail(line,
                        QStringLiteral("<%1> inside %2").arg(name.toString(), describe(m_element)));
        m_element = Element{};
        m_element.kind = name.toString();
        m_element.line = line;
        bool ok = false;
        m_element.id = attributes.value(QLatin1String("id")).toLongLong(&ok);
        if (!ok)
            return fail(
                line, QStringLiteral("<%1> has no numeric id (id=\"%2\")")
                          .arg(name.toString(), attributes.value(QLatin1String("id")).toString()));
        if (name == QLatin1String("node")) {
            const QLatin1String keys[2] = {QLatin1String("lat"), QLatin1String("lon")};
            double* targets[2] = {&m_element.latitude, &m_element.longitude};
            const double limits[2] = {90, 180};
            for (int i = 0; i < 2; ++i) {
                const QStringView text = attributes.value(keys[i]);
                *targets[i] = text.toDouble(&ok);
                if (!ok || !std::isfinite(*targets[i]) || std::fabs(*targets[i]) > limits[i])
                    return fail(line, QStringLiteral("node %1: %2=\"%3\" is not a coordinate")
                                          .arg(m_element.id)
                                          .arg(keys[i], text.toString()));
            }
        }
        return true;
    }
    if (m_element.kind.isEmpty())
        return true; // <bounds>, <meta> and friends: not part of the subset
    if (name == QLatin1String("tag")) {
        m_element.tags.insert(attributes.value(QLatin1String("k")).toString(),
                              attributes.value(QLatin1String("v")).toString());
        return true;
    }
    const bool nd = name == QLatin1String("nd") && m_element.kind == QLatin1String("way");
    const bool member =
        name == QLatin1String("member") && m_element.kind == QLatin1String("relation");
    if (nd || member) {
        bool ok = false;
        const qint64 ref = attributes.value(QLatin1String("ref")).toLongLong(&ok);
        if (!ok)
            return fail(line, QStringLiteral("%1: <%2> has no numeric ref (ref=\"%3\")")
                                  .arg(describe(m_element), name.toString(),
                                       attributes.value(QLatin1String("ref")).toString()));
        m_element.refs.append({ref, line});
    }
    return true;
}

bool Reader::finishElement()
{
    const Element element = std::exchange(m_element, Element{});
    if (element.kind == QLatin1String("node"))
        return addNode(element);
    if (element.kind == QLatin1String("way"))
        return addWay(element);
    return addRoute(element);
}

bool Reader::addNode(const Element& element)
{
    if (m_nodeIndex.contains(element.id))
        return fail(element.line, QStringLiteral("node %1 is defined twice").arg(element.id));
    MapNode node;
    node.id = element.id;
    node.latitude = element.latitude;
    node.longitude = element.longitude;
    node.name = element.tags.value(QStringLiteral("name"));
    if (element.tags.contains(QStringLiteral("speed"))) {
        bool ok = false;
        const QString text = element.tags.value(QStringLiteral("speed"));
        node.speed = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(node.speed))
            return fail(element.line,
                        QStringLiteral("node %1: speed \"%2\" is not a number of metres per second")
                            .arg(element.id)
                            .arg(text));
    }
    if (element.tags.value(QStringLiteral("stop")) == QLatin1String("true")) {
        if (node.name.isEmpty())
            warn(element.line, QStringLiteral("node %1 is a stop without a name: ignored as a stop")
                                   .arg(element.id));
        else
            node.stop = true;
    }
    m_nodeIndex.insert(node.id, int(m_nodes->size()));
    m_nodes->append(node);
    return true;
}

bool Reader::addWay(const Element& element)
{
    if (m_wayIndex.contains(element.id))
        return fail(element.line, QStringLiteral("way %1 is defined twice").arg(element.id));
    MapWay way;
    way.id = element.id;
    for (const auto& [ref, line] : element.refs) {
        const auto it = m_nodeIndex.constFind(ref);
        if (it == m_nodeIndex.constEnd())
            return fail(line, QStringLiteral("way %1 refers to node %2, which is not defined "
                                             "before it (nodes come first)")
                                  .arg(element.id)
                                  .arg(ref));
        way.nodes.append(*it);
    }
    if (way.nodes.isEmpty())
        return fail(element.line, QStringLiteral("way %1 has no <nd> nodes").arg(element.id));
    m_wayIndex.insert(way.id, int(m_ways->size()));
    m_ways->append(way);
    return true;
}

bool Reader::addRoute(const Element& element)
{
    MapRoute route;
    route.name = element.tags.value(QStringLiteral("name"));
    if (route.name.isEmpty())
        return fail(
            element.line,
            QStringLiteral("relation %1 has no name tag (a route needs one)").arg(element.id));
    if (element.refs.isEmpty())
        return fail(
            element.line,
            QStringLiteral("relation %1 ('%2') has no members").arg(element.id).arg(route.name));
    for (const MapRoute& other : *m_routes) {
        if (other.name == route.name)
            return fail(element.line,
                        QStringLiteral("relation %1: a route named '%2' exists already")
                            .arg(element.id)
                            .arg(route.name));
    }
    const QList<MapNode>& nodes = *m_nodes;
    for (const auto& [ref, line] : element.refs) {
        const auto it = m_wayIndex.constFind(ref);
        if (it == m_wayIndex.constEnd())
            return fail(line, QStringLiteral("relation %1 ('%2') refers to way %3, which is not "
                                             "defined before it (ways come before relations)")
                                  .arg(element.id)
                                  .arg(route.name)
                                  .arg(ref));
        const MapWay& way = m_ways->at(*it);
        if (!route.points.isEmpty()) {
            const MapNode& last = nodes.at(route.points.last());
            const MapNode& first = nodes.at(way.nodes.first());
            const double gap =
                OsmMap::distanceM(last.latitude, last.longitude, first.latitude, first.longitude);
            if (gap > OsmMap::kGapWarningM)
                warn(line,
                     QStringLiteral("route '%1': %2 m gap before way %3; the vehicle jumps it")
                         .arg(route.name)
                         .arg(qRound(gap))
                         .arg(ref));
        }
        for (int node : way.nodes) {
            // A way usually starts where the previous one ended: one point, not two.
            if (route.points.isEmpty() || nodes.at(route.points.last()).id != nodes.at(node).id)
                route.points.append(node);
        }
    }
    const MapNode& first = nodes.at(route.points.first());
    const MapNode& last = nodes.at(route.points.last());
    route.circular =
        route.points.size() > 2 && OsmMap::distanceM(first.latitude, first.longitude, last.latitude,
                                                     last.longitude) < OsmMap::kCircularWithinM;
    if (route.circular && first.id == last.id)
        route.points.removeLast(); // the lap closes from the last point to the first
    for (qsizetype i = 0; i + 1 < route.points.size(); ++i) {
        const MapNode& a = nodes.at(route.points.at(i));
        const MapNode& b = nodes.at(route.points.at(i + 1));
        route.lengthM += OsmMap::distanceM(a.latitude, a.longitude, b.latitude, b.longitude);
    }
    if (route.circular) {
        const MapNode& a = nodes.at(route.points.last());
        route.lengthM +=
            OsmMap::distanceM(a.latitude, a.longitude, first.latitude, first.longitude);
    }
    if (route.points.size() < 2 || route.lengthM < 0.5)
        return fail(element.line, QStringLiteral("route '%1' has no length: it needs two distinct "
                                                 "points")
                                      .arg(route.name));
    double speed = 0;
    for (qsizetype i = 0; i < route.points.size(); ++i) {
        const MapNode& node = nodes.at(route.points.at(i));
        if (node.speed > 0) {
            speed = node.speed;
        } else if (i == 0) {
            speed = OsmMap::kDefaultSpeedMps;
            warn(element.line, QStringLiteral("route '%1' starts at node %2 without a speed tag: "
                                              "5 m/s until a node says otherwise")
                                   .arg(route.name)
                                   .arg(node.id));
        }
        route.speeds.append(speed);
        // Listed once per route, where the route first passes it.
        if (node.stop && !route.stopNames.contains(node.name)) {
            route.stopPoints.append(int(i));
            route.stopNames.append(node.name);
        }
    }
    m_routes->append(route);
    return true;
}

} // namespace

bool MapRoute::hasStop(const QString& name) const
{
    return !name.isEmpty() && stopNames.contains(name);
}

QString OsmMap::demoMapFile()
{
    initMapResources();
    return QStringLiteral(":/maps/demo-site.osm");
}

bool OsmMap::load(const QString& fileName, QString* error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open the map %1: %2").arg(fileName, file.errorString());
        return false;
    }
    return loadData(file.readAll(), fileName, error);
}

bool OsmMap::loadData(const QByteArray& xml, const QString& sourceName, QString* error)
{
    QList<MapNode> nodes;
    QList<MapWay> ways;
    QList<MapRoute> routes;
    QStringList warnings;
    Reader reader(sourceName, &nodes, &ways, &routes, &warnings);
    if (!reader.read(xml)) {
        if (error)
            *error = reader.error();
        return false; // a bad file changes nothing
    }
    m_sourceName = sourceName;
    m_nodes = std::move(nodes);
    m_ways = std::move(ways);
    m_routes = std::move(routes);
    m_warnings = std::move(warnings);
    return true;
}

const MapRoute* OsmMap::route(const QString& name) const
{
    for (const MapRoute& route : m_routes) {
        if (route.name == name)
            return &route;
    }
    return nullptr;
}

QStringList OsmMap::routeNames() const
{
    QStringList names;
    for (const MapRoute& route : m_routes)
        names.append(route.name);
    return names;
}

bool OsmMap::mission(const QString& routeName, const QStringList& stopNames,
                     MissionCommand* command, QString* error) const
{
    const MapRoute* found = route(routeName);
    if (!found) {
        *error = QStringLiteral("%1 has no route '%2' (routes: %3)")
                     .arg(m_sourceName, routeName, routeNames().join(QStringLiteral(", ")));
        return false;
    }
    MissionCommand built;
    built.action = MissionCommand::Action::Start;
    built.route = routeName;
    for (const QString& name : stopNames) {
        const int at = found->stopNames.indexOf(name);
        if (at < 0) {
            *error = QStringLiteral("route '%1' has no stop '%2' (stops: %3)")
                         .arg(routeName, name, found->stopNames.join(QStringLiteral(", ")));
            return false;
        }
        const MapNode& node = m_nodes.at(found->points.at(found->stopPoints.at(at)));
        built.stops.append({node.name, node.latitude, node.longitude, 0.0});
    }
    *command = built;
    return true;
}

double OsmMap::distanceM(double lat1, double lon1, double lat2, double lon2)
{
    const double dLat = radians(lat2 - lat1);
    const double dLon = radians(lon2 - lon1);
    const double a =
        std::sin(dLat / 2) * std::sin(dLat / 2) +
        std::cos(radians(lat1)) * std::cos(radians(lat2)) * std::sin(dLon / 2) * std::sin(dLon / 2);
    return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

double OsmMap::bearingDeg(double lat1, double lon1, double lat2, double lon2)
{
    const double phi1 = radians(lat1);
    const double phi2 = radians(lat2);
    const double dLon = radians(lon2 - lon1);
    const double y = std::sin(dLon) * std::cos(phi2);
    const double x =
        std::cos(phi1) * std::sin(phi2) - std::sin(phi1) * std::cos(phi2) * std::cos(dLon);
    const double degrees = std::atan2(y, x) * 180.0 / M_PI;
    return std::fmod(degrees + 360.0, 360.0);
}

} // namespace fleet
