// The autonomous vehicle behaviour (docs/modules.md#device-behaviour): the OSM-subset map reader
// on good and broken files, every state transition as a scripted row on an injected clock,
// movement by speed along non-circular and circular routes, route changes, the operator's
// obstacle/fault/pause, and statuses the mission module accepts in both encodings
// (docs/modules.md#mission-module), with nextStop echoing the command's stop exactly.
#include "behaviourmap.h"
#include "behaviourvehicle.h"
#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>

#include <cmath>

using namespace fleet;

namespace {

// A test site. "Line" runs north from node 1 to node 5, legs of 100.1 m at 10 m/s (10.01 s);
// stops Alpha (2), Bravo (4), Charlie (5). "Ring" is circular through node 3 of Line:
// 3 → 10 → 11 (Delta) → 12 (Echo) → 3, legs of about 100 m at the default 5 m/s (20 s).
const QByteArray kTestMap = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="50.0000" lon="14.0000"><tag k="speed" v="10"/></node>
  <node id="2" lat="50.0009" lon="14.0000"><tag k="stop" v="true"/><tag k="name" v="Alpha"/></node>
  <node id="3" lat="50.0018" lon="14.0000"/>
  <node id="4" lat="50.0027" lon="14.0000"><tag k="stop" v="true"/><tag k="name" v="Bravo"/></node>
  <node id="5" lat="50.0036" lon="14.0000"><tag k="stop" v="true"/><tag k="name" v="Charlie"/></node>
  <node id="10" lat="50.0018" lon="14.0014"/>
  <node id="11" lat="50.0027" lon="14.0014"><tag k="stop" v="true"/><tag k="name" v="Delta"/></node>
  <node id="12" lat="50.0027" lon="14.0000"><tag k="stop" v="true"/><tag k="name" v="Echo"/></node>
  <way id="100"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
  <way id="101"><nd ref="3"/><nd ref="4"/><nd ref="5"/></way>
  <way id="102"><nd ref="3"/><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="3"/></way>
  <relation id="200"><member type="way" ref="100" role=""/><member type="way" ref="101" role=""/>
    <tag k="name" v="Line"/></relation>
  <relation id="201"><member type="way" ref="102" role=""/><tag k="name" v="Ring"/></relation>
</osm>
)";

std::shared_ptr<const OsmMap> testMap()
{
    static const std::shared_ptr<const OsmMap> map = [] {
        auto loaded = std::make_shared<OsmMap>();
        QString error;
        if (!loaded->loadData(kTestMap, QStringLiteral("test.osm"), &error))
            qFatal("test map: %s", qPrintable(error));
        return loaded;
    }();
    return map;
}

const MapNode* node(qint64 id)
{
    for (const MapNode& candidate : testMap()->nodes()) {
        if (candidate.id == id)
            return &candidate;
    }
    return nullptr;
}

const MapNode* stopNode(const QString& name)
{
    for (const MapNode& candidate : testMap()->nodes()) {
        if (candidate.stop && candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

// A stop as a fleet manager would write it; unknown names get made-up coordinates.
QByteArray stopJson(const QString& name)
{
    const MapNode* found = stopNode(name);
    const double latitude = found ? found->latitude : 51.0;
    const double longitude = found ? found->longitude : 15.0;
    return "{\"name\":\"" + name.toUtf8() + "\",\"position\":{\"latitude\":" + number(latitude) +
           ",\"longitude\":" + number(longitude) + ",\"altitude\":0}}";
}

QByteArray startJson(const QString& route, const QStringList& stops)
{
    QByteArrayList parts;
    for (const QString& stop : stops)
        parts.append(stopJson(stop));
    return "{\"action\":\"START\",\"route\":\"" + route.toUtf8() + "\",\"stops\":[" +
           parts.join(',') + "]}";
}

QByteArray startProto(const QStringList& stops)
{
    MissionModule::AutonomyCommand command;
    command.set_action(MissionModule::AutonomyCommand::START);
    for (const QString& name : stops) {
        auto* station = command.add_stops();
        station->set_name(name.toStdString());
        const MapNode* found = stopNode(name);
        station->mutable_position()->set_latitude(found ? found->latitude : 51.0);
        station->mutable_position()->set_longitude(found ? found->longitude : 15.0);
    }
    return QByteArray::fromStdString(command.SerializeAsString());
}

// The status as the module sees it: valid by the catalog, decoded into state and nextStop.
struct Seen {
    QString state;
    QString nextStop;
    double speed = 0;
    double latitude = 0;
    double longitude = 0;
};

bool decodeStatus(const VehicleBehaviour& vehicle, Seen* seen, QString* problem)
{
    const QByteArray status = vehicle.status();
    const ValidationResult valid = ModuleCatalog::validateStatus(1, 1, status);
    if (!valid.ok) {
        *problem = valid.message + QStringLiteral(": ") + QString::fromUtf8(status);
        return false;
    }
    if (vehicle.encoding() == VehicleBehaviour::Encoding::Protobuf) {
        MissionModule::AutonomyStatus message;
        if (!message.ParseFromArray(status.constData(), int(status.size()))) {
            *problem = QStringLiteral("does not parse as AutonomyStatus");
            return false;
        }
        seen->state =
            QString::fromStdString(MissionModule::AutonomyStatus::State_Name(message.state()));
        seen->nextStop = QString::fromStdString(message.nextstop().name());
        seen->speed = message.telemetry().speed();
        seen->latitude = message.telemetry().position().latitude();
        seen->longitude = message.telemetry().position().longitude();
        return true;
    }
    const QJsonObject object = QJsonDocument::fromJson(status).object();
    seen->state = object.value(QLatin1String("state")).toString();
    seen->nextStop =
        object.value(QLatin1String("nextStop")).toObject().value(QLatin1String("name")).toString();
    const QJsonObject telemetry = object.value(QLatin1String("telemetry")).toObject();
    seen->speed = telemetry.value(QLatin1String("speed")).toDouble();
    const QJsonObject position = telemetry.value(QLatin1String("position")).toObject();
    seen->latitude = position.value(QLatin1String("latitude")).toDouble();
    seen->longitude = position.value(QLatin1String("longitude")).toDouble();
    return true;
}

} // namespace

class tst_BehaviourVehicle : public QObject {
    Q_OBJECT
private slots:
    void demoMap();
    void testMapRoutes();
    void brokenMaps_data();
    void brokenMaps();
    void mapFromFile();
    void transitions_data();
    void transitions();
    void nextStopEchoesTheCommand_data();
    void nextStopEchoesTheCommand();
    void statusTiming();
    void missionThroughModule_data();
    void missionThroughModule();
    void plannedMissionErrors_data();
    void plannedMissionErrors();
    void settings();
};

void tst_BehaviourVehicle::demoMap()
{
    OsmMap map;
    QString error;
    QVERIFY2(map.load(OsmMap::demoMapFile(), &error), qPrintable(error));
    QCOMPARE(map.routes().size(), 2);
    const MapRoute* loop = map.route(QStringLiteral("Yard loop"));
    const MapRoute* shuttle = map.route(QStringLiteral("Shuttle line"));
    QVERIFY(loop && shuttle);
    QVERIFY(loop->circular);
    QVERIFY(!shuttle->circular);
    QSet<QString> stops;
    for (const MapRoute& route : map.routes())
        stops.unite(QSet<QString>(route.stopNames.cbegin(), route.stopNames.cend()));
    QVERIFY2(stops.size() >= 5, qPrintable(QStringList(stops.values()).join(", ")));
    QVERIFY(loop->lengthM > 500 && loop->lengthM < 1500);
    // A new vehicle stands on it, IDLE, at the first route's first node.
    VehicleBehaviour vehicle;
    QCOMPARE(vehicle.route().name, QStringLiteral("Yard loop"));
    QCOMPARE(vehicle.state(), VehicleBehaviour::State::Idle);
    QVERIFY(ModuleCatalog::validateStatus(1, 1, vehicle.status()).ok);
}

void tst_BehaviourVehicle::testMapRoutes()
{
    const OsmMap& map = *testMap();
    const MapRoute* line = map.route(QStringLiteral("Line"));
    const MapRoute* ring = map.route(QStringLiteral("Ring"));
    QVERIFY(line && ring);
    QCOMPARE(line->points.size(), 5); // node 3 ends one way and starts the next: once
    QVERIFY(!line->circular);
    QCOMPARE(line->stopNames, (QStringList{"Alpha", "Bravo", "Charlie"}));
    QCOMPARE(line->speeds, (QList<double>{10, 10, 10, 10, 10}));
    QVERIFY(ring->circular);
    QCOMPARE(ring->points.size(), 4);                         // the closing node 3 is not repeated
    QCOMPARE(ring->speeds.first(), OsmMap::kDefaultSpeedMps); // no speed tag: 5 m/s
    QVERIFY(std::fabs(ring->lengthM - 400.4) < 1.0);
    QVERIFY(map.warnings().join('\n').contains(QLatin1String("without a speed tag")));
}

void tst_BehaviourVehicle::brokenMaps_data()
{
    QTest::addColumn<QByteArray>("xml");
    QTest::addColumn<QString>("error");
    const QByteArray head = "<osm>\n<node id=\"1\" lat=\"50\" lon=\"14\"/>\n"
                            "<node id=\"2\" lat=\"50.001\" lon=\"14\"/>\n";
    const QByteArray way = "<way id=\"7\"><nd ref=\"1\"/><nd ref=\"2\"/></way>\n";
    QTest::newRow("not XML") << QByteArray("<osm><node") << "bad.osm line 1: not well-formed XML";
    QTest::newRow("wrong root") << QByteArray("<gpx/>")
                                << "bad.osm line 1: the root element is <gpx>, expected <osm>";
    QTest::newRow("no route") << head + way + "</osm>"
                              << "bad.osm line 5: no route";
    QTest::newRow("bad latitude") << QByteArray("<osm>\n<node id=\"1\" lat=\"north\" lon=\"14\"/>")
                                  << "bad.osm line 2: node 1: lat=\"north\" is not a coordinate";
    QTest::newRow("latitude out of range")
        << QByteArray("<osm>\n\n<node id=\"1\" lat=\"95\" lon=\"14\"/>")
        << "bad.osm line 3: node 1: lat=\"95\" is not a coordinate";
    QTest::newRow("node without id") << QByteArray("<osm>\n<node lat=\"50\" lon=\"14\"/>")
                                     << "bad.osm line 2: <node> has no numeric id";
    QTest::newRow("speed not a number")
        << QByteArray("<osm>\n<node id=\"3\" lat=\"50\" lon=\"14\">\n<tag k=\"speed\" "
                      "v=\"fast\"/></node>")
        << "bad.osm line 2: node 3: speed \"fast\" is not a number";
    QTest::newRow("way refers to a later node")
        << QByteArray("<osm>\n<node id=\"1\" lat=\"50\" lon=\"14\"/>\n<way id=\"7\">\n<nd "
                      "ref=\"1\"/>\n<nd ref=\"9\"/></way>\n<node id=\"9\" lat=\"50\" lon=\"14\"/>")
        << "bad.osm line 5: way 7 refers to node 9, which is not defined before it";
    QTest::newRow("relation without name")
        << head + way + "<relation id=\"8\"><member type=\"way\" ref=\"7\"/></relation></osm>"
        << "bad.osm line 5: relation 8 has no name tag";
    QTest::newRow("relation without members")
        << head + way + "<relation id=\"8\"><tag k=\"name\" v=\"R\"/></relation></osm>"
        << "bad.osm line 5: relation 8 ('R') has no members";
    QTest::newRow("relation refers to a missing way")
        << head + way +
               "<relation id=\"8\">\n<member type=\"way\" ref=\"99\"/><tag k=\"name\" "
               "v=\"R\"/></relation></osm>"
        << "bad.osm line 6: relation 8 ('R') refers to way 99";
    QTest::newRow("route without length")
        << QByteArray("<osm>\n<node id=\"1\" lat=\"50\" lon=\"14\"/>\n<way id=\"7\"><nd "
                      "ref=\"1\"/></way>\n<relation id=\"8\"><member type=\"way\" ref=\"7\"/><tag "
                      "k=\"name\" v=\"Dot\"/></relation></osm>")
        << "bad.osm line 4: route 'Dot' has no length";
    QTest::newRow("duplicate node")
        << QByteArray("<osm>\n<node id=\"1\" lat=\"50\" lon=\"14\"/>\n<node id=\"1\" lat=\"50\" "
                      "lon=\"14\"/>")
        << "bad.osm line 3: node 1 is defined twice";
}

void tst_BehaviourVehicle::brokenMaps()
{
    QFETCH(QByteArray, xml);
    QFETCH(QString, error);
    OsmMap map;
    QVERIFY(map.loadData(kTestMap, QStringLiteral("good.osm"), nullptr));
    QString message;
    QVERIFY(!map.loadData(xml, QStringLiteral("bad.osm"), &message));
    QVERIFY2(message.startsWith(error), qPrintable(message));
    // A bad file changes nothing.
    QCOMPARE(map.sourceName(), QStringLiteral("good.osm"));
    QCOMPARE(map.routes().size(), 2);
    // And a vehicle told to load it keeps its map.
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(xml);
    file.close();
    VehicleBehaviour vehicle;
    QVERIFY(!vehicle.loadMap(file.fileName(), {}, &message));
    QVERIFY2(message.contains(QLatin1String(" line ")), qPrintable(message));
    QCOMPARE(vehicle.route().name, QStringLiteral("Yard loop"));
}

void tst_BehaviourVehicle::mapFromFile()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(kTestMap);
    file.close();
    VehicleBehaviour vehicle;
    QString error;
    QVERIFY(!vehicle.loadMap(file.fileName(), QStringLiteral("Nowhere"), &error));
    QVERIFY2(error.contains(QLatin1String("no route 'Nowhere' (routes: Line, Ring)")),
             qPrintable(error));
    QVERIFY2(vehicle.loadMap(file.fileName(), QStringLiteral("Ring"), &error), qPrintable(error));
    QCOMPARE(vehicle.route().name, QStringLiteral("Ring"));
    QVERIFY(!vehicle.loadMap(QStringLiteral("/nonexistent/map.osm"), {}, &error));
    QVERIFY2(error.contains(QLatin1String("/nonexistent/map.osm")), qPrintable(error));
}

// Each row is a script on the test map, one step per ';':
//   start A,B | start@ROUTE A | startproto A | stop | noaction | empty | raw JSON
//   +MS (advance the clock) | obstacle 1|0 | fault 1|0 | pause 1|0 | factor F
//   encoding json|protobuf | interpolate 0|1 | route NAME (place the vehicle on it)
//   expect STATE STOP (STOP '-' for none; checked in the status the module would get)
//   at NODE (exactly at that node) | between N M (strictly between two nodes) | onroute NAME
void tst_BehaviourVehicle::transitions_data()
{
    QTest::addColumn<QString>("script");
    // Start, drive, arrive.
    QTest::newRow("IDLE at the first node") << "expect IDLE -; at 1";
    QTest::newRow("START with stops drives to stops[0]") << "start Alpha,Bravo; expect DRIVE Alpha";
    QTest::newRow("moves by speed between nodes")
        << "start Bravo; +5005; between 1 2; expect DRIVE Bravo";
    QTest::newRow("node jumping when not interpolating")
        << "interpolate 0; start Bravo; +5005; at 1; +5010; at 2; expect DRIVE Bravo";
    QTest::newRow("reaching stops[0] gives IN_STOP")
        << "start Alpha; +10100; expect IN_STOP Alpha; at 2";
    QTest::newRow("other stops are driven through")
        << "start Bravo; +10100; expect DRIVE Bravo; +20100; expect IN_STOP Bravo; at 4";
    QTest::newRow("IN_STOP at once at the stop it stands at")
        << "start Alpha; +10100; +10000; stop; expect IDLE -; start Alpha; expect IN_STOP Alpha";
    QTest::newRow("speed override replaces the map's speeds")
        << "set speedOverride 20; start Alpha; +5100; expect IN_STOP Alpha";
    QTest::newRow("stop wait is a setting")
        << "set waitAtStop 2; start Alpha,Bravo; +10100; +2000; start Bravo; expect DRIVE Bravo";
    QTest::newRow("speed factor doubles the pace")
        << "factor 2; start Alpha; +5100; expect IN_STOP Alpha";
    // Leaving a stop.
    QTest::newRow("IN_STOP holds while the wait runs")
        << "start Alpha,Bravo; +10100; start Bravo; expect IN_STOP Alpha; +5000; start Bravo; "
           "expect IN_STOP Alpha; at 2";
    QTest::newRow("after the wait the command's next stop")
        << "start Alpha,Bravo; +10100; start Bravo; +10000; start Bravo; expect DRIVE Bravo; "
           "+20100; expect IN_STOP Bravo";
    QTest::newRow("an unremoved stop is reached again (reference behaviour)")
        << "start Alpha,Bravo; +10100; +10000; start Alpha,Bravo; expect IN_STOP Alpha";
    QTest::newRow("START without stops after the wait gives IDLE")
        << "start Alpha; +10100; +10000; start; expect IDLE -; at 2";
    QTest::newRow("START without stops mid-wait gives IDLE at once")
        << "start Alpha; +10100; +2000; start; expect IDLE -";
    // STOP, NO_ACTION and empty commands.
    QTest::newRow("STOP gives IDLE where it stands, START resumes")
        << "start Bravo; +5005; stop; expect IDLE -; between 1 2; +5000; between 1 2; "
           "start Bravo; expect DRIVE Bravo; +25100; expect IN_STOP Bravo";
    QTest::newRow("NO_ACTION gives IDLE") << "start Bravo; +3000; noaction; expect IDLE -";
    QTest::newRow("0-byte protobuf command is NO_ACTION")
        << "encoding protobuf; startproto Bravo; +3000; expect DRIVE Bravo; empty; expect IDLE -";
    QTest::newRow("protobuf vehicle reaches its stop")
        << "encoding protobuf; startproto Alpha; +10100; expect IN_STOP Alpha; at 2";
    QTest::newRow("empty answer to a JSON vehicle is nothing new")
        << "start Bravo; +3000; empty; expect DRIVE Bravo";
    QTest::newRow("unknown action changes nothing")
        << "start Bravo; raw {\"action\":\"JUMP\",\"route\":\"\",\"stops\":[]}; expect DRIVE Bravo";
    QTest::newRow("malformed command changes nothing")
        << "start Bravo; raw {\"action\":\"STOP\"}; expect DRIVE Bravo; raw nonsense; "
           "expect DRIVE Bravo";
    // ERROR.
    QTest::newRow("stop not on the route gives ERROR")
        << "start Zulu; expect ERROR -; +20000; at 1";
    QTest::newRow("one bad stop in the list gives ERROR") << "start Alpha,Zulu; expect ERROR -";
    QTest::newRow("ERROR sticks through STOP and NO_ACTION")
        << "start Zulu; stop; expect ERROR -; noaction; expect ERROR -";
    QTest::newRow("a valid START clears ERROR") << "start Zulu; start Alpha; expect DRIVE Alpha";
    QTest::newRow("unknown route: the whole command is ignored")
        << "start@Nowhere Alpha; expect IDLE -; start Bravo; start@Nowhere Alpha; "
           "expect DRIVE Bravo";
    // Routes.
    QTest::newRow("non-circular route reverses at its end")
        << "start Charlie; +40100; expect IN_STOP Charlie; at 5; +10000; start Alpha; "
           "expect DRIVE Alpha; +30100; expect IN_STOP Alpha; at 2";
    QTest::newRow("circular route laps")
        << "route Ring; start Echo; +60100; expect IN_STOP Echo; at 12; +10000; start Delta; "
           "expect DRIVE Delta; +60100; expect IN_STOP Delta; at 11";
    QTest::newRow("route change at a shared node")
        << "start@Ring Delta; expect DRIVE Delta; onroute Line; +20100; onroute Ring; "
           "expect DRIVE Delta; +40100; expect IN_STOP Delta; at 11";
    // Ring → Line at node 3 (after one lap of 80.1 s): a non-circular new route is driven
    // towards the next stop, back for Alpha, ahead for Bravo.
    QTest::newRow("route change turns towards a stop behind")
        << "route Ring; start@Line Alpha; expect DRIVE Alpha; +40000; onroute Ring; +40200; "
           "onroute Line; +10100; expect IN_STOP Alpha; at 2";
    QTest::newRow("route change keeps going towards a stop ahead")
        << "route Ring; start@Line Bravo; +80200; onroute Line; +10100; expect IN_STOP Bravo; "
           "at 4";
    QTest::newRow("route change whose stops are not on the new route gives ERROR")
        << "start@Ring Charlie; expect DRIVE Charlie; +20100; onroute Ring; expect ERROR -";
    // The operator's hand.
    QTest::newRow("obstacle halts until cleared")
        << "start Bravo; +5005; obstacle 1; expect OBSTACLE Bravo; +60000; between 1 2; "
           "obstacle 0; expect DRIVE Bravo; +25100; expect IN_STOP Bravo";
    QTest::newRow("obstacle while idle shows nothing") << "obstacle 1; expect IDLE -";
    QTest::newRow("fault gives ERROR until cleared")
        << "start Bravo; fault 1; expect ERROR Bravo; +60000; at 1; fault 0; expect DRIVE Bravo";
    QTest::newRow("pause freezes movement")
        << "start Bravo; +2000; pause 1; expect DRIVE Bravo; +60000; between 1 2; pause 0; "
           "+28100; expect IN_STOP Bravo";
    QTest::newRow("pause freezes the stop wait")
        << "start Alpha,Bravo; +10100; pause 1; +60000; start Bravo; expect IN_STOP Alpha; "
           "pause 0; +10000; start Bravo; expect DRIVE Bravo";
}

void tst_BehaviourVehicle::transitions()
{
    QFETCH(QString, script);
    VehicleBehaviour vehicle;
    QVERIFY(vehicle.setMap(testMap()));
    vehicle.advanceTo(1000);
    qint64 now = 1000;
    const auto nodePosition = [](const QString& id) {
        const MapNode* found = node(id.toLongLong());
        return found ? QPointF(found->longitude, found->latitude) : QPointF(-1, -1);
    };
    const QStringList steps = script.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString& rawStep : steps) {
        const QString step = rawStep.trimmed();
        const QString verb = step.section(QLatin1Char(' '), 0, 0);
        const QString rest = step.section(QLatin1Char(' '), 1);
        const QStringList stops = rest.isEmpty() ? QStringList() : rest.split(QLatin1Char(','));
        const QString where = QStringLiteral("step '%1' of '%2'").arg(step, script);
        if (verb == QLatin1String("start")) {
            vehicle.applyCommand(startJson({}, stops));
        } else if (verb.startsWith(QLatin1String("start@"))) {
            vehicle.applyCommand(startJson(verb.mid(6), stops));
        } else if (verb == QLatin1String("startproto")) {
            vehicle.applyCommand(startProto(stops));
        } else if (verb == QLatin1String("stop")) {
            vehicle.applyCommand(R"({"action":"STOP","route":"","stops":[]})");
        } else if (verb == QLatin1String("noaction")) {
            vehicle.applyCommand(R"({"action":"NO_ACTION","route":"","stops":[]})");
        } else if (verb == QLatin1String("empty")) {
            vehicle.applyCommand(QByteArray());
        } else if (verb == QLatin1String("raw")) {
            const Behaviour::CommandOutcome outcome = vehicle.applyCommand(rest.toUtf8());
            QVERIFY2(!outcome.applied && outcome.note.startsWith(QLatin1String("ignored")),
                     qPrintable(where + ": " + outcome.note));
        } else if (verb.startsWith(QLatin1Char('+'))) {
            now += verb.mid(1).toLongLong();
            vehicle.advanceTo(now);
        } else if (verb == QLatin1String("obstacle")) {
            vehicle.setObstacle(rest == QLatin1String("1"));
        } else if (verb == QLatin1String("fault")) {
            vehicle.setFault(rest == QLatin1String("1"));
        } else if (verb == QLatin1String("pause")) {
            vehicle.setPaused(rest == QLatin1String("1"));
        } else if (verb == QLatin1String("factor")) {
            vehicle.setSpeedFactor(rest.toDouble());
        } else if (verb == QLatin1String("encoding")) {
            QVERIFY(vehicle.setSetting(QStringLiteral("encoding"), rest));
        } else if (verb == QLatin1String("interpolate")) {
            vehicle.setInterpolate(rest == QLatin1String("1"));
        } else if (verb == QLatin1String("set")) {
            QString error;
            QVERIFY2(vehicle.setSetting(rest.section(QLatin1Char(' '), 0, 0),
                                        rest.section(QLatin1Char(' '), 1), &error),
                     qPrintable(where + ": " + error));
        } else if (verb == QLatin1String("route")) {
            QVERIFY(vehicle.setMap(testMap(), rest));
        } else if (verb == QLatin1String("onroute")) {
            QVERIFY2(vehicle.route().name == rest,
                     qPrintable(where + ": on " + vehicle.route().name));
        } else if (verb == QLatin1String("expect")) {
            const QString state = rest.section(QLatin1Char(' '), 0, 0);
            QString stop = rest.section(QLatin1Char(' '), 1);
            if (stop == QLatin1String("-"))
                stop.clear();
            Seen seen;
            QString problem;
            QVERIFY2(decodeStatus(vehicle, &seen, &problem), qPrintable(where + ": " + problem));
            QVERIFY2(seen.state == state, qPrintable(where + ": state " + seen.state));
            QVERIFY2(seen.nextStop == stop, qPrintable(where + ": next stop " + seen.nextStop));
            QCOMPARE(VehicleBehaviour::stateName(vehicle.state()), state);
            // Speed only while really driving.
            QVERIFY2((seen.speed > 0) == (state == QLatin1String("DRIVE") && !vehicle.paused()),
                     qPrintable(where + ": speed " + QString::number(seen.speed)));
        } else if (verb == QLatin1String("at")) {
            const QPointF expected = nodePosition(rest);
            Seen seen;
            QString problem;
            QVERIFY2(decodeStatus(vehicle, &seen, &problem), qPrintable(problem));
            QVERIFY2(std::fabs(seen.latitude - expected.y()) < 1e-9 &&
                         std::fabs(seen.longitude - expected.x()) < 1e-9,
                     qPrintable(QStringLiteral("%1: at %2, %3")
                                    .arg(where)
                                    .arg(seen.latitude, 0, 'f', 7)
                                    .arg(seen.longitude, 0, 'f', 7)));
        } else if (verb == QLatin1String("between")) {
            const QPointF a = nodePosition(rest.section(QLatin1Char(' '), 0, 0));
            const QPointF b = nodePosition(rest.section(QLatin1Char(' '), 1, 1));
            Seen seen;
            QString problem;
            QVERIFY2(decodeStatus(vehicle, &seen, &problem), qPrintable(problem));
            const double da = OsmMap::distanceM(a.y(), a.x(), seen.latitude, seen.longitude);
            const double db = OsmMap::distanceM(b.y(), b.x(), seen.latitude, seen.longitude);
            const double ab = OsmMap::distanceM(a.y(), a.x(), b.y(), b.x());
            QVERIFY2(
                da > 0.5 && db > 0.5 && std::fabs(da + db - ab) < 0.01,
                qPrintable(
                    QStringLiteral("%1: %2 m from A, %3 m from B").arg(where).arg(da).arg(db)));
        } else {
            QFAIL(qPrintable(QStringLiteral("unknown step '%1'").arg(step)));
        }
    }
}

// The mission module removes a reached stop only when nextStop equals stops[0] as a whole
// JSON value (docs/modules.md#mission-module): the vehicle echoes the command's stop exactly,
// key order and number spelling included.
void tst_BehaviourVehicle::nextStopEchoesTheCommand_data()
{
    QTest::addColumn<QByteArray>("stop");
    QTest::newRow("as the vehicle writes it") << QByteArray(
        R"({"name":"Alpha","position":{"latitude":50.0009,"longitude":14,"altitude":0}})");
    QTest::newRow("other key order, spelled numbers, extra key") << QByteArray(
        R"({"position":{"altitude":12.50,"longitude":14.0000,"latitude":50.00090},"name":"Alpha","id":7})");
    QTest::newRow("escaped name") << QByteArray(
        R"({"name":"Alpha","note":"a \"quoted\" [bracket], {brace}","position":{"latitude":50.0009,"longitude":14,"altitude":0}})");
}

void tst_BehaviourVehicle::nextStopEchoesTheCommand()
{
    QFETCH(QByteArray, stop);
    VehicleBehaviour vehicle;
    QVERIFY(vehicle.setMap(testMap()));
    const QByteArray command =
        R"({"action": "START", "route": "", "stops": [ )" + stop +
        R"( , {"name":"Bravo","position":{"latitude":50.0027,"longitude":14,"altitude":0}}]})";
    QVERIFY(vehicle.applyCommand(command).applied);
    QVERIFY2(vehicle.status().endsWith(",\"nextStop\":" + stop + '}'),
             vehicle.status().constData());
    // And the module, comparing the whole object, removes it once the vehicle is in the stop.
    vehicle.advanceTo(10100);
    QCOMPARE(vehicle.state(), VehicleBehaviour::State::InStop);
    auto module = ModuleCatalog::createEmulator(1, 1);
    module->answerStatus(vehicle.status()); // the first command
    const QByteArray answer = module->answerCloudCommand(vehicle.status(), command);
    QVERIFY2(!answer.contains("\"Alpha\""), answer.constData());
    QVERIFY(answer.contains("\"Bravo\""));
}

void tst_BehaviourVehicle::statusTiming()
{
    VehicleBehaviour vehicle;
    QVERIFY(vehicle.setMap(testMap()));
    vehicle.advanceTo(0);
    QVERIFY(vehicle.statusDue()); // the first at once
    vehicle.takeStatus();
    vehicle.advanceTo(500);
    QVERIFY(!vehicle.statusDue());
    QCOMPARE(vehicle.nextWakeMs(), qint64(1000)); // the period
    // A state change goes out at once (after the minimum gap).
    QSignalSpy pending(&vehicle, &Behaviour::statusPending);
    vehicle.applyCommand(startJson({}, {QStringLiteral("Bravo")}));
    QCOMPARE(pending.count(), 1);
    QVERIFY(vehicle.statusDue());
    QVERIFY(vehicle.isAnimating());
    vehicle.takeStatus();
    // Driving, it wakes up at the next node (10.51 s) when that comes before the heartbeat.
    vehicle.advanceTo(9500); // 90 m along the first 100.1 m leg
    vehicle.takeStatus();
    vehicle.setPeriodMs(5000);
    const qint64 wake = vehicle.nextWakeMs();
    QVERIFY2(wake >= 10505 && wake <= 10515, qPrintable(QString::number(wake)));
    // Node jumping: reaching a node makes a status due, as the reference sends one per leg.
    vehicle.setInterpolate(false);
    vehicle.advanceTo(10400);
    QVERIFY(!vehicle.statusDue());
    vehicle.advanceTo(10600);
    QVERIFY(vehicle.statusDue());
    // Commands the gateway repeats after every status change nothing and make no status due.
    VehicleBehaviour repeated;
    QVERIFY(repeated.setMap(testMap()));
    repeated.advanceTo(1);
    const QByteArrayList commands{startJson({}, {QStringLiteral("Bravo")}), startJson({}, {}),
                                  R"({"action":"STOP","route":"","stops":[]})",
                                  R"({"action":"NO_ACTION","route":"","stops":[]})"};
    for (const QByteArray& command : commands) {
        repeated.applyCommand(command); // may change the state
        repeated.advanceTo(repeated.now() + 200);
        repeated.takeStatus();
        repeated.applyCommand(command); // the gateway's repeat
        repeated.advanceTo(repeated.now() + 200);
        QVERIFY2(!repeated.statusDue(), command.constData());
    }
    // In a stop, the end of the wait makes a status due so the next command comes soon.
    VehicleBehaviour waiting;
    QVERIFY(waiting.setMap(testMap()));
    waiting.advanceTo(1);
    waiting.applyCommand(startJson({}, {QStringLiteral("Alpha")}));
    waiting.advanceTo(11200);
    QCOMPARE(waiting.state(), VehicleBehaviour::State::InStop);
    waiting.takeStatus();
    QVERIFY(waiting.waitLeftMs() > 8000);
    QVERIFY(waiting.nextWakeMs() <= 11200 + 1000);
    waiting.advanceTo(21200);
    QCOMPARE(waiting.waitLeftMs(), qint64(0));
    QVERIFY(waiting.statusDue());
}

// A whole mission against the catalog's mission module, status by status on a simulated
// clock: the module removes each reached stop, the vehicle drives on and ends IDLE.
void tst_BehaviourVehicle::missionThroughModule_data()
{
    QTest::addColumn<QString>("encoding");
    // planned: the command comes from the map, as the console's mission planner and
    // fleet-gateway --mission build it, not from this test's own encoders.
    QTest::addColumn<bool>("planned");
    QTest::newRow("json") << "json" << false;
    QTest::newRow("protobuf") << "protobuf" << false;
    QTest::newRow("json, planned on the map") << "json" << true;
    QTest::newRow("protobuf, planned on the map") << "protobuf" << true;
}

void tst_BehaviourVehicle::missionThroughModule()
{
    QFETCH(QString, encoding);
    VehicleBehaviour vehicle;
    QVERIFY(vehicle.setMap(testMap()));
    QVERIFY(vehicle.setSetting(QStringLiteral("encoding"), encoding));
    auto module = ModuleCatalog::createEmulator(1, 1);
    const QStringList stops{QStringLiteral("Alpha"), QStringLiteral("Bravo")};
    QFETCH(bool, planned);
    QByteArray queued =
        encoding == QLatin1String("json") ? startJson({}, stops) : startProto(stops);
    if (planned) {
        MissionCommand mission;
        QString error;
        QVERIFY2(testMap()->mission(QStringLiteral("Line"), stops, &mission, &error),
                 qPrintable(error));
        queued = ModuleCatalog::encodeMissionCommand(mission, encoding == QLatin1String("json")
                                                                  ? MissionEncoding::Json
                                                                  : MissionEncoding::Protobuf);
        QCOMPARE(ModuleCatalog::missionEncoding(queued), encoding == QLatin1String("json")
                                                             ? MissionEncoding::Json
                                                             : MissionEncoding::Protobuf);
        QVERIFY(ModuleCatalog::validateCommand(1, 1, queued).ok);
    }
    QStringList inStop;
    QString lastState;
    bool first = true;
    for (qint64 now = 0; now < 120000; now += 250) {
        vehicle.advanceTo(now);
        if (!vehicle.statusDue())
            continue;
        const QByteArray status = vehicle.takeStatus();
        QVERIFY(ModuleCatalog::validateStatus(1, 1, status).ok);
        const QString state = VehicleBehaviour::stateName(vehicle.state());
        if (state == QLatin1String("IN_STOP") && lastState != state)
            inStop.append(vehicle.nextStop().name);
        lastState = state;
        QByteArray answer;
        if (first)
            answer = module->answerStatus(status); // NO_ACTION
        else if (!queued.isNull())
            answer = module->answerCloudCommand(status, std::exchange(queued, QByteArray()));
        else
            answer = module->answerStatus(status);
        first = false;
        vehicle.applyCommand(answer);
    }
    QCOMPARE(inStop, stops);
    QCOMPARE(vehicle.state(), VehicleBehaviour::State::Idle);
    QVERIFY(vehicle.nextStop().name.isEmpty());
}

// A mission planned on a map names what the map lacks instead of queuing a command that
// would put the vehicle in ERROR.
void tst_BehaviourVehicle::plannedMissionErrors_data()
{
    QTest::addColumn<QString>("route");
    QTest::addColumn<QStringList>("stops");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown route")
        << "Loop" << QStringList{"Alpha"} << "test.osm has no route 'Loop' (routes: Line, Ring)";
    QTest::newRow("stop of another route")
        << "Line" << QStringList{"Alpha", "Delta"}
        << "route 'Line' has no stop 'Delta' (stops: Alpha, Bravo, Charlie)";
}

void tst_BehaviourVehicle::plannedMissionErrors()
{
    QFETCH(QString, route);
    QFETCH(QStringList, stops);
    QFETCH(QString, error);
    MissionCommand mission;
    QString message;
    QVERIFY(!testMap()->mission(route, stops, &mission, &message));
    QCOMPARE(message, error);
    QVERIFY(mission.stops.isEmpty());
}

void tst_BehaviourVehicle::settings()
{
    VehicleBehaviour vehicle;
    QStringList keys;
    for (const Behaviour::Setting& setting : vehicle.settings())
        keys.append(setting.key);
    QCOMPARE(keys, (QStringList{"encoding", "waitAtStop", "speedOverride", "interpolate", "fuel",
                                "period"}));
    QString error;
    QVERIFY(vehicle.setSetting(QStringLiteral("waitAtStop"), QStringLiteral("2.5"), &error));
    QCOMPARE(vehicle.waitAtStopMs(), 2500);
    QVERIFY(vehicle.setSetting(QStringLiteral("speedOverride"), QStringLiteral("8"), &error));
    QCOMPARE(vehicle.speedOverride(), 8.0);
    QVERIFY(vehicle.setSetting(QStringLiteral("fuel"), QStringLiteral("0.9"), &error));
    QVERIFY(vehicle.status().contains("\"fuel\":0.9,"));
    QVERIFY(!vehicle.setSetting(QStringLiteral("encoding"), QStringLiteral("xml"), &error));
    QVERIFY2(error.contains(QLatin1String("neither json nor protobuf")), qPrintable(error));
    QVERIFY(!vehicle.setSetting(QStringLiteral("fuel"), QStringLiteral("2"), &error));
    QVERIFY(!vehicle.setSetting(QStringLiteral("interpolate"), QStringLiteral("perhaps"), &error));
    // The speed override drives every leg at that speed.
    QVERIFY(vehicle.setMap(testMap()));
    vehicle.applyCommand(startJson({}, {QStringLiteral("Bravo")}));
    Seen seen;
    QString problem;
    QVERIFY(decodeStatus(vehicle, &seen, &problem));
    QCOMPARE(seen.speed, 8.0);
}

QTEST_GUILESS_MAIN(tst_BehaviourVehicle)
#include "tst_behaviourvehicle.moc"
