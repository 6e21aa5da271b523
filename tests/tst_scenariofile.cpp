// Scenario files (docs/scenarios.md): a valid file read into devices and steps, with JSON
// payloads kept as written; and every kind of mistake named with the file, the line and
// column of the value at fault, and the step.
#include "scenario.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

class tst_ScenarioFile : public QObject {
    Q_OBJECT
private slots:
    void valid();
    void errors_data();
    void errors();
    void fileSource();
    void tooLargeAFileIsNamed();
};

namespace {

// Two devices and one step of every kind. Line numbers matter to the error rows below.
const QByteArray kValid = R"({
  "scenario": 1,
  "name": "Opta outputs and a refused rival",
  "server": "127.0.0.1:8888",
  "devices": {
    "plc": {"module": 2, "type": 1, "role": "plc", "name": "line PLC"},
    "rival": {"module": 2, "type": 1, "role": "plc", "name": "rival", "priority": 3},
    "car": {"module": 1, "type": 1, "role": "autonomy", "behaviour": "vehicle",
            "settings": {"waitAtStop": 1, "encoding": "json"}}
  },
  "steps": [
    {"connect": "plc", "comment": "first the board"},
    {"send": "plc", "json": {"b": 1.50, "a": [1, 2]}},
    {"expect_command": "plc", "json_subset": [{"outNum": 1}], "within_ms": 500},
    {"repeat": 3, "steps": [
      {"send": "plc", "template": "{\"seq\": {{seq}}}"},
      {"expect_command": "plc", "regex": "actType\":[01]"}
    ]},
    {"together": [{"connect": "rival"}, {"wait_ms": 10}]},
    {"expect_error": "rival", "error": "ALREADY_CONNECTED"},
    {"gateway": "queue", "device": "plc", "hex": "7b 7d"},
    {"gateway": "delay", "ms": 100},
    {"connect": "car"},
    {"expect_state": "car", "state": "IDLE", "within_ms": 0},
    {"expect_command": "car", "fields": {"action": "NO_ACTION"}},
    {"disconnect": "plc"}
  ]
}
)";

} // namespace

void tst_ScenarioFile::valid()
{
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(Scenario::parse(kValid, QStringLiteral("opta.json"), &scenario, &error),
             qPrintable(error.toString()));
    QCOMPARE(scenario.name(), QStringLiteral("Opta outputs and a refused rival"));
    QCOMPARE(scenario.server(), QStringLiteral("127.0.0.1:8888"));
    QCOMPARE(scenario.devices().size(), 3);
    QCOMPARE(scenario.devices().at(0).key, QStringLiteral("plc")); // as written, not sorted
    const ScenarioDevice* rival = scenario.device(QStringLiteral("rival"));
    QVERIFY(rival);
    QCOMPARE(rival->identity.priority, 3u);
    const ScenarioDevice* car = scenario.device(QStringLiteral("car"));
    QCOMPARE(car->behaviour, QStringLiteral("vehicle"));
    QCOMPARE(car->settings.value(QStringLiteral("waitAtStop")), QStringLiteral("1"));

    const QList<ScenarioStep>& steps = scenario.steps();
    QStringList kinds;
    for (const ScenarioStep& step : steps)
        kinds.append(step.kindName());
    QCOMPARE(kinds, (QStringList{"connect", "send", "expect_command", "repeat", "together",
                                 "expect_error", "gateway queue", "gateway delay", "connect",
                                 "expect_state", "expect_command", "disconnect"}));
    QCOMPARE(steps.at(0).line, 12);
    QCOMPARE(steps.at(0).column, 5);
    QCOMPARE(steps.at(0).withinMs, Scenario::kDefaultWithinMs);
    // JSON is sent exactly as written: spaces, key order and the number's spelling survive.
    QCOMPARE(steps.at(1).payload.source, ScenarioPayload::Source::Json);
    QCOMPARE(steps.at(1).payload.data, QByteArray(R"({"b": 1.50, "a": [1, 2]})"));
    QCOMPARE(steps.at(2).match.kind, ScenarioMatch::Kind::JsonSubset);
    QCOMPARE(steps.at(2).withinMs, 500);
    QCOMPARE(steps.at(3).count, 3);
    QCOMPARE(steps.at(3).steps.size(), 2);
    QCOMPARE(steps.at(3).steps.at(1).label(), QStringLiteral("steps[3].steps[1] (expect_command)"));
    QCOMPARE(steps.at(3).steps.at(0).payload.source, ScenarioPayload::Source::Template);
    QCOMPARE(steps.at(3).steps.at(1).match.kind, ScenarioMatch::Kind::Regex);
    QCOMPARE(steps.at(4).steps.size(), 2);
    QCOMPARE(steps.at(5).errorName, QStringLiteral("AlreadyConnected")); // wire spelling folded
    QCOMPARE(steps.at(6).payload.data, QByteArray("{}"));
    QCOMPARE(steps.at(7).waitMs, 100);
    QCOMPARE(steps.at(9).withinMs, 0);
    QCOMPARE(steps.at(10).match.fields.value(QStringLiteral("action")).toString(),
             QStringLiteral("NO_ACTION"));
}

void tst_ScenarioFile::errors_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("error");
    QTest::newRow("not JSON") << QByteArray("board\"},") << QByteArray("board\"}")
                              << "opta.json:13:5: not JSON: missing value separator";
    QTest::newRow("future version")
        << QByteArray("\"scenario\": 1") << QByteArray("\"scenario\": 2")
        << "opta.json:2:15: format version 2 is not one this program "
           "reads (1)";
    QTest::newRow("unknown top-level key")
        << QByteArray("\"name\":") << QByteArray("\"title\":")
        << "opta.json:3:3: unknown key \"title\" (known here: \"scenario\", \"name\", \"server\", "
           "\"devices\", \"steps\", \"comment\")";
    QTest::newRow("device without role")
        << QByteArray("\"role\": \"plc\", \"name\": \"line PLC\"")
        << QByteArray("\"name\": \"line PLC\"")
        << "opta.json:6:12: device \"plc\" needs \"role\" as non-empty text";
    QTest::newRow("negative module")
        << QByteArray("{\"module\": 2, \"type\": 1, \"role\": \"plc\", \"name\": \"line")
        << QByteArray("{\"module\": -2, \"type\": 1, \"role\": \"plc\", \"name\": \"line")
        << "opta.json:6:23: device \"plc\" \"module\" must be a whole number from 0 to 2147483647";
    QTest::newRow("unknown behaviour")
        << QByteArray("\"behaviour\": \"vehicle\"") << QByteArray("\"behaviour\": \"bus\"")
        << "opta.json:8:70: device \"car\" \"behaviour\" must be one of example, io, vehicle";
    QTest::newRow("step naming no device")
        << QByteArray("{\"connect\": \"plc\", \"comment\"")
        << QByteArray("{\"connect\": \"plx\", \"comment\"")
        << "opta.json:12:17: steps[0] (connect): names no device of this scenario (devices: plc, "
           "rival, car)";
    QTest::newRow("step of two kinds")
        << QByteArray("{\"disconnect\": \"plc\"}")
        << QByteArray("{\"disconnect\": \"plc\", \"wait_ms\": 5}")
        << "opta.json:26:5: steps[11]: a step does one thing: it has both \"wait_ms\" and "
           "\"disconnect\"";
    QTest::newRow("step of no kind")
        << QByteArray("{\"disconnect\": \"plc\"}") << QByteArray("{\"disconect\": \"plc\"}")
        << "opta.json:26:5: steps[11]: a step needs one of "
           "\"connect\", \"send\", \"expect_command\", "
           "\"expect_error\", \"expect_state\", \"wait_ms\", "
           "\"repeat\", \"together\", \"disconnect\", \"gateway\"";
    QTest::newRow("send without bytes")
        << QByteArray("\"json\": {\"b\": 1.50, \"a\": [1, 2]}") << QByteArray("\"within_ms\": 5")
        << "opta.json:13:21: steps[1] (send): unknown key \"within_ms\" (known here: \"send\", "
           "\"comment\", \"text\", \"json\", \"hex\", \"template\", \"preset\", \"file\")";
    QTest::newRow("two payload sources")
        << QByteArray("\"json\": {\"b\"") << QByteArray("\"text\": \"x\", \"json\": {\"b\"")
        << "opta.json:13:42: steps[1] (send): the bytes come from one source: both \"text\" and "
           "\"json\"";
    QTest::newRow("bad within_ms")
        << QByteArray("\"within_ms\": 500") << QByteArray("\"within_ms\": 1.5")
        << "opta.json:14:76: steps[2] (expect_command): \"within_ms\" must be a whole number from "
           "0 to 86400000";
    QTest::newRow("nested step error")
        << QByteArray("\"regex\": \"actType\\\":[01]\"") << QByteArray("\"regex\": \"actType(\"")
        << "opta.json:17:42: steps[3].steps[1] (expect_command): \"regex\" does not compile: "
           "missing closing parenthesis at character 8";
    QTest::newRow("empty repeat") << QByteArray("\"repeat\": 3, \"steps\": [")
                                  << QByteArray("\"repeat\": 3, \"stepz\": [")
                                  << "opta.json:15:19: steps[3] (repeat): unknown key \"stepz\" "
                                     "(known here: \"repeat\", \"comment\", \"steps\")";
    QTest::newRow("unknown error name")
        << QByteArray("\"ALREADY_CONNECTED\"") << QByteArray("\"TAKEN\"")
        << "opta.json:20:40: steps[5] (expect_error): \"error\" must name an error: "
           "ConnectionRefused, CommunicationError, ServerTookTooLong, DeviceIncorrect, "
           "CommandIncorrect, FrameTooLarge, AlreadyConnected, ModuleNotSupported, "
           "DeviceNotSupported, HigherPriorityAlreadyConnected, NoCommand, ContextDestroyed, "
           "InvalidTimeout, NotConnected, StatusPending";
    QTest::newRow("bad hex")
        << QByteArray("\"7b 7d\"") << QByteArray("\"7b 7\"")
        << "opta.json:21:50: steps[6] (gateway queue): \"hex\": odd number of hex "
           "digits (3): each byte takes two, the last digit (line 1, "
           "column 4) has no partner";
    QTest::newRow("unknown gateway action")
        << QByteArray("\"gateway\": \"delay\"") << QByteArray("\"gateway\": \"sleep\"")
        << "opta.json:22:17: steps[7] (gateway queue): \"gateway\" must be one of queue, push, "
           "disconnect, delay";
    QTest::newRow("state of a device without behaviour")
        << QByteArray("{\"expect_state\": \"car\"") << QByteArray("{\"expect_state\": \"plc\"")
        << "opta.json:24:22: steps[9] (expect_state): device \"plc\" has no \"behaviour\", so no "
           "state to expect";
    QTest::newRow("same identity twice")
        << QByteArray("\"name\": \"rival\", \"priority\": 3")
        << QByteArray("\"name\": \"line PLC\"")
        << "opta.json:7:14: device \"rival\" has the same identity as device \"plc\"";
    QTest::newRow("no steps") << QByteArray("\"steps\": [") << QByteArray("\"stepz\": [")
                              << "opta.json:11:3: unknown key \"stepz\" (known here: \"scenario\", "
                                 "\"name\", \"server\", \"devices\", \"steps\", \"comment\")";
}

void tst_ScenarioFile::errors()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, error);
    QByteArray json = kValid;
    QVERIFY2(json.contains(from), from.constData());
    json.replace(json.indexOf(from), from.size(), to);
    Scenario scenario;
    ScenarioError problem;
    QVERIFY(!Scenario::parse(json, QStringLiteral("opta.json"), &scenario, &problem));
    QCOMPARE(problem.toString(), error);
}

void tst_ScenarioFile::fileSource()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray json = R"({"scenario": 1, "devices": {"b": {"module": 1000, "type": 0,
        "role": "button"}}, "steps": [{"send": "b", "file": "pressed.json"}]})";
    Scenario scenario;
    ScenarioError error;
    const QString fileName = dir.filePath(QStringLiteral("press.json"));
    QVERIFY(!Scenario::parse(json, fileName, &scenario, &error));
    QCOMPARE(error.message, QStringLiteral("no file %1").arg(dir.filePath("pressed.json")));
    QFile payload(dir.filePath(QStringLiteral("pressed.json")));
    QVERIFY(payload.open(QIODevice::WriteOnly));
    payload.write("{\"pressed\": true}");
    payload.close();
    QVERIFY2(Scenario::parse(json, fileName, &scenario, &error), qPrintable(error.toString()));
    QCOMPARE(scenario.name(), QStringLiteral("press")); // the file's name when none is given
    QCOMPARE(scenario.steps().at(0).payload.fileName, dir.filePath(QStringLiteral("pressed.json")));
}

// A file bigger than any scenario (a log picked by mistake) is refused before it is read.
void tst_ScenarioFile::tooLargeAFileIsNamed()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("huge.json"));
    QFile file(fileName);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.resize(Scenario::kMaxFileBytes + 1)); // sparse: no 16 MiB written
    file.close();
    Scenario scenario;
    ScenarioError error;
    QVERIFY(!Scenario::load(fileName, &scenario, &error));
    QCOMPARE(error.toString(), QStringLiteral("%1:0:0: 16777217 bytes: a scenario file has at "
                                              "most 16777216")
                                   .arg(fileName));
}

QTEST_GUILESS_MAIN(tst_ScenarioFile)
#include "tst_scenariofile.moc"
