#include "trafficlogmodel.h"

#include "payloadtext.h"
#include "plainlanguage.h"
#include "postguard.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <chrono>

namespace fleet {

namespace {

quint64 pairKey(quint32 device, TrafficSide side)
{
    return (quint64(device) << 1) | quint64(side == TrafficSide::Gateway ? 1 : 0);
}

QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace

TrafficLogModel::TrafficLogModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    m_postGuard = std::make_shared<PostGuard<TrafficLogModel>>(this);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &TrafficLogModel::flush);
}

TrafficLogModel::~TrafficLogModel()
{
    m_postGuard->release(); // before anything else goes: frames still coming are dropped
}

qint64 TrafficLogModel::clockNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int TrafficLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int TrafficLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficLogModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_count || index.column() >= ColumnCount)
        return {};
    const TrafficFrame& f = frame(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return timeText(f.timeMs);
        case SideColumn:
            return trafficSideName(f.side);
        case DeviceColumn:
            return deviceDisplayName(f);
        case DirectionColumn:
            return trafficRowDirectionName(f);
        case KindColumn:
            return trafficKindName(f.kind, f.responseType);
        case SizeColumn:
            return f.wire.isEmpty() && (f.kind == TrafficKind::ProtocolError ||
                                        f.kind == TrafficKind::Connection)
                       ? QVariant()
                       : QVariant(f.size());
        case RoundTripColumn:
            return f.isAnswer()
                       ? QVariant(QStringLiteral("%1 ms").arg(double(f.roundTripMs), 0, 'f', 2))
                       : QVariant();
        case SummaryColumn:
            return summarizeFrame(f);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return utcTimestamp(f.timeMs); // the export's "time", unlike the local clock shown
        if (index.column() == DeviceColumn)
            return deviceName(f);
        if (index.column() == SummaryColumn) // the terse summary, then what it means
            return summarizeFrame(f) + QLatin1Char('\n') + plainFrameSentence(f);
        // The jargon of the other columns, explained (plainlanguage.h).
        if (index.column() == SideColumn)
            return trafficSideExplanation(f.side);
        if (index.column() == DirectionColumn)
            return trafficRowDirectionExplanation(f);
        if (index.column() == KindColumn)
            return trafficKindExplanation(f.kind, f.responseType);
        if (index.column() == SizeColumn || index.column() == RoundTripColumn)
            return trafficColumnExplanation(index.column());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == RoundTripColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (f.isError())
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        if (f.kind == TrafficKind::ConnectResponse && f.responseType > 0)
            return QBrush(QColor(0xb5, 0x6a, 0x00));
        return {};
    case KindRole:
        return int(f.kind);
    case DirectionRole:
        return int(f.direction);
    case SideRole:
        return int(f.side);
    case DeviceRole:
        return deviceName(f);
    case WireRole:
        return f.wire;
    case TimeRole:
        return f.timeMs;
    }
    return {};
}

QVariant TrafficLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole)
        return trafficColumnExplanation(section);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SideColumn:
        return tr("Logged by");
    case DeviceColumn:
        return tr("Device");
    case DirectionColumn:
        return tr("Direction");
    case KindColumn:
        return tr("Kind");
    case SizeColumn:
        return tr("Bytes");
    case RoundTripColumn:
        return tr("Round trip");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

void TrafficLogModel::setCapacity(int capacity)
{
    capacity = qMax(1, capacity);
    if (capacity == m_capacity)
        return;
    flush();
    const qint64 droppedBefore = m_dropped;
    if (m_count > capacity)
        removeOldest(m_count - capacity);
    // Re-lay the ring out from row 0 so that it can grow or shrink to the new capacity.
    std::vector<TrafficFrame> ring;
    ring.reserve(size_t(qMin(m_count, capacity)));
    for (int row = 0; row < m_count; ++row)
        ring.push_back(std::move(slot(row)));
    m_ring = std::move(ring);
    m_head = 0;
    m_capacity = capacity;
    if (m_dropped != droppedBefore)
        emit droppedCountChanged(m_dropped);
}

void TrafficLogModel::setByteBudget(qint64 bytes)
{
    bytes = qMax<qint64>(bytes, kLargeFrameBytes);
    if (bytes == m_byteBudget)
        return;
    m_byteBudget = bytes;
    flush();
    const qint64 droppedBefore = m_dropped;
    const qint64 cutBefore = m_cut;
    enforceByteBudget();
    if (m_dropped != droppedBefore || m_cut != cutBefore)
        emit droppedCountChanged(m_dropped);
}

QString TrafficLogModel::droppedText() const
{
    QStringList parts;
    if (m_dropped > 0)
        parts << tr("%1 older frames dropped (the log keeps the latest %2 frames, %3)")
                     .arg(QLocale().toString(m_dropped), QLocale().toString(m_capacity),
                          QLocale().formattedDataSize(m_byteBudget));
    if (m_cut > 0)
        parts << tr("%1 large frames keep only their first %2 (the rest did not fit the "
                    "log's %3)")
                     .arg(QLocale().toString(m_cut), QLocale().formattedDataSize(kLargeFrameBytes),
                          QLocale().formattedDataSize(m_byteBudget));
    return parts.join(QStringLiteral("; "));
}

void TrafficLogModel::appendFrame(const QString& device, TrafficSide side,
                                  TrafficDirection direction, const QByteArray& wire,
                                  CommandHint hint, qint64 atNs)
{
    TrafficFrame frame;
    frame.wire = wire;
    frame.timeMs = QDateTime::currentMSecsSinceEpoch();
    frame.device = deviceIndex(device);
    frame.direction = direction;
    frame.side = side;
    int responseType = -1;
    frame.kind = classifyFrame(direction, wire, &responseType,
                               &frame.note); // the note is only written for malformed frames
    frame.responseType = qint8(qBound(-1, responseType, 127));
    pairAnswer(frame, hint, atNs < 0 ? clockNs() : atNs);
    if (wire.size() > kLargeFrameBytes) {
        // Decoded once here rather than on every repaint (a row of 8 MiB of JSON would make
        // scrolling crawl), and still readable after the budget cuts the frame.
        frame.note = summarizeFrame(frame);
        frame.largeSize = quint32(qMin<qsizetype>(wire.size(), 0xffffffffLL));
    }
    enqueue(std::move(frame));
}

void TrafficLogModel::appendProtocolError(const QString& device, TrafficSide side,
                                          TrafficDirection direction, const QString& message,
                                          const QByteArray& bytes)
{
    TrafficFrame frame;
    frame.wire = bytes;
    frame.note = message;
    frame.timeMs = QDateTime::currentMSecsSinceEpoch();
    frame.device = deviceIndex(device);
    frame.kind = TrafficKind::ProtocolError;
    frame.direction = direction;
    frame.side = side;
    // Whatever was awaited will not be answered on this connection any more.
    const quint64 key = pairKey(frame.device, side);
    m_pendingConnect.remove(key);
    m_pendingStatus.remove(key);
    enqueue(std::move(frame));
}

void TrafficLogModel::appendConnectionEvent(const QString& device, const QString& message)
{
    TrafficFrame frame;
    frame.note = message;
    frame.timeMs = QDateTime::currentMSecsSinceEpoch();
    frame.device = deviceIndex(device);
    frame.kind = TrafficKind::Connection;
    frame.side = TrafficSide::Device;
    enqueue(std::move(frame));
}

void TrafficLogModel::pairAnswer(TrafficFrame& frame, CommandHint hint, qint64 now)
{
    const quint64 key = pairKey(frame.device, frame.side);
    auto answer = [&](QHash<quint64, qint64>& pending) {
        const auto it = pending.constFind(key);
        if (it == pending.cend())
            return false;
        frame.roundTripMs = float(double(now - it.value()) / 1e6);
        pending.erase(it);
        return true;
    };
    switch (frame.kind) {
    case TrafficKind::Connect:
        m_pendingConnect.insert(key, now);
        break;
    case TrafficKind::Status:
        m_pendingStatus.insert(key, now);
        break;
    case TrafficKind::ConnectResponse:
        answer(m_pendingConnect);
        break;
    case TrafficKind::Command:
        // A command while no status waits is one nobody asked for (docs/protocol.md#conversation).
        if (hint == CommandHint::Pushed || (!answer(m_pendingStatus) && hint == CommandHint::Auto))
            frame.kind = TrafficKind::PushedCommand;
        break;
    case TrafficKind::PushedCommand:
    case TrafficKind::Malformed:
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        break;
    }
}

void TrafficLogModel::markLastCommandPushed(const QString& device, TrafficSide side)
{
    const auto it = m_deviceIndex.constFind(device);
    if (it == m_deviceIndex.cend())
        return;
    TrafficFrame* last = nullptr;
    int row = -1;
    if (!m_pending.isEmpty()) {
        last = &m_pending.last();
    } else if (m_count > 0) {
        row = m_count - 1;
        last = &slot(row);
    }
    if (!last || last->device != it.value() || last->side != side ||
        last->kind != TrafficKind::Command)
        return;
    // It was taken for the answer to the waiting status: that status still waits.
    const qint64 since = clockNs() - qint64(double(last->roundTripMs) * 1e6);
    m_pendingStatus.insert(pairKey(last->device, side), since);
    last->kind = TrafficKind::PushedCommand;
    last->roundTripMs = -1.f;
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

quint32 TrafficLogModel::deviceIndex(const QString& device)
{
    const auto it = m_deviceIndex.constFind(device);
    if (it != m_deviceIndex.cend())
        return it.value();
    const auto index = quint32(m_devices.size());
    m_devices.append(device);
    m_deviceDisplay.append(readableDeviceLabel(device));
    m_loggedByDevice.append(false);
    m_deviceIndex.insert(device, index);
    emit deviceAdded(device);
    return index;
}

void TrafficLogModel::enqueue(TrafficFrame&& frame)
{
    if (frame.side == TrafficSide::Device && !m_loggedByDevice[frame.device]) {
        m_loggedByDevice[frame.device] = true;
        emit deviceLoggedOwnFrames(frame.device);
    }
    m_bytes += frame.wire.size();
    m_pending.append(std::move(frame));
    // Bounded even when the event loop starves: a full log's worth of pending frames (or of
    // bytes) is flushed right away instead of piling up.
    if (m_pending.size() >= m_capacity || m_bytes > m_byteBudget)
        flush();
    else
        scheduleFlush();
}

void TrafficLogModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void TrafficLogModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    const qint64 droppedBefore = m_dropped;
    const qint64 cutBefore = m_cut;
    qsizetype incoming = m_pending.size();
    qsizetype skip = 0; // pending frames that would be dropped at once: never become rows
    if (incoming > m_capacity) {
        skip = incoming - m_capacity;
        incoming = m_capacity;
        m_dropped += skip;
        for (qsizetype i = 0; i < skip; ++i)
            m_bytes -= m_pending[i].wire.size();
    }
    const qsizetype overflow = m_count + incoming - m_capacity;
    if (overflow > 0)
        removeOldest(int(overflow));
    reserveRing(m_count + incoming);

    beginInsertRows({}, m_count, int(m_count + incoming - 1));
    const auto ringSize = qsizetype(m_ring.size());
    for (qsizetype i = skip; i < m_pending.size(); ++i) {
        const qsizetype position = (m_head + m_count) % ringSize;
        m_ring[size_t(position)] = std::move(m_pending[i]);
        ++m_count;
    }
    m_pending.clear();
    endInsertRows();
    enforceByteBudget();

    if (m_dropped != droppedBefore || m_cut != cutBefore)
        emit droppedCountChanged(m_dropped);
    emit rowsFlushed(int(incoming));
}

void TrafficLogModel::removeOldest(int count)
{
    count = qMin(count, m_count);
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    for (int row = 0; row < count; ++row) {
        m_bytes -= slot(row).wire.size();
        slot(row) = TrafficFrame(); // release the bytes now, not when the slot is reused
    }
    m_head = (m_head + count) % qsizetype(m_ring.size());
    m_count -= count;
    m_dropped += count;
    m_cutCursor = qMax(0, m_cutCursor - count);
    endRemoveRows();
}

// Over budget: the oldest large frames give up their tail first (their row, size and summary
// stay), then the oldest rows go. Each row is visited once per pass of the cursor.
void TrafficLogModel::enforceByteBudget()
{
    for (; m_bytes > m_byteBudget && m_cutCursor < m_count; ++m_cutCursor) {
        TrafficFrame& frame = slot(m_cutCursor);
        if (!frame.largeSize || frame.isCut())
            continue;
        m_bytes -= frame.wire.size() - kLargeFrameBytes;
        frame.wire = frame.wire.left(kLargeFrameBytes); // a copy: the sender's buffer goes
        ++m_cut;
        emit dataChanged(index(m_cutCursor, 0), index(m_cutCursor, ColumnCount - 1));
    }
    int drop = 0;
    qint64 freed = 0;
    while (m_bytes - freed > m_byteBudget && drop < m_count - 1) // the newest row stays
        freed += slot(drop++).wire.size();
    removeOldest(drop);
}

// The ring grows like a vector until it reaches the capacity; growing lays it out from row 0.
void TrafficLogModel::reserveRing(qsizetype needed)
{
    const auto size = qsizetype(m_ring.size());
    if (needed <= size)
        return;
    const qsizetype target = qMin<qsizetype>(m_capacity, qMax(needed, size * 2));
    std::vector<TrafficFrame> ring(static_cast<size_t>(target));
    for (int row = 0; row < m_count; ++row)
        ring[size_t(row)] = std::move(slot(row));
    m_ring = std::move(ring);
    m_head = 0;
}

void TrafficLogModel::clear()
{
    beginResetModel();
    m_ring.clear();
    m_ring.shrink_to_fit();
    m_head = 0;
    m_count = 0;
    m_pending.clear();
    m_flushTimer.stop();
    const bool hadDropped = m_dropped != 0 || m_cut != 0;
    m_dropped = 0;
    m_cut = 0;
    m_bytes = 0;
    m_cutCursor = 0;
    endResetModel();
    if (hadDropped)
        emit droppedCountChanged(0);
}

const TrafficFrame& TrafficLogModel::frame(int row) const
{
    Q_ASSERT(row >= 0 && row < m_count);
    return m_ring[size_t((m_head + row) % qsizetype(m_ring.size()))];
}

TrafficFrame& TrafficLogModel::slot(int row)
{
    return m_ring[size_t((m_head + row) % qsizetype(m_ring.size()))];
}

TrafficSnapshot TrafficLogModel::snapshot() const
{
    TrafficSnapshot snap;
    snap.devices = m_devices;
    snap.frames.reserve(m_count);
    for (int row = 0; row < m_count; ++row)
        snap.frames.append(frame(row));
    return snap;
}

TrafficSnapshot TrafficLogModel::snapshot(const QList<int>& rows) const
{
    TrafficSnapshot snap;
    snap.devices = m_devices;
    snap.frames.reserve(rows.size());
    for (int row : rows) {
        if (row >= 0 && row < m_count)
            snap.frames.append(frame(row));
    }
    return snap;
}

} // namespace fleet
