// Workspaces in the console window (docs/workspaces.md): save three devices, quit, open the
// file in a fresh console and find everything in place; a bad file changes nothing and says
// where it is wrong; connected devices are asked about first; Ctrl+D duplicates a device;
// Open recent; `fleet-console FILE.json`.

#include "banner.h"
#include "consoleactions.h"
#include "consoledocks.h"
#include "consoleoptions.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "mainwindow.h"
#include "offscreenscreen.h"
#include "statuscomposer.h"
#include "trafficlogview.h"
#include "workspace.h"

#include <QAction>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::DeviceConfig)
Q_DECLARE_METATYPE(fleet::MainWindow::GatewayRun)

namespace {

QList<DeviceConfig> threeDevices()
{
    DeviceConfig lamp = DeviceConfig::exampleButton();
    lamp.identity.role = QStringLiteral("lamp");
    lamp.identity.name = QStringLiteral("Lamp, hall");
    lamp.identity.priority = 2;
    lamp.draft = {PayloadFormat::Text, QStringLiteral("{\"pressed\": fals"), false}; // half-typed
    DeviceConfig door = DeviceConfig::exampleButton();
    door.identity.role = QStringLiteral("door");
    door.identity.name = QStringLiteral("Door");
    door.identity.priority = 5;
    door.host = QStringLiteral("gateway.example");
    door.port = 1636;
    door.useEmbeddedGateway = false;
    door.draft = {PayloadFormat::Hex, QStringLiteral("7b 7d"), false};
    door.autoSendIntervalMs = 250;
    DeviceConfig opta = DeviceConfig::livingDevice(QStringLiteral("io"));
    opta.behaviour.settings = {{QStringLiteral("outputBase"), QStringLiteral("0")}};
    return {lamp, door, opta};
}

void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

QStringList roles(const MainWindow& window)
{
    QStringList result;
    for (DeviceSessionPage* page : window.pages())
        result.append(page->config().identity.role);
    return result;
}

} // namespace

class tst_WorkspaceWindow : public QObject {
    Q_OBJECT
private slots:
    void saveQuitAndReopenThreeDevices();
    void badWorkspaceChangesNothing_data();
    void badWorkspaceChangesNothing();
    void connectedDevicesAreAskedAboutFirst();
    void unsavedEditsAreAskedAboutFirst();
    void gatewayFollowsTheWorkspace_data();
    void gatewayFollowsTheWorkspace();
    void duplicateWithCtrlD_data();
    void duplicateWithCtrlD();
    void openRecentRemembersAndMarksMissing();
    void commandLineTakesWorkspaceFile_data();
    void commandLineTakesWorkspaceFile();
};

void tst_WorkspaceWindow::saveQuitAndReopenThreeDevices()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("three.json"));
    QList<DeviceConfig> saved;
    {
        MainWindow window(dir.filePath(QStringLiteral("first.ini")));
        installConsoleDocks(&window);
        window.closeDevice(0); // the fresh console's example button
        for (const DeviceConfig& config : threeDevices())
            window.addDevice(config);
        window.tabs()->setCurrentIndex(1);
        GatewayPolicy policy = window.gateway()->link()->policy();
        policy.answerDelayMs = 250;
        policy.supportedModules = {2, 1000};
        window.gateway()->link()->setPolicy(policy); // what the gateway panel does
        auto* view = window.findChild<TrafficLogView*>();
        QVERIFY(view);
        TrafficViewConfig filtered = view->viewConfig();
        filtered.text = QStringLiteral("pressed");
        filtered.follow = false;
        view->applyViewConfig(filtered); // what the operator does in the log's filters
        window.setTrafficViewConfig(view->viewConfig());
        window.addWorkspacePart(
            QStringLiteral("probe"),
            [] {
                return QJsonObject{{QStringLiteral("file"), QStringLiteral("/s/x.json")}};
            },
            [](const QJsonValue&) {});
        QVERIFY(window.saveWorkspace(file));
        for (DeviceSessionPage* page : window.pages())
            saved.append(page->config());
        QCOMPARE(window.workspaceFileName(), file);
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("three.json[*]")));
        QVERIFY(!window.isWindowModified());
        window.close();
    }
    QCOMPARE(saved.size(), 3);
    QCOMPARE(saved[2].behaviour.name, QStringLiteral("io"));
    {
        // What a newer console might add: a key in a device, a panel this one does not have.
        QFile json(file);
        QVERIFY(json.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(json.readAll()).object();
        QJsonArray devices = root.value(QStringLiteral("devices")).toArray();
        QJsonObject door = devices.at(1).toObject();
        door.insert(QStringLiteral("colour"), QStringLiteral("teal"));
        devices.replace(1, door);
        root.insert(QStringLiteral("devices"), devices);
        QJsonObject parts = root.value(QStringLiteral("parts")).toObject();
        parts.insert(QStringLiteral("planner"), QJsonArray{QStringLiteral("A")});
        root.insert(QStringLiteral("parts"), parts);
        json.close();
        writeFile(file, QJsonDocument(root).toJson());
    }

    // Another console, with settings of its own: its last session is replaced.
    MainWindow reopened(dir.filePath(QStringLiteral("second.ini")));
    installConsoleDocks(&reopened);
    QJsonValue part;
    reopened.addWorkspacePart(
        QStringLiteral("probe"), [] { return QJsonValue(QJsonValue::Undefined); },
        [&part](const QJsonValue& value) { part = value; });
    reopened.show();
    // (The embedded gateway as the workspace has it is gatewayFollowsTheWorkspace's.)
    QVERIFY(reopened.openWorkspace(file, MainWindow::GatewayRun::LeaveAsIs));
    QCOMPARE(reopened.pages().size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(reopened.pages()[i]->config(), saved[i]);
    QCOMPARE(reopened.tabs()->tabText(0), QStringLiteral("Lamp, hall"));
    QCOMPARE(reopened.tabs()->tabText(2), QStringLiteral("Opta board"));
    QCOMPARE(reopened.tabs()->currentIndex(), 1);
    QCOMPARE(reopened.pages()[0]->composer()->draft().text, QStringLiteral("{\"pressed\": fals"));
    QCOMPARE(reopened.gateway()->link()->policy().answerDelayMs, 250);
    QCOMPARE(reopened.gateway()->link()->policy().supportedModules, (QList<quint32>{2, 1000}));
    QCOMPARE(part.toObject().value(QStringLiteral("file")).toString(), QStringLiteral("/s/x.json"));
    // The log dock, installed before the workspace opened, shows the workspace's filter.
    const TrafficViewConfig view = reopened.findChild<TrafficLogView*>()->viewConfig();
    QCOMPARE(view.text, QStringLiteral("pressed"));
    QVERIFY(!view.follow);
    QVERIFY2(reopened.banners()->messages().isEmpty(),
             qPrintable(reopened.banners()->messages().join(QLatin1Char('\n'))));
    QCOMPARE(reopened.recentWorkspaces().value(0), file);
    QVERIFY(reopened.windowTitle().startsWith(QStringLiteral("three.json[*]")));
    QVERIFY(!reopened.isWindowModified());

    // An edit marks the title; saving clears the mark, and the file has the edit.
    reopened.pages()[0]->composer()->setDraft({PayloadFormat::Text, QStringLiteral("{}")});
    QTRY_VERIFY(reopened.isWindowModified());
    QVERIFY(reopened.saveWorkspace(file));
    QVERIFY(!reopened.isWindowModified());
    Workspace read;
    WorkspaceError error;
    QVERIFY2(Workspace::load(file, &read, &error), qPrintable(error.toString()));
    QCOMPARE(read.devices[0].config.draft.text, QStringLiteral("{}"));
    // The part no panel of this console saved (its save() gives nothing) is gone; the others
    // are there as they were.
    QVERIFY(!read.parts.contains(QStringLiteral("probe")));
    QCOMPARE(read.devices.size(), 3);
    QCOMPARE(read.parts.value(QStringLiteral("planner")), QJsonValue(QJsonArray{"A"}));
    QCOMPARE(read.devices[1].json.value(QStringLiteral("colour")), QJsonValue("teal"));
    QVERIFY(!read.devices[0].json.contains(QStringLiteral("colour")));
}

void tst_WorkspaceWindow::badWorkspaceChangesNothing_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QString>("shown");      // part of the banner after the file's name
    const QByteArray head = "{\n  \"format\": \"fleet-console-workspace\",\n  \"version\": 1,\n";
    QTest::newRow("not JSON") << head + "  \"devices\": [,]\n}"
                              << ":4:15: not JSON";
    QTest::newRow("a priority below zero")
        << head + "  \"devices\": [{}, {\"identity\": {\"priority\": -1}}]\n}"
        << ":4:45: devices[1].identity.priority: expected a whole number";
    QTest::newRow("not a workspace")
        << QByteArray("{\"scenario\": 1}") << ":1:1: this is not a workspace file";
    QTest::newRow("no such file") << QByteArray() << ": there is no such file";
}

void tst_WorkspaceWindow::badWorkspaceChangesNothing()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, shown);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bad.json"));
    if (!content.isEmpty())
        writeFile(file, content);
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    window.show();
    window.duplicateDevice();
    const QList<DeviceSessionPage*> before = window.pages();
    QCOMPARE(before.size(), 2);
    before[0]->composer()->setDraft({PayloadFormat::Text, QStringLiteral("typed, not saved")});

    QVERIFY(!window.openWorkspace(file, MainWindow::GatewayRun::LeaveAsIs));
    QCOMPARE(window.pages(), before);
    QCOMPARE(window.pages()[0]->composer()->draft().text, QStringLiteral("typed, not saved"));
    QVERIFY(window.workspaceFileName().isEmpty());
    const QStringList banners = window.banners()->messages();
    QCOMPARE(banners.size(), 1);
    QVERIFY2(banners.first().contains(file + shown), qPrintable(banners.first()));
    QVERIFY2(banners.first().contains(QStringLiteral("Nothing was changed")),
             qPrintable(banners.first()));
}

void tst_WorkspaceWindow::connectedDevicesAreAskedAboutFirst()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("other.json"));
    Workspace other;
    other.devices = {{threeDevices().at(1), {}}};
    QVERIFY(other.save(file));

    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    window.startEmbeddedGateway(0);
    QTRY_VERIFY(window.gateway()->isListening());
    window.show();
    QPointer<DeviceSessionPage> connected = window.currentPage();
    connected->connectToServer();
    QTRY_COMPARE(connected->session()->status(), SessionStatus::Connected);

    // "Cancel": everything stays, the connection too.
    QVERIFY(window.openWorkspace(file));
    QPointer<QMessageBox> question =
        window.findChild<QMessageBox*>(QStringLiteral("openWorkspaceQuestion"));
    QVERIFY(question);
    QTRY_VERIFY(question->isVisible());
    QVERIFY2(question->text().contains(QStringLiteral("1 connected device")),
             qPrintable(question->text()));
    QCOMPARE(window.pages(), QList<DeviceSessionPage*>{connected});
    question->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!question);
    QCOMPARE(window.pages(), QList<DeviceSessionPage*>{connected});
    QCOMPARE(connected->session()->status(), SessionStatus::Connected);
    QVERIFY(window.workspaceFileName().isEmpty());

    // "Open workspace": the tab is replaced and its connection closed.
    QVERIFY(window.openWorkspace(file));
    question = window.findChild<QMessageBox*>(QStringLiteral("openWorkspaceQuestion"));
    QVERIFY(question);
    QAbstractButton* open = nullptr;
    for (QAbstractButton* button : question->buttons()) {
        if (question->buttonRole(button) == QMessageBox::AcceptRole)
            open = button;
    }
    QVERIFY(open);
    QCOMPARE(open->text(), QStringLiteral("Open workspace"));
    open->click();
    QCOMPARE(roles(window), QStringList{QStringLiteral("door")});
    QCOMPARE(window.workspaceFileName(), file);
    QTRY_VERIFY(!connected); // the old tab is gone
    QTRY_COMPARE(window.gateway()->link()->connectionCount(), 0);
}

void tst_WorkspaceWindow::unsavedEditsAreAskedAboutFirst()
{
    QTemporaryDir dir;
    const QString mine = dir.filePath(QStringLiteral("mine.json"));
    const QString other = dir.filePath(QStringLiteral("other.json"));
    Workspace otherWorkspace;
    otherWorkspace.gateway.enabled = false;
    otherWorkspace.devices = {{threeDevices().at(1), {}}};
    QVERIFY(otherWorkspace.save(other));

    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    window.show();
    QVERIFY(window.saveWorkspace(mine));
    DeviceSessionPage* page = window.currentPage();
    page->composer()->setDraft({PayloadFormat::Text, QStringLiteral("typed after saving")});
    QTRY_VERIFY(window.isWindowModified());

    QVERIFY(window.openWorkspace(other));
    QPointer<QMessageBox> question =
        window.findChild<QMessageBox*>(QStringLiteral("openWorkspaceQuestion"));
    QVERIFY(question);
    QVERIFY2(question->informativeText().contains(QStringLiteral("not saved")),
             qPrintable(question->informativeText()));
    question->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!question);
    QCOMPARE(window.pages(), QList<DeviceSessionPage*>{page});
    QCOMPARE(page->composer()->draft().text, QStringLiteral("typed after saving"));
    QCOMPARE(window.workspaceFileName(), mine);

    // Saved, nothing is at stake: it opens at once.
    QVERIFY(window.saveWorkspace(mine));
    QVERIFY(window.openWorkspace(other));
    QCOMPARE(roles(window), QStringList{QStringLiteral("door")});
}

void tst_WorkspaceWindow::gatewayFollowsTheWorkspace_data()
{
    QTest::addColumn<bool>("runningBefore");
    QTest::addColumn<bool>("enabledInFile");
    QTest::addColumn<MainWindow::GatewayRun>("run");
    QTest::addColumn<bool>("runningAfter");
    using Run = MainWindow::GatewayRun;
    QTest::newRow("running, the file has it off: stopped")
        << true << false << Run::FollowWorkspace << false;
    QTest::newRow("stopped, the file has it on: started")
        << false << true << Run::FollowWorkspace << true;
    QTest::newRow("at start-up the command line decides")
        << false << true << Run::LeaveAsIs << false;
}

void tst_WorkspaceWindow::gatewayFollowsTheWorkspace()
{
    QFETCH(bool, runningBefore);
    QFETCH(bool, enabledInFile);
    QFETCH(MainWindow::GatewayRun, run);
    QFETCH(bool, runningAfter);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("gateway.json"));
    Workspace workspace;
    workspace.gateway.enabled = enabledInFile;
    workspace.gateway.port = 0; // any free port
    workspace.gateway.answerDelayMs = 40;
    QVERIFY(workspace.save(file));

    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    if (runningBefore) {
        window.startEmbeddedGateway(0);
        QTRY_VERIFY(window.gateway()->isListening());
    }
    QVERIFY(window.openWorkspace(file, run));
    // Starting is asynchronous (the network thread answers); stopping is at once.
    QTRY_COMPARE(window.gateway()->isListening(), runningAfter);
    QCOMPARE(window.actions().gatewayRunning->isChecked(), runningAfter);
    QCOMPARE(window.gatewayEnabled(), enabledInFile);
    QCOMPARE(window.gateway()->link()->policy().answerDelayMs, 40);
}

void tst_WorkspaceWindow::duplicateWithCtrlD_data()
{
    QTest::addColumn<DeviceConfig>("device");
    QTest::addColumn<QString>("role"); // the copy's
    QTest::addColumn<QString>("name");
    QTest::newRow("payload sender") << threeDevices().at(1) << "door-2"
                                    << "Door (door-2)";
    QTest::newRow("IO board with its behaviour") << threeDevices().at(2) << "io_board-2"
                                                 << "Opta board (io_board-2)";
    DeviceConfig copy = threeDevices().at(1);
    copy.identity.role = QStringLiteral("door-2");
    copy.identity.name = QStringLiteral("Door (door-2)");
    QTest::newRow("a copy of a copy") << copy << "door-3"
                                      << "Door (door-3)";
    copy.identity.role = QStringLiteral("sensor-1");
    copy.identity.name = QStringLiteral("Sensor one");
    QTest::newRow("a numbered role") << copy << "sensor-2"
                                     << "Sensor one (sensor-2)";
}

void tst_WorkspaceWindow::duplicateWithCtrlD()
{
    QFETCH(DeviceConfig, device);
    QFETCH(QString, role);
    QFETCH(QString, name);
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    window.closeDevice(0);
    QVERIFY(!window.actions().duplicateDevice->isEnabled()); // nothing to copy
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts need the active window
    DeviceSessionPage* original = window.addDevice(device);
    QVERIFY(window.actions().duplicateDevice->isEnabled());
    const DeviceConfig before = original->config();

    QTest::keyClick(&window, Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(window.pages().size(), 2);
    DeviceSessionPage* copy = window.currentPage();
    QVERIFY(copy != original);
    const DeviceConfig copied = copy->config();
    QCOMPARE(copied.identity.role, role);
    QCOMPARE(copied.identity.module, before.identity.module);
    QCOMPARE(copied.identity.deviceType, before.identity.deviceType);
    QCOMPARE(copied.identity.priority, before.identity.priority);
    QCOMPARE(copied.identity.name, name);
    QCOMPARE(copied.draft, before.draft);
    QCOMPARE(copied.behaviour, before.behaviour);
    QCOMPARE(copied.host, before.host);
    QCOMPARE(copied.useEmbeddedGateway, before.useEmbeddedGateway);
    QCOMPARE(original->config(), before); // the original is untouched
}

void tst_WorkspaceWindow::openRecentRemembersAndMarksMissing()
{
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("console.ini"));
    const QString first = dir.filePath(QStringLiteral("first.json"));
    const QString second = dir.filePath(QStringLiteral("second & more.json"));
    {
        MainWindow window(ini);
        QVERIFY(window.saveWorkspace(first));
        QVERIFY(window.saveWorkspace(second));
        QVERIFY(window.saveWorkspace(first)); // moves to the front, not listed twice
        QCOMPARE(window.recentWorkspaces(), (QStringList{first, second}));
        QVERIFY(window.saveSettings()); // the settings file keeps the list
    }
    QVERIFY(QFile::remove(first));
    Workspace quiet; // opened below: no embedded gateway on a fixed port in a test
    quiet.gateway.enabled = false;
    QVERIFY(quiet.save(second));

    MainWindow window(ini);
    QCOMPARE(window.recentWorkspaces(), (QStringList{first, second}));
    const QList<QAction*> entries = window.actions().recentWorkspaces->actions();
    QVERIFY(entries.size() >= 2);
    QVERIFY2(entries[0]->text().endsWith(QStringLiteral("first.json (missing)")),
             qPrintable(entries[0]->text()));
    QVERIFY(!entries[0]->isEnabled());
    QVERIFY2(entries[1]->text().endsWith(QStringLiteral("second && more.json")),
             qPrintable(entries[1]->text()));
    QVERIFY(entries[1]->isEnabled());

    // Picking it anyway (it went while the menu was open): named, and taken off the list.
    QVERIFY(!window.openWorkspace(first));
    QVERIFY2(window.banners()->messages().value(0).contains(QStringLiteral("Open recent")),
             qPrintable(window.banners()->messages().value(0)));
    QCOMPARE(window.recentWorkspaces(), QStringList{second});

    QAction* entry = window.actions().recentWorkspaces->actions().value(0);
    QVERIFY(entry);
    entry->trigger(); // queued: opening refills the menu
    QTRY_COMPARE(window.workspaceFileName(), second);
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("second & more.json[*]")));
}

void tst_WorkspaceWindow::commandLineTakesWorkspaceFile_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("workspace"); // empty: an error
    QTest::addColumn<QString>("text");      // part of the error text
    QTest::newRow("a workspace") << QStringList{"/tmp/ws.json"} << "/tmp/ws.json"
                                 << "";
    QTest::newRow("a workspace after options")
        << QStringList{"--no-gateway", "three.json"} << "three.json"
        << "";
    QTest::newRow("two workspaces") << QStringList{"a.json", "b.json"} << ""
                                    << "unexpected argument 'b.json'";
    QTest::newRow("an empty name") << QStringList{""} << ""
                                   << "file name is empty";
}

void tst_WorkspaceWindow::commandLineTakesWorkspaceFile()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, workspace);
    QFETCH(QString, text);
    arguments.prepend(QStringLiteral("fleet-console"));
    const ConsoleOptionsResult result = parseConsoleOptions(arguments);
    if (workspace.isEmpty()) {
        QCOMPARE(result.action, ConsoleOptionsResult::Action::Error);
        QVERIFY2(result.text.contains(text), qPrintable(result.text));
        return;
    }
    QCOMPARE(result.action, ConsoleOptionsResult::Action::Run);
    QCOMPARE(result.options.workspaceFile, workspace);
    const ConsoleOptionsResult help =
        parseConsoleOptions({QStringLiteral("fleet-console"), QStringLiteral("--help")});
    QVERIFY2(help.text.contains(QStringLiteral("[FILE.json]")), qPrintable(help.text));
}

FLEET_TEST_MAIN_ON_SCREEN(tst_WorkspaceWindow, 1366, 768)
#include "tst_workspacewindow.moc"
