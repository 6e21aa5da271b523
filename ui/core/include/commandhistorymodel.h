#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QDateTime>
#include <QList>

namespace fleet {

// One command that reached a device.
struct CommandRecord {
    QDateTime time;
    QByteArray data;
    bool pushed = false;
    double roundTripMs = -1.0; // < 0 for pushed commands (nothing was asked)
    QString summary;           // the catalog's one-line description
};

// The commands of one device session, newest first, at most `capacity` rows: the oldest
// row goes when a new one comes, so a device left on auto-send for a day stays small.
class CommandHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, RoundTripColumn, KindColumn, SizeColumn, SummaryColumn, ColumnCount };
    static constexpr int kDefaultCapacity = 1000;

    explicit CommandHistoryModel(QObject* parent = nullptr);

    void append(const CommandRecord& record);
    void clear();
    const CommandRecord& record(int row) const { return m_records.at(row); }
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);
    // Records ever appended, including those that fell out of the model.
    quint64 totalCount() const { return m_total; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void trimTo(int rows);

    QList<CommandRecord> m_records; // index 0 = newest
    int m_capacity = kDefaultCapacity;
    quint64 m_total = 0;
};

} // namespace fleet
