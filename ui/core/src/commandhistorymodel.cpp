#include "commandhistorymodel.h"

#include <QBrush>
#include <QColor>

namespace fleet {

CommandHistoryModel::CommandHistoryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void CommandHistoryModel::append(const CommandRecord& record)
{
    ++m_total;
    trimTo(m_capacity - 1);
    beginInsertRows({}, 0, 0);
    m_records.prepend(record);
    endInsertRows();
}

void CommandHistoryModel::clear()
{
    beginResetModel();
    m_records.clear();
    endResetModel();
}

void CommandHistoryModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    trimTo(m_capacity);
}

void CommandHistoryModel::trimTo(int rows)
{
    rows = qMax(0, rows);
    if (m_records.size() <= rows)
        return;
    beginRemoveRows({}, rows, int(m_records.size()) - 1);
    m_records.resize(rows);
    endRemoveRows();
}

int CommandHistoryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int CommandHistoryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CommandHistoryModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const CommandRecord& record = m_records.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case TimeColumn:
            return record.time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case RoundTripColumn:
            return record.roundTripMs < 0
                       ? QStringLiteral("—")
                       : QStringLiteral("%1 ms").arg(record.roundTripMs, 0, 'f', 1);
        case KindColumn:
            if (record.pushed)
                return record.data.isEmpty() ? tr("pushed, empty") : tr("pushed");
            return record.data.isEmpty() ? tr("empty") : tr("answer");
        case SizeColumn:
            return record.data.size();
        case SummaryColumn:
            return record.data.isEmpty() ? tr("nothing new") : record.summary;
        }
    } else if (role == Qt::ToolTipRole && index.column() == SummaryColumn) {
        return record.summary;
    } else if (role == Qt::ForegroundRole && index.column() == KindColumn) {
        if (record.pushed)
            return QBrush(QColor(0x6a, 0x1b, 0x9a));
        if (record.data.isEmpty())
            return QBrush(QColor(0x8a, 0x8f, 0x98));
    } else if (role == Qt::TextAlignmentRole &&
               (index.column() == RoundTripColumn || index.column() == SizeColumn)) {
        return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant CommandHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case RoundTripColumn:
        return tr("Round trip");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Bytes");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

} // namespace fleet
