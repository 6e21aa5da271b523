// The gateway's mission planner and IO output buttons offscreen (docs/modules.md#device-behaviour):
// stops picked from the route's list or by a click on the map make Queue START queue exactly the
// bytes ModuleCatalog::encodeMissionCommand gives, in the encoding of the vehicle's last status;
// a bad map is refused with its name; each output button queues its one-entry IO command; and
// end to end, a vehicle behaviour driven on a simulated clock gets the planner's START, stops at
// both stops while the module removes each, and ends IDLE.
#include "behaviourdriver.h"
#include "behaviourmap.h"
#include "behaviourvehicle.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewaypanel.h"
#include "gatewaypanelcommand.h"
#include "gatewaypaneloutputs.h"
#include "gatewayserver.h"
#include "identities.h"
#include "internalclient.h"
#include "mainwindow.h"
#include "mapcanvas.h"
#include "missionplanner.h"
#include "missionstoppicker.h"
#include "modulecatalog.h"
#include "rawdevice.h"
#include "timing.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace fleet;
using fleet::test::kWaitMs;

Q_DECLARE_METATYPE(fleet::MissionEncoding)

namespace {

const QString kYardLoop = QStringLiteral("Yard loop");
const QStringList kTwoStops{QStringLiteral("Gatehouse"), QStringLiteral("Paint Shop")};

DeviceIdentity vehicleIdentity()
{
    return test::device(1, 1, QStringLiteral("autonomy"), 1, QStringLiteral("virtual_vehicle"));
}

OsmMap demoMap()
{
    OsmMap map;
    QString error;
    if (!map.load(OsmMap::demoMapFile(), &error))
        qFatal("demo map: %s", qPrintable(error));
    return map;
}

QByteArray expectedStart(const QStringList& stops, MissionEncoding encoding)
{
    MissionCommand command;
    QString error;
    if (!demoMap().mission(kYardLoop, stops, &command, &error))
        qFatal("mission: %s", qPrintable(error));
    return ModuleCatalog::encodeMissionCommand(command, encoding);
}

// A status in the flavour a vehicle set to this encoding sends.
QByteArray vehicleStatus(const QString& encoding)
{
    VehicleBehaviour vehicle;
    vehicle.setSetting(QStringLiteral("encoding"), encoding);
    return vehicle.status();
}

// A planner on a listening gateway, shown at a size where the map's stops are apart.
struct PlannerRig {
    GatewayServer server;
    GatewayLink link{&server};
    MissionPlanner planner{&link};
    std::unique_ptr<test::RawDevice> device;

    bool start()
    {
        planner.resize(1200, 420);
        planner.show();
        return server.listen(QHostAddress::LocalHost, 0) && QTest::qWaitForWindowExposed(&planner);
    }
    // A vehicle connects and, unless status is null, reports it and gets the first command.
    bool connectVehicle(const QByteArray& status)
    {
        device = std::make_unique<test::RawDevice>(server.serverPort());
        if (device->handshake(vehicleIdentity()) != 0)
            return false;
        return status.isNull() || device->exchange(vehicleIdentity(), status).has_value();
    }
    MapCanvas* canvas() const { return planner.picker()->canvas(); }
    void clickStop(const QString& name) const
    {
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, canvas()->stopPoint(name).toPoint());
    }
    // Selects the stop in the route's list with a click, then adds it by Enter or by Add.
    void addListed(const QString& name, bool byEnter) const
    {
        QListWidget* list = planner.picker()->stopList();
        const QList<QListWidgetItem*> found = list->findItems(name, Qt::MatchExactly);
        QVERIFY2(found.size() == 1, qPrintable(name));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(found.first()).center());
        QCOMPARE(list->currentItem(), found.first());
        if (byEnter)
            QTest::keyClick(list, Qt::Key_Return);
        else
            QTest::mouseClick(planner.picker()->addButton(), Qt::LeftButton);
    }
};

// A gateway panel over a running controller on a free port, with an IO board connected.
struct PanelRig {
    GatewayController controller;
    GatewayPanel panel{&controller};
    std::unique_ptr<InternalClient> client;

    bool connectBoard(const DeviceIdentity& identity)
    {
        panel.portBox()->setValue(0);
        if (!panel.start())
            return false;
        client = std::make_unique<InternalClient>();
        QSignalSpy connected(client.get(), &InternalClient::connected);
        if (client->connectToServer("127.0.0.1", controller.port(), identity) !=
                InternalClient::Error::NoError ||
            !connected.wait(kWaitMs))
            return false;
        panel.flushNow();
        panel.selectDevice(0);
        return panel.selectedDevice().has_value();
    }
};

} // namespace

class tst_MissionPlanner : public QObject {
    Q_OBJECT
private slots:
    void queueStartFollowsTheVehicle_data();
    void queueStartFollowsTheVehicle();
    void encodingChoiceOverridesTheStatus();
    void queueStopAndPush();
    void planIsEdited();
    void stopOffTheRouteIsRefused();
    void nothingToCommand();
    void openMap_data();
    void openMap();
    void ioButtonsQueueOutputCommands_data();
    void ioButtonsQueueOutputCommands();
    void ioButtonHasNoOutputs();
    void planMissionButtonForVehicles();
    void consoleOffersThePlanner();
    void plannedMissionIsDriven_data();
    void plannedMissionIsDriven();
};

void tst_MissionPlanner::queueStartFollowsTheVehicle_data()
{
    QTest::addColumn<QString>("pickBy");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<MissionEncoding>("encoding");
    QTest::newRow("list, JSON status") << "list" << vehicleStatus("json") << MissionEncoding::Json;
    QTest::newRow("map click, JSON status")
        << "click" << vehicleStatus("json") << MissionEncoding::Json;
    QTest::newRow("list, protobuf status")
        << "list" << vehicleStatus("protobuf") << MissionEncoding::Protobuf;
    QTest::newRow("map click, protobuf status")
        << "click" << vehicleStatus("protobuf") << MissionEncoding::Protobuf;
    QTest::newRow("map click, no status yet: JSON")
        << "click" << QByteArray() << MissionEncoding::Json;
}

void tst_MissionPlanner::queueStartFollowsTheVehicle()
{
    QFETCH(QString, pickBy);
    QFETCH(QByteArray, status);
    QFETCH(MissionEncoding, encoding);
    PlannerRig rig;
    QVERIFY(rig.start());
    QVERIFY(!rig.planner.queueStartButton()->isEnabled()); // no vehicle yet
    QVERIFY(rig.connectVehicle(status));
    // The planner finds the vehicle by itself (its refresh follows the gateway's events).
    QTRY_VERIFY_WITH_TIMEOUT(rig.planner.vehicle().has_value(), kWaitMs);
    if (!status.isNull())
        QTRY_VERIFY_WITH_TIMEOUT(rig.planner.vehicle()->lastStatusMs != 0, kWaitMs);
    QCOMPARE(rig.planner.picker()->route(), kYardLoop);
    QVERIFY(!rig.planner.queueStartButton()->isEnabled()); // nothing planned yet
    for (const QString& stop : kTwoStops) {
        if (pickBy == QLatin1String("click"))
            rig.clickStop(stop);
        else
            rig.addListed(stop, stop == kTwoStops.first());
    }
    QCOMPARE(rig.planner.picker()->plannedStops(), kTwoStops);
    QCOMPARE(rig.canvas()->plannedStops(), kTwoStops);
    QCOMPARE(rig.planner.encoding(), encoding);
    QVERIFY(rig.planner.queueStartButton()->isEnabled());
    QTest::mouseClick(rig.planner.queueStartButton(), Qt::LeftButton);
    const QList<QByteArray> queued = rig.server.queuedCommands(vehicleIdentity());
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first(), expectedStart(kTwoStops, encoding));
    QVERIFY2(rig.planner.vehicleStateText().startsWith(QStringLiteral("1 command(s) queued")),
             qPrintable(rig.planner.vehicleStateText()));
    QVERIFY2(rig.planner.messageText().contains(QStringLiteral("Queued START to Gatehouse, "
                                                               "Paint Shop")),
             qPrintable(rig.planner.messageText()));
}

void tst_MissionPlanner::encodingChoiceOverridesTheStatus()
{
    PlannerRig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.connectVehicle(vehicleStatus("json")));
    QTRY_VERIFY_WITH_TIMEOUT(rig.planner.vehicle() && rig.planner.vehicle()->lastStatusMs != 0,
                             kWaitMs);
    QVERIFY2(rig.planner.encodingCombo()->currentText().contains(QStringLiteral("JSON")),
             qPrintable(rig.planner.encodingCombo()->currentText()));
    rig.planner.setEncodingChoice(MissionEncoding::Protobuf);
    for (const QString& stop : kTwoStops)
        QVERIFY(rig.planner.picker()->addStop(stop));
    QVERIFY(rig.planner.queueStart());
    QCOMPARE(rig.server.queuedCommands(vehicleIdentity()).last(),
             expectedStart(kTwoStops, MissionEncoding::Protobuf));
}

void tst_MissionPlanner::queueStopAndPush()
{
    PlannerRig rig;
    QVERIFY(rig.start());
    QVERIFY(rig.connectVehicle(vehicleStatus("json")));
    QTRY_VERIFY_WITH_TIMEOUT(rig.planner.vehicle() && rig.planner.vehicle()->lastStatusMs != 0,
                             kWaitMs);
    // STOP needs no plan.
    QVERIFY(rig.planner.queueStopButton()->isEnabled());
    QTest::mouseClick(rig.planner.queueStopButton(), Qt::LeftButton);
    MissionCommand stopCommand;
    stopCommand.action = MissionCommand::Action::Stop;
    const QByteArray stop = ModuleCatalog::encodeMissionCommand(stopCommand, MissionEncoding::Json);
    QCOMPARE(rig.server.queuedCommands(vehicleIdentity()), QList<QByteArray>{stop});
    // Push START goes to the device at once, as it is (the queue is not touched).
    rig.clickStop(kTwoStops.first());
    const qsizetype before = rig.device->messages().size();
    QVERIFY(rig.planner.pushButton()->isEnabled());
    QVERIFY(rig.planner.pushStartAction()->isEnabled());
    rig.planner.pushStartAction()->trigger();
    QVERIFY(rig.device->waitForMessages(before + 1));
    QCOMPARE(rig.device->commandData(before),
             expectedStart({kTwoStops.first()}, MissionEncoding::Json));
    QCOMPARE(rig.server.queuedCommands(vehicleIdentity()).size(), 1);
    // The planner shows what was last sent to the vehicle.
    QTRY_VERIFY2_WITH_TIMEOUT(rig.planner.vehicleStateText().contains(
                                  QStringLiteral("START, route 'Yard loop', 1 stop: Gatehouse")),
                              qPrintable(rig.planner.vehicleStateText()), kWaitMs);
}

void tst_MissionPlanner::planIsEdited()
{
    PlannerRig rig;
    QVERIFY(rig.start());
    MissionStopPicker* picker = rig.planner.picker();
    QSignalSpy changed(picker, &MissionStopPicker::planChanged);
    const QStringList three{QStringLiteral("Gatehouse"), QStringLiteral("Paint Shop"),
                            QStringLiteral("Gatehouse")};
    for (const QString& stop : three)
        rig.clickStop(stop);
    QCOMPARE(picker->plannedStops(), three); // a stop may come twice
    QCOMPARE(changed.count(), 3);
    QCOMPARE(picker->plannedList()->count(), 3);
    QCOMPARE(picker->plannedList()->item(2)->text(), QStringLiteral("3. Gatehouse"));
    picker->moveStop(1, -1);
    QCOMPARE(picker->plannedStops(), (QStringList{"Paint Shop", "Gatehouse", "Gatehouse"}));
    QCOMPARE(picker->plannedList()->currentRow(), 0); // the moved stop stays selected
    picker->removeStop(2);
    QCOMPARE(picker->plannedStops(), (QStringList{"Paint Shop", "Gatehouse"}));
    QCOMPARE(rig.canvas()->plannedStops(), picker->plannedStops());
    picker->clearStops();
    QVERIFY(picker->plannedStops().isEmpty());
    QVERIFY(rig.canvas()->plannedStops().isEmpty());
    // A click beside every stop picks nothing.
    QTest::mouseClick(rig.canvas(), Qt::LeftButton, {}, QPoint(2, rig.canvas()->height() - 2));
    QVERIFY(picker->plannedStops().isEmpty());
}

void tst_MissionPlanner::stopOffTheRouteIsRefused()
{
    PlannerRig rig;
    QVERIFY(rig.start());
    const OsmMap map = demoMap();
    const MapRoute* yard = map.route(kYardLoop);
    QVERIFY(yard);
    QString offRoute;
    for (const MapNode& node : map.nodes()) {
        if (node.stop && !yard->hasStop(node.name))
            offRoute = node.name;
    }
    QVERIFY2(!offRoute.isEmpty(), "the demo map has a stop off the Yard loop");
    rig.clickStop(offRoute);
    QVERIFY(rig.planner.picker()->plannedStops().isEmpty());
    QVERIFY2(rig.planner.picker()->messageText().contains(offRoute + " is not a stop of route " +
                                                          kYardLoop),
             qPrintable(rig.planner.picker()->messageText()));
    // On the route that has it, it is picked.
    for (const MapRoute& route : map.routes()) {
        if (route.hasStop(offRoute)) {
            QVERIFY(rig.planner.picker()->setRoute(route.name));
            break;
        }
    }
    rig.clickStop(offRoute);
    QCOMPARE(rig.planner.picker()->plannedStops(), QStringList{offRoute});
}

void tst_MissionPlanner::nothingToCommand()
{
    PlannerRig rig;
    QVERIFY(rig.start());
    QString error;
    QVERIFY(!rig.planner.queueStop(&error));
    QVERIFY2(error.contains(QStringLiteral("no vehicle connected")), qPrintable(error));
    QVERIFY(rig.planner.messageText().contains(QStringLiteral("Cannot queue STOP")));
    QVERIFY(rig.connectVehicle(vehicleStatus("json")));
    QTRY_VERIFY_WITH_TIMEOUT(rig.planner.vehicle().has_value(), kWaitMs);
    QVERIFY(!rig.planner.queueStart(&error));
    QVERIFY2(error.contains(QStringLiteral("no stops planned")), qPrintable(error));
    QVERIFY(rig.server.queuedCommands(vehicleIdentity()).isEmpty());
}

void tst_MissionPlanner::openMap_data()
{
    QTest::addColumn<QByteArray>("content"); // null: the file does not exist
    QTest::addColumn<bool>("loads");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("routes");
    const QStringList demoRoutes = demoMap().routeNames();
    QTest::newRow("missing file") << QByteArray() << false << "cannot open the map" << demoRoutes;
    QTest::newRow("broken XML") << QByteArray("<osm>\n<node id=\"1\" lat=\"1\"\n") << false
                                << "line 3: not well-formed XML" << demoRoutes;
    QTest::newRow("no route") << QByteArray("<osm>\n<node id=\"1\" lat=\"1\" lon=\"2\"/>\n</osm>\n")
                              << false << "no route: a route is a <relation>" << demoRoutes;
    QTest::newRow("another map")
        << QByteArray("<osm>\n"
                      "<node id=\"1\" lat=\"50.0\" lon=\"14.0\"><tag k=\"stop\" v=\"true\"/>"
                      "<tag k=\"name\" v=\"Dock A\"/></node>\n"
                      "<node id=\"2\" lat=\"50.001\" lon=\"14.0\"><tag k=\"stop\" v=\"true\"/>"
                      "<tag k=\"name\" v=\"Dock B\"/></node>\n"
                      "<way id=\"10\"><nd ref=\"1\"/><nd ref=\"2\"/></way>\n"
                      "<relation id=\"20\"><member type=\"way\" ref=\"10\" role=\"\"/>"
                      "<tag k=\"name\" v=\"Dock run\"/></relation>\n"
                      "</osm>\n")
        << true << "Loaded" << QStringList{"Dock run"};
}

void tst_MissionPlanner::openMap()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, loads);
    QFETCH(QString, message);
    QFETCH(QStringList, routes);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("site.osm"));
    if (!content.isNull()) {
        QFile file(fileName);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    PlannerRig rig;
    QVERIFY(rig.start());
    MissionStopPicker* picker = rig.planner.picker();
    QVERIFY(picker->addStop(kTwoStops.first()));
    QString error;
    QCOMPARE(picker->openMap(fileName, &error), loads);
    QVERIFY2(picker->messageText().contains(message), qPrintable(picker->messageText()));
    // Every message names the file.
    QVERIFY2(picker->messageText().contains(fileName), qPrintable(picker->messageText()));
    QStringList shown;
    for (int i = 0; i < picker->routeCombo()->count(); ++i)
        shown.append(picker->routeCombo()->itemText(i));
    QCOMPARE(shown, routes);
    // A refused map leaves the plan alone; a new one starts a new plan on its first route.
    QCOMPARE(picker->plannedStops(), loads ? QStringList() : QStringList{kTwoStops.first()});
    QCOMPARE(picker->route(), routes.first());
}

void tst_MissionPlanner::ioButtonsQueueOutputCommands_data()
{
    QTest::addColumn<quint32>("type");
    QTest::addColumn<int>("outputs");
    QTest::addColumn<int>("base");
    QTest::addColumn<int>("output");
    QTest::addColumn<QString>("action"); // "click": the button itself (toggle), else a menu entry
    QTest::addColumn<QByteArray>("command");
    QTest::newRow("Opta output 1 on")
        << 1u << 4 << 1 << 1 << "on" << QByteArray("[{\"outNum\":1,\"actType\":1}]");
    QTest::newRow("Opta output 4 off")
        << 1u << 4 << 1 << 4 << "off" << QByteArray("[{\"outNum\":4,\"actType\":0}]");
    QTest::newRow("Opta output 2 toggle (menu)")
        << 1u << 4 << 1 << 2 << "toggle" << QByteArray("[{\"outNum\":2,\"actType\":2}]");
    QTest::newRow("Mega output 3 click toggles")
        << 2u << 4 << 1 << 3 << "click" << QByteArray("[{\"outNum\":3,\"actType\":2}]");
    QTest::newRow("Uno output 7 on")
        << 3u << 7 << 1 << 7 << "on" << QByteArray("[{\"outNum\":7,\"actType\":1}]");
    QTest::newRow("Uno output 1 on, outNum from 0")
        << 3u << 7 << 0 << 1 << "on" << QByteArray("[{\"outNum\":0,\"actType\":1}]");
}

void tst_MissionPlanner::ioButtonsQueueOutputCommands()
{
    QFETCH(quint32, type);
    QFETCH(int, outputs);
    QFETCH(int, base);
    QFETCH(int, output);
    QFETCH(QString, action);
    QFETCH(QByteArray, command);
    PanelRig rig;
    const DeviceIdentity board = test::device(2, type, QStringLiteral("plc"));
    QVERIFY(rig.connectBoard(board));
    GatewayPanelOutputs* buttons = rig.panel.outputButtons();
    QVERIFY(!buttons->isHidden());
    QCOMPARE(buttons->outputCount(), outputs);
    QVERIFY(!rig.panel.planMissionButton()->isVisibleTo(&rig.panel));
    buttons->setOutputBase(base);
    QToolButton* button = buttons->button(output);
    QVERIFY(button);
    QCOMPARE(button->text(), QString::number(output));
    if (action == QLatin1String("click")) {
        button->click();
    } else {
        const QString entry = QStringLiteral("Output %1 %2").arg(output).arg(action);
        QAction* found = nullptr;
        for (QAction* item : button->menu()->actions()) {
            if (item->text() == entry)
                found = item;
        }
        QVERIFY2(found, qPrintable(entry));
        found->trigger();
    }
    QCOMPARE(rig.controller.link()->queuedCommands(board), QList<QByteArray>{command});
    // It went the editor's way: the editor shows it and the module thinks it fine.
    QCOMPARE(rig.panel.commandEditor()->command().value_or(QByteArray()), command);
    QCOMPARE(rig.panel.commandEditor()->adviceText(), QString());
    QVERIFY2(rig.panel.messageText().contains(QString::fromUtf8(command)),
             qPrintable(rig.panel.messageText()));
}

void tst_MissionPlanner::ioButtonHasNoOutputs()
{
    PanelRig rig;
    QVERIFY(rig.connectBoard(test::device(2, 4, QStringLiteral("button"))));
    QCOMPARE(rig.panel.outputButtons()->outputCount(), 0);
    QVERIFY(rig.panel.outputButtons()->isHidden());
    QVERIFY(rig.panel.outputButtons()->button(1) == nullptr);
}

void tst_MissionPlanner::planMissionButtonForVehicles()
{
    PanelRig rig;
    QVERIFY(rig.connectBoard(vehicleIdentity()));
    QVERIFY(rig.panel.planMissionButton()->isVisibleTo(&rig.panel));
    QVERIFY(rig.panel.outputButtons()->isHidden());
    QSignalSpy requested(&rig.panel, &GatewayPanel::planMissionRequested);
    rig.panel.planMissionButton()->click();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.first().first().toULongLong(), rig.panel.selectedDevice()->connectionId);
    // The planner on the same gateway selects that vehicle.
    MissionPlanner planner(rig.controller.link());
    QVERIFY(planner.selectVehicle(requested.first().first().toULongLong()));
    QCOMPARE(planner.vehicle()->device.role, QStringLiteral("autonomy"));
    QVERIFY(!planner.selectVehicle(requested.first().first().toULongLong() + 1000));
}

// In the console window the planner is a dock behind the traffic log; Gateway › Plan mission…
// brings it to the front.
void tst_MissionPlanner::consoleOffersThePlanner()
{
    QTemporaryDir dir;
    MainWindow window(dir.filePath(QStringLiteral("console.ini")));
    installConsoleDocks(&window);
    window.resize(1366, 768);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* planner = window.findChild<MissionPlanner*>();
    QVERIFY(planner);
    QCOMPARE(window.dockWidgetArea(planner), Qt::BottomDockWidgetArea);
    QVERIFY(!window.tabifiedDockWidgets(planner).isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(planner->visibleRegion().isEmpty(), kWaitMs); // the log is in front
    auto* plan = window.findChild<QAction*>(QStringLiteral("planMission"));
    QVERIFY(plan);
    QVERIFY(window.actions().gatewayMenu->actions().contains(plan));
    plan->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!planner->visibleRegion().isEmpty(), kWaitMs);
}

namespace {

// A gateway, a device session on it and a driver with a clock the test moves, as in
// tst_behaviourdriver: a status is never left in flight between two steps.
struct DriveRig {
    GatewayServer gateway;
    DeviceSession session;
    BehaviourDriver driver{&session};
    qint64 clock = 0;

    DriveRig()
    {
        driver.setClock([this] { return clock; });
    }

    bool start(Behaviour* behaviour)
    {
        if (!gateway.listen(QHostAddress::LocalHost, 0) ||
            !session.connectToServer(QStringLiteral("127.0.0.1"), gateway.serverPort(),
                                     vehicleIdentity(), ClientSettings{}))
            return false;
        driver.setBehaviour(behaviour);
        return true;
    }
    bool step(qint64 ms)
    {
        clock += ms;
        driver.poll();
        QElapsedTimer waited;
        waited.start();
        while (!session.canSend() && waited.elapsed() < kWaitMs)
            QTest::qWait(1);
        QCoreApplication::processEvents();
        return session.canSend();
    }
};

} // namespace

void tst_MissionPlanner::plannedMissionIsDriven_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<MissionEncoding>("expected");
    QTest::newRow("JSON vehicle") << "json" << MissionEncoding::Json;
    QTest::newRow("protobuf vehicle") << "protobuf" << MissionEncoding::Protobuf;
}

void tst_MissionPlanner::plannedMissionIsDriven()
{
    QFETCH(QString, encoding);
    QFETCH(MissionEncoding, expected);
    DriveRig rig;
    VehicleBehaviour vehicle; // the demo map's Yard loop, as the planner's
    QVERIFY(vehicle.setSetting(QStringLiteral("encoding"), encoding));
    QVERIFY(vehicle.setSetting(QStringLiteral("waitAtStop"), QStringLiteral("3")));
    GatewayLink link(&rig.gateway);
    MissionPlanner planner(&link);
    QVERIFY(rig.start(&vehicle));
    QTRY_VERIFY_WITH_TIMEOUT(rig.driver.commandsApplied() == 1, kWaitMs); // NO_ACTION
    planner.flushNow();
    QVERIFY(planner.vehicle().has_value());
    QCOMPARE(planner.encoding(), expected);
    for (const QString& stop : kTwoStops)
        QVERIFY(planner.picker()->addStop(stop));
    QVERIFY(planner.queueStartButton()->isEnabled());
    planner.queueStartButton()->click();
    QCOMPARE(rig.gateway.queuedCommands(vehicleIdentity()).size(), 1);

    QStringList states;   // each new state of the vehicle
    QStringList missions; // each new "last sent" the planner showed
    connect(&rig.driver, &BehaviourDriver::statusSent, this, [&] {
        const QString state = VehicleBehaviour::stateName(vehicle.state());
        if (states.isEmpty() || states.last() != state)
            states.append(state);
    });
    const auto noteMission = [&] {
        planner.flushNow();
        const QString text = planner.vehicleStateText();
        const QString sent = text.mid(text.indexOf(QStringLiteral("last sent: ")) + 11);
        // Before the queued START the module's NO_ACTION is the last sent.
        if (sent.startsWith(QStringLiteral("START")) &&
            (missions.isEmpty() || missions.last() != sent))
            missions.append(sent);
    };
    // Up to five simulated minutes in 200 ms steps; the mission takes about one.
    for (int i = 0; i < 1500 && !(states.size() > 2 && states.last() == QLatin1String("IDLE"));
         ++i) {
        QVERIFY(rig.step(200));
        noteMission();
    }
    QCOMPARE(states, (QStringList{"IDLE", "DRIVE", "IN_STOP", "DRIVE", "IN_STOP", "IDLE"}));
    QCOMPARE(vehicle.state(), VehicleBehaviour::State::Idle);
    // The operator saw the module remove each reached stop.
    QCOMPARE(missions.size(), 3);
    QVERIFY2(missions.at(0).startsWith(
                 QStringLiteral("START, route 'Yard loop', 2 stops: Gatehouse, Paint Shop")),
             qPrintable(missions.at(0)));
    QVERIFY2(missions.at(1).startsWith(QStringLiteral("START, route 'Yard loop', 1 stop: Paint "
                                                      "Shop")),
             qPrintable(missions.at(1)));
    QVERIFY2(missions.at(2).startsWith(QStringLiteral("START, route 'Yard loop', no stops")),
             qPrintable(missions.at(2)));
    QVERIFY2(planner.vehicleStateText().startsWith(QStringLiteral("0 command(s) queued")),
             qPrintable(planner.vehicleStateText()));
    // The planner's map shows the vehicle where its last status put it: idle at Paint Shop.
    const std::optional<MapCanvas::ReportedVehicle> shown =
        planner.picker()->canvas()->reportedVehicle();
    QVERIFY(shown.has_value());
    QCOMPARE(shown->state, QStringLiteral("IDLE"));
    QCOMPARE(shown->latitude, vehicle.latitude());
    QCOMPARE(shown->longitude, vehicle.longitude());
    QCOMPARE(rig.session.status(), SessionStatus::Connected);
}

QTEST_MAIN(tst_MissionPlanner)
#include "tst_missionplanner.moc"
