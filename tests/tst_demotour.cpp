// The guided demo (Help › Demo tour, docs/demo.md#the-demo-tour) run to its end against an
// in-process gateway: each step's bar shows its caption, Next waits for the gateway's real
// event (the refusal, the takeover, the dropped status), the presentation caption tells it,
// and Back replays to the same state. Then the console window: Help › Demo tour turns
// presentation mode on, and leaving presentation mode puts the layout back exactly.
#include "behaviourpanel.h"
#include "captionnarrator.h"
#include "commandinspector.h"
#include "connectionindicator.h"
#include "consoledocks.h"
#include "demotour.h"
#include "demotourbar.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "identityform.h"
#include "internalclient.h"
#include "mainwindow.h"
#include "offscreenscreen.h"
#include "presentationmode.h"
#include "sequencedock.h"
#include "sequenceview.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QToolBar>

#include <algorithm>
#include <memory>

using namespace fleet;

namespace {

// The tour's wiring in small: the gateway, the tour and its bar, the narrator.
struct Rig {
    GatewayServer gateway;
    // Listening before the link wraps it: a link reads a same-thread server's state once.
    bool listening = gateway.listen(QHostAddress::LocalHost, 0);
    GatewayLink link{&gateway};
    DemoTour tour{&link};
    DemoTourBar bar{&tour};
    CaptionNarrator narrator;
    QHash<QString, InternalClient*> clients; // the tour's devices by name
    QHash<QString, QByteArray> commands;     // the last command each device received
    QHash<QString, InternalClient::Error> errors;
    QList<GatewayEvent> events;

    bool start()
    {
        if (!listening)
            return false;
        narrator.attachGateway(&link);
        QObject::connect(&gateway, &GatewayServer::gatewayEvent, &gateway,
                         [this](const GatewayEvent& event) { events.append(event); });
        QObject::connect(&tour, &DemoTour::clientCreated, &tour, [this](InternalClient* client) {
            // Connected before its first frame: the name is known once it connects, so the
            // name is taken from the step the tour is running.
            const QString name = tour.steps().at(tour.runningStep()).device;
            clients.insert(name, client);
            QObject::connect(client, &InternalClient::commandReceived, client,
                             [this, name](const QByteArray& data) { commands[name] = data; });
            QObject::connect(client, &InternalClient::errorOccurred, client,
                             [this, name](InternalClient::Error error) { errors[name] = error; });
        });
        bar.show();
        return true;
    }

    bool stepDone(int index) const
    {
        return tour.current() == index && tour.state() == DemoTour::StepState::Done;
    }

    // Walks the tour with the bar's buttons to the step, each one done before the next.
    bool walkTo(int index)
    {
        tour.start();
        if (!QTest::qWaitFor([&] { return stepDone(0); }, 5000))
            return false;
        for (int i = 1; i <= index; ++i) {
            // Next is offered only once the gateway showed the step.
            if (!bar.nextButton()->isEnabled())
                return false;
            bar.nextButton()->click();
            if (!QTest::qWaitFor([&] { return stepDone(i); }, 5000))
                return false;
        }
        return true;
    }

    QStringList holders() const
    {
        QStringList names;
        for (const GatewayDeviceInfo& info : gateway.connectedDevices()) {
            if (info.device.role == DemoTour::kRole)
                names.append(info.device.name);
        }
        return names;
    }

    int count(GatewayEvent::Kind kind, const QString& device, qsizetype from) const
    {
        int n = 0;
        for (qsizetype i = from; i < events.size(); ++i)
            n += events[i].kind == kind && events[i].device.name == device;
        return n;
    }
};

// A console window with its docks on the suite's 1366x768 screen, shown.
struct ShownConsole {
    QTemporaryDir dir;
    MainWindow window{dir.filePath(QStringLiteral("console.ini"))};

    ShownConsole()
    {
        installConsoleDocks(&window);
        window.resize(1366, 768);
        window.show();
    }
    bool exposed() { return QTest::qWaitForWindowExposed(&window); }
};

} // namespace

class TestDemoTour : public QObject {
    Q_OBJECT
private slots:
    void stepsHappen_data();
    void stepsHappen();
    void nextWaitsForTheGateway();
    void backThenNext_data();
    void backThenNext();
    void tourTurnsPresentationOn();
    void presentationRestoresTheLayout();
    void openingAWorkspaceLeavesPresentation();
    void facesLeaveTheDiagramItsWidth();
};

void TestDemoTour::stepsHappen_data()
{
    QTest::addColumn<int>("step");
    QTest::addColumn<QString>("title");
    QTest::addColumn<QStringList>("captionSays");
    QTest::addColumn<GatewayEvent::Kind>("event");
    QTest::addColumn<QString>("eventDevice");
    QTest::addColumn<GatewayEvent::Reason>("reason");
    QTest::addColumn<QString>("narrated");
    QTest::addColumn<QStringList>("holders");

    using K = GatewayEvent::Kind;
    using R = GatewayEvent::Reason;
    QTest::newRow("1 connect a device")
        << 0 << "Step 1 of 6 · Connect a device" << QStringList{"b1", "priority 1", "OK"}
        << K::Connected << "b1" << R::None
        << "Button b1 connected and the gateway accepted it (priority 1)" << QStringList{"b1"};
    QTest::newRow("2 send a status")
        << 1 << "Step 2 of 6 · Send a status"
        << QStringList{"button is pressed", "lamp off", "exactly one command"} << K::CommandSent
        << "b1" << R::None << "The gateway answered b1's status with: lamp off"
        << QStringList{"b1"};
    QTest::newRow("3 get a command back")
        << 2 << "Step 3 of 6 · Get a command back" << QStringList{"lets go", "lamp on"}
        << K::CommandSent << "b1" << R::None << "The gateway answered b1's status with: lamp on"
        << QStringList{"b1"};
    QTest::newRow("4 a second device is refused")
        << 3 << "Step 4 of 6 · A second device is refused"
        << QStringList{"b2", "same priority", "ALREADY_CONNECTED", "b1 keeps the slot"}
        << K::Rejected << "b2" << R::None
        << "The gateway refused a second button, b2: the slot is already taken by b1, which has "
           "the same priority (1)"
        << QStringList{"b1"};
    QTest::newRow("5 a higher priority takes over")
        << 4 << "Step 5 of 6 · A higher priority takes over"
        << QStringList{"b3", "priority 0", "lower number wins", "drops b1"} << K::Disconnected
        << "b1" << R::Takeover
        << "Button b3 (priority 0) took the slot over from b1 (priority 1): a lower number wins, "
           "so the gateway accepted b3 and dropped b1"
        << QStringList{"b3"};
    QTest::newRow("6 a malformed status is dropped")
        << 5 << "Step 6 of 6 · A malformed status is dropped"
        << QStringList{"cannot read", "no error message", "no answer", "closes b3"}
        << K::StatusUnanswered << "b3" << R::InvalidStatus
        << "The gateway closed b3's connection after leaving its invalid status unanswered"
        << QStringList{};
}

void TestDemoTour::stepsHappen()
{
    QFETCH(int, step);
    QFETCH(QString, title);
    QFETCH(QStringList, captionSays);
    QFETCH(GatewayEvent::Kind, event);
    QFETCH(QString, eventDevice);
    QFETCH(GatewayEvent::Reason, reason);
    QFETCH(QString, narrated);
    QFETCH(QStringList, holders);

    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.walkTo(step - 1 < 0 ? 0 : step - 1));
    const qsizetype before = step == 0 ? 0 : rig.events.size();
    if (step > 0)
        rig.bar.nextButton()->click();
    QTRY_VERIFY2(rig.stepDone(step), qPrintable(rig.tour.problem()));

    QCOMPARE(rig.bar.titleText(), title);
    for (const QString& words : captionSays)
        QVERIFY2(rig.bar.captionText().contains(words), qPrintable(rig.bar.captionText()));
    QVERIFY(rig.bar.statusText().contains(QStringLiteral("Seen on the gateway")));
    // The real event happened on the gateway during this step.
    const auto happened =
        std::any_of(rig.events.begin() + before, rig.events.end(), [&](const GatewayEvent& e) {
            return e.kind == event && e.device.name == eventDevice &&
                   (reason == GatewayEvent::Reason::None || e.reason == reason);
        });
    QVERIFY(happened);
    QTRY_COMPARE(rig.narrator.caption(), narrated);
    QCOMPARE(rig.holders(), holders);

    switch (step) {
    case 1: // the device itself got the module's answer
        QCOMPARE(rig.commands.value(QStringLiteral("b1")), QByteArray("{\"lit_up\": false}"));
        break;
    case 2:
        QCOMPARE(rig.commands.value(QStringLiteral("b1")), QByteArray("{\"lit_up\": true}"));
        break;
    case 3:
        QTRY_COMPARE(rig.errors.value(QStringLiteral("b2")),
                     InternalClient::Error::AlreadyConnected);
        break;
    case 4:
        QCOMPARE(rig.count(GatewayEvent::Kind::Connected, QStringLiteral("b3"), before), 1);
        break;
    case 5:
        // The step is done only once the gateway closed b3: by then an answer would have come.
        QCOMPARE(rig.count(GatewayEvent::Kind::CommandSent, QStringLiteral("b3"), before), 0);
        QVERIFY(!rig.bar.nextButton()->isEnabled()); // the last step
        QVERIFY(rig.bar.statusText().contains(QStringLiteral("whole tour")));
        break;
    default:
        break;
    }
}

// Right after Next the step is running and Next is off: the caption does not count as shown
// before the gateway's event, which needs a round trip.
void TestDemoTour::nextWaitsForTheGateway()
{
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.walkTo(2));
    QSignalSpy done(&rig.tour, &DemoTour::stepDone);
    rig.bar.nextButton()->click();
    QCOMPARE(rig.tour.state(), DemoTour::StepState::Running);
    QVERIFY(!rig.bar.nextButton()->isEnabled());
    QVERIFY(rig.bar.statusText().contains(QStringLiteral("Waiting for the gateway")));
    QVERIFY(done.isEmpty());
    QTRY_COMPARE(done.size(), 1);
    QCOMPARE(done.at(0).at(0).toInt(), 3);
    QVERIFY(rig.count(GatewayEvent::Kind::Rejected, QStringLiteral("b2"), 0) == 1);
}

void TestDemoTour::backThenNext_data()
{
    QTest::addColumn<int>("from");
    QTest::newRow("back from the status") << 1;
    QTest::newRow("back from the refusal") << 3;
    QTest::newRow("back from the takeover") << 4;
    QTest::newRow("back from the malformed status") << 5;
}

// Back replays the steps before on fresh devices; Next then shows the same step again, with
// the same captions and the same real outcome.
void TestDemoTour::backThenNext()
{
    QFETCH(int, from);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.walkTo(from));
    const QString title = rig.bar.titleText();
    const QString caption = rig.bar.captionText();
    const QString narrated = rig.narrator.caption();
    const QStringList holders = rig.holders();

    rig.bar.backButton()->click();
    QTRY_VERIFY2(rig.stepDone(from - 1), qPrintable(rig.tour.problem()));
    QCOMPARE(rig.bar.captionText(), rig.tour.steps().at(from - 1).caption);
    QVERIFY(rig.bar.titleText().startsWith(QStringLiteral("Step %1 of 6").arg(from)));

    rig.bar.nextButton()->click();
    QTRY_VERIFY2(rig.stepDone(from), qPrintable(rig.tour.problem()));
    QCOMPARE(rig.bar.titleText(), title);
    QCOMPARE(rig.bar.captionText(), caption);
    QTRY_COMPARE(rig.narrator.caption(), narrated);
    QCOMPARE(rig.holders(), holders);
}

// Help › Demo tour in the console: presentation mode comes on with the tour's bar and the
// caption; closing the tour leaves presentation mode again.
void TestDemoTour::tourTurnsPresentationOn()
{
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    installConsoleDocks(&window);
    window.startEmbeddedGateway(0);
    QTRY_VERIFY(window.gateway()->isListening()); // the port comes from the network thread
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    window.actions().demoTour->trigger();
    QVERIFY(window.actions().presentation->isChecked());
    auto* bar = window.findChild<DemoTourBar*>();
    QVERIFY(bar);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY(bar->tour()->state() == DemoTour::StepState::Done);
    auto* caption = window.findChild<QLabel*>(QStringLiteral("presentationCaption"));
    QVERIFY(caption);
    QVERIFY(caption->isVisible());
    QTRY_COMPARE(caption->text(),
                 QStringLiteral("Button b1 connected and the gateway accepted it (priority 1)"));
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("sequenceDock"))->isVisible());
    QVERIFY(!window.findChild<QDockWidget*>(QStringLiteral("trafficLogDock"))->isVisible());

    bar->closeButton()->click();
    QVERIFY(!bar->isVisible());
    QVERIFY(!window.actions().presentation->isChecked());
    QCOMPARE(bar->tour()->state(), DemoTour::StepState::Idle);
    // The tour's device left the gateway.
    QTRY_COMPARE(window.gateway()->link()->connectedDeviceCount(), 0);
}

// F11 twice: every dock where and as it was, the toolbar, the window's font and palette, its
// state and size (full screen while presenting), and each device tab's panes.
void TestDemoTour::presentationRestoresTheLayout()
{
    ShownConsole console;
    QVERIFY(console.exposed());
    MainWindow& window = console.window;
    DeviceSessionPage* page = window.currentPage();
    QVERIFY(page);

    struct DockPlace {
        bool visible;
        Qt::DockWidgetArea area;
        int tabbedWith;
    };
    const auto places = [&window] {
        QMap<QString, DockPlace> map;
        for (QDockWidget* dock : window.findChildren<QDockWidget*>())
            map.insert(dock->objectName(), {dock->isVisible(), window.dockWidgetArea(dock),
                                            int(window.tabifiedDockWidgets(dock).size())});
        return map;
    };
    const auto panes = [page] {
        QList<bool> hidden;
        for (int i = 0; i < page->splitter()->count(); ++i)
            hidden.append(page->splitter()->widget(i)->isHidden());
        return hidden;
    };
    const QMap<QString, DockPlace> before = places();
    const QList<bool> panesBefore = panes();
    const QFont font = window.font();
    const QFont tabsFont = window.tabs()->font();
    const QFont diagramFont = window.findChild<SequenceDock*>()->view()->font();
    const QPalette palette = window.palette();
    const bool hadFont = window.testAttribute(Qt::WA_SetFont);
    const QSize size = window.size();
    const QByteArray geometry = window.saveGeometry();

    window.actions().presentation->trigger();
    QVERIFY(window.actions().presentation->isChecked());
    QVERIFY(window.windowState() & Qt::WindowFullScreen);
    // What the console saves meanwhile is the operator's window, not the full screen.
    QCOMPARE(window.currentSettings().windowGeometry, geometry);
    const QWidget* diagram = window.findChild<SequenceDock*>()->view();
    QVERIFY(diagram->font().pointSizeF() >= PresentationMode::kMinPointSize);
    QVERIFY(window.width() <= 1366); // still on the screen
    QCOMPARE(window.palette().color(QPalette::Window), QColor(Qt::white));
    QVERIFY(!window.actions().toolBar->isVisible());
    QVERIFY(!window.findChild<QDockWidget*>(QStringLiteral("trafficLogDock"))->isVisible());
    QVERIFY(window.findChild<QDockWidget*>(QStringLiteral("sequenceDock"))->isVisible());
    QVERIFY(page->identityForm()->isHidden() || !page->identityForm()->isVisible());
    QVERIFY(!page->inspector()->isVisible());
    // A payload sender has no face: the tabs give the diagram their room.
    QVERIFY(window.centralWidget()->isHidden());

    window.actions().presentation->trigger();
    QVERIFY(!window.actions().presentation->isChecked());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    QTRY_COMPARE(window.size(), size);
    QCOMPARE(window.font(), font);
    QCOMPARE(window.tabs()->font(), tabsFont);
    QCOMPARE(window.findChild<SequenceDock*>()->view()->font(), diagramFont);
    QVERIFY(!window.tabs()->testAttribute(Qt::WA_SetFont));
    QCOMPARE(window.testAttribute(Qt::WA_SetFont), hadFont);
    QCOMPARE(window.palette().color(QPalette::Window), palette.color(QPalette::Window));
    QVERIFY(window.actions().toolBar->isVisible());
    QCOMPARE(panes(), panesBefore);
    QVERIFY(!window.centralWidget()->isHidden());
    const QMap<QString, DockPlace> after = places();
    for (auto it = before.begin(); it != before.end(); ++it) {
        QVERIFY2(after.contains(it.key()), qPrintable(it.key()));
        QCOMPARE(after[it.key()].visible, it->visible);
        QCOMPARE(after[it.key()].area, it->area);
        QCOMPARE(after[it.key()].tabbedWith, it->tabbedWith);
    }
    // The caption dock, made on entering, is hidden again.
    QVERIFY(
        !window.findChild<QDockWidget*>(QStringLiteral("presentationCaptionDock"))->isVisible());
}

// File › Open workspace while presenting: presentation mode ends first, and the window takes
// the workspace's layout (its traffic log shown, the toolbar back), not the presentation's.
void TestDemoTour::openingAWorkspaceLeavesPresentation()
{
    ShownConsole console;
    QVERIFY(console.exposed());
    MainWindow& window = console.window;
    auto* log = window.findChild<QDockWidget*>(QStringLiteral("trafficLogDock"));
    QVERIFY(log && log->isVisible());
    const QString file = console.dir.filePath(QStringLiteral("layout.fleetws"));
    QVERIFY(window.saveWorkspace(file));

    window.actions().presentation->trigger();
    QVERIFY(window.actions().presentation->isChecked());
    QVERIFY(!log->isVisible());

    QVERIFY(window.openWorkspace(file, MainWindow::GatewayRun::LeaveAsIs));
    QVERIFY(!window.actions().presentation->isChecked());
    QVERIFY(!(window.windowState() & Qt::WindowFullScreen));
    QVERIFY(log->isVisible());
    QVERIFY(window.actions().toolBar->isVisible());
    QVERIFY(
        !window.findChild<QDockWidget*>(QStringLiteral("presentationCaptionDock"))->isVisible());
    // Nothing of the presentation comes back later over the workspace's layout.
    window.actions().presentation->trigger();
    window.actions().presentation->trigger();
    QVERIFY(log->isVisible());
}

// A living device's face beside the diagram on a laptop screen: the connection row's buttons
// step aside, so the tabs need less than half the width and the diagram gets the rest; they
// come back on leaving.
void TestDemoTour::facesLeaveTheDiagramItsWidth()
{
    ShownConsole console;
    QVERIFY(console.exposed());
    MainWindow& window = console.window;
    DeviceConfig config = DeviceConfig::exampleButton();
    config.identity.module = 1; // a vehicle: the widest face
    config.identity.deviceType = 1;
    config.identity.role = QStringLiteral("autonomy");
    config.draft.text.clear();
    DeviceSessionPage* page = window.addDevice(config);
    window.tabs()->setCurrentWidget(page);
    page->behaviourPanel()->setActive(true);

    window.actions().presentation->trigger();
    QVERIFY(!window.centralWidget()->isHidden()); // the face is shown
    QVERIFY(page->connectButton()->isHidden());
    QVERIFY(page->behaviourPanel()->choiceCombo()->isHidden());
    QVERIFY(page->indicator()->isVisible());
    auto* sequence = window.findChild<QDockWidget*>(QStringLiteral("sequenceDock"));
    QTRY_VERIFY2(
        window.width() <= 1366 && sequence->width() >= window.width() / 2,
        qPrintable(
            QStringLiteral("window %1, diagram %2").arg(window.width()).arg(sequence->width())));

    window.actions().presentation->trigger();
    QVERIFY(!page->connectButton()->isHidden());
    QVERIFY(!page->disconnectButton()->isHidden());
    QVERIFY(!page->behaviourPanel()->choiceCombo()->isHidden());
}

FLEET_TEST_MAIN_ON_SCREEN(TestDemoTour, 1366, 768)
#include "tst_demotour.moc"
