#pragma once

#include "fleetmodel.h"

#include <QDockWidget>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

class NewFleetDialog;

// The Fleet panel: many devices in one sortable, filterable table (state, identity, statuses,
// answers, errors, the last command, round-trip p50/p99), with Connect, Disconnect, Start and
// Stop for the selected rows — or for every row shown when none is selected. Double-clicking a
// row moves that device into a tab of its own.
class FleetDock : public QDockWidget {
    Q_OBJECT
public:
    explicit FleetDock(QWidget* parent = nullptr);

    FleetModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // The rows the buttons act on, in model rows: the selection, else every row shown.
    QList<int> targetRows() const;
    QString captionText() const;

    // Device › New fleet…: opens the dialog seeded with `seed` (the current device).
    void showNewFleetDialog(const DeviceConfig& seed);
    NewFleetDialog* newFleetDialog() const; // null before the first New fleet…

signals:
    // The device left the fleet (disconnected, removed); a tab should take it over.
    void openInTabRequested(const fleet::DeviceConfig& device);

private:
    void createFleet(const FleetTemplate& fleet, bool startAtOnce);
    void openRow(const QModelIndex& proxyIndex);
    void updateCaption();

    FleetModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table = nullptr;
    QLineEdit* m_filter = nullptr;
    QLabel* m_caption = nullptr;
    QPointer<NewFleetDialog> m_dialog;
};

} // namespace fleet
