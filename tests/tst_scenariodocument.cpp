// The console's editable scenario (docs/scenarios.md#in-the-console): a file loads and saves
// byte for byte, every edit is checked by the parser and a refused one leaves the document
// as it was with the fault's place in the edited text, steps insert, remove and move, what
// the editor does not know is kept, and the step table names and summarises every step.
#include "scenariodocument.h"
#include "scenariostepmodel.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

class tst_ScenarioDocument : public QObject {
    Q_OBJECT
private slots:
    void loadKeepsTheFile();
    void badFileLeavesTheDocument();
    void edits_data();
    void edits();
    void templates_data();
    void templates();
    void saveAndReload();
    void freshDocumentIsValid();
    void labels_data();
    void labels();
    void rows();
};

namespace {

// Spaces, key order and comments as a person writes them; a multi-line repeat; the `json`
// source has two spaces that the gateway would see.
const QByteArray kFile = R"({
  "scenario": 1,
  "name": "document test",
  "comment": "kept as written",
  "devices": {
    "b": {"module": 1000, "type": 0, "role": "button", "comment": "a device's comment"},
    "car": {"module": 1, "type": 1, "role": "autonomy", "behaviour": "vehicle",
            "settings": {"waitAtStop": 1}}
  },
  "steps": [
    {"connect": "b", "comment": "a step's comment"},
    {"send": "b", "json": {"pressed":  true}},
    {"repeat": 2, "steps": [
      {"send": "b", "text": "{\"pressed\": false}"},
      {"expect_command": "b", "within_ms": 500}
    ]},
    {"disconnect": "b"}
  ]
}
)";

QStringList stepTexts(const ScenarioDocument& document)
{
    QStringList texts;
    for (int i = 0; i < document.stepCount(); ++i)
        texts.append(document.stepText(QStringLiteral("steps[%1]").arg(i)));
    return texts;
}

} // namespace

void tst_ScenarioDocument::loadKeepsTheFile()
{
    ScenarioDocument document;
    ScenarioError error;
    QSignalSpy changed(&document, &ScenarioDocument::changed);
    QVERIFY2(document.loadBytes(kFile, QStringLiteral("t.json"), &error),
             qPrintable(error.toString()));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(document.serialize(), kFile);
    QCOMPARE(document.stepCount(), 4);
    QVERIFY(!document.isDirty());
    QCOMPARE(document.scenario().steps().at(1).payload.data, QByteArray(R"({"pressed":  true})"));
    QCOMPARE(document.stepText("steps[2].steps[1]"),
             QStringLiteral(R"({"expect_command": "b", "within_ms": 500})"));
    QCOMPARE(document.json().value("comment").toString(), QStringLiteral("kept as written"));
    QVERIFY(document.stepText("steps[9]").isEmpty());
    QVERIFY(document.stepText("steps[2].together[0]").isEmpty());
}

void tst_ScenarioDocument::badFileLeavesTheDocument()
{
    ScenarioDocument document;
    ScenarioError error;
    QVERIFY(document.loadBytes(kFile, QStringLiteral("t.json"), &error));
    QByteArray bad = kFile;
    bad.replace(R"({"disconnect": "b"})", R"({"disconnect": "nobody"})");
    QSignalSpy changed(&document, &ScenarioDocument::changed);
    QVERIFY(!document.loadBytes(bad, QStringLiteral("bad.json"), &error));
    QCOMPARE(error.toString().left(32), QStringLiteral("bad.json:17:20: steps[3] (discon"));
    QVERIFY2(error.toString().contains("names no device"), qPrintable(error.toString()));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(document.serialize(), kFile);
    QCOMPARE(document.fileName(), QStringLiteral("t.json"));
}

void tst_ScenarioDocument::edits_data()
{
    QTest::addColumn<QString>("operation"); // replace PATH, insert N, remove N, move N M
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    // Refused: the start of the message, and the fault's line and column in the edited text.
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    // Accepted: the first line of each top-level step afterwards.
    QTest::addColumn<QStringList>("steps");

    const QString connect = R"({"connect": "b", "comment": "a step's comment"})";
    const QString send = R"({"send": "b", "json": {"pressed":  true}})";
    const QString repeat = R"({"repeat": 2, "steps": [)";
    const QString disconnect = R"({"disconnect": "b"})";

    QTest::newRow("replace a step, kept as typed")
        << "replace steps[1]"
        << R"(  {"send": "b", "json": {"pressed" : false}}  )" << true << "" << 0 << 0
        << QStringList{connect, R"({"send": "b", "json": {"pressed" : false}})", repeat,
                       disconnect};
    QTest::newRow("replace a step inside repeat")
        << "replace steps[2].steps[1]"
        << R"({"expect_command": "b", "regex": "lit_up"})" << true << "" << 0 << 0
        << QStringList{connect, send, repeat, disconnect};
    QTest::newRow("not JSON: the place in the edited text")
        << "replace steps[1]"
        << R"({"send": "b", "json": {"pressed": tru}})" << false << "not JSON" << 1 << 35
        << QStringList{};
    QTest::newRow("no device of that name") << "replace steps[3]"
                                            << R"({"disconnect": "nobody"})" << false
                                            << "steps[3] (disconnect)" << 1 << 16 << QStringList{};
    QTest::newRow("misspelt key, at the key")
        << "replace steps[2].steps[1]"
        << R"({"expect_command": "b", "withn_ms": 5})" << false
        << "steps[2].steps[1] (expect_command): unknown key \"withn_ms\"" << 1 << 25
        << QStringList{};
    QTest::newRow("the fault on the second line")
        << "replace steps[0]"
        << "{\"connect\": \"b\",\n  \"within_ms\": -1}" << false << "steps[0] (connect)" << 2 << 16
        << QStringList{};
    QTest::newRow("a step must be an object")
        << "replace steps[0]"
        << R"(["connect", "b"])" << false << "steps[0]: a step is an object" << 1 << 1
        << QStringList{};
    QTest::newRow("insert at the front")
        << "insert 0"
        << R"({"wait_ms": 10})" << true << "" << 0 << 0
        << QStringList{R"({"wait_ms": 10})", connect, send, repeat, disconnect};
    QTest::newRow("insert at the end")
        << "insert 4"
        << R"({"wait_ms": 10})" << true << "" << 0 << 0
        << QStringList{connect, send, repeat, disconnect, R"({"wait_ms": 10})"};
    QTest::newRow("insert a bad step")
        << "insert 1"
        << R"({"wait_ms": "soon"})" << false << "steps[1] (wait_ms)" << 1 << 13 << QStringList{};
    QTest::newRow("remove") << "remove 1"
                            << "" << true << "" << 0 << 0
                            << QStringList{connect, repeat, disconnect};
    QTest::newRow("move down") << "move 0 1"
                               << "" << true << "" << 0 << 0
                               << QStringList{send, connect, repeat, disconnect};
    QTest::newRow("move up") << "move 3 2"
                             << "" << true << "" << 0 << 0
                             << QStringList{connect, send, disconnect, repeat};
    QTest::newRow("move past the end") << "move 3 4"
                                       << "" << false << "no step 4" << 0 << 0 << QStringList{};
}

void tst_ScenarioDocument::edits()
{
    QFETCH(QString, operation);
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QFETCH(QString, message);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QStringList, steps);

    ScenarioDocument document;
    ScenarioError loadError;
    QVERIFY(document.loadBytes(kFile, QStringLiteral("t.json"), &loadError));
    QSignalSpy changed(&document, &ScenarioDocument::changed);
    QSignalSpy dirty(&document, &ScenarioDocument::dirtyChanged);
    const QStringList words = operation.split(' ');
    ScenarioEditError error;
    bool ok = false;
    if (words[0] == "replace")
        ok = document.replaceStep(words[1], text, &error);
    else if (words[0] == "insert")
        ok = document.insertStep(words[1].toInt(), text, &error);
    else if (words[0] == "remove")
        ok = document.removeStep(words[1].toInt(), &error);
    else
        ok = document.moveStep(words[1].toInt(), words[2].toInt(), &error);
    QVERIFY2(ok == accepted, qPrintable(error.toString()));
    if (!accepted) {
        QVERIFY2(error.toString().contains(message), qPrintable(error.toString()));
        QCOMPARE(error.line, line);
        QCOMPARE(error.column, column);
        // Nothing changed.
        QCOMPARE(document.serialize(), kFile);
        QCOMPARE(changed.size(), 0);
        QVERIFY(!document.isDirty());
        return;
    }
    QCOMPARE(changed.size(), 1);
    QCOMPARE(dirty.size(), 1);
    QVERIFY(document.isDirty());
    QStringList firstLines;
    for (const QString& step : stepTexts(document))
        firstLines.append(step.section('\n', 0, 0));
    QCOMPARE(firstLines, steps);
    if (words[0] == "replace")
        QCOMPARE(document.stepText(words[1]), text.trimmed());
    // What the file now says is what the scenario runs.
    Scenario reread;
    QVERIFY2(Scenario::parse(document.serialize(), "t.json", &reread, &loadError),
             qPrintable(loadError.toString()));
    QCOMPARE(reread.steps().size(), document.scenario().steps().size());
    // The header, the devices and every comment are still there.
    for (const char* kept :
         {"\"comment\": \"kept as written\"", "\"comment\": \"a device's comment\"",
          "\"settings\": {\"waitAtStop\": 1}"})
        QVERIFY2(document.serialize().contains(kept), kept);
}

void tst_ScenarioDocument::templates_data()
{
    QTest::addColumn<ScenarioStep::Kind>("kind");
    QTest::addColumn<QString>("device");
    QTest::newRow("connect") << ScenarioStep::Kind::Connect << "b";
    QTest::newRow("send") << ScenarioStep::Kind::Send << "b";
    QTest::newRow("expect_command") << ScenarioStep::Kind::ExpectCommand << "b";
    QTest::newRow("expect_error") << ScenarioStep::Kind::ExpectError << "b";
    QTest::newRow("expect_state: the living device") << ScenarioStep::Kind::ExpectState << "car";
    QTest::newRow("wait") << ScenarioStep::Kind::Wait << "";
    QTest::newRow("repeat") << ScenarioStep::Kind::Repeat << "";
    QTest::newRow("together") << ScenarioStep::Kind::Together << "";
    QTest::newRow("disconnect") << ScenarioStep::Kind::Disconnect << "b";
    QTest::newRow("gateway") << ScenarioStep::Kind::Gateway << "b";
}

void tst_ScenarioDocument::templates()
{
    QFETCH(ScenarioStep::Kind, kind);
    QFETCH(QString, device);
    ScenarioDocument document;
    ScenarioError loadError;
    QVERIFY(document.loadBytes(kFile, QStringLiteral("t.json"), &loadError));
    ScenarioEditError error;
    QVERIFY2(document.insertStep(1, document.stepTemplate(kind), &error),
             qPrintable(error.toString()));
    const ScenarioStep& step = document.scenario().steps().at(1);
    QCOMPARE(step.kind, kind);
    QCOMPARE(step.device, device);
}

void tst_ScenarioDocument::saveAndReload()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ScenarioDocument document;
    ScenarioError loadError;
    QVERIFY(document.loadBytes(kFile, dir.filePath("first.json"), &loadError));
    ScenarioEditError error;
    QVERIFY(document.insertStep(4, R"({"wait_ms": 5})", &error));
    QVERIFY(document.isDirty());
    QSignalSpy renamed(&document, &ScenarioDocument::fileNameChanged);
    QString saveError;
    const QString path = dir.filePath("second.json");
    QVERIFY2(document.save(path, &saveError), qPrintable(saveError));
    QVERIFY(!document.isDirty());
    QCOMPARE(renamed.size(), 1);
    QCOMPARE(document.displayName(), QStringLiteral("second.json"));

    ScenarioDocument reloaded;
    QVERIFY2(reloaded.load(path, &loadError), qPrintable(loadError.toString()));
    QCOMPARE(reloaded.serialize(), document.serialize());
    QCOMPARE(reloaded.stepText("steps[4]"), QStringLiteral(R"({"wait_ms": 5})"));
    QVERIFY(!document.save(dir.filePath("no/such/folder/x.json"), &saveError));
    QVERIFY(saveError.contains("no/such/folder"));
}

void tst_ScenarioDocument::freshDocumentIsValid()
{
    ScenarioDocument document;
    QCOMPARE(document.displayName(), QStringLiteral("untitled.json"));
    QVERIFY(document.fileName().isEmpty());
    QCOMPARE(document.stepCount(), 1);
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(Scenario::parse(document.serialize(), "x.json", &scenario, &error),
             qPrintable(error.toString()));
    // The last step cannot go: a scenario has at least one.
    ScenarioEditError editError;
    QVERIFY(!document.removeStep(0, &editError));
    QVERIFY2(editError.toString().contains("at least one step"), qPrintable(editError.toString()));
}

void tst_ScenarioDocument::labels_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("round");
    QTest::newRow("top level") << "steps[3] (send)"
                               << "steps[3]"
                               << "";
    QTest::newRow("inside repeat") << "steps[1].steps[0] (expect_command) round 2 of 5"
                                   << "steps[1].steps[0]"
                                   << "round 2 of 5";
    QTest::newRow("gateway kind") << "steps[2].together[1] (gateway queue)"
                                  << "steps[2].together[1]"
                                  << "";
    QTest::newRow("devices") << "devices"
                             << ""
                             << "";
}

void tst_ScenarioDocument::labels()
{
    QFETCH(QString, label);
    QFETCH(QString, path);
    QFETCH(QString, round);
    QString gotRound;
    QCOMPARE(ScenarioStepModel::pathOfLabel(label, &gotRound), path);
    QCOMPARE(gotRound, round);
}

void tst_ScenarioDocument::rows()
{
    ScenarioDocument document;
    ScenarioError error;
    QVERIFY(document.loadBytes(kFile, QStringLiteral("t.json"), &error));
    ScenarioStepModel model;
    model.setScenario(document.scenario());
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.pathAt(3), QStringLiteral("steps[2].steps[0]"));
    QCOMPARE(model.depthAt(3), 1);
    const auto cell = [&model](int row, int column) {
        return model.index(row, column).data().toString();
    };
    QCOMPARE(cell(1, ScenarioStepModel::WhatColumn),
             QStringLiteral(R"(send json {"pressed":  true})"));
    QCOMPARE(cell(4, ScenarioStepModel::WhatColumn),
             QStringLiteral("expect_command a command within 500 ms"));
    QCOMPARE(cell(2, ScenarioStepModel::WhatColumn), QStringLiteral("repeat 2 times: 2 steps"));
    QCOMPARE(cell(0, ScenarioStepModel::DeviceColumn), QStringLiteral("b"));

    // Live: a round of the repeat, a failure inside it, the rest skipped.
    model.stepStarted("steps[0] (connect)");
    QCOMPARE(model.stateAt(0), ScenarioStepModel::State::Running);
    QVERIFY(model.index(0, 0).data(Qt::BackgroundRole).isValid());
    ScenarioStepResult result;
    result.label = "steps[0] (connect)";
    result.elapsedMs = 3;
    model.stepFinished(result);
    QCOMPARE(model.stateAt(0), ScenarioStepModel::State::Passed);
    model.stepStarted("steps[2] (repeat)");
    model.stepStarted("steps[2].steps[0] (send) round 2 of 2");
    QCOMPARE(cell(3, ScenarioStepModel::ResultColumn), QStringLiteral("running, round 2 of 2"));
    result.label = "steps[2].steps[0] (send) round 2 of 2";
    result.outcome = ScenarioStepResult::Outcome::Failed;
    result.reason = "device \"b\" is not connected";
    model.stepFinished(result);
    model.runFinished(false);
    QCOMPARE(model.stateAt(3), ScenarioStepModel::State::Failed);
    QCOMPARE(cell(3, ScenarioStepModel::ResultColumn),
             QStringLiteral("failed, round 2 of 2 in 3 ms: device \"b\" is not connected"));
    QCOMPARE(model.index(3, 0).data(Qt::ToolTipRole).toString(),
             cell(3, ScenarioStepModel::ResultColumn));
    QCOMPARE(model.stateAt(2), ScenarioStepModel::State::Failed); // the repeat around it
    QCOMPARE(model.stateAt(1), ScenarioStepModel::State::Skipped);
    QCOMPARE(model.stateAt(5), ScenarioStepModel::State::Skipped);
    QVERIFY(model.index(3, 0).data(Qt::BackgroundRole) !=
            model.index(0, 0).data(Qt::BackgroundRole));
}

QTEST_GUILESS_MAIN(tst_ScenarioDocument)
#include "tst_scenariodocument.moc"
