// The Charts dock offscreen against the console's embedded gateway: a device's answered status
// becomes a point whose round trip is exactly the one its client measured (and its tab's
// sparkline shows the same), a refused device is an error on its own chart, and the charts
// follow the current device tab or show the total (docs/charts.md).
#include "chartsdock.h"
#include "commandinspector.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "fleetdock.h"
#include "fleetmodel.h"
#include "gatewaycontroller.h"
#include "identityform.h"
#include "mainwindow.h"
#include "rttseries.h"
#include "rttsparkline.h"

#include "timing.h"

#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace fleet;
using fleet::test::kWaitMs;

namespace {

struct Console {
    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
    ChartsDock* charts = nullptr;

    Console()
    {
        window = std::make_unique<MainWindow>(dir.filePath(QStringLiteral("console.ini")));
        installConsoleDocks(window.get());
        window->startEmbeddedGateway(quint16(0)); // never 8888 of a console being used
        // Asynchronous: the gateway's port arrives from the network thread.
        if (!QTest::qWaitFor([this] { return window->gateway()->isListening(); }, kWaitMs))
            qWarning("the embedded gateway did not start"); // the test's checks then fail
        window->show();
        charts = window->findChild<ChartsDock*>();
        if (charts) {
            charts->show();
            charts->raise(); // tabbed behind the traffic log by default
        }
    }
    DeviceSessionPage* page(int index) const { return window->pages().value(index); }
};

double sumOf(const QLineSeries* series)
{
    double sum = 0;
    for (const QPointF& point : series->points())
        sum += point.y();
    return sum;
}

// Sends one status from the page and waits for its answer; the round trip it reported.
double sendAndWait(DeviceSessionPage* page)
{
    QSignalSpy answers(page->session(), &DeviceSession::commandReceived);
    page->send();
    if (!QTest::qWaitFor([&answers] { return !answers.isEmpty(); }, kWaitMs))
        return -1;
    return answers.first().at(3).toDouble();
}

void retype(QLineEdit* edit, const QString& text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestChartsDock : public QObject {
    Q_OBJECT
private slots:
    void installedInTheViewMenu();
    void pointIsTheRoundTripTheClientMeasured();
    void sparklineTextFitsSlowAnswers_data();
    void sparklineTextFitsSlowAnswers();
    void followsTheCurrentTab_data();
    void followsTheCurrentTab();
    void fleetDevicesCountInTheTotal();
};

void TestChartsDock::installedInTheViewMenu()
{
    Console console;
    QVERIFY(console.charts);
    QCOMPARE(console.charts->windowTitle(), QStringLiteral("Charts"));
    QVERIFY(
        console.window->actions().viewMenu->actions().contains(console.charts->toggleViewAction()));
    // Tabbed with the traffic log at the bottom, not a window of its own.
    QCOMPARE(console.window->dockWidgetArea(console.charts), Qt::BottomDockWidgetArea);
    QVERIFY(!console.window->tabifiedDockWidgets(console.charts).isEmpty());
    // Every device tab has a sparkline fed by the dock's series.
    QVERIFY(console.page(0)->sparkline());
    QCOMPARE(console.page(0)->sparkline()->text(), QStringLiteral("RTT –"));
}

void TestChartsDock::pointIsTheRoundTripTheClientMeasured()
{
    Console console;
    QVERIFY(console.charts);
    QTRY_VERIFY_WITH_TIMEOUT(console.charts->isVisible(), kWaitMs);
    DeviceSessionPage* page = console.page(0);
    QVERIFY(page);
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);

    const double roundTrip = sendAndWait(page);
    QVERIFY2(roundTrip >= 0, "no answer to the status");
    // One answer: its second's p50 and p99 are that round trip, drawn once the second is over.
    QTRY_COMPARE_WITH_TIMEOUT(console.charts->p50Series()->count(), 1, kWaitMs);
    QCOMPARE(console.charts->p50Series()->at(0).y(), double(float(roundTrip)));
    QCOMPARE(console.charts->p99Series()->at(0).y(), double(float(roundTrip)));
    QTRY_COMPARE_WITH_TIMEOUT(sumOf(console.charts->statusSeries()), 1.0, kWaitMs);
    QCOMPARE(sumOf(console.charts->errorSeries()), 0.0);
    QVERIFY2(console.charts->summaryLabel()->text().contains(QStringLiteral("1 answers/s")),
             qPrintable(console.charts->summaryLabel()->text()));

    // The tab's sparkline and its Command pane say the same round trip.
    RttSparkline* sparkline = page->sparkline();
    QTRY_COMPARE_WITH_TIMEOUT(sparkline->values(), QList<double>{double(float(roundTrip))},
                              kWaitMs);
    QCOMPARE(sparkline->text(),
             QStringLiteral("RTT %1 ms").arg(roundTrip, 0, 'f', roundTrip < 10 ? 2 : 1));
    const QString headline = page->inspector()->headline();
    QVERIFY2(headline.contains(QStringLiteral("round trip %1 ms").arg(roundTrip, 0, 'f', 1)),
             qPrintable(headline));
}

// The sparkline's text fits its room for any round trip: seconds from 1000 ms on.
void TestChartsDock::sparklineTextFitsSlowAnswers_data()
{
    QTest::addColumn<double>("roundTripMs");
    QTest::addColumn<QString>("text");
    QTest::newRow("0.18 ms") << 0.18 << "RTT 0.18 ms";
    QTest::newRow("243.4 ms") << 243.4 << "RTT 243.4 ms";
    QTest::newRow("1503.7 ms") << 1503.7 << "RTT 1.50 s";
    QTest::newRow("61.2 s") << 61200.0 << "RTT 61.2 s";
    QTest::newRow("300 s") << 300000.0 << "RTT 300 s";
}

void TestChartsDock::sparklineTextFitsSlowAnswers()
{
    QFETCH(double, roundTripMs);
    QFETCH(QString, text);
    RttSeries series;
    DeviceSession session;
    series.attach(&session);
    RttSparkline sparkline;
    sparkline.setSource(&series, &session);
    series.recordRoundTrip(&session, roundTripMs);
    QCOMPARE(sparkline.text(), text);
    QVERIFY(sparkline.fontMetrics().horizontalAdvance(text) <=
            sparkline.fontMetrics().horizontalAdvance(QStringLiteral("RTT 888.8 ms")));
}

void TestChartsDock::followsTheCurrentTab_data()
{
    QTest::addColumn<int>("tab"); // -1: the Total view
    QTest::addColumn<double>("statuses");
    QTest::addColumn<bool>("roundTrips");
    QTest::addColumn<double>("errors");

    QTest::newRow("first tab: two answered statuses") << 0 << 2.0 << true << 0.0;
    QTest::newRow("second tab: refused, one error") << 1 << 0.0 << false << 1.0;
    QTest::newRow("Total: both devices") << -1 << 2.0 << true << 1.0;
}

void TestChartsDock::followsTheCurrentTab()
{
    QFETCH(int, tab);
    QFETCH(double, statuses);
    QFETCH(bool, roundTrips);
    QFETCH(double, errors);

    Console console;
    QVERIFY(console.charts);
    QTRY_VERIFY_WITH_TIMEOUT(console.charts->isVisible(), kWaitMs);
    DeviceSessionPage* first = console.page(0);
    first->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(first->session()->status(), SessionStatus::Connected, kWaitMs);
    QVERIFY(sendAndWait(first) >= 0);
    QVERIFY(sendAndWait(first) >= 0);

    // A second device in the first one's slot: the gateway refuses it (an error).
    DeviceSessionPage* second = console.window->newDevice();
    QVERIFY(second);
    retype(second->identityForm()->roleEdit(), first->identityForm()->roleEdit()->text());
    second->identityForm()->prioritySpin()->setValue(
        first->identityForm()->prioritySpin()->value());
    second->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(second->session()->status(), SessionStatus::Failed, kWaitMs);

    // Start on the other tab, so the row's tab is a real switch.
    QTabWidget* tabs = console.window->tabs();
    tabs->setCurrentIndex(tab == 0 ? 1 : 0);
    QCOMPARE(console.charts->shownDevice(), console.page(tab == 0 ? 1 : 0)->session());
    if (tab >= 0) {
        tabs->setCurrentIndex(tab);
        QCOMPARE(console.charts->view(), ChartsDock::View::Device);
        QCOMPARE(console.charts->shownDevice(), console.page(tab)->session());
        auto* deviceButton =
            console.charts->findChild<QToolButton*>(QStringLiteral("chartsDeviceView"));
        QVERIFY(deviceButton && deviceButton->isChecked());
        QVERIFY2(deviceButton->text().contains(console.page(tab)->title()),
                 qPrintable(deviceButton->text()));
    } else {
        auto* totalButton =
            console.charts->findChild<QToolButton*>(QStringLiteral("chartsTotalView"));
        QVERIFY(totalButton);
        QTest::mouseClick(totalButton, Qt::LeftButton);
        QCOMPARE(console.charts->view(), ChartsDock::View::Total);
        QCOMPARE(console.charts->shownDevice(), nullptr);
    }
    QTRY_COMPARE_WITH_TIMEOUT(sumOf(console.charts->statusSeries()), statuses, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(sumOf(console.charts->errorSeries()), errors, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(console.charts->p50Series()->count() > 0, roundTrips, kWaitMs);
}

void TestChartsDock::fleetDevicesCountInTheTotal()
{
    Console console;
    QVERIFY(console.charts);
    QTRY_VERIFY_WITH_TIMEOUT(console.charts->isVisible(), kWaitMs);
    auto* fleetDock = console.window->findChild<FleetDock*>();
    QVERIFY(fleetDock);
    FleetModel* fleet = fleetDock->model();
    FleetTemplate three;
    three.device = DeviceConfig::exampleButton();
    three.device.identity.role = QStringLiteral("fleet"); // fleet-1..fleet-3, not the tab's slot
    three.count = 3;
    three.intervalMs = 100;
    QString error;
    QVERIFY2(fleet->addFleet(three, &error), qPrintable(error));
    fleet->connectDevices(fleet->allRows());
    fleet->startSending(fleet->allRows());
    QTRY_VERIFY_WITH_TIMEOUT(fleet->answered(0) > 0 && fleet->answered(2) > 0, kWaitMs);

    // The tab's device sent nothing; the total has the fleet's statuses and round trips.
    QCOMPARE(console.charts->view(), ChartsDock::View::Device);
    QCOMPARE(console.charts->shownDevice(), console.page(0)->session());
    console.charts->setView(ChartsDock::View::Total);
    QTRY_VERIFY_WITH_TIMEOUT(sumOf(console.charts->statusSeries()) >= 3, kWaitMs);
    QVERIFY(console.charts->p50Series()->count() > 0);
    console.charts->setView(ChartsDock::View::Device);
    QCOMPARE(sumOf(console.charts->statusSeries()), 0.0);
    QCOMPARE(console.charts->p50Series()->count(), 0);
    fleet->stopSending(fleet->allRows());
}

QTEST_MAIN(TestChartsDock)
#include "tst_chartsdock.moc"
