// Running scenarios (docs/scenarios.md#running) against the embedded gateway on loopback port
// 0: a passing run, each kind of failure with its reason, arbitration expected as an error,
// repeat and together, gateway steps, a behaviour's state, the JUnit report, a long run's
// bounded report, and holding a run between steps.
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "scenario.h"
#include "scenariorunner.h"
#include "timing.h"

#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace fleet;

class tst_ScenarioRunner : public QObject {
    Q_OBJECT
private slots:
    void init();
    void runs_data();
    void runs();
    void gatewayStepsNeedTheGateway();
    void stopEndsTheRun();
    void junit();
    void aLongRunListsItsFirstStepsAndCountsTheRest();
    void aHeldRunPausesBetweenSteps();

private:
    std::unique_ptr<GatewayServer> m_gateway;
};

namespace {

// A scenario around `steps` with a button, a rival for its slot and a vehicle.
QByteArray scenarioWith(const QByteArray& steps)
{
    return R"({"scenario": 1, "name": "runner test", "devices": {
      "b": {"module": 1000, "type": 0, "role": "button", "name": "first"},
      "rival": {"module": 1000, "type": 0, "role": "button", "name": "rival"},
      "boss": {"module": 1000, "type": 0, "role": "button", "name": "boss", "priority": 0},
      "car": {"module": 1, "type": 1, "role": "autonomy", "behaviour": "vehicle",
              "settings": {"waitAtStop": 0}}},
    "steps": [)" +
           steps + "]}";
}

} // namespace

void tst_ScenarioRunner::init()
{
    m_gateway = std::make_unique<GatewayServer>();
    QVERIFY(m_gateway->listen(QHostAddress::LocalHost, 0));
}

void tst_ScenarioRunner::runs_data()
{
    QTest::addColumn<QByteArray>("steps");
    QTest::addColumn<bool>("passes");
    // The last result's label and (for failures) the start of its reason.
    QTest::addColumn<QString>("lastLabel");
    QTest::addColumn<QString>("reason");

    QTest::newRow("press, the module answers the lamp")
        << QByteArray(R"({"connect": "b"}, {"send": "b", "json": {"pressed": false}},
            {"expect_command": "b"}, {"send": "b", "json": {"pressed": true}},
            {"expect_command": "b", "json": {"lit_up": false}},
            {"send": "b", "text": "{\"pressed\": false}"},
            {"expect_command": "b", "fields": {"lit_up": true}}, {"disconnect": "b"})")
        << true << "steps[7] (disconnect)"
        << "";
    QTest::newRow("wrong expectation names what came")
        << QByteArray(R"({"connect": "b"}, {"send": "b", "json": {"pressed": true}},
            {"expect_command": "b", "json": {"lit_up": true}, "within_ms": 300})")
        << false << "steps[2] (expect_command)"
        << "expected `{\"lit_up\": true}` within 300 ms, got `{\"lit_up\": false}` after";
    QTest::newRow("no command at all")
        << QByteArray(R"({"connect": "b"}, {"expect_command": "b", "within_ms": 100})") << false
        << "steps[1] (expect_command)"
        << "expected a command within 100 ms, got no command";
    QTest::newRow("same priority is refused")
        << QByteArray(R"({"connect": "b"}, {"connect": "rival"},
            {"expect_error": "rival", "error": "ALREADY_CONNECTED"})")
        << true << "steps[2] (expect_error)"
        << "";
    QTest::newRow("a refused connect fails when not expected")
        << QByteArray(R"({"connect": "b"}, {"connect": "rival"})") << false << "steps[1] (connect)"
        << "refused: AlreadyConnected";
    QTest::newRow("expected error that does not come")
        << QByteArray(R"({"connect": "b"},
            {"expect_error": "b", "error": "AlreadyConnected", "within_ms": 100})")
        << false << "steps[1] (expect_error)"
        << "expected the error AlreadyConnected within 100 ms, got none";
    QTest::newRow("repeat reports each round")
        << QByteArray(R"({"connect": "b"}, {"repeat": 3, "steps": [
            {"send": "b", "template": "{\"pressed\": {{toggle true false}}}"},
            {"expect_command": "b", "regex": "lit_up"}]})")
        << true << "steps[1].steps[1] (expect_command) round 3 of 3"
        << "";
    QTest::newRow("together: two devices at once")
        << QByteArray(R"({"together": [{"connect": "b"}, {"connect": "car"}]},
            {"expect_state": "car", "state": "IDLE"})")
        << true << "steps[1] (expect_state)"
        << "";
    QTest::newRow("together: a failed branch stops the others")
        << QByteArray(R"({"together": [{"expect_command": "b", "within_ms": 50},
            {"wait_ms": 600000}]})")
        << false << "steps[0] (together)"
        << "a step inside failed";
    QTest::newRow("a state that does not come")
        << QByteArray(R"({"connect": "car"},
            {"expect_state": "car", "state": "DRIVE", "within_ms": 200})")
        << false << "steps[1] (expect_state)"
        << "expected the state \"DRIVE\" within 200 ms, the device is \"IDLE\"";
    QTest::newRow("gateway queue reaches the device")
        << QByteArray(
               R"({"connect": "b"}, {"gateway": "queue", "device": "b", "text": "{\"lit_up\": true}"},
            {"send": "b", "json": {"pressed": false}},
            {"expect_command": "b", "json": {"lit_up": true}})")
        << true << "steps[3] (expect_command)"
        << "";
    QTest::newRow("gateway push is unasked")
        << QByteArray(R"({"connect": "b"}, {"send": "b", "json": {"pressed": false}},
            {"expect_command": "b"},
            {"gateway": "push", "device": "b", "hex": "7b 7d"},
            {"expect_command": "b", "bytes": "{}"})")
        << true << "steps[4] (expect_command)"
        << "";
    QTest::newRow("send to a device not connected")
        << QByteArray(R"({"send": "b", "text": "x"})") << false << "steps[0] (send)"
        << "device \"b\" is not connected";
}

void tst_ScenarioRunner::runs()
{
    QFETCH(QByteArray, steps);
    QFETCH(bool, passes);
    QFETCH(QString, lastLabel);
    QFETCH(QString, reason);
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(Scenario::parse(scenarioWith(steps), QStringLiteral("t.json"), &scenario, &error),
             qPrintable(error.toString()));
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(m_gateway->serverPort()));
    GatewayLink link(m_gateway.get());
    runner.setGateway(&link);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, test::kWaitMs);
    QStringList trace;
    for (const ScenarioStepResult& result : runner.results())
        trace.append(result.label + QStringLiteral(": ") + result.reason);
    QVERIFY2(runner.passed() == passes, qPrintable(trace.join('\n')));
    QCOMPARE(finished.first().first().toBool(), passes);
    QCOMPARE(runner.results().last().label, lastLabel);
    QVERIFY2(reason.isEmpty() ? runner.results().last().reason.isEmpty()
                              : runner.results().last().reason.startsWith(reason),
             qPrintable(runner.results().last().reason));
}

void tst_ScenarioRunner::gatewayStepsNeedTheGateway()
{
    Scenario scenario;
    ScenarioError error;
    QVERIFY(Scenario::parse(scenarioWith(R"({"gateway": "delay", "ms": 5})"), "t.json", &scenario,
                            &error));
    ScenarioRunner runner(scenario);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, test::kWaitMs);
    QVERIFY(!runner.passed());
    QVERIFY(runner.results().last().reason.contains(QLatin1String("embedded gateway")));
}

void tst_ScenarioRunner::stopEndsTheRun()
{
    Scenario scenario;
    ScenarioError error;
    QVERIFY(Scenario::parse(scenarioWith(R"({"wait_ms": 600000})"), "t.json", &scenario, &error));
    ScenarioRunner runner(scenario);
    QSignalSpy started(&runner, &ScenarioRunner::stepStarted);
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, test::kWaitMs);
    runner.stop();
    QCOMPARE(finished.size(), 1);
    QVERIFY(!runner.passed());
    QCOMPARE(runner.results().last().reason, QStringLiteral("stopped"));
}

void tst_ScenarioRunner::junit()
{
    Scenario scenario;
    ScenarioError error;
    QVERIFY(Scenario::parse(scenarioWith(R"({"connect": "b"},
        {"expect_command": "b", "within_ms": 50})"),
                            "t.json", &scenario, &error));
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(m_gateway->serverPort()));
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, test::kWaitMs);
    QXmlStreamReader xml(scenarioJUnit(runner));
    QStringList cases;
    QString failure;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("testsuite")) {
            QCOMPARE(xml.attributes().value("name").toString(), QStringLiteral("runner test"));
            QCOMPARE(xml.attributes().value("tests").toString(), QStringLiteral("2"));
            QCOMPARE(xml.attributes().value("failures").toString(), QStringLiteral("1"));
        } else if (xml.name() == QLatin1String("testcase")) {
            cases.append(xml.attributes().value("name").toString());
        } else if (xml.name() == QLatin1String("failure")) {
            failure = xml.attributes().value("message").toString();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(cases, (QStringList{"steps[0] (connect)", "steps[1] (expect_command)"}));
    QCOMPARE(failure, QStringLiteral("expected a command within 50 ms, got no command"));
}

// More steps than the report lists, then a failure: the first kMaxListedResults and the failure
// are listed, every step is counted, and the JUnit report says how many it does not list.
void tst_ScenarioRunner::aLongRunListsItsFirstStepsAndCountsTheRest()
{
    constexpr int kRounds = ScenarioRunner::kMaxListedResults + 5;
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(
        Scenario::parse(scenarioWith(QByteArray(R"({"repeat": )") + QByteArray::number(kRounds) +
                                     R"(, "steps": [{"disconnect": "b"}]},
        {"connect": "b"}, {"expect_command": "b", "within_ms": 50})"),
                        "t.json", &scenario, &error),
        qPrintable(error.toString()));
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(m_gateway->serverPort()));
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 4 * test::kWaitMs);
    QCOMPARE(runner.stepCount(), qint64(kRounds + 2));
    QCOMPARE(runner.failureCount(), qint64(1));
    QCOMPARE(runner.results().size(), ScenarioRunner::kMaxListedResults + 1);
    QCOMPARE(runner.results().last().label, QStringLiteral("steps[2] (expect_command)"));

    QXmlStreamReader xml(scenarioJUnit(runner));
    int cases = 0;
    QString tests;
    QString note;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("testsuite"))
            tests = xml.attributes().value("tests").toString();
        else if (xml.name() == QLatin1String("testcase"))
            ++cases;
        else if (xml.name() == QLatin1String("system-out"))
            note = xml.readElementText();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(tests, QString::number(kRounds + 2));
    QCOMPARE(cases, ScenarioRunner::kMaxListedResults + 1);
    QCOMPARE(note, QStringLiteral("6 more passed steps ran and are counted in \"tests\"; the "
                                  "report lists the first 10,000."));
}

// Held mid-run, the runner comes to a pause with no step running; released, it goes on from
// there and every round runs.
void tst_ScenarioRunner::aHeldRunPausesBetweenSteps()
{
    Scenario scenario;
    ScenarioError error;
    QVERIFY(Scenario::parse(scenarioWith(R"({"connect": "b"}, {"repeat": 200, "steps": [
        {"send": "b", "json": {"pressed": true}}, {"expect_command": "b"}]})"),
                            "t.json", &scenario, &error));
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(m_gateway->serverPort()));
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    QSignalSpy stepped(&runner, &ScenarioRunner::stepFinished);
    // Held as the tenth step ends, as fleet-device's sink does when that step's line fills it.
    connect(&runner, &ScenarioRunner::stepFinished, &runner, [&runner] {
        if (runner.stepCount() == 10)
            runner.setHeld(true);
    });
    runner.start();
    QTRY_VERIFY_WITH_TIMEOUT(runner.isPausedByHold(), test::kWaitMs);
    QVERIFY(finished.isEmpty());
    QCOMPARE(runner.stepCount(), qint64(10));
    QCOMPARE(stepped.size(), 10);
    runner.setHeld(false);
    QVERIFY(!runner.isPausedByHold());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 4 * test::kWaitMs);
    QVERIFY(runner.passed());
    QCOMPARE(runner.stepCount(), qint64(401));
    QCOMPARE(runner.results().last().label,
             QStringLiteral("steps[1].steps[1] (expect_command) round 200 of 200"));
}

QTEST_GUILESS_MAIN(tst_ScenarioRunner)
#include "tst_scenariorunner.moc"
