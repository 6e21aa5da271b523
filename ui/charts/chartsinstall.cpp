#include "chartsinstall.h"

#include "chartsdock.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "fleetdock.h"
#include "fleetmodel.h"
#include "mainwindow.h"
#include "rttseries.h"
#include "rttsparkline.h"

#include <QTabWidget>

namespace fleet {

namespace {

void followCurrentTab(MainWindow* window, ChartsDock* dock)
{
    DeviceSessionPage* page = window->currentPage();
    dock->setCurrentDevice(page ? page->session() : nullptr, page ? page->title() : QString());
}

// The Fleet panel may hold thousands of devices: they count in the total only, so its memory
// stays that of one track (docs/charts.md#bounds).
void feedFromFleet(MainWindow* window, RttSeries* series)
{
    auto* fleetDock = window->findChild<FleetDock*>();
    if (!fleetDock)
        return;
    FleetModel* fleet = fleetDock->model();
    const auto attachRows = [fleet, series](int first, int last) {
        for (int row = first; row <= last; ++row)
            series->attach(fleet->session(row), RttSeries::Track::TotalOnly);
    };
    attachRows(0, fleet->deviceCount() - 1);
    // Removed devices destroy their sessions, which detaches them.
    QObject::connect(
        fleet, &FleetModel::rowsInserted, series,
        [attachRows](const QModelIndex&, int first, int last) { attachRows(first, last); });
}

} // namespace

ChartsDock* installChartsDock(MainWindow* window, QDockWidget* tabWith)
{
    auto* series = new RttSeries(window);
    auto* dock = new ChartsDock(series, window);
    const auto addPage = [window, series, dock](DeviceSessionPage* page) {
        series->attach(page->session());
        page->sparkline()->setSource(series, page->session());
        QObject::connect(page->sparkline(), &RttSparkline::clicked, dock, [dock] {
            dock->show();
            dock->raise();
        });
        QObject::connect(page, &DeviceSessionPage::titleChanged, dock, [window, dock, page] {
            if (window->currentPage() == page)
                followCurrentTab(window, dock);
        });
    };
    for (DeviceSessionPage* page : window->pages())
        addPage(page);
    QObject::connect(window, &MainWindow::pageAdded, series, addPage);
    QObject::connect(window, &MainWindow::pageRemoved, series,
                     [window, series, dock](DeviceSessionPage* page) {
                         series->detach(page->session());
                         followCurrentTab(window, dock);
                     });
    QObject::connect(window->tabs(), &QTabWidget::currentChanged, dock,
                     [window, dock] { followCurrentTab(window, dock); });
    followCurrentTab(window, dock);
    feedFromFleet(window, series);

    // Tabbed behind the traffic log, which stays the first thing seen; a demo raises it from
    // the tab bar, View › Charts or a device's sparkline.
    window->addDock(dock, Qt::BottomDockWidgetArea);
    if (tabWith && window->dockWidgetArea(dock) == Qt::BottomDockWidgetArea &&
        window->dockWidgetArea(tabWith) == Qt::BottomDockWidgetArea &&
        window->tabifiedDockWidgets(dock).isEmpty()) {
        window->tabifyDockWidget(tabWith, dock);
        tabWith->raise();
    }
    return dock;
}

} // namespace fleet
