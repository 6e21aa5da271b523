#include "gatewaypaneldevices.h"

#include "modulecatalog.h"
#include "payloadtext.h"

#include <QDateTime>
#include <QSet>

namespace fleet {

namespace {
// A tooltip shows the last status on one line, cut to what fits on a screen.
constexpr qsizetype kLastStatusTipChars = 512;
} // namespace

GatewayPanelDeviceModel::GatewayPanelDeviceModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int GatewayPanelDeviceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

int GatewayPanelDeviceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString GatewayPanelDeviceModel::deviceText(const DeviceIdentity& device)
{
    return QStringLiteral("%1 '%2' (%3, %4)")
        .arg(device.role, device.name, ModuleCatalog::moduleName(device.module),
             ModuleCatalog::deviceTypeName(device.module, device.deviceType));
}

QVariant GatewayPanelDeviceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_devices.size())
        return {};
    const GatewayDeviceInfo& info = m_devices.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case DeviceColumn:
            return deviceText(info.device);
        case PriorityColumn:
            return info.device.priority;
        case ConnectedSinceColumn:
            return QDateTime::fromMSecsSinceEpoch(info.connectedSinceMs)
                .toString(QStringLiteral("HH:mm:ss"));
        case StatusesColumn:
            return QVariant::fromValue(info.statusesReceived);
        case LastStatusColumn:
            if (info.lastStatusMs == 0)
                return tr("none yet");
            if (info.lastStatus.isEmpty())
                return tr("empty status");
            return ModuleCatalog::describeStatus(info.device.module, info.lastStatus);
        case QueuedColumn:
            return info.queuedCommands;
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case DeviceColumn:
            return tr("%1\nconnection #%2 from %3")
                .arg(info.device.toString())
                .arg(info.connectionId)
                .arg(info.peer);
        case ConnectedSinceColumn:
            return utcTimestamp(info.connectedSinceMs);
        case LastStatusColumn:
            return info.lastStatusMs == 0
                       ? QVariant()
                       : QVariant(tr("%1 bytes at %2:\n%3")
                                      .arg(info.lastStatus.size())
                                      .arg(QDateTime::fromMSecsSinceEpoch(info.lastStatusMs)
                                               .toString(QStringLiteral("HH:mm:ss.zzz")))
                                      .arg(payloadLine(info.lastStatus, kLastStatusTipChars)));
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() != DeviceColumn &&
        index.column() != LastStatusColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant GatewayPanelDeviceModel::headerData(int section, Qt::Orientation orientation,
                                             int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case DeviceColumn:
        return tr("Device");
    case PriorityColumn:
        return tr("Priority");
    case ConnectedSinceColumn:
        return tr("Connected since");
    case StatusesColumn:
        return tr("Statuses");
    case LastStatusColumn:
        return tr("Last status");
    case QueuedColumn:
        return tr("Queued");
    }
    return {};
}

int GatewayPanelDeviceModel::rowOfConnection(quint64 connectionId) const
{
    for (qsizetype row = 0; row < m_devices.size(); ++row) {
        if (m_devices[row].connectionId == connectionId)
            return int(row);
    }
    return -1;
}

void GatewayPanelDeviceModel::refresh(const QList<GatewayDeviceInfo>& devices)
{
    QSet<quint64> current;
    for (const GatewayDeviceInfo& info : devices)
        current.insert(info.connectionId);
    // Removals from the bottom up keep the remaining row numbers valid.
    for (int row = int(m_devices.size()) - 1; row >= 0; --row) {
        if (!current.contains(m_devices[row].connectionId)) {
            beginRemoveRows({}, row, row);
            m_devices.removeAt(row);
            endRemoveRows();
        }
    }
    for (const GatewayDeviceInfo& info : devices) {
        const int row = rowOfConnection(info.connectionId);
        if (row >= 0) {
            m_devices[row] = info;
            continue;
        }
        const int last = int(m_devices.size());
        beginInsertRows({}, last, last);
        m_devices.append(info);
        endInsertRows();
    }
    if (!m_devices.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_devices.size()) - 1, ColumnCount - 1));
}

} // namespace fleet
