// fleet-device --behaviour (docs/modules.md#device-behaviour) as a script runs it: a real
// process against the embedded gateway with the real module rules, reporting what changed in
// the device as notices, and every mistake in the behaviour options as a usage error (exit 2)
// before anything connects.
#include "gatewayserver.h"
#include "identities.h"
#include "toolprocess.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include <csignal>

using namespace fleet;
using namespace fleet::test;

namespace {

QStringList notices(const ToolRun& run)
{
    QStringList messages;
    for (const QJsonObject& event : run.eventsNamed(QStringLiteral("notice")))
        messages.append(event.value(QLatin1String("message")).toString());
    return messages;
}

} // namespace

class tst_BehaviourTool : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void buttonLampFromTheModule();
    void ioBoardAppliesAQueuedCommand();
    void vehicleDrivesToAQueuedStop();

private:
    ToolRun runDevice(const QStringList& arguments);
    GatewayServer m_gateway;
};

void tst_BehaviourTool::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(FLEET_DEVICE_PATH)), FLEET_DEVICE_PATH);
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
    QTest::newRow("unknown behaviour") << QStringList{"--behaviour", "robot"}
                                       << "--behaviour: 'robot' is none of button, io, vehicle";
    QTest::newRow("map without behaviour")
        << QStringList{"--map", "x.osm"} << "--map needs --behaviour";
    QTest::newRow("set without behaviour")
        << QStringList{"--set", "period=10"} << "--set needs --behaviour";
    QTest::newRow("behaviour and a payload")
        << QStringList{"--behaviour", "button", "--status", "x"}
        << "give --behaviour or a status payload, not both (--status)";
    QTest::newRow("map for a button") << QStringList{"--behaviour", "button", "--map", "x.osm"}
                                      << "--map and --route are for --behaviour vehicle";
    QTest::newRow("device that does not fit")
        << QStringList{"--behaviour", "io", "--module", "1"}
        << "--behaviour io does not fit module 1, device type 1";
    QTest::newRow("unknown route") << QStringList{"--behaviour", "vehicle", "--route", "Nowhere"}
                                   << "--route: the map :/maps/demo-site.osm has no route "
                                      "'Nowhere' (routes: Yard loop, Shuttle line)";
    QTest::newRow("map file missing")
        << QStringList{"--behaviour", "vehicle", "--map", "/nonexistent.osm"}
        << "--map: cannot open the map /nonexistent.osm";
    QTest::newRow("bad setting value") << QStringList{"--behaviour", "io", "--set", "outputBase=2"}
                                       << "--set: outputBase: '2' is neither 0 nor 1";
    QTest::newRow("setting without value")
        << QStringList{"--behaviour", "io", "--set", "outputBase"}
        << "--set 'outputBase': expected KEY=VALUE";
    QTest::newRow("unknown setting")
        << QStringList{"--behaviour", "button", "--set", "colour=red"}
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

// The module lights the lamp of a released button: the device reports it.
void tst_BehaviourTool::buttonLampFromTheModule()
{
    const ToolRun run = runDevice({"--behaviour", "button", "--count", "2", "--role", "lamp"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(notices(run), (QStringList{"lamp off", "lamp on"}));
    for (const QJsonObject& command : run.eventsNamed(QStringLiteral("command")))
        QVERIFY(command.value(QLatin1String("role")).toString() == QLatin1String("lamp"));
}

void tst_BehaviourTool::ioBoardAppliesAQueuedCommand()
{
    const DeviceIdentity slot = device(2, 1, QStringLiteral("plc"));
    QVERIFY(m_gateway.queueCommand(slot, "[{\"outNum\":1,\"actType\":1}]"));
    QVERIFY(m_gateway.queueCommand(slot, "[{\"outNum\":0,\"actType\":1}]"));
    // The second status gets the first queued command, the third the second one.
    const ToolRun run = runDevice({"--behaviour", "io", "--role", "plc", "--count", "3", "--set",
                                   "outputBase=0", "--set", "period=50"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(notices(run), (QStringList{"outputs 0000", "outputs 0100", "outputs 1100"}));
}

// A queued START with one stop: the vehicle drives there, waits, and ends IDLE once the
// gateway's mission module has removed the reached stop.
void tst_BehaviourTool::vehicleDrivesToAQueuedStop()
{
    const DeviceIdentity slot = device(1, 1, QStringLiteral("car"));
    QVERIFY(m_gateway.queueCommand(
        slot, R"({"action":"START","route":"","stops":[{"name":"Gatehouse","position":)"
              R"({"latitude":49.7,"longitude":16.9007,"altitude":0}}]})"));
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start({"--port", QString::number(m_gateway.serverPort()), "--json", "--behaviour",
                  "vehicle", "--role", "car", "--set", "speedOverride=60", "--set",
                  "waitAtStop=0.5"});
    QVERIFY2(device.waitForOutput("state IN_STOP, next stop Gatehouse at 49.7000000,16.9007000"),
             qPrintable(device.describe()));
    QVERIFY2(device.waitForOutput("state IDLE, no next stop at 49.7000000,16.9007000"),
             qPrintable(device.describe()));
    device.sendSignal(SIGINT);
    QVERIFY(device.waitForExit());
    const ToolRun run = device.result();
    QCOMPARE(run.exitCode, 0); // --count 0: until interrupted
    const QStringList seen = notices(run);
    QVERIFY2(seen.size() == 4 && seen.at(0).startsWith(QLatin1String("state IDLE")) &&
                 seen.at(1).startsWith(QLatin1String("state DRIVE, next stop Gatehouse")),
             qPrintable(seen.join(QLatin1Char('\n'))));
    QCOMPARE(run.eventsNamed(QStringLiteral("error")).size(), 0);
}

QTEST_GUILESS_MAIN(tst_BehaviourTool)
#include "tst_behaviourtool.moc"
