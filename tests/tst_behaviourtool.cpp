// fleet-device --behave (docs/modules.md#device-behaviour) as a script runs it: a real process
// against the embedded gateway with the real module rules, reporting what changed in the device
// as state events, and every mistake in the behaviour options as a usage error (exit 2) before
// anything connects. And the other side: fleet-gateway --mission keeping a small fleet of
// vehicle processes driving.
#include "gatewayserver.h"
#include "identities.h"
#include "toolprocess.h"

#include <QFile>
#include <QJsonObject>
#include <QTest>

#include <csignal>

using namespace fleet;
using namespace fleet::test;

namespace {

// The state events' "state" values, in order (a driving vehicle repeats DRIVE as it moves).
QStringList states(const QList<QJsonObject>& events)
{
    QStringList seen;
    for (const QJsonObject& event : events) {
        if (event.value(QLatin1String("event")).toString() == QLatin1String("state"))
            seen.append(event.value(QLatin1String("state")).toString());
    }
    return seen;
}

// "IN_STOP Paint Shop" for every state event of `role` that says IN_STOP, in order.
QStringList stopsReached(const QList<QJsonObject>& events, const QString& role)
{
    QStringList reached;
    for (const QJsonObject& event : events) {
        if (event.value(QLatin1String("event")).toString() == QLatin1String("state") &&
            event.value(QLatin1String("role")).toString() == role &&
            event.value(QLatin1String("state")).toString() == QLatin1String("IN_STOP"))
            reached.append(event.value(QLatin1String("next_stop")).toString());
    }
    return reached;
}

} // namespace

class tst_BehaviourTool : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void gatewayUsageErrors_data();
    void gatewayUsageErrors();
    void buttonLampFromTheModule();
    void ioBoardAppliesAQueuedCommand();
    void vehicleDrivesToAQueuedStop();
    void gatewayMissionKeepsAFleetDriving_data();
    void gatewayMissionKeepsAFleetDriving();

private:
    ToolRun runDevice(const QStringList& arguments);
    GatewayServer m_gateway;
};

void tst_BehaviourTool::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(FLEET_DEVICE_PATH)), FLEET_DEVICE_PATH);
    QVERIFY2(QFile::exists(QStringLiteral(FLEET_GATEWAY_PATH)), FLEET_GATEWAY_PATH);
    QVERIFY(m_gateway.listen(QHostAddress::LocalHost, 0));
}

ToolRun tst_BehaviourTool::runDevice(const QStringList& arguments)
{
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start(QStringList{QStringLiteral("--port"), QString::number(m_gateway.serverPort()),
                             QStringLiteral("--json")} +
                 arguments);
    device.waitForExit();
    return device.result();
}

void tst_BehaviourTool::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown behaviour")
        << QStringList{"--behave", "robot"} << "--behave: 'robot' is none of example, io, vehicle";
    QTest::newRow("unknown behaviour, old spelling")
        << QStringList{"--behaviour", "robot"}
        << "--behave: 'robot' is none of example, io, vehicle";
    QTest::newRow("map without behaviour")
        << QStringList{"--map", "x.osm"} << "--map needs --behave";
    QTest::newRow("set without behaviour")
        << QStringList{"--set", "period=10"} << "--set needs --behave";
    QTest::newRow("speed without behaviour")
        << QStringList{"--speed", "5"} << "--speed needs --behave";
    QTest::newRow("behaviour and a payload")
        << QStringList{"--behave", "example", "--status", "x"}
        << "give --behave or a status payload, not both (--status)";
    QTest::newRow("map for a button") << QStringList{"--behave", "button", "--map", "x.osm"}
                                      << "--map is for --behave vehicle, not example";
    QTest::newRow("wait at stop for an IO board")
        << QStringList{"--behave", "io", "--wait-at-stop", "5"}
        << "--wait-at-stop is for --behave vehicle, not io";
    QTest::newRow("encoding for a button")
        << QStringList{"--behave", "example", "--encoding", "json"}
        << "--encoding is for --behave vehicle, not example";
    QTest::newRow("device that does not fit") << QStringList{"--behave", "io", "--module", "1"}
                                              << "--behave io does not fit module 1, device type 1";
    QTest::newRow("unknown route") << QStringList{"--behave", "vehicle", "--route", "Nowhere"}
                                   << "--route: the map :/maps/demo-site.osm has no route "
                                      "'Nowhere' (routes: Yard loop, Shuttle line)";
    QTest::newRow("map file missing")
        << QStringList{"--behave", "vehicle", "--map", "/nonexistent.osm"}
        << "--map: cannot open the map /nonexistent.osm";
    QTest::newRow("wait at stop not a number")
        << QStringList{"--behave", "vehicle", "--wait-at-stop", "soon"}
        << "--wait-at-stop: 'soon' is not a non-negative number";
    QTest::newRow("negative speed") << QStringList{"--behave", "vehicle", "--speed=-3"}
                                    << "--speed: '-3' is not a non-negative number";
    QTest::newRow("period too short") << QStringList{"--behave", "example", "--period", "5"}
                                      << "--period: '5' is not a number of milliseconds from 10";
    QTest::newRow("unknown encoding") << QStringList{"--behave", "vehicle", "--encoding", "xml"}
                                      << "--encoding: 'xml' is neither json nor protobuf";
    QTest::newRow("bad setting value") << QStringList{"--behave", "io", "--set", "outputBase=2"}
                                       << "--set: outputBase: '2' is neither 0 nor 1";
    QTest::newRow("setting without value") << QStringList{"--behave", "io", "--set", "outputBase"}
                                           << "--set 'outputBase': expected KEY=VALUE";
    QTest::newRow("unknown setting")
        << QStringList{"--behave", "button", "--set", "colour=red"}
        << "--set: 'colour' is no setting of the Example button (settings: period)";
}

void tst_BehaviourTool::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const ToolRun run = runDevice(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), qPrintable(run.describe()));
    QCOMPARE(m_gateway.connectionCount(), 0);
}

void tst_BehaviourTool::gatewayUsageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("mission without stops")
        << QStringList{"--mission", "Yard loop"} << "--mission 'Yard loop': expected ROUTE:STOP";
    QTest::newRow("mission with an empty route")
        << QStringList{"--mission", ":Canteen"} << "--mission ':Canteen': expected ROUTE:STOP";
    QTest::newRow("unknown route") << QStringList{"--mission", "Nowhere:Canteen"}
                                   << "--mission: :/maps/demo-site.osm has no route 'Nowhere' "
                                      "(routes: Yard loop, Shuttle line)";
    QTest::newRow("stop not on the route") << QStringList{"--mission", "Yard loop:Canteen,Moon"}
                                           << "--mission: route 'Yard loop' has no stop 'Moon'";
    QTest::newRow("map without mission")
        << QStringList{"--map", "x.osm"} << "--map needs --mission";
    QTest::newRow("map file missing")
        << QStringList{"--mission", "Yard loop:Canteen", "--map", "/nonexistent.osm"}
        << "--map: cannot open the map /nonexistent.osm";
}

void tst_BehaviourTool::gatewayUsageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    ToolProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    gateway.start(QStringList{"--listen", "127.0.0.1:0", "--no-stdin"} + arguments);
    QVERIFY(gateway.waitForExit());
    const ToolRun run = gateway.result();
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(QString::fromUtf8(run.err).contains(message), qPrintable(run.describe()));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.describe())); // it never listened
}

// The module lights the lamp of a released button: the device reports it.
void tst_BehaviourTool::buttonLampFromTheModule()
{
    const ToolRun run = runDevice({"--behaviour", "button", "--count", "2", "--role", "lamp"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(states(run.events), (QStringList{"lamp off", "lamp on"}));
    for (const QJsonObject& state : run.eventsNamed(QStringLiteral("state"))) {
        QCOMPARE(state.value(QLatin1String("role")).toString(), QStringLiteral("lamp"));
        QVERIFY2(!state.contains(QLatin1String("position")), "a button has no position");
    }
}

void tst_BehaviourTool::ioBoardAppliesAQueuedCommand()
{
    const DeviceIdentity slot = device(2, 1, QStringLiteral("plc"));
    QVERIFY(m_gateway.queueCommand(slot, "[{\"outNum\":1,\"actType\":1}]"));
    QVERIFY(m_gateway.queueCommand(slot, "[{\"outNum\":0,\"actType\":1}]"));
    // The second status gets the first queued command, the third the second one.
    const ToolRun run = runDevice({"--behave", "io", "--role", "plc", "--count", "3", "--set",
                                   "outputBase=0", "--period", "50"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(states(run.events), (QStringList{"outputs 0000", "outputs 0100", "outputs 1100"}));
}

// A queued START with one stop: the vehicle drives there, waits, and ends IDLE once the
// gateway's mission module has removed the reached stop. Its state events carry the position,
// the next stop (null when none) and the speed.
void tst_BehaviourTool::vehicleDrivesToAQueuedStop()
{
    const DeviceIdentity slot = device(1, 1, QStringLiteral("car"));
    QVERIFY(m_gateway.queueCommand(
        slot, R"({"action":"START","route":"","stops":[{"name":"Gatehouse","position":)"
              R"({"latitude":49.7,"longitude":16.9007,"altitude":0}}]})"));
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start({"--port", QString::number(m_gateway.serverPort()), "--json", "--behave",
                  "vehicle", "--role", "car", "--speed", "60", "--wait-at-stop", "0.5"});
    const auto idleAfterTheStop = [&] {
        const QStringList seen = states(parseEventLines(device.output()));
        return seen.size() > 2 && seen.contains(QLatin1String("IN_STOP")) &&
               seen.last() == QLatin1String("IDLE");
    };
    QTRY_VERIFY2_WITH_TIMEOUT(idleAfterTheStop() ||
                                  device.process().state() == QProcess::NotRunning,
                              qPrintable(device.describe()), kToolTimeoutMs);
    QVERIFY2(idleAfterTheStop(), qPrintable(device.describe()));
    device.sendSignal(SIGINT);
    QVERIFY(device.waitForExit());
    const ToolRun run = device.result();
    QCOMPARE(run.exitCode, 0); // --count 0: until interrupted
    QVERIFY2(run.notJson.isEmpty(), qPrintable(run.notJson));
    const QList<QJsonObject> seen = run.eventsNamed(QStringLiteral("state"));
    QStringList changes = states(run.events);
    changes.removeDuplicates(); // DRIVE repeats while the vehicle moves
    QCOMPARE(changes, (QStringList{"IDLE", "DRIVE", "IN_STOP"}));
    QCOMPARE(states(run.events).last(), QStringLiteral("IDLE"));
    QCOMPARE(stopsReached(run.events, QStringLiteral("car")), QStringList{"Gatehouse"});
    const QJsonObject driving = seen.at(1);
    QCOMPARE(driving.value(QLatin1String("next_stop")).toString(), QStringLiteral("Gatehouse"));
    QCOMPARE(driving.value(QLatin1String("speed")).toDouble(), 60.0);
    // Where it stands at the end: Gatehouse, as the map has it.
    const QJsonObject position = seen.last().value(QLatin1String("position")).toObject();
    QCOMPARE(position.value(QLatin1String("latitude")).toDouble(), 49.7);
    QVERIFY(qAbs(position.value(QLatin1String("longitude")).toDouble() - 16.9007) < 1e-9);
    QVERIFY(seen.last().value(QLatin1String("next_stop")).isNull());
    QCOMPARE(run.eventsNamed(QStringLiteral("error")).size(), 0);
}

// fleet-gateway --mission plays the cloud for every vehicle: three fleet-device vehicles reach
// IN_STOP at both stops of the mission, go IDLE, get the mission again and reach its first stop
// once more (the state events prove each arrival). The mission follows the vehicles' encoding.
void tst_BehaviourTool::gatewayMissionKeepsAFleetDriving_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::newRow("json vehicles") << QStringLiteral("json");
    QTest::newRow("protobuf vehicles") << QStringLiteral("protobuf");
}

void tst_BehaviourTool::gatewayMissionKeepsAFleetDriving()
{
    QFETCH(QString, encoding);
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(gateway.startListening(
                 {"--quiet", "--no-stdin", "--mission", "Yard loop:Paint Shop,Canteen"}, &error),
             qPrintable(error));
    ToolProcess fleet(QStringLiteral(FLEET_DEVICE_PATH));
    fleet.start({"--port", QString::number(gateway.port()), "--json", "--behave", "vehicle",
                 "--role", "car", "--devices", "3", "--speed", "100", "--wait-at-stop", "0.2",
                 "--encoding", encoding});
    const QStringList roles{"car-1", "car-2", "car-3"};
    const QStringList lapAndAHalf{"Paint Shop", "Canteen", "Paint Shop"};
    const auto allLapped = [&] {
        const QList<QJsonObject> events = parseEventLines(fleet.output());
        for (const QString& role : roles) {
            if (stopsReached(events, role).mid(0, 3) != lapAndAHalf)
                return false;
        }
        return true;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(allLapped() || fleet.process().state() == QProcess::NotRunning,
                              qPrintable(fleet.describe()), kToolTimeoutMs);
    QVERIFY2(allLapped(), qPrintable(fleet.describe()));
    fleet.sendSignal(SIGINT);
    QVERIFY(fleet.waitForExit());
    const ToolRun run = fleet.result();
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.eventsNamed(QStringLiteral("error")).size(), 0);
    for (const QString& role : roles) {
        // IDLE between the laps: the gateway queued the mission again only after it.
        QStringList changes;
        for (const QJsonObject& event : run.eventsNamed(QStringLiteral("state"))) {
            const QString state = event.value(QLatin1String("state")).toString();
            if (event.value(QLatin1String("role")).toString() == role &&
                (changes.isEmpty() || changes.last() != state))
                changes.append(state);
        }
        QVERIFY2(changes.mid(0, 7) ==
                     (QStringList{"IDLE", "DRIVE", "IN_STOP", "DRIVE", "IN_STOP", "IDLE", "DRIVE"}),
                 qPrintable(role + QLatin1String(": ") + changes.join(QLatin1Char(' '))));
    }
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());
    const ToolRun gatewayRun = gateway.result();
    QCOMPARE(gatewayRun.exitCode, 0);
    // At least two missions per vehicle went through the operator's queue.
    QVERIFY2(gatewayRun.out.count("queued") >= 6, qPrintable(gatewayRun.describe()));
}

QTEST_GUILESS_MAIN(tst_BehaviourTool)
#include "tst_behaviourtool.moc"
