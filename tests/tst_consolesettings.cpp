// Persistence: what the console saves, what it restores, and what it does with a damaged
// settings file. Every test uses its own temporary ini file, never the user's settings.

#include "banner.h"
#include "consoleactions.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
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
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

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
        QVERIFY(window.startEmbeddedGateway(0));
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
        GatewayServer* server = window.gateway()->server();
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
    const GatewayPolicy policy = restored.gateway()->server()->policy();
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

// A large screen: the saved 1100×700 geometry fits it and comes back unchanged.
FLEET_TEST_MAIN_ON_SCREEN(tst_ConsoleSettings, 1920, 1080)
#include "tst_consolesettings.moc"
