// The console's Fleet panel offscreen against the embedded gateway: New fleet… makes a hundred
// example buttons that connect, send on their timer and get answers, shown with round trips;
// Stop ends their sending and Disconnect their connections (the counts hold across the
// disconnect, and the gateway got exactly what the fleet says it sent); IO boards that behave
// send on their own; a double-clicked device moves into a tab; a template the console cannot
// make is refused in the dialog with what was typed kept.
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "fleetdock.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "mainwindow.h"
#include "modulecatalog.h"
#include "newfleetdialog.h"
#include "timing.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace fleet;

namespace {

// Long enough for a hundred connects on a loaded 2-core machine; a run out is a failure.
constexpr int kFleetWaitMs = 60000;

struct Console {
    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
    FleetDock* fleet = nullptr;

    Console()
    {
        window = std::make_unique<MainWindow>(dir.filePath(QStringLiteral("console.ini")));
        installConsoleDocks(window.get());
        window->startEmbeddedGateway(quint16(0));
        // Asynchronous: the gateway's port arrives from the network thread.
        if (!QTest::qWaitFor([this] { return window->gateway()->isListening(); }, 10000))
            qWarning("the embedded gateway did not start"); // the test's checks then fail
        window->show();
        fleet = window->findChild<FleetDock*>();
    }
    FleetModel* model() const { return fleet->model(); }
    GatewayLink* gateway() const { return window->gateway()->link(); }
};

// Device › New fleet…, the fields set as an operator would, Create fleet clicked.
void createFleet(Console& console, const DeviceConfig& seed, int count, int intervalMs,
                 bool behave = false)
{
    console.fleet->showNewFleetDialog(seed);
    NewFleetDialog* dialog = console.fleet->newFleetDialog();
    QVERIFY(dialog && dialog->isVisible());
    dialog->findChild<QSpinBox*>(QStringLiteral("fleetCount"))->setValue(count);
    dialog->findChild<QSpinBox*>(QStringLiteral("fleetInterval"))->setValue(intervalMs);
    dialog->findChild<QCheckBox*>(QStringLiteral("fleetBehave"))->setChecked(behave);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
}

int connectedCount(const FleetModel* model)
{
    return model->countInStatus(SessionStatus::Connected) +
           model->countInStatus(SessionStatus::AwaitingCommand);
}

bool allAnswered(const FleetModel* model, quint64 atLeast)
{
    for (int row = 0; row < model->deviceCount(); ++row) {
        if (model->answered(row) < atLeast)
            return false;
    }
    return true;
}

quint64 gatewayStatuses(GatewayLink* gateway)
{
    quint64 total = 0;
    for (const GatewayDeviceInfo& device : gateway->connectedDevices())
        total += device.statusesReceived;
    return total;
}

void click(FleetDock* dock, const char* name)
{
    auto* button = dock->findChild<QToolButton*>(QString::fromLatin1(name));
    QVERIFY2(button, name);
    button->click();
}

} // namespace

class tst_FleetView : public QObject {
    Q_OBJECT
private slots:
    void hundredDevicesConnectSendAndStop();
    void behavingBoardsSendOnTheirOwn();
    void doubleClickMovesTheDeviceIntoATab();
    void aFleetTooLargeIsRefusedInTheDialog();
};

void tst_FleetView::hundredDevicesConnectSendAndStop()
{
    Console console;
    QVERIFY(console.fleet);
    createFleet(console, DeviceConfig::exampleButton(), 100, 100);
    QCOMPARE(console.model()->deviceCount(), 100);
    QVERIFY(!console.fleet->newFleetDialog()->isVisible());

    QTRY_COMPARE_WITH_TIMEOUT(connectedCount(console.model()), 100, kFleetWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(allAnswered(console.model(), 2), kFleetWaitMs);
    QCOMPARE(console.gateway()->connectedDevices().size(), 100);
    // The table shows each device's own numbers: its role, its answer, its round trips.
    const QAbstractItemModel* table = console.fleet->table()->model();
    QTRY_VERIFY(!table->index(0, FleetModel::RttP50).data().toString().isEmpty());
    QCOMPARE(table->index(0, FleetModel::Role).data().toString(), QStringLiteral("button-1"));
    QCOMPARE(table->index(0, FleetModel::LastCommand).data().toString(),
             ModuleCatalog::describeCommand(ModuleNumber::Example, "{\"lit_up\": false}"));
    QVERIFY2(console.fleet->captionText().contains(QStringLiteral("100 connected")),
             qPrintable(console.fleet->captionText()));
    // Their frames are in the traffic log, under their own labels.
    auto* log = console.window->findChild<TrafficLogView*>();
    QVERIFY(log->model()->devices().size() >= 100);

    // Stop, with nothing selected: every device shown. Each finishes its exchange in flight.
    click(console.fleet, "fleetStop");
    QTRY_COMPARE_WITH_TIMEOUT(console.model()->countInStatus(SessionStatus::AwaitingCommand), 0,
                              kFleetWaitMs);
    quint64 sent = 0;
    for (int row = 0; row < 100; ++row) {
        QVERIFY(!console.model()->isSending(row));
        sent += console.model()->statusesSent(row);
    }
    // The gateway's counters reach the GUI thread's mirror within GatewayLinkWorker's 100 ms.
    QTRY_COMPARE(gatewayStatuses(console.gateway()), sent);

    // Disconnect: the gateway sees every device go; no status went out in between.
    click(console.fleet, "fleetDisconnect");
    QTRY_COMPARE_WITH_TIMEOUT(console.model()->countInStatus(SessionStatus::Disconnected), 100,
                              kFleetWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(console.gateway()->connectedDevices().size(), 0, kFleetWaitMs);
    quint64 after = 0;
    for (int row = 0; row < 100; ++row)
        after += console.model()->statusesSent(row);
    QCOMPARE(after, sent);
}

void tst_FleetView::behavingBoardsSendOnTheirOwn()
{
    Console console;
    createFleet(console, DeviceConfig::livingDevice(QStringLiteral("io")), 5, 0, true);
    QCOMPARE(console.model()->deviceCount(), 5);
    QVERIFY(!console.model()->deviceConfig(0).behaviour.isNone());
    QTRY_COMPARE_WITH_TIMEOUT(connectedCount(console.model()), 5, kFleetWaitMs);
    // Interval 0: no timer sends for them; the behaviour's first status does.
    QTRY_VERIFY_WITH_TIMEOUT(allAnswered(console.model(), 1), kFleetWaitMs);
}

void tst_FleetView::doubleClickMovesTheDeviceIntoATab()
{
    Console console;
    createFleet(console, DeviceConfig::exampleButton(), 3, 1000);
    QTRY_COMPARE_WITH_TIMEOUT(connectedCount(console.model()), 3, kFleetWaitMs);
    const int tabs = console.window->pages().size();

    QTableView* table = console.fleet->table();
    const QModelIndex first = table->model()->index(0, FleetModel::Role);
    QCOMPARE(first.data().toString(), QStringLiteral("button-1"));
    emit table->doubleClicked(first);

    QCOMPARE(console.model()->deviceCount(), 2);
    QCOMPARE(console.window->pages().size(), tabs + 1);
    DeviceSessionPage* page = console.window->currentPage();
    QCOMPARE(page->config().identity.role, QStringLiteral("button-1"));
    // Its slot was freed first, so the tab's own connection is accepted, not refused.
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kFleetWaitMs);
}

void tst_FleetView::aFleetTooLargeIsRefusedInTheDialog()
{
    Console console;
    createFleet(console, DeviceConfig::exampleButton(), 3, 1000);
    QCOMPARE(console.model()->deviceCount(), 3);

    createFleet(console, DeviceConfig::exampleButton(), FleetModel::kMaxDevices, 1000);
    NewFleetDialog* dialog = console.fleet->newFleetDialog();
    QVERIFY(dialog->isVisible()); // still open, with what was typed
    auto* error = dialog->findChild<QLabel*>(QStringLiteral("fleetError"));
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("10003")), qPrintable(error->text()));
    QCOMPARE(dialog->findChild<QSpinBox*>(QStringLiteral("fleetCount"))->value(),
             FleetModel::kMaxDevices);
    QCOMPARE(console.model()->deviceCount(), 3);
}

QTEST_MAIN(tst_FleetView)
#include "tst_fleetview.moc"
