// Persistence: what the console saves, what it restores, and what it does with a damaged
// settings file. Every test uses its own temporary ini file, never the user's settings.

#include "banner.h"
#include "behaviour.h"
#include "behaviourmark.h"
#include "behaviourpanel.h"
#include "behaviourvehicle.h"
#include "consoleactions.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "identityform.h"
#include "mainwindow.h"
#include "offscreenscreen.h"
#include "settingsstore.h"
#include "statuscomposer.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::DeviceConfig)

namespace {

void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

QStringList setAsideFiles(const QTemporaryDir& dir)
{
    return QDir(dir.path()).entryList({QStringLiteral("*.corrupt-*")}, QDir::Files);
}

DeviceConfig sampleDevice()
{
    DeviceConfig config;
    config.identity = {2, 4, QStringLiteral("door button"), QStringLiteral("Door, east"), 7};
    config.host = QStringLiteral("gateway.example");
    config.port = 1636;
    config.useEmbeddedGateway = false;
    config.connectTimeoutMs = 2500;
    config.connectAttempts = 3;
    config.resendAttempts = 0;
    config.statusTimeoutMs = 750;
    config.autoSendIntervalMs = 250;
    // Commas, quotes, newlines and an '=' must all survive the ini file.
    config.draft = {PayloadFormat::JsonPretty,
                    QStringLiteral("[[{\"inNum\":1,\"inSt\":false}],\n [], {\"butPr\": 0}] =;#")};
    return config;
}

} // namespace

class tst_ConsoleSettings : public QObject {
    Q_OBJECT
private slots:
    void missingFileGivesDefaults();
    void storeRoundTrip();
    void corruptFileIsSetAside_data();
    void corruptFileIsSetAside();
    void windowRestoresDevicesDraftsAndLayout();
    void windowReportsCorruptFileInBanner();
    void gatewayChoiceIsRemembered();
    void dockPlacesAreRemembered();
    void gatewayPanelSettingsAreRemembered();
    void trafficLogViewIsRemembered();
    void behaviourRoundTrip_data();
    void behaviourRoundTrip();
    void badStoredBehaviourIsNamed_data();
    void badStoredBehaviourIsNamed();
    void livingVehicleTabComesBack();
    void manualTabComesBackManual();
    void newLivingDeviceMenu_data();
    void newLivingDeviceMenu();
};

void tst_ConsoleSettings::missingFileGivesDefaults()
{
    QTemporaryDir dir;
    const SettingsStore store(dir.filePath(QStringLiteral("none.ini")));
    const SettingsStore::LoadResult result = store.load();
    QVERIFY(!result.existed);
    QVERIFY(!result.corrupt);
    QCOMPARE(result.message(), QString());
    QCOMPARE(result.settings.devices.size(), 1);
    QCOMPARE(result.settings.devices.first(), DeviceConfig::exampleButton());
    QVERIFY(result.settings.gateway.enabled);
    QCOMPARE(result.settings.gateway.port, quint16(8888));
}

void tst_ConsoleSettings::storeRoundTrip()
{
    QTemporaryDir dir;
    const SettingsStore store(dir.filePath(QStringLiteral("sub/dir/console.ini")));
    ConsoleSettings settings;
    settings.devices = {DeviceConfig::exampleButton(), sampleDevice()};
    settings.devices[0].draft = {PayloadFormat::Hex, QStringLiteral("7b 2")}; // half-typed
    settings.currentDevice = 1;
    settings.gateway = {false, 9100};
    settings.windowGeometry = QByteArray("\x01\x02geometry\x00", 11);
    settings.windowState = QByteArray("state");
    QString error;
    QVERIFY2(store.save(settings, &error), qPrintable(error));

    const SettingsStore::LoadResult loaded = store.load();
    QVERIFY(loaded.existed);
    QVERIFY2(!loaded.corrupt, qPrintable(loaded.problem));
    QCOMPARE(loaded.settings.devices.size(), 2);
    QCOMPARE(loaded.settings.devices[0], settings.devices[0]);
    QCOMPARE(loaded.settings.devices[1], settings.devices[1]);
    QCOMPARE(loaded.settings.currentDevice, 1);
    QCOMPARE(loaded.settings.gateway, settings.gateway);
    QCOMPARE(loaded.settings.windowGeometry, settings.windowGeometry);
    QCOMPARE(loaded.settings.windowState, settings.windowState);
    QVERIFY(setAsideFiles(dir).isEmpty());
}

void tst_ConsoleSettings::corruptFileIsSetAside_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    const QByteArray device = "[devices]\nsize=1\n1\\module=1000\n";
    QTest::newRow("garbage line") << QByteArray("[gateway]\nenabled=true\n@@@ not ini @@@\n")
                                  << "line 3 is neither";
    QTest::newRow("binary data") << QByteArray("\x00\x01\x02\xff", 4) << "binary data";
    QTest::newRow("port is not a number") << device + "1\\port=banana\n"
                                          << "devices/1/port is \"banana\"";
    QTest::newRow("port out of range") << device + "1\\port=70000\n"
                                       << "from 1 to 65535";
    QTest::newRow("negative priority") << device + "1\\priority=-1\n"
                                       << "devices/1/priority";
    QTest::newRow("boolean that is not") << QByteArray("[gateway]\nenabled=maybe\n")
                                         << "gateway/enabled is \"maybe\", expected true or false";
    QTest::newRow("unknown draft format") << device + "1\\draftFormat=rot13\n"
                                          << "one of text, json-pretty";
    QTest::newRow("format from the future")
        << QByteArray("[General]\nformat=99\n") << "format is 99";
    QTest::newRow("absurd device count")
        << QByteArray("[devices]\nsize=100000\n") << "at most 64 devices";
    QTest::newRow("geometry of the wrong type")
        << QByteArray("[window]\ngeometry=12\n") << "window/geometry";
}

void tst_ConsoleSettings::corruptFileIsSetAside()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    writeFile(path, content);

    const SettingsStore::LoadResult result = SettingsStore(path).load();
    QVERIFY(result.existed);
    QVERIFY(result.corrupt);
    QVERIFY2(result.problem.contains(problem), qPrintable(result.problem));
    QVERIFY2(result.message().contains(path), qPrintable(result.message()));
    QVERIFY2(result.message().contains(result.setAsidePath), qPrintable(result.message()));
    // Defaults, and the damaged file kept for the operator under a new name.
    QCOMPARE(result.settings.devices.size(), 1);
    QCOMPARE(result.settings.devices.first(), DeviceConfig::exampleButton());
    QVERIFY(!QFile::exists(path));
    const QStringList aside = setAsideFiles(dir);
    QCOMPARE(aside.size(), 1);
    QVERIFY(result.setAsidePath.endsWith(aside.first()));
    QFile kept(result.setAsidePath);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), content);

    // The next start finds no file and starts clean.
    const SettingsStore::LoadResult next = SettingsStore(path).load();
    QVERIFY(!next.existed);
    QVERIFY(!next.corrupt);
}

void tst_ConsoleSettings::windowRestoresDevicesDraftsAndLayout()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    const QString halfTyped = QStringLiteral("{\"pressed\": fals");
    {
        MainWindow window(path);
        window.show();
        window.resize(1100, 700);
        QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts need the active window
        DeviceSessionPage* first = window.currentPage();
        QVERIFY(first);
        QLineEdit* role = first->identityForm()->roleEdit();
        role->selectAll();
        QTest::keyClicks(role, QStringLiteral("lamp"));
        first->identityForm()->prioritySpin()->setValue(3);
        first->composer()->formatCombo()->setCurrentIndex(
            first->composer()->formatCombo()->findData(int(PayloadFormat::Hex)));
        QCOMPARE(first->composer()->format(), PayloadFormat::Hex);

        QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
        DeviceSessionPage* second = window.currentPage();
        QVERIFY(second != first);
        QCOMPARE(second->identityForm()->roleEdit()->text(), QStringLiteral("lamp-2"));
        QPlainTextEdit* editor = second->composer()->editor();
        editor->setFocus();
        editor->selectAll();
        QTest::keyClick(editor, Qt::Key_Delete);
        // The second device's draft is Hex (copied) — make it text, then leave it broken.
        second->composer()->setDraft({PayloadFormat::Text, QString()});
        QTest::keyClicks(editor, halfTyped);
        window.tabs()->setCurrentIndex(0);
        window.close(); // saves
    }
    QVERIFY(setAsideFiles(dir).isEmpty());

    MainWindow restored(path);
    restored.show();
    QCOMPARE(restored.pages().size(), 2);
    QCOMPARE(restored.tabs()->currentIndex(), 0);
    DeviceSessionPage* first = restored.pages()[0];
    DeviceSessionPage* second = restored.pages()[1];
    QCOMPARE(first->identityForm()->roleEdit()->text(), QStringLiteral("lamp"));
    QCOMPARE(first->identityForm()->prioritySpin()->value(), 3);
    QCOMPARE(first->composer()->format(), PayloadFormat::Hex);
    QCOMPARE(first->composer()->check().bytes, QByteArray("{\"pressed\": true}"));
    QCOMPARE(restored.tabs()->tabText(0), QStringLiteral("console button"));
    QCOMPARE(second->composer()->draft(), (ComposerDraft{PayloadFormat::Text, halfTyped}));
    QVERIFY(second->composer()->check().hasErrors()); // still broken, still there
    QCOMPARE(restored.size(), QSize(1100, 700));
    QVERIFY(restored.banners()->messages().isEmpty());
}

void tst_ConsoleSettings::windowReportsCorruptFileInBanner()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    writeFile(path, "[devices]\nsize=1\n1\\port=banana\n");
    MainWindow window(path);
    window.show();
    const QStringList banners = window.banners()->messages();
    QCOMPARE(banners.size(), 1);
    QVERIFY2(banners.first().contains(path), qPrintable(banners.first()));
    QVERIFY2(banners.first().contains(QStringLiteral("banana")), qPrintable(banners.first()));
    QVERIFY2(banners.first().contains(QStringLiteral("default settings")),
             qPrintable(banners.first()));
    QCOMPARE(window.pages().size(), 1); // defaults: the example button
    QCOMPARE(window.pages().first()->config().identity, DeviceConfig::exampleButton().identity);
    QCOMPARE(setAsideFiles(dir).size(), 1);

    // Saving afterwards writes a fresh, valid file in its place.
    QVERIFY(window.saveSettings());
    QVERIFY(!SettingsStore(path).load().corrupt);
}

void tst_ConsoleSettings::gatewayChoiceIsRemembered()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    {
        MainWindow window(path);
        QVERIFY(window.gatewayEnabled());
        window.startEmbeddedGateway(0);
        QTRY_VERIFY(window.gateway()->isListening());
        QVERIFY(window.actions().gatewayRunning->isChecked());
        window.actions().gatewayRunning->trigger(); // the operator turns it off
        QVERIFY(!window.gatewayEnabled());
        QVERIFY(window.gatewayStatusText().contains(QStringLiteral("off")));
        QVERIFY(window.saveSettings());
    }
    MainWindow restored(path);
    QVERIFY(!restored.gatewayEnabled());
}

void tst_ConsoleSettings::dockPlacesAreRemembered()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    auto makeDock = [] {
        auto* dock = new QDockWidget(QStringLiteral("Probe"));
        dock->setObjectName(QStringLiteral("probeDock"));
        dock->setWidget(new QLabel(QStringLiteral("probe")));
        return dock;
    };
    {
        MainWindow window(path);
        QDockWidget* dock = makeDock();
        window.addDock(dock, Qt::RightDockWidgetArea);
        QVERIFY(window.actions().viewMenu->actions().contains(dock->toggleViewAction()));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.dockWidgetArea(dock), Qt::RightDockWidgetArea);
        dock->toggleViewAction()->trigger(); // the operator hides it from the View menu
        QVERIFY(dock->isHidden());
        window.close();
    }
    MainWindow restored(path);
    QDockWidget* dock = makeDock();
    restored.addDock(dock, Qt::BottomDockWidgetArea); // the saved place wins
    restored.show();
    QVERIFY(QTest::qWaitForWindowExposed(&restored));
    QCOMPARE(restored.dockWidgetArea(dock), Qt::RightDockWidgetArea);
    QVERIFY(dock->isHidden());
}

// What the operator set in the gateway panel comes back after a restart: served modules (extra
// numbers included), answer delay, empty answers and the events mode.
void tst_ConsoleSettings::gatewayPanelSettingsAreRemembered()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    GatewayPolicy wanted;
    {
        MainWindow window(path);
        installConsoleDocks(&window);
        GatewayLink* server = window.gateway()->link();
        wanted = server->policy();
        wanted.supportedModules = {2, 1000, 1001, 1002};
        wanted.answerDelayMs = 300;
        wanted.emptyAnswers = true;
        wanted.explainSilentDrops = false;
        server->setPolicy(wanted); // what the panel's controls do
        QVERIFY(window.saveSettings());
    }
    MainWindow restored(path);
    installConsoleDocks(&restored);
    const GatewayPolicy policy = restored.gateway()->link()->policy();
    QCOMPARE(policy.supportedModules, wanted.supportedModules);
    QCOMPARE(policy.answerDelayMs, 300);
    QCOMPARE(policy.emptyAnswers, true);
    QCOMPARE(policy.explainSilentDrops, false);
    // A bad value in the file is named, not half-used.
    QSettings(path, QSettings::IniFormat)
        .setValue(QStringLiteral("gateway/modules"), QStringLiteral("2,x"));
    const SettingsStore::LoadResult bad = SettingsStore(path).load();
    QVERIFY(bad.corrupt);
    QVERIFY2(bad.problem.contains(QStringLiteral("modules")), qPrintable(bad.problem));
}

// The traffic log's filters, switches and column widths, and "ask before closing", come
// back after a restart; a bad value in the file is named.
void tst_ConsoleSettings::trafficLogViewIsRemembered()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    TrafficViewConfig wanted;
    {
        MainWindow window(path);
        installConsoleDocks(&window);
        auto* view = window.findChild<TrafficLogView*>();
        QVERIFY(view);
        QList<QComboBox*> combos = view->findChildren<QComboBox*>();
        combos[1]->setCurrentIndex(1);
        combos[2]->setCurrentIndex(combos[2]->findData(QStringLiteral("gateway")));
        view->findChild<QLineEdit*>()->setText(QStringLiteral("pressed"));
        view->applyTextFilter();
        view->setAutoScroll(false);
        view->table()->setColumnWidth(TrafficLogModel::SummaryColumn - 1, 123);
        window.actions().askBeforeClosing->setChecked(false);
        wanted = view->viewConfig();
        QCOMPARE(window.currentSettings().trafficView, wanted);
        QVERIFY(window.saveSettings());
    }
    MainWindow restored(path);
    installConsoleDocks(&restored);
    auto* view = restored.findChild<TrafficLogView*>();
    QCOMPARE(view->viewConfig(), wanted);
    QCOMPARE(view->filter()->directionFilter(), std::optional(TrafficDirection::DeviceToGateway));
    QCOMPARE(view->filter()->sideFilter(), std::optional(TrafficSide::Gateway));
    QCOMPARE(view->filter()->textFilter(), QStringLiteral("pressed"));
    QVERIFY(!view->autoScroll());
    QVERIFY(!restored.actions().askBeforeClosing->isChecked());

    QSettings(path, QSettings::IniFormat)
        .setValue(QStringLiteral("trafficLog/rows"), QStringLiteral("sideways"));
    const SettingsStore::LoadResult bad = SettingsStore(path).load();
    QVERIFY(bad.corrupt);
    QVERIFY2(bad.problem.contains(QStringLiteral("trafficLog/rows")), qPrintable(bad.problem));
}

void tst_ConsoleSettings::behaviourRoundTrip_data()
{
    QTest::addColumn<DeviceConfig>("device");
    DeviceConfig vehicle = DeviceConfig::livingDevice(QStringLiteral("vehicle"));
    vehicle.behaviour.route = QStringLiteral("Shuttle line");
    vehicle.behaviour.settings = {{QStringLiteral("encoding"), QStringLiteral("protobuf")},
                                  {QStringLiteral("waitAtStop"), QStringLiteral("3")}};
    QTest::newRow("vehicle on Shuttle line, protobuf") << vehicle;
    DeviceConfig io = DeviceConfig::livingDevice(QStringLiteral("io"));
    io.behaviour.settings = {{QStringLiteral("outputBase"), QStringLiteral("0")}};
    QTest::newRow("Opta board counting outputs from 0") << io;
    DeviceConfig manual = DeviceConfig::livingDevice(QStringLiteral("button"));
    manual.behaviour.manual = true;
    manual.draft.text = QStringLiteral("{\"pressed\": \"typed\"}");
    QTest::newRow("button made manual, its typed status") << manual;
    QTest::newRow("payload sender") << DeviceConfig::exampleButton();
}

// The behaviour, its settings, the vehicle's route and the manual mark survive the ini file.
void tst_ConsoleSettings::behaviourRoundTrip()
{
    QFETCH(DeviceConfig, device);
    QTemporaryDir dir;
    const SettingsStore store(dir.filePath(QStringLiteral("console.ini")));
    ConsoleSettings settings;
    settings.devices = {device};
    QVERIFY(store.save(settings));
    const SettingsStore::LoadResult loaded = store.load();
    QVERIFY2(!loaded.corrupt, qPrintable(loaded.problem));
    QVERIFY2(loaded.notes.isEmpty(), qPrintable(loaded.notesMessage()));
    QCOMPARE(loaded.settings.devices.size(), 1);
    // Settings come back sorted by key; compare them as a set.
    DeviceConfig restored = loaded.settings.devices.first();
    std::sort(restored.behaviour.settings.begin(), restored.behaviour.settings.end());
    std::sort(device.behaviour.settings.begin(), device.behaviour.settings.end());
    QCOMPARE(restored, device);
}

void tst_ConsoleSettings::badStoredBehaviourIsNamed_data()
{
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QString>("named");
    QTest::addColumn<QString>("behaviour");    // what is left of it
    QTest::addColumn<QString>("settingsLeft"); // "key=value,…" in key order
    QTest::addColumn<QString>("route");
    QTest::newRow("unknown behaviour")
        << QByteArray("1\\behaviour=robot\n")
        << "behaviour \"robot\" is not one this device has (none or vehicle)"
        << ""
        << ""
        << "";
    QTest::newRow("another device's behaviour")
        << QByteArray("1\\behaviour=button\n") << "behaviour \"button\""
        << ""
        << ""
        << "";
    QTest::newRow("bad setting value")
        << QByteArray("1\\behaviour=vehicle\n1\\behaviourSettings\\encoding=xml\n"
                      "1\\behaviourSettings\\waitAtStop=4\n")
        << "encoding: 'xml'"
        << "vehicle"
        << "waitAtStop=4"
        << "";
    QTest::newRow("unknown setting")
        << QByteArray("1\\behaviour=vehicle\n1\\behaviourSettings\\colour=red\n")
        << "'colour' is no setting of the Autonomous vehicle"
        << "vehicle"
        << ""
        << "";
    QTest::newRow("map file missing")
        << QByteArray("1\\behaviour=vehicle\n1\\behaviourMap=/nonexistent/site.osm\n"
                      "1\\behaviourRoute=Shuttle line\n")
        << "/nonexistent/site.osm"
        << "vehicle"
        << ""
        << "Shuttle line";
    QTest::newRow("route not on the map")
        << QByteArray("1\\behaviour=vehicle\n1\\behaviourRoute=Ring road\n")
        << "route \"Ring road\" is not on the built-in demo map"
        << "vehicle"
        << ""
        << "";
}

// A bad behaviour value is named (device, value, what was used instead) and costs nothing
// else: the identity, the draft and the valid values come back; the file is not set aside.
void tst_ConsoleSettings::badStoredBehaviourIsNamed()
{
    QFETCH(QByteArray, values);
    QFETCH(QString, named);
    QFETCH(QString, behaviour);
    QFETCH(QString, settingsLeft);
    QFETCH(QString, route);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    writeFile(path, "[devices]\nsize=1\n1\\module=1\n1\\deviceType=1\n1\\role=autonomy\n"
                    "1\\name=yard vehicle\n1\\draftText=kept\n" +
                        values);
    const SettingsStore::LoadResult loaded = SettingsStore(path).load();
    QVERIFY2(!loaded.corrupt, qPrintable(loaded.problem));
    QCOMPARE(loaded.notes.size(), 1);
    QVERIFY2(loaded.notes.first().contains(named), qPrintable(loaded.notes.first()));
    QVERIFY2(loaded.notes.first().contains(QStringLiteral("yard vehicle")),
             qPrintable(loaded.notes.first()));
    QVERIFY2(loaded.notesMessage().contains(path), qPrintable(loaded.notesMessage()));
    const DeviceConfig device = loaded.settings.devices.first();
    QCOMPARE(device.identity.name, QStringLiteral("yard vehicle"));
    QCOMPARE(device.draft.text, QStringLiteral("kept"));
    QCOMPARE(device.behaviour.name, behaviour);
    QStringList left;
    for (const auto& [key, value] : device.behaviour.settings)
        left.append(key + QLatin1Char('=') + value);
    QCOMPARE(left.join(QLatin1Char(',')), settingsLeft);
    QCOMPARE(device.behaviour.mapFile, QString()); // the demo map
    QCOMPARE(device.behaviour.route, route);
    QVERIFY(setAsideFiles(dir).isEmpty());

    // The window says it in a banner and opens the device with what was good.
    MainWindow window(path);
    QCOMPARE(window.pages().size(), 1);
    QCOMPARE(window.pages().first()->behaviourPanel()->isActive(), !behaviour.isEmpty());
    const QStringList banners = window.banners()->messages();
    QCOMPARE(banners.size(), 1);
    QVERIFY2(banners.first().contains(named), qPrintable(banners.first()));
}

// A vehicle tab on route "Shuttle line" with protobuf encoding comes back as that: the
// behaviour chosen, its settings, the route, the composer showing its binary status as Hex.
void tst_ConsoleSettings::livingVehicleTabComesBack()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    {
        MainWindow window(path);
        window.actions().newLivingDevices.at(2)->trigger();
        DeviceSessionPage* page = window.currentPage();
        QCOMPARE(page->config().identity.module, quint32(1));
        auto* vehicle = qobject_cast<VehicleBehaviour*>(page->behaviourPanel()->behaviour());
        QVERIFY(vehicle);
        QVERIFY(vehicle->setMap(vehicle->sharedMap(), QStringLiteral("Shuttle line")));
        QVERIFY(vehicle->setSetting(QStringLiteral("encoding"), QStringLiteral("protobuf")));
        QVERIFY(vehicle->setSetting(QStringLiteral("fuel"), QStringLiteral("0.8")));
        QVERIFY(window.saveSettings());
    }
    const SettingsStore::LoadResult loaded = SettingsStore(path).load();
    QVERIFY(loaded.notes.isEmpty());
    MainWindow restored(path);
    QCOMPARE(restored.pages().size(), 2); // the default button and the vehicle
    DeviceSessionPage* page = restored.pages().at(1);
    BehaviourPanel* panel = page->behaviourPanel();
    QVERIFY(panel->isActive());
    auto* vehicle = qobject_cast<VehicleBehaviour*>(panel->behaviour());
    QVERIFY(vehicle);
    QCOMPARE(vehicle->route().name, QStringLiteral("Shuttle line"));
    QCOMPARE(vehicle->encoding(), VehicleBehaviour::Encoding::Protobuf);
    QCOMPARE(vehicle->fuel(), 0.8);
    QCOMPARE(page->composer()->format(), PayloadFormat::Hex);
    QCOMPARE(page->composer()->check().bytes, vehicle->status());
    QVERIFY(restored.banners()->messages().isEmpty());
}

// A device left manual comes back manual, with the operator's typed status in the composer
// (not the behaviour's) and the mark that says so.
void tst_ConsoleSettings::manualTabComesBackManual()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("console.ini"));
    const QString typed = QStringLiteral("{\"pressed\": \"by hand\"}");
    {
        MainWindow window(path);
        window.actions().newLivingDevices.at(0)->trigger();
        DeviceSessionPage* page = window.currentPage();
        QVERIFY(page->behaviourPanel()->isActive());
        page->composer()->setPayload(typed.toUtf8()); // what "payload from the log" does
        QVERIFY(page->behaviourPanel()->isManual());
        QVERIFY(window.saveSettings());
    }
    MainWindow restored(path);
    DeviceSessionPage* page = restored.pages().at(1);
    QVERIFY(page->behaviourPanel()->isActive());
    QVERIFY(page->behaviourPanel()->isManual());
    QCOMPARE(page->composer()->behaviourMode(), StatusComposer::BehaviourMode::Manual);
    QCOMPARE(page->composer()->editor()->toPlainText(), typed);
    QVERIFY(page->composer()->behaviourMark()->text().startsWith(QStringLiteral("Manual")));
    QVERIFY(page->behaviourPanel()->mark()->backButton()->isVisibleTo(page->behaviourPanel()));
}

void tst_ConsoleSettings::newLivingDeviceMenu_data()
{
    QTest::addColumn<int>("entry");
    QTest::addColumn<QString>("title");
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("deviceType");
    QTest::addColumn<QString>("role");
    QTest::newRow("Example button") << 0 << "Example button" << quint32(1000) << quint32(0)
                                    << "button-2"; // the default tab is a button already
    QTest::newRow("IO board (Opta)")
        << 1 << "IO board (Opta)" << quint32(2) << quint32(1) << "io_board";
    QTest::newRow("Autonomous vehicle")
        << 2 << "Autonomous vehicle" << quint32(1) << quint32(1) << "autonomy";
}

// New device › Example button / IO board (Opta) / Autonomous vehicle, from the toolbar
// button's menu and the Device menu: a tab with that identity, a role of its own and its
// behaviour chosen.
void tst_ConsoleSettings::newLivingDeviceMenu()
{
    QFETCH(int, entry);
    QFETCH(QString, title);
    QFETCH(quint32, module);
    QFETCH(quint32, deviceType);
    QFETCH(QString, role);
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    const ConsoleActions& actions = window.actions();
    QAction* action = actions.newLivingDevices.at(entry);
    QCOMPARE(action->text().remove(QLatin1Char('&')), title);
    QVERIFY(actions.newDeviceMenu->actions().contains(action));
    auto* button = window.findChild<QToolButton*>(QStringLiteral("newDeviceButton"));
    QVERIFY(button);
    QCOMPARE(button->menu(), actions.newDeviceMenu);
    bool inDeviceMenu = false;
    for (QAction* top : window.menuBar()->actions()) {
        if (top->menu() && top->text().remove(QLatin1Char('&')) == QLatin1String("Device"))
            inDeviceMenu = top->menu()->actions().contains(actions.newDeviceMenu->menuAction());
    }
    QVERIFY(inDeviceMenu);

    action->trigger();
    QCOMPARE(window.pages().size(), 2);
    DeviceSessionPage* page = window.currentPage();
    const DeviceConfig config = page->config();
    QCOMPARE(config.identity.module, module);
    QCOMPARE(config.identity.deviceType, deviceType);
    QCOMPARE(config.identity.role, role);
    QVERIFY(page->behaviourPanel()->isActive());
    QCOMPARE(page->behaviourPanel()->choiceCombo()->currentIndex(), 1);
    QCOMPARE(page->composer()->behaviourMode(), StatusComposer::BehaviourMode::Synced);
    // A second one is not its rival: a role of its own.
    action->trigger();
    QVERIFY(window.currentPage()->config().identity.role != role);
}

// A large screen: the saved 1100×700 geometry fits it and comes back unchanged.
FLEET_TEST_MAIN_ON_SCREEN(tst_ConsoleSettings, 1920, 1080)
#include "tst_consolesettings.moc"
