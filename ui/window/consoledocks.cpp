#include "consoledocks.h"

#include "banner.h"
#include "chartsinstall.h"
#include "devicesessionpage.h"
#include "fleetdock.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewaypanel.h"
#include "mainwindow.h"
#include "missionplanner.h"
#include "presentationmode.h"
#include "scenariodock.h"
#include "sequencedock.h"
#include "sequencemodel.h"
#include "statuscomposer.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include <QAction>
#include <QJsonObject>
#include <QMenu>
#include <QScrollArea>
#include <QTabWidget>

namespace fleet {

namespace {

// The panel's controls keep their size; on a short screen the dock scrolls instead of making
// the window taller than the screen.
void scrollWhenShort(QDockWidget* dock)
{
    auto* scroll = new QScrollArea;
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(dock->widget()); // takes the content over
    dock->setWidget(scroll);
}

// The Fleet panel beside the log: its devices' frames go to the same log, they connect to the
// embedded gateway wherever it listens, and a double-clicked device moves into a tab.
void installFleetDock(MainWindow* window, TrafficLogModel* traffic, QDockWidget* trafficDock)
{
    auto* fleetDock = new FleetDock(window);
    FleetModel* fleet = fleetDock->model();
    QObject::connect(fleet, &FleetModel::clientCreated, traffic,
                     [traffic](InternalClient* client) { traffic->attachClient(client); });
    GatewayController* gateway = window->gateway();
    const auto followGateway = [fleet, gateway] {
        fleet->setEmbeddedGateway(gateway->host(), gateway->port());
    };
    QObject::connect(gateway, &GatewayController::listeningChanged, fleet, followGateway);
    followGateway();
    QObject::connect(fleetDock, &FleetDock::openInTabRequested, window,
                     [window](const DeviceConfig& config) {
                         DeviceSessionPage* page = window->addDevice(config);
                         window->tabs()->setCurrentWidget(page);
                         page->connectToServer();
                     });
    window->addDock(fleetDock, Qt::BottomDockWidgetArea);
    if (window->dockWidgetArea(fleetDock) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(fleetDock).isEmpty()) {
        window->tabifyDockWidget(trafficDock, fleetDock);
        trafficDock->raise();
    }
    if (QMenu* menu = window->actions().newDeviceMenu) {
        menu->addSeparator();
        QAction* create = menu->addAction(QObject::tr("New &fleet…"));
        create->setObjectName(QStringLiteral("newFleet"));
        create->setStatusTip(QObject::tr("Create many devices from one identity, in the Fleet "
                                         "panel"));
        QObject::connect(create, &QAction::triggered, fleetDock, [window, fleetDock] {
            DeviceSessionPage* page = window->currentPage();
            fleetDock->showNewFleetDialog(page ? page->config() : DeviceConfig::exampleButton());
        });
    }
}

// Scenarios tabbed with the planner; a run's devices show in the log like the operator's, a
// scenario made from the log's rows opens here, and the open file is the workspace's
// "scenario" part (docs/workspaces.md#parts).
void installScenarioDock(MainWindow* window, TrafficLogModel* traffic, TrafficLogView* trafficDock,
                         QDockWidget* plannerDock)
{
    auto* scenarioDock = new ScenarioDock(window->gateway(), window);
    QObject::connect(scenarioDock, &ScenarioDock::clientCreated, traffic,
                     [traffic](InternalClient* client) { traffic->attachClient(client); });
    window->addDock(scenarioDock, Qt::BottomDockWidgetArea);
    if (window->dockWidgetArea(scenarioDock) == Qt::BottomDockWidgetArea &&
        window->dockWidgetArea(plannerDock) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(scenarioDock).isEmpty()) {
        window->tabifyDockWidget(plannerDock, scenarioDock);
        trafficDock->raise();
    }
    const auto open = [window, scenarioDock](const QString& fileName) {
        QString error;
        if (!scenarioDock->openFile(fileName, &error)) {
            window->banners()->showMessage(BannerArea::Level::Error, error);
            return;
        }
        scenarioDock->show();
        scenarioDock->raise();
    };
    QObject::connect(trafficDock, &TrafficLogView::scenarioSaved, scenarioDock, open);
    window->addWorkspacePart(
        QStringLiteral("scenario"),
        [scenarioDock]() -> QJsonValue {
            if (scenarioDock->fileName().isEmpty())
                return QJsonValue(QJsonValue::Undefined);
            return QJsonObject{{QStringLiteral("file"), scenarioDock->fileName()}};
        },
        [open](const QJsonValue& part) {
            const QString fileName = part.toObject().value(QLatin1String("file")).toString();
            if (!fileName.isEmpty())
                open(fileName);
        });
}

} // namespace

void installConsoleDocks(MainWindow* window, qint64 logBytes, int logFrames)
{
    auto* traffic = new TrafficLogModel(window);
    traffic->setByteBudget(logBytes);
    traffic->setCapacity(logFrames);
    // The controller keeps one server for its whole life, started and stopped in place.
    traffic->attachGateway(window->gateway()->link());
    // Every Connect makes a new client; it is announced before its first frame goes out.
    QObject::connect(
        window, &MainWindow::clientCreated, traffic,
        [traffic](InternalClient* client, DeviceSessionPage*) { traffic->attachClient(client); });

    auto* trafficDock = new TrafficLogView(traffic, window);
    trafficDock->applyViewConfig(window->trafficViewConfig());
    QObject::connect(
        trafficDock, &TrafficLogView::viewConfigChanged, window,
        [window, trafficDock] { window->setTrafficViewConfig(trafficDock->viewConfig()); });
    window->addDock(trafficDock, Qt::BottomDockWidgetArea);
    QObject::connect(trafficDock, &TrafficLogView::payloadToComposer, window,
                     [window](const QByteArray& payload) {
                         if (DeviceSessionPage* page = window->currentPage())
                             page->composer()->setPayload(payload);
                     });

    // Tabbed with the log: side by side they would make the window wider than most screens.
    auto* gatewayDock = new GatewayPanel(window->gateway(), window);
    scrollWhenShort(gatewayDock);
    window->addDock(gatewayDock, Qt::BottomDockWidgetArea);
    if (window->dockWidgetArea(gatewayDock) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(trafficDock).isEmpty()) {
        window->tabifyDockWidget(trafficDock, gatewayDock);
        trafficDock->raise();
    }

    // The planner beside the gateway panel: raised, it leaves the device tab (the vehicle on
    // its map) in view, so one window shows the mission planned and driven.
    auto* plannerDock = new MissionPlanner(window->gateway()->link(), window);
    scrollWhenShort(plannerDock);
    window->addDock(plannerDock, Qt::BottomDockWidgetArea);
    if (window->dockWidgetArea(plannerDock) == Qt::BottomDockWidgetArea &&
        window->dockWidgetArea(gatewayDock) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(plannerDock).isEmpty()) {
        window->tabifyDockWidget(gatewayDock, plannerDock);
        trafficDock->raise(); // the log stays the first thing seen
    }
    // The sequence diagram draws the log's frames (one source of truth), tabbed with it.
    auto* sequence = new SequenceModel(traffic, window);
    sequence->attachGateway(window->gateway()->link());
    auto* sequenceDock = new SequenceDock(sequence, trafficDock, window);
    window->addDock(sequenceDock, Qt::BottomDockWidgetArea);
    if (window->dockWidgetArea(sequenceDock) == Qt::BottomDockWidgetArea &&
        window->dockWidgetArea(trafficDock) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(sequenceDock).isEmpty()) {
        window->tabifyDockWidget(trafficDock, sequenceDock);
        trafficDock->raise();
    }
    const auto showPlanner = [plannerDock] {
        plannerDock->show();
        plannerDock->raise();
    };
    QObject::connect(gatewayDock, &GatewayPanel::planMissionRequested, plannerDock,
                     [plannerDock, showPlanner](quint64 connection) {
                         plannerDock->selectVehicle(connection);
                         showPlanner();
                     });
    installFleetDock(window, traffic, trafficDock);
    // After the Fleet panel, whose devices count in the total (docs/charts.md#in-the-console).
    installChartsDock(window, trafficDock);

    if (QMenu* menu = window->actions().gatewayMenu) {
        QAction* plan = menu->addAction(QObject::tr("&Plan mission…"));
        plan->setObjectName(QStringLiteral("planMission"));
        plan->setStatusTip(QObject::tr("Pick a connected vehicle's stops on a map and queue "
                                       "START or STOP"));
        QObject::connect(plan, &QAction::triggered, plannerDock, showPlanner);
    }

    installScenarioDock(window, traffic, trafficDock, plannerDock);
    // View › Presentation and Help › Demo tour (docs/demo.md).
    installPresentationMode(window, traffic, sequenceDock);
}

} // namespace fleet
