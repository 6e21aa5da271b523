// The console's Scenario dock (docs/scenarios.md#in-the-console) against an embedded gateway
// on loopback port 0: a run turns every row green, a failure turns its row red with the
// reason, Stop ends a long wait, the run exports as JUnit XML, a bad file or a bad edit is
// refused with its place and loses nothing, and steps are added from templates.
#include "consoledocks.h"
#include "gatewaycontroller.h"
#include "internalclient.h"
#include "mainwindow.h"
#include "scenariodock.h"
#include "scenariodocument.h"
#include "scenariostepeditor.h"
#include "scenariostepmodel.h"
#include "trafficlogview.h"

#include "timing.h"

#include <QAction>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace fleet;

class tst_ScenarioDock : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void passingRunIsGreen();
    void failureIsRed_data();
    void failureIsRed();
    void stopEndsALongWait();
    void junitExport();
    void badFileKeepsTheOpenScenario();
    void badEditKeepsTheText();
    void addStepFromTemplate();
    void inTheWindowLogScenariosOpenAndWorkspacesKeepTheFile();

private:
    QString write(const QString& name, const QByteArray& steps);
    QAction* action(const char* name) const;
    bool runToEnd();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<GatewayController> m_gateway;
    std::unique_ptr<ScenarioDock> m_dock;
};

namespace {

QByteArray scenarioWith(const QByteArray& steps)
{
    return R"({
  "scenario": 1,
  "name": "dock test",
  "devices": {
    "button": {"module": 1000, "type": 0, "role": "button", "name": "dock button"},
    "rival": {"module": 1000, "type": 0, "role": "button", "name": "dock button", "priority": 1}
  },
  "steps": [
    )" + steps +
           R"(
  ]
}
)";
}

const QByteArray kPasses = R"({"connect": "button"},
    {"send": "button", "json": {"pressed": false}},
    {"expect_command": "button"},
    {"send": "button", "json": {"pressed": true}},
    {"expect_command": "button", "json": {"lit_up": false}},
    {"repeat": 2, "steps": [
      {"send": "button", "template": "{\"pressed\": {{toggle false true}}}"},
      {"expect_command": "button", "regex": "lit_up"}
    ]},
    {"disconnect": "button"})";

} // namespace

void tst_ScenarioDock::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_gateway = std::make_unique<GatewayController>();
    m_gateway->startExact(0);
    QTRY_VERIFY2(m_gateway->isListening(), qPrintable(m_gateway->errorString()));
    m_dock = std::make_unique<ScenarioDock>(m_gateway.get());
    m_dock->resize(1200, 300);
    m_dock->show();
}

void tst_ScenarioDock::cleanup()
{
    m_dock.reset();
    m_gateway.reset();
}

QString tst_ScenarioDock::write(const QString& name, const QByteArray& steps)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(scenarioWith(steps));
    return path;
}

QAction* tst_ScenarioDock::action(const char* name) const
{
    return m_dock->findChild<QAction*>(QLatin1String(name));
}

bool tst_ScenarioDock::runToEnd()
{
    QSignalSpy finished(m_dock.get(), &ScenarioDock::runFinished);
    action("scenarioRun")->trigger();
    if (!m_dock->isRunning())
        return false;
    // Editing waits for the run to end.
    if (action("scenarioAddStep")->isEnabled() || !m_dock->editor()->textEdit()->isReadOnly() ||
        !action("scenarioStop")->isEnabled())
        return false;
    return finished.wait(test::kWaitMs) || finished.size() == 1;
}

void tst_ScenarioDock::passingRunIsGreen()
{
    QString error;
    QVERIFY2(m_dock->openFile(write("pass.json", kPasses), &error), qPrintable(error));
    QSignalSpy clients(m_dock.get(), &ScenarioDock::clientCreated);
    // Hooked when announced, the client shows every frame: the connect and the four statuses.
    int framesSent = 0;
    connect(
        m_dock.get(), &ScenarioDock::clientCreated, this, [&framesSent](InternalClient* client) {
            connect(client, &InternalClient::frameSent, client, [&framesSent] { ++framesSent; });
        });
    QVERIFY(runToEnd());
    ScenarioStepModel* model = m_dock->model();
    QCOMPARE(model->rowCount(), 9);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY2(model->stateAt(row) == ScenarioStepModel::State::Passed,
                 qPrintable(model->pathAt(row) + ": " + model->resultText(row)));
    QVERIFY2(model->resultText(7).startsWith("passed, round 2 of 2 in "),
             qPrintable(model->resultText(7)));
    QVERIFY2(m_dock->statusText().startsWith("Passed 10 of 10 steps in "),
             qPrintable(m_dock->statusText()));
    // The device's client was announced for the traffic log.
    QCOMPARE(clients.size(), 1);
    QCOMPARE(clients.first().at(1).toString(), QStringLiteral("button"));
    QCOMPARE(framesSent, 5);
    QVERIFY(action("scenarioAddStep")->isEnabled());
    QVERIFY(!m_dock->editor()->textEdit()->isReadOnly());
}

void tst_ScenarioDock::failureIsRed_data()
{
    QTest::addColumn<QByteArray>("steps");
    QTest::addColumn<QString>("failedPath");
    QTest::addColumn<QString>("reason");

    QTest::newRow("the lamp is not lit")
        << QByteArray(R"({"connect": "button"}, {"send": "button", "json": {"pressed": true}},
            {"expect_command": "button", "json": {"lit_up": true}, "within_ms": 300},
            {"disconnect": "button"})")
        << "steps[2]"
        << "expected `{\"lit_up\": true}` within 300 ms, got `{\"lit_up\": false}` after";
    QTest::newRow("the rival is refused")
        << QByteArray(R"({"connect": "button"}, {"connect": "rival"}, {"disconnect": "button"})")
        << "steps[1]"
        << "refused: HigherPriorityAlreadyConnected";
    QTest::newRow("inside a repeat")
        << QByteArray(R"({"connect": "button"}, {"repeat": 3, "steps": [
            {"expect_command": "button", "within_ms": 50}]}, {"disconnect": "button"})")
        << "steps[1].steps[0]"
        << "expected a command within 50 ms, got no command";
}

void tst_ScenarioDock::failureIsRed()
{
    QFETCH(QByteArray, steps);
    QFETCH(QString, failedPath);
    QFETCH(QString, reason);
    QString error;
    QVERIFY2(m_dock->openFile(write("fail.json", steps), &error), qPrintable(error));
    QVERIFY(runToEnd());
    ScenarioStepModel* model = m_dock->model();
    const int failed = model->rowOfPath(failedPath);
    QCOMPARE(model->stateAt(failed), ScenarioStepModel::State::Failed);
    const QString shown = model->index(failed, ScenarioStepModel::ResultColumn).data().toString();
    QVERIFY2(shown.contains(reason), qPrintable(shown));
    QVERIFY(model->index(failed, 0).data(Qt::ToolTipRole).toString().contains(reason));
    QVERIFY2(m_dock->statusText().startsWith("Failed at " + failedPath) &&
                 m_dock->statusText().contains(reason),
             qPrintable(m_dock->statusText()));
    QCOMPARE(model->stateAt(0), ScenarioStepModel::State::Passed);
    QCOMPARE(model->stateAt(model->rowCount() - 1), ScenarioStepModel::State::Skipped);
}

void tst_ScenarioDock::stopEndsALongWait()
{
    QString error;
    QVERIFY(m_dock->openFile(write("long.json", R"({"connect": "button"}, {"wait_ms": 600000})"),
                             &error));
    QSignalSpy finished(m_dock.get(), &ScenarioDock::runFinished);
    action("scenarioRun")->trigger();
    ScenarioStepModel* model = m_dock->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->stateAt(1), ScenarioStepModel::State::Running, test::kWaitMs);
    action("scenarioStop")->trigger();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(model->stateAt(1), ScenarioStepModel::State::Failed);
    QVERIFY2(model->resultText(1).endsWith(": stopped"), qPrintable(model->resultText(1)));
    QVERIFY2(m_dock->statusText().startsWith("Stopped at steps[1] (wait_ms)"),
             qPrintable(m_dock->statusText()));
    QVERIFY(!m_dock->isRunning());
    QVERIFY(action("scenarioRun")->isEnabled());
    QVERIFY(!action("scenarioStop")->isEnabled());
}

void tst_ScenarioDock::junitExport()
{
    QString error;
    const QString out = m_dir->filePath("junit.xml");
    QVERIFY(!action("scenarioExportJUnit")->isEnabled());
    QVERIFY(!m_dock->exportJUnit(out, &error));
    QVERIFY(m_dock->openFile(write("junit.json", R"({"connect": "button"},
        {"expect_command": "button", "within_ms": 50})"),
                             &error));
    QVERIFY(runToEnd());
    QVERIFY(action("scenarioExportJUnit")->isEnabled());
    QVERIFY2(m_dock->exportJUnit(out, &error), qPrintable(error));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QStringList cases;
    QString failure;
    QString suite;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("testsuite"))
            suite = xml.attributes().value("name").toString();
        else if (xml.name() == QLatin1String("testcase"))
            cases.append(xml.attributes().value("name").toString());
        else if (xml.name() == QLatin1String("failure"))
            failure = xml.attributes().value("message").toString();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(suite, QStringLiteral("dock test"));
    QCOMPARE(cases, (QStringList{"steps[0] (connect)", "steps[1] (expect_command)"}));
    QCOMPARE(failure, QStringLiteral("expected a command within 50 ms, got no command"));
}

void tst_ScenarioDock::badFileKeepsTheOpenScenario()
{
    QString error;
    const QString good = write("good.json", kPasses);
    QVERIFY(m_dock->openFile(good, &error));
    const int rows = m_dock->model()->rowCount();
    QSignalSpy renamed(m_dock.get(), &ScenarioDock::fileNameChanged);
    const QString bad = write("bad.json", R"({"connect": "button"},
    {"send": "button", "jsn": {"pressed": true}})");
    QVERIFY(!m_dock->openFile(bad, &error));
    QVERIFY2(error.startsWith(bad + ":10:24: steps[1] (send): unknown key \"jsn\""),
             qPrintable(error));
    QVERIFY2(m_dock->statusText().contains(error), qPrintable(m_dock->statusText()));
    QCOMPARE(m_dock->fileName(), good);
    QCOMPARE(m_dock->model()->rowCount(), rows);
    QCOMPARE(renamed.size(), 0);
    QVERIFY(!m_dock->openFile(m_dir->filePath("missing.json"), &error));
    QCOMPARE(m_dock->fileName(), good);
}

void tst_ScenarioDock::badEditKeepsTheText()
{
    QString error;
    QVERIFY(m_dock->openFile(write("edit.json", kPasses), &error));
    const QByteArray before = m_dock->document()->serialize();
    ScenarioStepEditor* editor = m_dock->editor();
    m_dock->selectStep("steps[1]");
    QCOMPARE(editor->text(), QStringLiteral(R"({"send": "button", "json": {"pressed": false}})"));

    const QString typed = R"({"send": "nobody", "json": {"pressed": false}})";
    editor->setText(typed);
    QVERIFY(editor->applyButton()->isEnabled());
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    QVERIFY(editor->errorLabel()->isVisible());
    QVERIFY2(editor->errorLabel()->text().startsWith(
                 "line 1, column 10: steps[1] (send): names no device"),
             qPrintable(editor->errorLabel()->text()));
    QCOMPARE(editor->textEdit()->textCursor().positionInBlock(), 9);
    QCOMPARE(editor->text(), typed);
    QCOMPARE(m_dock->document()->serialize(), before);

    // Another step and back: the typed text is still there, not applied.
    m_dock->selectStep("steps[0]");
    QCOMPARE(editor->text(), QStringLiteral(R"({"connect": "button"})"));
    m_dock->selectStep("steps[1]");
    QCOMPARE(editor->text(), typed);
    QVERIFY(editor->isModified());

    // Fixed and applied: the row says what the step does now.
    const QString fixed = R"({"send": "button", "json": {"pressed": true}})";
    editor->setText(fixed);
    QTest::mouseClick(editor->applyButton(), Qt::LeftButton);
    QVERIFY(!editor->errorLabel()->isVisible());
    QCOMPARE(m_dock->model()->index(1, ScenarioStepModel::WhatColumn).data().toString(),
             QStringLiteral(R"(send json {"pressed": true})"));
    QCOMPARE(editor->text(), fixed);
    QVERIFY(m_dock->document()->isDirty());
    QCOMPARE(m_dock->fileLabel(), QStringLiteral("edit.json *"));
    QCOMPARE(m_dock->windowTitle(), QStringLiteral("Scenario"));
    QVERIFY(m_dock->saveFile(m_dock->fileName(), &error));
    QCOMPARE(m_dock->fileLabel(), QStringLiteral("edit.json"));
}

void tst_ScenarioDock::addStepFromTemplate()
{
    QString error;
    QVERIFY(m_dock->openFile(write("add.json", kPasses), &error));
    m_dock->selectStep("steps[0]");
    // A typed, unapplied text of a later step moves with it.
    m_dock->selectStep("steps[6]");
    m_dock->editor()->setText(R"({"disconnect": "rival"})");
    m_dock->selectStep("steps[0]");
    QVERIFY(m_dock->addStep(ScenarioStep::Kind::Wait));
    QCOMPARE(m_dock->document()->stepText("steps[1]"), QStringLiteral(R"({"wait_ms": 1000})"));
    QCOMPARE(m_dock->editor()->path(), QStringLiteral("steps[1]"));
    QCOMPARE(m_dock->model()->index(1, ScenarioStepModel::WhatColumn).data().toString(),
             QStringLiteral("wait 1,000 ms"));
    m_dock->selectStep("steps[7]");
    QCOMPARE(m_dock->editor()->text(), QStringLiteral(R"({"disconnect": "rival"})"));
    // Up and down move the selected step.
    m_dock->selectStep("steps[1]");
    action("scenarioMoveUp")->trigger();
    QCOMPARE(m_dock->document()->stepText("steps[0]"), QStringLiteral(R"({"wait_ms": 1000})"));
    QCOMPARE(m_dock->editor()->path(), QStringLiteral("steps[0]"));
    QVERIFY(!action("scenarioMoveUp")->isEnabled());
    action("scenarioRemoveStep")->trigger();
    QCOMPARE(m_dock->document()->stepText("steps[0]"), QStringLiteral(R"({"connect": "button"})"));
    QCOMPARE(m_dock->document()->stepCount(), 7);
}

// The console's wiring: a scenario the traffic log saved opens in the dock, and the open file
// is the workspace's "scenario" part, back in a fresh window that opens the workspace.
void tst_ScenarioDock::inTheWindowLogScenariosOpenAndWorkspacesKeepTheFile()
{
    const QString scenario = write(QStringLiteral("made.json"), kPasses);
    const QString workspace = m_dir->filePath(QStringLiteral("work.json"));
    {
        MainWindow window(m_dir->filePath(QStringLiteral("first.ini")));
        installConsoleDocks(&window);
        auto* log = window.findChild<TrafficLogView*>();
        auto* dock = window.findChild<ScenarioDock*>();
        QVERIFY(log && dock);
        emit log->scenarioSaved(scenario);
        QCOMPARE(dock->fileName(), scenario);
        QCOMPARE(dock->model()->rowCount(), 9); // seven steps, two of them inside the repeat
        QString error;
        QVERIFY2(window.saveWorkspace(workspace, &error), qPrintable(error));
    }
    MainWindow window(m_dir->filePath(QStringLiteral("second.ini")));
    installConsoleDocks(&window);
    auto* dock = window.findChild<ScenarioDock*>();
    QVERIFY(dock->fileName().isEmpty());
    QVERIFY(window.openWorkspace(workspace));
    QCOMPARE(dock->fileName(), scenario);
}

QTEST_MAIN(tst_ScenarioDock)
#include "tst_scenariodock.moc"
