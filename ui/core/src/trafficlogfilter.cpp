#include "trafficlogfilter.h"

namespace fleet {

TrafficLogFilter::TrafficLogFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    // The log is chronological; sorting a million rows on every flush would undo the point of
    // batching. The view keeps the model's order.
    setDynamicSortFilter(true);
}

void TrafficLogFilter::setSourceModel(QAbstractItemModel* model)
{
    if (m_log)
        disconnect(m_log, &TrafficLogModel::deviceLoggedOwnFrames, this, nullptr);
    m_summaries[0].clear();
    m_summaries[1].clear();
    m_log = qobject_cast<TrafficLogModel*>(model);
    Q_ASSERT_X(!model || m_log, "TrafficLogFilter", "the source must be a TrafficLogModel");
    QSortFilterProxyModel::setSourceModel(m_log);
    // Gateway rows logged before the device's own first frame become duplicates now. Once per
    // device label, so the full re-check stays rare.
    if (m_log) {
        connect(m_log, &TrafficLogModel::deviceLoggedOwnFrames, this, [this] {
            if (m_oneRowPerFrame && !m_side)
                invalidateFilter();
        });
    }
}

void TrafficLogFilter::setOneRowPerFrame(bool on)
{
    if (on == m_oneRowPerFrame)
        return;
    m_oneRowPerFrame = on;
    refilter();
}

void TrafficLogFilter::setDeviceFilter(const QString& device)
{
    if (device == m_device)
        return;
    m_device = device;
    refilter();
}

void TrafficLogFilter::setDirectionFilter(std::optional<TrafficDirection> direction)
{
    if (direction == m_direction)
        return;
    m_direction = direction;
    refilter();
}

void TrafficLogFilter::setSideFilter(std::optional<TrafficSide> side)
{
    if (side == m_side)
        return;
    m_side = side;
    refilter();
}

void TrafficLogFilter::setKindShown(TrafficKind kind, bool shown)
{
    setShownKinds(shown ? (m_kinds | kindBit(kind)) : (m_kinds & ~kindBit(kind)));
}

void TrafficLogFilter::setShownKinds(quint32 kindMask)
{
    kindMask &= kAllKinds;
    if (kindMask == m_kinds)
        return;
    m_kinds = kindMask;
    refilter();
}

void TrafficLogFilter::setTextFilter(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_words.clear();
    for (const QString& word : m_text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        m_words.append(QStringMatcher(word, Qt::CaseInsensitive));
    refilter();
}

// A criterion changed: every row is checked again. invalidateFilter() would announce each run
// of rows that appears or disappears on its own (50,000 inserts when "every other row" turns
// into "all rows", each making the view re-lay out), seconds over a full log; a layout change
// rebuilds the mapping in one pass and the view lays out once.
void TrafficLogFilter::refilter()
{
    invalidate();
}

QString TrafficLogFilter::cachedSummary(const TrafficFrame& frame) const
{
    if (frame.kind == TrafficKind::ProtocolError || frame.kind == TrafficKind::Connection ||
        frame.kind == TrafficKind::Malformed || frame.largeSize)
        return summarizeFrame(frame); // their note, or an error: nothing to decode twice
    QHash<QByteArray, QString>& cache = m_summaries[int(frame.direction) & 1];
    const auto found = cache.constFind(frame.wire);
    if (found != cache.constEnd())
        return *found;
    if (cache.size() >= kSummaryCacheFrames)
        cache.clear();
    const QString summary = summarizeFrame(frame);
    cache.insert(frame.wire, summary);
    return summary;
}

const TrafficFrame& TrafficLogFilter::frameAt(int proxyRow) const
{
    return m_log->frame(mapToSource(index(proxyRow, 0)).row());
}

TrafficSnapshot TrafficLogFilter::snapshot() const
{
    if (!m_log)
        return {};
    QList<int> rows;
    rows.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row)
        rows.append(mapToSource(index(row, 0)).row());
    return m_log->snapshot(rows);
}

bool TrafficLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_log || sourceParent.isValid())
        return false;
    const TrafficFrame& frame = m_log->frame(sourceRow);
    if (!(m_kinds & kindBit(frame.kind)))
        return false;
    if (m_direction && frame.direction != *m_direction)
        return false;
    if (m_side && frame.side != *m_side)
        return false;
    if (!m_side && m_oneRowPerFrame && frame.side == TrafficSide::Gateway && !frame.isError() &&
        m_log->isLoggedByDevice(frame.device))
        return false;
    if (!m_device.isEmpty() && m_log->deviceName(frame) != m_device)
        return false;
    if (m_text.isEmpty())
        return true;
    // Decoding is the expensive part, so it comes last and only when a word is asked for. Each
    // word is looked for in each part: no joined copy of the three per row.
    const QString summary = cachedSummary(frame);
    const QString device = m_log->deviceName(frame);
    const QString kind = trafficKindName(frame.kind, frame.responseType);
    for (const QStringMatcher& word : m_words) {
        if (word.indexIn(summary) < 0 && word.indexIn(device) < 0 && word.indexIn(kind) < 0)
            return false;
    }
    return true;
}

} // namespace fleet
