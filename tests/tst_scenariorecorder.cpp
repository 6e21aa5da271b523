// Record and replay (docs/scenarios.md#record-and-replay): traffic log frames become a scenario
// file that reads back (Scenario::parse) with every status byte as it was — text, JSON and
// binary — the recorded pauses or none, answers as expect_command, a refused connect as
// expect_error, two devices in the order they talked; and the acceptance round trip: a
// session against a GatewayServer, exported, imported, recorded and replayed against a fresh
// gateway, which receives the same status bytes in the same order.
#include "frames.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "identities.h"
#include "internalclient.h"
#include "scenario.h"
#include "scenariorecorder.h"
#include "scenariorunner.h"
#include "timing.h"
#include "trafficlogexport.h"
#include "trafficlogfilter.h"
#include "trafficlogimport.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include <QFileDialog>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::TrafficSnapshot)

namespace {

constexpr qint64 kStart = 1'780'000'000'000; // any fixed time: the recorder uses differences

const DeviceIdentity& identityOf(int device)
{
    static const DeviceIdentity identities[] = {
        test::button(QStringLiteral("button"), 0, QStringLiteral("first")),
        test::button(QStringLiteral("button"), 0, QStringLiteral("rival")),
        test::device(3, 0, QStringLiteral("testing_device"), 2, QStringLiteral("yellow")),
    };
    return identities[device];
}

// A traffic log written frame by frame, as the model would have logged them.
class Log {
public:
    Log& connect(int device, qint64 atMs)
    {
        return add(device, atMs, TrafficKind::Connect, TrafficDirection::DeviceToGateway,
                   test::connectFrame(identityOf(device)));
    }
    Log& response(int device, qint64 atMs, int responseType = 0)
    {
        add(device, atMs, TrafficKind::ConnectResponse, TrafficDirection::GatewayToDevice,
            test::connectResponseFrame(identityOf(device), responseType));
        m_snapshot.frames.last().responseType = qint8(responseType);
        return *this;
    }
    Log& status(int device, qint64 atMs, const QByteArray& payload)
    {
        return add(device, atMs, TrafficKind::Status, TrafficDirection::DeviceToGateway,
                   test::statusFrame(identityOf(device), payload));
    }
    Log& answer(int device, qint64 atMs, const QByteArray& payload, float roundTripMs = 0.5f)
    {
        add(device, atMs, TrafficKind::Command, TrafficDirection::GatewayToDevice,
            test::commandFrame(identityOf(device), payload));
        m_snapshot.frames.last().roundTripMs = roundTripMs;
        return *this;
    }
    Log& pushed(int device, qint64 atMs, const QByteArray& payload)
    {
        return add(device, atMs, TrafficKind::PushedCommand, TrafficDirection::GatewayToDevice,
                   test::commandFrame(identityOf(device), payload));
    }
    Log& event(int device, qint64 atMs, TrafficKind kind, const QString& note)
    {
        add(device, atMs, kind, TrafficDirection::GatewayToDevice, {});
        m_snapshot.frames.last().note = note;
        return *this;
    }
    // Every frame once more as the embedded gateway logged it (the same bytes, its side).
    Log& withGatewayCopies()
    {
        const QList<TrafficFrame> frames = m_snapshot.frames;
        m_snapshot.frames.clear();
        for (const TrafficFrame& frame : frames) {
            m_snapshot.frames.append(frame);
            TrafficFrame copy = frame;
            copy.side = TrafficSide::Gateway;
            m_snapshot.frames.append(copy);
        }
        return *this;
    }
    Log& onGatewaySide()
    {
        for (TrafficFrame& frame : m_snapshot.frames)
            frame.side = TrafficSide::Gateway;
        return *this;
    }
    TrafficSnapshot snapshot() const { return m_snapshot; }

private:
    Log& add(int device, qint64 atMs, TrafficKind kind, TrafficDirection direction,
             const QByteArray& wire)
    {
        const QString label = identityOf(device).toString();
        qsizetype index = m_snapshot.devices.indexOf(label);
        if (index < 0) {
            m_snapshot.devices.append(label);
            index = m_snapshot.devices.size() - 1;
        }
        TrafficFrame frame;
        frame.wire = wire;
        frame.timeMs = kStart + atMs;
        frame.device = quint32(index);
        frame.kind = kind;
        frame.direction = direction;
        m_snapshot.frames.append(frame);
        return *this;
    }

    TrafficSnapshot m_snapshot;
};

// The steps as one line each: "send button", "wait_ms 99", "expect_error button-rival
// AlreadyConnected".
QStringList describe(const Scenario& scenario)
{
    QStringList lines;
    for (const ScenarioStep& step : scenario.steps()) {
        QString line = step.kindName();
        if (step.kind == ScenarioStep::Kind::Wait)
            line += QLatin1Char(' ') + QString::number(step.waitMs);
        else
            line += QLatin1Char(' ') + step.device;
        if (step.kind == ScenarioStep::Kind::ExpectError)
            line += QLatin1Char(' ') + step.errorName;
        lines << line;
    }
    return lines;
}

bool parse(const ScenarioRecording& recording, Scenario* scenario, QString* why)
{
    if (!recording.ok) {
        *why = recording.error;
        return false;
    }
    ScenarioError error;
    if (!Scenario::parse(recording.json, QStringLiteral("recorded.json"), scenario, &error)) {
        *why = error.toString() + QLatin1Char('\n') + QString::fromUtf8(recording.json);
        return false;
    }
    return true;
}

// Runs the scenario against a fresh gateway; *received gets the statuses that gateway took, in
// order. A failed step fails the calling test with the steps' reasons.
void replayOnFreshGateway(const Scenario& scenario, QList<QByteArray>* received)
{
    GatewayServer fresh;
    QVERIFY(fresh.listen(QHostAddress::LocalHost, 0));
    QObject::connect(&fresh, &GatewayServer::gatewayEvent, [received](const GatewayEvent& event) {
        if (event.kind == GatewayEvent::Kind::StatusReceived)
            received->append(event.data);
    });
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(fresh.serverPort()));
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, test::kWaitMs);
    QString failures;
    for (const ScenarioStepResult& result : runner.results()) {
        if (result.outcome != ScenarioStepResult::Outcome::Passed)
            failures += result.label + QStringLiteral(": ") + result.reason + QLatin1Char('\n');
    }
    QVERIFY2(runner.passed(), qPrintable(failures));
}

} // namespace

class tst_ScenarioRecorder : public QObject {
    Q_OBJECT
private slots:
    void payloads_data();
    void payloads();
    void steps_data();
    void steps();
    void answerWindow_data();
    void answerWindow();
    void identity();
    void refusals_data();
    void refusals();
    void sessionReplaysTheSameStatuses_data();
    void sessionReplaysTheSameStatuses();
    void refusedRivalReplays();
    void consoleSavesScenarios();
};

void tst_ScenarioRecorder::payloads_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("source"); // ScenarioPayload::Source the file uses

    const int json = int(ScenarioPayload::Source::Json);
    const int text = int(ScenarioPayload::Source::Text);
    const int hex = int(ScenarioPayload::Source::Hex);
    QTest::newRow("JSON as written, one space") << QByteArray(R"({"pressed": true})") << json;
    QTest::newRow("JSON with its own spelling")
        << QByteArray(R"({"b":1.50,"a":[1e3, -0, "x\u0041"]})") << json;
    QTest::newRow("pretty JSON keeps its lines")
        << QByteArray("{\n  \"a\": [\n    1\n  ]\n}") << json;
    QTest::newRow("JSON string") << QByteArray(R"("default_command")") << json;
    QTest::newRow("JSON with a trailing newline is text") << QByteArray("{\"a\": 1}\n") << text;
    QTest::newRow("JSON with leading spaces is text") << QByteArray("  [1]") << text;
    QTest::newRow("plain text") << QByteArray("Status 0") << text;
    QTest::newRow("text with quotes, backslash, tab, CRLF")
        << QByteArray("say \"hi\"\\\there\r\n") << text;
    QTest::newRow("text in UTF-8") << QByteArray("Grüße, 東京 👋") << text;
    QTest::newRow("text after a byte order mark") << QByteArray("\xef\xbb\xbfhello") << text;
    QTest::newRow("empty status") << QByteArray() << text;
    QTest::newRow("binary") << QByteArray("\x00\x01\xfe\xff\x80", 5) << hex;
    QTest::newRow("control characters") << QByteArray("a\x01\x1b[2Jb") << hex;
    QTest::newRow("invalid UTF-8") << QByteArray("caf\xe9") << hex;
    QTest::newRow("NUL inside JSON-looking text") << QByteArray("{\"a\": \"\0\"}", 10) << hex;
}

void tst_ScenarioRecorder::payloads()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, source);
    // The answer carries the same bytes, so the expectation's form is checked too.
    const TrafficSnapshot log =
        Log().connect(0, 0).response(0, 1).status(0, 2, payload).answer(0, 3, payload).snapshot();
    const ScenarioRecording recording = ScenarioRecorder::record(log);
    Scenario scenario;
    QString why;
    QVERIFY2(parse(recording, &scenario, &why), qPrintable(why));
    QCOMPARE(recording.statuses, 1);
    QCOMPARE(recording.answers, 1);
    QCOMPARE(describe(scenario), QStringList({"connect button", "wait_ms 1", "send button",
                                              "expect_command button", "disconnect button"}));
    const ScenarioStep& send = scenario.steps().at(2);
    QCOMPARE(int(send.payload.source), source);
    QCOMPARE(send.payload.data, payload);
    const ScenarioStep& expect = scenario.steps().at(3);
    QCOMPARE(expect.match.kind, ScenarioMatch::Kind::Exact);
    QCOMPARE(expect.match.bytes, payload);
}

void tst_ScenarioRecorder::steps_data()
{
    QTest::addColumn<TrafficSnapshot>("log");
    QTest::addColumn<bool>("recordedTiming");
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("leftOut"); // a sentence of ScenarioRecording::leftOut, or empty

    const Log session = Log()
                            .connect(0, 0)
                            .response(0, 1)
                            .status(0, 100, "one")
                            .answer(0, 101, "ok")
                            .status(0, 300, "two")
                            .answer(0, 302, "ok");
    const QStringList recorded{"connect button",        "wait_ms 99",       "send button",
                               "expect_command button", "wait_ms 199",      "send button",
                               "expect_command button", "disconnect button"};
    const QStringList fast{"connect button", "send button",           "expect_command button",
                           "send button",    "expect_command button", "disconnect button"};
    QTest::newRow("recorded timing: the pauses before each status")
        << session.snapshot() << true << recorded << "";
    QTest::newRow("fast: no pauses") << session.snapshot() << false << fast << "";
    QTest::newRow("the gateway's copy of each frame counts once")
        << Log(session).withGatewayCopies().snapshot() << true << recorded << "";
    QTest::newRow("a device only the gateway logged")
        << Log(session).onGatewaySide().snapshot() << true << recorded << "";
    QTest::newRow("rows without the connect: the device connects first")
        << Log().status(0, 0, "one").answer(0, 1, "ok").snapshot() << false
        << QStringList{"connect button", "send button", "expect_command button",
                       "disconnect button"}
        << "";
    QTest::newRow("a pushed command is left out")
        << Log()
               .connect(0, 0)
               .response(0, 1)
               .status(0, 2, "one")
               .answer(0, 3, "ok")
               .pushed(0, 4, "surprise")
               .snapshot()
        << false
        << QStringList{"connect button", "send button", "expect_command button",
                       "disconnect button"}
        << "1 pushed commands";
    QTest::newRow("an answer without its status is left out")
        << Log().connect(0, 0).response(0, 1).answer(0, 2, "ok").snapshot() << false
        << QStringList{"connect button", "disconnect button"} << "1 answers without their status";
    QTest::newRow("events are no steps")
        << Log()
               .connect(0, 0)
               .response(0, 1)
               .event(0, 2, TrafficKind::Connection, "TCP connection open")
               .event(0, 3, TrafficKind::ProtocolError, "cut header")
               .snapshot()
        << false << QStringList{"connect button", "disconnect button"} << "";
    QTest::newRow("a reconnect closes the old connection first")
        << Log()
               .connect(0, 0)
               .response(0, 1)
               .status(0, 2, "one")
               .answer(0, 3, "ok")
               .connect(0, 10)
               .response(0, 11)
               .status(0, 12, "two")
               .snapshot()
        << false << QStringList{"connect button",    "send button",    "expect_command button",
                                "disconnect button", "connect button", "send button",
                                "disconnect button"}
        << "";
    QTest::newRow("refused rival: expect_error right after its connect")
        << Log()
               .connect(0, 0)
               .response(0, 1)
               .connect(1, 2)
               .status(0, 3, "one")
               .response(1, 4, 1)
               .answer(0, 5, "ok")
               .snapshot()
        << false << QStringList{"connect button",
                                "connect button-rival",
                                "expect_error button-rival AlreadyConnected",
                                "send button",
                                "expect_command button",
                                "disconnect button"}
        << "";
    QTest::newRow("two devices keep the order between them")
        << Log()
               .connect(0, 0)
               .connect(2, 1)
               .response(0, 2)
               .response(2, 3)
               .status(2, 4, "b1")
               .status(0, 5, "a1")
               .answer(0, 6, "ok")
               .answer(2, 7, "ok")
               .snapshot()
        << true
        << QStringList{"connect button",
                       "wait_ms 1",
                       "connect testing_device",
                       "wait_ms 1",
                       "send testing_device",
                       "wait_ms 1",
                       "send button",
                       "expect_command button",
                       "expect_command testing_device",
                       "disconnect button",
                       "disconnect testing_device"}
        << "";
}

void tst_ScenarioRecorder::steps()
{
    QFETCH(TrafficSnapshot, log);
    QFETCH(bool, recordedTiming);
    QFETCH(QStringList, steps);
    QFETCH(QString, leftOut);
    ScenarioRecordOptions options;
    options.timing = recordedTiming ? ScenarioRecordOptions::Timing::Recorded
                                    : ScenarioRecordOptions::Timing::Fast;
    const ScenarioRecording recording = ScenarioRecorder::record(log, options);
    Scenario scenario;
    QString why;
    QVERIFY2(parse(recording, &scenario, &why), qPrintable(why));
    QCOMPARE(describe(scenario), steps);
    if (leftOut.isEmpty()) {
        QVERIFY2(recording.leftOut.isEmpty(), qPrintable(recording.leftOut.join('\n')));
    } else {
        QVERIFY2(recording.leftOut.join('\n').contains(leftOut),
                 qPrintable(recording.leftOut.join('\n')));
    }
}

void tst_ScenarioRecorder::answerWindow_data()
{
    QTest::addColumn<float>("roundTripMs");
    QTest::addColumn<int>("withinMs");
    QTest::newRow("quick answer: the default window") << 0.4f << 2000;
    QTest::newRow("slow answer: four round trips") << 900.2f << 3601;
}

void tst_ScenarioRecorder::answerWindow()
{
    QFETCH(float, roundTripMs);
    QFETCH(int, withinMs);
    const TrafficSnapshot log = Log()
                                    .connect(0, 0)
                                    .response(0, 1)
                                    .status(0, 2, "x")
                                    .answer(0, 3, "y", roundTripMs)
                                    .snapshot();
    Scenario scenario;
    QString why;
    QVERIFY2(parse(ScenarioRecorder::record(log), &scenario, &why), qPrintable(why));
    QCOMPARE(scenario.steps().at(3).kind, ScenarioStep::Kind::ExpectCommand);
    QCOMPARE(scenario.steps().at(3).withinMs, withinMs);
}

void tst_ScenarioRecorder::identity()
{
    // Identity, name and server as the options and the connect frame say.
    ScenarioRecordOptions options;
    options.name = QStringLiteral("my session");
    options.server = QStringLiteral("127.0.0.1:1636");
    options.timing = ScenarioRecordOptions::Timing::Fast;
    const ScenarioRecording recording = ScenarioRecorder::record(
        Log().connect(2, 0).response(2, 1).status(2, 2, "Status 0").snapshot(), options);
    Scenario scenario;
    QString why;
    QVERIFY2(parse(recording, &scenario, &why), qPrintable(why));
    QCOMPARE(scenario.name(), QStringLiteral("my session"));
    QCOMPARE(scenario.server().value_or(QString()), QStringLiteral("127.0.0.1:1636"));
    QCOMPARE(scenario.devices().size(), 1);
    QCOMPARE(scenario.devices().first().key, QStringLiteral("testing_device"));
    QCOMPARE(scenario.devices().first().identity, identityOf(2));
    QCOMPARE(recording.devices, 1);
}

void tst_ScenarioRecorder::refusals_data()
{
    QTest::addColumn<TrafficSnapshot>("log");
    QTest::addColumn<QString>("error");
    QTest::newRow("no frames") << TrafficSnapshot() << "nothing to record";
    QTest::newRow("only events") << Log()
                                        .event(0, 0, TrafficKind::Connection, "refused")
                                        .event(0, 1, TrafficKind::ProtocolError, "cut header")
                                        .snapshot()
                                 << "nothing to record";
    TrafficSnapshot cut = Log().connect(0, 0).status(0, 1, QByteArray(100, 'x')).snapshot();
    cut.frames.last().largeSize = quint32(cut.frames.last().wire.size());
    cut.frames.last().wire.truncate(40);
    QTest::newRow("a status cut by the log's byte budget") << cut << "keeps only its first 40";
}

void tst_ScenarioRecorder::refusals()
{
    QFETCH(TrafficSnapshot, log);
    QFETCH(QString, error);
    const ScenarioRecording recording = ScenarioRecorder::record(log);
    QVERIFY(!recording.ok);
    QVERIFY(recording.json.isEmpty());
    QVERIFY2(recording.error.contains(error), qPrintable(recording.error));
}

void tst_ScenarioRecorder::sessionReplaysTheSameStatuses_data()
{
    QTest::addColumn<bool>("recordedTiming");
    QTest::newRow("recorded timing") << true;
    QTest::newRow("as fast as possible") << false;
}

// The acceptance test of record and replay: a scenario recorded from a console session
// replays to the same status bytes.
void tst_ScenarioRecorder::sessionReplaysTheSameStatuses()
{
    QFETCH(bool, recordedTiming);
    const QList<QByteArray> statuses{
        "Status 0",
        R"({"a": [1, 2.50, true], "b":null})",
        "{\n  \"pretty\": \"yes\"\n}\n",
        QByteArray("\x00\x01\xfe\xff\x80\x7f", 6),
        QByteArray(),
        "quotes \" and \\ and tabs\t and Grüße",
    };
    // The transparent module takes every payload (docs/modules.md#transparent-module).
    const DeviceIdentity device = identityOf(2);

    // 1. The session, logged by the device and by the gateway, as in the console.
    GatewayServer original;
    QVERIFY(original.listen(QHostAddress::LocalHost, 0));
    QList<QByteArray> originalReceived;
    connect(&original, &GatewayServer::gatewayEvent, this, [&](const GatewayEvent& event) {
        if (event.kind == GatewayEvent::Kind::StatusReceived)
            originalReceived.append(event.data);
    });
    TrafficLogModel model;
    GatewayLink link(&original);
    model.attachGateway(&link);
    {
        InternalClient client;
        model.attachClient(&client);
        QSignalSpy connected(&client, &InternalClient::connected);
        QSignalSpy answered(&client, &InternalClient::statusAnswered);
        QCOMPARE(client.connectToServer(QStringLiteral("127.0.0.1"), original.serverPort(), device),
                 InternalClient::Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, test::kWaitMs);
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            QCOMPARE(client.sendStatus(statuses[i], test::kWaitMs), InternalClient::Error::NoError);
            QTRY_COMPARE_WITH_TIMEOUT(answered.size(), i + 1, test::kWaitMs);
        }
        client.destroy();
    }
    QCOMPARE(originalReceived, statuses);
    model.flush();

    // 2. Exported as JSON Lines and imported again.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString exportFile = dir.filePath(QStringLiteral("session.jsonl"));
    const TrafficExportResult exported =
        writeTrafficLog(model.snapshot(), exportFile, TrafficExportFormat::JsonLines);
    QVERIFY2(exported.ok, qPrintable(exported.error));
    TrafficSnapshot imported;
    TrafficImportError importError;
    QVERIFY2(TrafficLogImport::load(exportFile, &imported, &importError),
             qPrintable(importError.toString()));
    QCOMPARE(imported.frames.size(), model.rowCount());

    // 3. Recorded as a scenario.
    ScenarioRecordOptions options;
    options.timing = recordedTiming ? ScenarioRecordOptions::Timing::Recorded
                                    : ScenarioRecordOptions::Timing::Fast;
    const ScenarioRecording recording = ScenarioRecorder::record(imported, options);
    Scenario scenario;
    QString why;
    QVERIFY2(parse(recording, &scenario, &why), qPrintable(why));
    QCOMPARE(recording.devices, 1);
    QCOMPARE(recording.statuses, statuses.size());
    QCOMPARE(recording.answers, statuses.size());

    // 4. Replayed against a fresh gateway: the same bytes arrive, in order.
    QList<QByteArray> replayed;
    replayOnFreshGateway(scenario, &replayed);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(replayed, statuses);
}

// Two devices of one slot, the second refused: the recording replays with the refusal
// expected right after the rival's connect, and the button's statuses (and the example
// module's answers to them) arrive as they did.
void tst_ScenarioRecorder::refusedRivalReplays()
{
    GatewayServer original;
    QVERIFY(original.listen(QHostAddress::LocalHost, 0));
    TrafficLogModel model;
    const QList<QByteArray> statuses{R"({"pressed": false})", R"({"pressed": true})"};
    {
        InternalClient button;
        InternalClient rival;
        model.attachClient(&button);
        model.attachClient(&rival);
        QSignalSpy connected(&button, &InternalClient::connected);
        QSignalSpy answered(&button, &InternalClient::statusAnswered);
        QSignalSpy refused(&rival, &InternalClient::errorOccurred);
        const QString host = QStringLiteral("127.0.0.1");
        QCOMPARE(button.connectToServer(host, original.serverPort(), identityOf(0)),
                 InternalClient::Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, test::kWaitMs);
        QCOMPARE(button.sendStatus(statuses[0], test::kWaitMs), InternalClient::Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, test::kWaitMs);
        QCOMPARE(rival.connectToServer(host, original.serverPort(), identityOf(1)),
                 InternalClient::Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, test::kWaitMs);
        QCOMPARE(refused.first().first().value<InternalClient::Error>(),
                 InternalClient::Error::AlreadyConnected);
        QCOMPARE(button.sendStatus(statuses[1], test::kWaitMs), InternalClient::Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 2, test::kWaitMs);
        button.destroy();
    }
    model.flush();

    ScenarioRecordOptions options;
    options.timing = ScenarioRecordOptions::Timing::Fast;
    const ScenarioRecording recording = ScenarioRecorder::record(model.snapshot(), options);
    Scenario scenario;
    QString why;
    QVERIFY2(parse(recording, &scenario, &why), qPrintable(why));
    QCOMPARE(describe(scenario),
             QStringList({"connect button", "send button", "expect_command button",
                          "connect button-rival", "expect_error button-rival AlreadyConnected",
                          "send button", "expect_command button", "disconnect button"}));

    QList<QByteArray> replayed;
    replayOnFreshGateway(scenario, &replayed);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(replayed, statuses);
}

// The traffic log's context menu: selected rows, or the current row's device session, saved
// through a non-blocking file dialog as a scenario that reads back; scenarioSaved() tells.
void tst_ScenarioRecorder::consoleSavesScenarios()
{
    TrafficLogModel model;
    const DeviceIdentity button = identityOf(0);
    const DeviceIdentity other = identityOf(2);
    const auto up = TrafficDirection::DeviceToGateway;
    const auto down = TrafficDirection::GatewayToDevice;
    model.appendFrame(button.toString(), TrafficSide::Device, up, test::connectFrame(button));
    model.appendFrame(button.toString(), TrafficSide::Device, down,
                      test::connectResponseFrame(button));
    model.appendFrame(other.toString(), TrafficSide::Device, up, test::connectFrame(other));
    model.appendFrame(other.toString(), TrafficSide::Device, down,
                      test::connectResponseFrame(other));
    model.appendFrame(button.toString(), TrafficSide::Device, up, test::statusFrame(button, "one"));
    model.appendFrame(button.toString(), TrafficSide::Device, down,
                      test::commandFrame(button, "ok"));
    model.appendFrame(other.toString(), TrafficSide::Device, up, test::statusFrame(other, "b1"));
    model.appendFrame(button.toString(), TrafficSide::Device, up, test::statusFrame(button, "two"));
    model.flush();
    TrafficLogView view(&model);
    view.setScenarioTiming(false);
    QSignalSpy saved(&view, &TrafficLogView::scenarioSaved);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto read = [](const QString& fileName, QStringList* steps, QList<QByteArray>* sent) {
        Scenario scenario;
        ScenarioError error;
        if (!Scenario::load(fileName, &scenario, &error))
            return false;
        *steps = describe(scenario);
        sent->clear();
        for (const ScenarioStep& step : scenario.steps()) {
            if (step.kind == ScenarioStep::Kind::Send)
                sent->append(step.payload.data);
        }
        return true;
    };

    // Two rows picked in reverse order: recorded in the log's order.
    QItemSelectionModel* selection = view.table()->selectionModel();
    selection->select(view.filter()->index(7, 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(view.filter()->index(4, 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString rowsFile = dir.filePath(QStringLiteral("rows.json"));
    QVERIFY(view.saveScenario(view.selectedFrames(), rowsFile));
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.last().first().toString(), rowsFile);
    QStringList steps;
    QList<QByteArray> sent;
    QVERIFY(read(rowsFile, &steps, &sent));
    QCOMPARE(steps,
             QStringList({"connect button", "send button", "send button", "disconnect button"}));
    QCOMPARE(sent, QList<QByteArray>({"one", "two"}));
    QVERIFY2(view.messageText().contains(QStringLiteral("2 statuses")),
             qPrintable(view.messageText()));

    // The other device's session, through the dialog the context menu opens.
    view.table()->setCurrentIndex(view.filter()->index(6, 0));
    view.makeScenarioFromDeviceSession();
    auto* dialog = view.findChild<QFileDialog*>(QStringLiteral("scenarioFileDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    const QString sessionFile = dir.filePath(QStringLiteral("session.json"));
    emit dialog->fileSelected(sessionFile); // what accepting the dialog with this name does
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved.last().first().toString(), sessionFile);
    QVERIFY(read(sessionFile, &steps, &sent));
    QCOMPARE(steps, QStringList({"connect testing_device", "send testing_device",
                                 "disconnect testing_device"}));
    QCOMPARE(sent, QList<QByteArray>({"b1"}));
    dialog->reject();

    // Rows with nothing to record: said in the message line, no file, no signal.
    model.appendConnectionEvent(button.toString(), QStringLiteral("TCP connection open"));
    model.flush();
    TrafficSnapshot events = model.snapshot({model.rowCount() - 1});
    const QString none = dir.filePath(QStringLiteral("none.json"));
    QVERIFY(!view.saveScenario(events, none));
    QVERIFY(!QFile::exists(none));
    QCOMPARE(saved.size(), 2);
    QVERIFY2(view.messageText().startsWith(QStringLiteral("No scenario made: nothing to record")),
             qPrintable(view.messageText()));
}

QTEST_MAIN(tst_ScenarioRecorder)
#include "tst_scenariorecorder.moc"
