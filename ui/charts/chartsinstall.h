#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QDockWidget;
QT_END_NAMESPACE

namespace fleet {

class ChartsDock;
class MainWindow;

// Adds the Charts dock to the window, tabbed behind `tabWith` (the traffic log), and feeds it:
// every device tab's session gets a track of its own and its sparkline, the Fleet panel's
// devices count in the total, and the Device view follows the current tab
// (docs/charts.md#in-the-console).
ChartsDock* installChartsDock(MainWindow* window, QDockWidget* tabWith);

} // namespace fleet
