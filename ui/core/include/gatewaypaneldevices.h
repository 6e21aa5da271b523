#pragma once

#include "gatewayevent.h"

#include <QAbstractTableModel>
#include <QList>

namespace fleet {

// The devices holding a slot of the embedded gateway, one row per connection. refresh()
// re-reads them and updates rows in place (by connection id), so a selected device stays
// selected while others come, go and send statuses.
class GatewayPanelDeviceModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        DeviceColumn,
        PriorityColumn,
        ConnectedSinceColumn,
        StatusesColumn,
        LastStatusColumn,
        QueuedColumn,
        ColumnCount
    };

    explicit GatewayPanelDeviceModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Takes the gateway's current list (connection order); rows of connections that are gone
    // are removed, new ones appended, the others updated.
    void refresh(const QList<GatewayDeviceInfo>& devices);

    const GatewayDeviceInfo& device(int row) const { return m_devices.at(row); }
    int rowOfConnection(quint64 connectionId) const; // -1 if not listed

    // "role 'name' (Example module, type 0)" for the Device column.
    static QString deviceText(const DeviceIdentity& device);

private:
    QList<GatewayDeviceInfo> m_devices;
};

} // namespace fleet
