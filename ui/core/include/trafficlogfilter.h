#pragma once

#include "trafficlogmodel.h"

#include <QHash>
#include <QList>
#include <QSortFilterProxyModel>
#include <QStringMatcher>

#include <optional>

namespace fleet {

// What the traffic log view shows: rows of one device, one direction, one logging side,
// some kinds, and rows whose text contains a word. Every criterion is off by default except
// one row per frame: a console device talking to the embedded gateway is logged by both, and
// the device's row is the one shown.
// Filters read the model's records directly rather than through data(): a filter change
// re-checks every row, up to a million of them.
class TrafficLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TrafficLogFilter(QObject* parent = nullptr);

    // Only a TrafficLogModel (or nothing) is accepted as the source.
    void setSourceModel(QAbstractItemModel* model) override;
    TrafficLogModel* logModel() const { return m_log; }

    // Empty: every device.
    void setDeviceFilter(const QString& device);
    QString deviceFilter() const { return m_device; }

    void setDirectionFilter(std::optional<TrafficDirection> direction);
    std::optional<TrafficDirection> directionFilter() const { return m_direction; }

    void setSideFilter(std::optional<TrafficSide> side);
    std::optional<TrafficSide> sideFilter() const { return m_side; }

    // With no side filter: hide the gateway's copy of a frame a console device logged itself
    // (the gateway's errors and "no answer" notes stay). On by default.
    void setOneRowPerFrame(bool on);
    bool oneRowPerFrame() const { return m_oneRowPerFrame; }

    // Which kinds are shown; all by default.
    void setKindShown(TrafficKind kind, bool shown);
    void setShownKinds(quint32 kindMask); // bit (1 << int(kind)) per kind
    quint32 shownKinds() const { return m_kinds; }
    static constexpr quint32 kAllKinds = (1u << kTrafficKindCount) - 1;
    static constexpr quint32 kindBit(TrafficKind kind) { return 1u << int(kind); }

    // Case-insensitive words found in the summary, the device label or the kind. Empty: all.
    void setTextFilter(const QString& text);
    QString textFilter() const { return m_text; }

    // The frame behind a row of this proxy; row must be valid.
    const TrafficFrame& frameAt(int proxyRow) const;
    // The rows shown, in the order shown, for an export of "what I see".
    TrafficSnapshot snapshot() const;

    // Distinct frames whose summary the text filter keeps decoded (auto-send repeats the same
    // few frames; a log of all-distinct frames decodes each row once per filter change).
    static constexpr int kSummaryCacheFrames = 4096;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();
    QString cachedSummary(const TrafficFrame& frame) const;

    TrafficLogModel* m_log = nullptr;
    QString m_device;
    std::optional<TrafficDirection> m_direction;
    std::optional<TrafficSide> m_side;
    bool m_oneRowPerFrame = true;
    quint32 m_kinds = kAllKinds;
    QString m_text;
    QList<QStringMatcher> m_words; // m_text's words, each prepared once for every row
    // Summaries by wire bytes, one table per direction (the bytes are shared with the log,
    // not copied); emptied when full.
    mutable QHash<QByteArray, QString> m_summaries[2];
};

} // namespace fleet
