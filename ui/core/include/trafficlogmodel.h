#pragma once

#include "trafficframe.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <vector>

namespace fleet {

template <typename Target> class PostGuard;

class GatewayLink;
class InternalClient;

// What an export or a copy works on: rows taken out of the live log (cheap: the wire bytes
// are implicitly shared) together with the device labels the rows refer to.
struct TrafficSnapshot {
    QList<TrafficFrame> frames;
    QStringList devices; // TrafficFrame::device indexes this list

    QString deviceName(const TrafficFrame& frame) const { return devices.value(frame.device); }
};

// Every frame of every device and of the embedded gateway, oldest first, at most capacity()
// rows. Appends are buffered and reach the model in one insertion per flush (a coalescing
// timer, or flush()), so a burst of thousands of frames costs the views one update, not one
// per frame. When the log is full the oldest rows go, and droppedCount() says how many.
class TrafficLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        SideColumn,
        DeviceColumn,
        DirectionColumn,
        KindColumn,
        SizeColumn,
        RoundTripColumn,
        SummaryColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        KindRole = Qt::UserRole + 1, // TrafficKind as int
        DirectionRole,               // TrafficDirection as int
        SideRole,                    // TrafficSide as int
        DeviceRole,                  // the device label
        WireRole,                    // QByteArray: the exact bytes on the wire
        TimeRole,                    // qint64 ms since the epoch
    };

    // Whether a command answers a status: the model pairs requests and answers itself, but a
    // logger that knows better (the gateway pushing a command) says so.
    enum class CommandHint { Auto, Answer, Pushed };

    static constexpr int kDefaultCapacity = 100'000;
    // The wire bytes the log may hold (docs/architecture.md#limits). Beyond it, large frames
    // first lose their tail (oldest first), then the oldest rows go.
    static constexpr qint64 kDefaultByteBudget = 256 * 1024 * 1024;
    // Frames above this are summarized once on arrival, and are what the budget cuts first,
    // down to their first kLargeFrameBytes.
    static constexpr qsizetype kLargeFrameBytes = 64 * 1024;
    // Appends become rows at most this long after they arrive: quick for a human, and slow
    // enough that a burst reaches the views as one insertion.
    static constexpr int kFlushIntervalMs = 50;

    explicit TrafficLogModel(QObject* parent = nullptr);
    ~TrafficLogModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    // At least 1; dropping rows to fit counts them as dropped.
    void setCapacity(int capacity);

    // Wire bytes held by rows and pending appends; at most byteBudget() after each flush
    // (plus one frame when a single frame is larger than the budget's share left).
    qint64 byteBudget() const { return m_byteBudget; }
    void setByteBudget(qint64 bytes); // at least kLargeFrameBytes
    qint64 bytesHeld() const { return m_bytes; }

    // Frames dropped because the log was full (by count or by bytes), since the last clear().
    qint64 droppedCount() const { return m_dropped; }
    // Large frames that kept only their head to stay within the byte budget.
    qint64 cutCount() const { return m_cut; }
    // "1,234 older frames dropped …; 3 large frames keep only their first 64 KiB", empty while
    // nothing was dropped or cut.
    QString droppedText() const;

    // Logs one whole frame (header included) as `side` saw it. The time is taken now; the
    // round trip is timed from atNs (clockNs()) when the frame crossed its socket, or from now
    // when atNs < 0.
    void appendFrame(const QString& device, TrafficSide side, TrafficDirection direction,
                     const QByteArray& wire, CommandHint hint = CommandHint::Auto,
                     qint64 atNs = -1);
    // The clock round trips are timed with (steady, nanoseconds), readable on any thread.
    static qint64 clockNs();
    // Logs an event without a whole frame of its own (a close, a refused length, a timeout).
    // A console device's local connection event (TCP open/close, refused connect): logged as
    // such, with no direction on the wire.
    void appendConnectionEvent(const QString& device, const QString& message);
    void appendProtocolError(const QString& device, TrafficSide side, TrafficDirection direction,
                             const QString& message, const QByteArray& bytes = {});

    // Logs everything the client sends and receives, and its errors, under the client's
    // device identity, until the client is destroyed (trafficlogsources.cpp).
    void attachClient(InternalClient* client);
    // Logs every frame of every connection of the gateway, its protocol errors and the
    // statuses it leaves unanswered, as the gateway side (trafficlogsources.cpp).
    void attachGateway(GatewayLink* gateway);

    // A logger learning after the fact that the command it just logged for `device` was
    // pushed, not the answer to a waiting status (that status then still waits).
    void markLastCommandPushed(const QString& device, TrafficSide side);

    // Moves buffered appends into the model now (tests, exports, shutdown).
    void flush();
    // Forgets every row and the dropped counter.
    void clear();

    // Rows already flushed, oldest first; row must be in [0, rowCount()).
    const TrafficFrame& frame(int row) const;
    QString deviceName(const TrafficFrame& frame) const { return m_devices.value(frame.device); }
    QString summary(int row) const { return summarizeFrame(frame(row)); }
    // Device labels seen so far, in order of first appearance.
    QStringList devices() const { return m_devices; }
    // The Device column's text: "b1 · Example button" for an identity label (the full label
    // is the tooltip), the label itself otherwise.
    QString deviceDisplayName(const TrafficFrame& frame) const
    {
        return m_deviceDisplay.value(frame.device);
    }
    // True once a console device logged frames under this label itself: the gateway's copy of
    // the same frames is then a second row for one frame (TrafficLogFilter's one-row view).
    bool isLoggedByDevice(quint32 device) const
    {
        return device < quint32(m_loggedByDevice.size()) && m_loggedByDevice[device];
    }

    // The rows (flushed ones) in the given order, ready to export on another thread.
    TrafficSnapshot snapshot() const;
    TrafficSnapshot snapshot(const QList<int>& rows) const;

signals:
    // The dropped or cut count changed (droppedText() says both).
    void droppedCountChanged(qint64 dropped);
    void deviceAdded(const QString& device);
    // The first frame a console device logged under this label (see isLoggedByDevice()).
    void deviceLoggedOwnFrames(quint32 device);
    // After each flush that added rows: views scroll on this rather than per row.
    void rowsFlushed(int added);

private:
    quint32 deviceIndex(const QString& device);
    void enqueue(TrafficFrame&& frame);
    void scheduleFlush();
    void removeOldest(int count);
    void enforceByteBudget();
    void reserveRing(qsizetype needed);
    void pairAnswer(TrafficFrame& frame, CommandHint hint, qint64 atNs);
    TrafficFrame& slot(int row);

    // Ring buffer: row r lives at m_ring[(m_head + r) % m_ring.size()].
    std::vector<TrafficFrame> m_ring;
    qsizetype m_head = 0;
    int m_count = 0;
    int m_capacity = kDefaultCapacity;
    qint64 m_dropped = 0;
    qint64 m_cut = 0;
    qint64 m_bytes = 0;
    qint64 m_byteBudget = kDefaultByteBudget;
    int m_cutCursor = 0; // rows before it hold no uncut large frame
    QList<TrafficFrame> m_pending;
    QTimer m_flushTimer;

    QStringList m_devices;
    QStringList m_deviceDisplay;
    QList<bool> m_loggedByDevice;
    QHash<QString, quint32> m_deviceIndex;

    // Requests awaiting their answer, per (device, side), in clockNs(): a millisecond wall
    // clock is too coarse for loopback round trips.
    QHash<quint64, qint64> m_pendingConnect;
    QHash<quint64, qint64> m_pendingStatus;
    // Frames of clients on the network thread come through it (trafficlogsources.cpp).
    std::shared_ptr<PostGuard<TrafficLogModel>> m_postGuard;
};

} // namespace fleet
