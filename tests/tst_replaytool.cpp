// fleet-device --replay as a process against fleet-gateway (docs/scenarios.md#record-and-replay):
// a traffic log export replays its statuses byte for byte (recorded timing or fast), with
// --junit as --scenario has it; --record-scenario only writes the scenario, which --scenario
// then runs; a bad line or a bad flag is a usage error (exit 2) that says what is wrong.
#include "frames.h"
#include "identities.h"
#include "timing.h"
#include "toolprocess.h"
#include "trafficlogexport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;
using namespace fleet::test;

namespace {

// What the session sent: text, JSON as written, binary (docs/modules.md#transparent-module
// takes every payload).
const QList<QByteArray>& statuses()
{
    static const QList<QByteArray> list{"Status 0", R"({"a": [1, 2.50]})",
                                        QByteArray("\x00\xff\x10\x80", 4)};
    return list;
}

TrafficSnapshot session()
{
    const DeviceIdentity device =
        test::device(3, 0, QStringLiteral("testing_device"), 0, QStringLiteral("yellow"));
    TrafficSnapshot snapshot;
    snapshot.devices = {device.toString()};
    qint64 time = 1'780'000'000'000;
    auto add = [&](TrafficKind kind, TrafficDirection direction, const QByteArray& wire,
                   qint64 gapMs) -> TrafficFrame& {
        time += gapMs;
        TrafficFrame frame;
        frame.wire = wire;
        frame.timeMs = time;
        frame.kind = kind;
        frame.direction = direction;
        snapshot.frames.append(frame);
        return snapshot.frames.last();
    };
    add(TrafficKind::Connect, TrafficDirection::DeviceToGateway, test::connectFrame(device), 0);
    add(TrafficKind::ConnectResponse, TrafficDirection::GatewayToDevice,
        test::connectResponseFrame(device), 1)
        .responseType = 0;
    for (const QByteArray& status : statuses()) {
        add(TrafficKind::Status, TrafficDirection::DeviceToGateway,
            test::statusFrame(device, status), 40);
        add(TrafficKind::Command, TrafficDirection::GatewayToDevice,
            test::commandFrame(device, R"("default_command")"), 1)
            .roundTripMs = 0.8f;
    }
    return snapshot;
}

} // namespace

class tst_ReplayTool : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void replays_data();
    void replays();
    void recordScenarioOnlyWrites();
    void badExport();

private:
    ToolRun runDevice(const QStringList& arguments);
    // The status bytes the gateway received so far, once it reported `count` of them.
    bool gatewayReceived(int count, QList<QByteArray>* received);

    QTemporaryDir m_dir;
    QString m_export;
    std::unique_ptr<GatewayProcess> m_gateway;
};

void tst_ReplayTool::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_export = m_dir.filePath(QStringLiteral("session.jsonl"));
    const TrafficExportResult written =
        writeTrafficLog(session(), m_export, TrafficExportFormat::JsonLines);
    QVERIFY2(written.ok, qPrintable(written.error));
}

void tst_ReplayTool::init()
{
    // A fresh gateway per row: its status events are the row's alone.
    m_gateway = std::make_unique<GatewayProcess>(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(
        m_gateway->startListening({QStringLiteral("--json"), QStringLiteral("--no-stdin")}, &error),
        qPrintable(error));
}

ToolRun tst_ReplayTool::runDevice(const QStringList& arguments)
{
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start(arguments);
    device.waitForExit();
    return device.result();
}

bool tst_ReplayTool::gatewayReceived(int count, QList<QByteArray>* received)
{
    QList<QJsonObject> events;
    const auto enough = [&] {
        events = m_gateway->result().eventsNamed(QStringLiteral("status"));
        return events.size() >= count;
    };
    if (!QTest::qWaitFor(enough, kWaitMs))
        return false;
    received->clear();
    for (const QJsonObject& event : events)
        received->append(
            QByteArray::fromHex(event.value(QStringLiteral("hex")).toString().toLatin1()));
    return true;
}

void tst_ReplayTool::replays_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says"); // in stdout or stderr
    QTest::newRow("recorded timing")
        << QStringList() << 0 << "scenario \"Replay of session.jsonl\": passed";
    QTest::newRow("fast") << QStringList{"--replay-timing", "fast"} << 0 << ": passed";
    QTest::newRow("with a JUnit report") << QStringList{"--junit", "JUNIT"} << 0 << ": passed";
    QTest::newRow("unknown timing") << QStringList{"--replay-timing", "slow"} << 2
                                    << "--replay-timing must be recorded or fast, not 'slow'";
    QTest::newRow("a scenario too")
        << QStringList{"--scenario", "x.json"} << 2 << "give --scenario or --replay, not both";
    QTest::newRow("a payload too") << QStringList{"--status", "x"} << 2
                                   << "--replay brings its own devices and steps: leave out "
                                      "--status";
    QTest::newRow("record with a report")
        << QStringList{"--record-scenario", "out.json", "--junit", "x.xml"} << 2
        << "--record-scenario only writes the scenario: leave out --junit";
}

void tst_ReplayTool::replays()
{
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    const QString junit = m_dir.filePath(QStringLiteral("replay.xml"));
    extra.replaceInStrings(QStringLiteral("JUNIT"), junit);
    QFile::remove(junit);
    const ToolRun run =
        runDevice(QStringList{QStringLiteral("--replay"), m_export, QStringLiteral("--port"),
                              QString::number(m_gateway->port())} +
                  extra);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
    QVERIFY2(run.out.contains(says.toUtf8()) || run.err.contains(says.toUtf8()),
             qPrintable(run.describe()));
    if (exitCode != 0)
        return;
    QList<QByteArray> received;
    QVERIFY2(gatewayReceived(int(statuses().size()), &received), qPrintable(m_gateway->describe()));
    QCOMPARE(received, statuses());
    QCOMPARE(QFile::exists(junit), extra.contains(junit));
}

void tst_ReplayTool::recordScenarioOnlyWrites()
{
    const QString scenario = m_dir.filePath(QStringLiteral("recorded.json"));
    const QString port = QString::number(m_gateway->port());
    const ToolRun written =
        runDevice({QStringLiteral("--replay"), m_export, QStringLiteral("--record-scenario"),
                   scenario, QStringLiteral("--port"), port, QStringLiteral("--json")});
    QVERIFY2(written.exitCode == 0, qPrintable(written.describe()));
    const QList<QJsonObject> recorded = written.eventsNamed(QStringLiteral("recorded"));
    QCOMPARE(recorded.size(), 1);
    QCOMPARE(recorded.first().value("statuses").toInt(), statuses().size());
    QCOMPARE(recorded.first().value("answers").toInt(), statuses().size());
    QFile file(scenario);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    // --port became the file's server.
    QVERIFY2(json.contains("\"server\": \"127.0.0.1:" + port.toUtf8() + '"'), json.constData());

    // The file runs as any scenario; the gateway sees its statuses once: none came from the
    // run that only wrote the file.
    const ToolRun run = runDevice({QStringLiteral("--scenario"), scenario});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QList<QByteArray> received;
    QVERIFY2(gatewayReceived(int(statuses().size()), &received), qPrintable(m_gateway->describe()));
    QCOMPARE(received, statuses());
}

void tst_ReplayTool::badExport()
{
    const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
    QFile good(m_export);
    QVERIFY(good.open(QIODevice::ReadOnly));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(good.readLine());
    file.write("{\"time\": \"2026-12-01T08:47:09.123Z\"}\n");
    file.close();
    const ToolRun run = runDevice({QStringLiteral("--replay"), bad});
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY2(run.err.contains((bad + ":2: \"device\" is missing").toUtf8()),
             qPrintable(run.describe()));

    const ToolRun alone = runDevice({QStringLiteral("--replay-timing"), QStringLiteral("fast")});
    QVERIFY2(alone.exitCode == 2, qPrintable(alone.describe()));
    QVERIFY2(alone.err.contains("--replay-timing needs --replay"), qPrintable(alone.describe()));
}

QTEST_GUILESS_MAIN(tst_ReplayTool)
#include "tst_replaytool.moc"
