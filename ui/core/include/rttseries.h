#pragma once

#include <QBasicTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace fleet {

class DeviceSession;

// One wall-clock second of one device, or of all of them (docs/charts.md#what-is-plotted).
struct RttSecond {
    qint64 second = 0; // seconds since 1970-01-01 UTC
    int statuses = 0;  // statuses sent in this second
    int answers = 0;   // answers with a round trip that arrived in this second
    int errors = 0;    // clients destroyed by an error in this second
    double p50Ms = -1; // nearest-rank percentiles of those round trips; -1: no answer
    double p99Ms = -1;
    // More answers than RttTrack::kMaxSamplesPerSecond: the percentiles are those of the first
    // kMaxSamplesPerSecond (answers still counts them all).
    bool capped = false;

    bool operator==(const RttSecond&) const = default;
};

// Per-second round trips, statuses and errors of one source in fixed space: at most kSeconds
// closed seconds (summaries only), the open second's round trips up to kMaxSamplesPerSecond,
// and the latest kRecent round trips for a sparkline (docs/charts.md#bounds). Events carry their
// time; one in a second before the open one (the wall clock stepped back) counts in the open
// second, so history never reorders.
class RttTrack {
public:
    static constexpr int kSeconds = 600;
    static constexpr int kMaxSamplesPerSecond = 4096;
    static constexpr int kRecent = 60;

    void addStatus(qint64 msSinceEpoch);
    void addRoundTrip(qint64 msSinceEpoch, double roundTripMs);
    void addError(qint64 msSinceEpoch);

    // The seconds that had an event in (now - kSeconds, now], oldest first; the open second
    // with its percentiles so far. Seconds without events are not listed (zero of everything).
    QList<RttSecond> history(qint64 nowMsSinceEpoch) const;
    // The latest round trips (at most kRecent), oldest first.
    QList<double> recent() const;
    double lastRoundTripMs() const { return m_recentCount ? m_lastMs : -1; }
    // Seconds held in memory (closed and open), for the bound's test.
    int storedSeconds() const { return int(m_closed.size()) + (m_hasOpen ? 1 : 0); }
    int openSamples() const { return int(m_samples.size()); }

private:
    RttSecond& secondFor(qint64 msSinceEpoch);
    RttSecond summarizeOpen() const;
    void closeOpen();

    std::deque<RttSecond> m_closed;
    RttSecond m_open;
    bool m_hasOpen = false;
    std::vector<float> m_samples; // the open second's round trips
    std::array<float, kRecent> m_recent{};
    int m_recentCount = 0;
    int m_recentNext = 0;
    double m_lastMs = -1;
};

// What the Charts dock and the device tabs' sparklines draw: an RttTrack per device session and
// one for all of them, fed by DeviceSession's signals, so the round trip is the one the device's
// client measured and the Command pane shows (docs/charts.md#how-it-is-computed).
class RttSeries : public QObject {
    Q_OBJECT
public:
    // Changes are told at most this often, so a thousand answers a second repaint a few times.
    static constexpr int kNotifyMs = 250;
    enum class Track { Own, TotalOnly };

    explicit RttSeries(QObject* parent = nullptr);
    ~RttSeries() override;

    // Counts the session's statuses, answers and errors from now on, in its own track and the
    // total (TotalOnly: the total alone, for the Fleet panel's many devices). Forgotten when
    // the session is destroyed or detached; attaching twice changes nothing.
    void attach(DeviceSession* session, Track track = Track::Own);
    void detach(DeviceSession* session);
    bool isAttached(const DeviceSession* session) const;

    // The session's own track; nullptr when it has none.
    const RttTrack* track(const DeviceSession* session) const;
    const RttTrack& total() const { return m_total; }

    // The wall clock (ms since the epoch); tests give their own.
    void setClock(std::function<qint64()> clock);
    qint64 now() const;

    // What the signals feed, for a source that is not a DeviceSession (and tests).
    void recordStatus(const DeviceSession* session);
    void recordRoundTrip(const DeviceSession* session, double roundTripMs);
    void recordError(const DeviceSession* session);

signals:
    // Something was recorded since the last time (coalesced, at most every kNotifyMs).
    void updated();

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    struct Source;

    RttTrack* ownTrack(const DeviceSession* session) const;
    void changed();

    QHash<const DeviceSession*, std::shared_ptr<Source>> m_sources;
    RttTrack m_total;
    std::function<qint64()> m_clock;
    QBasicTimer m_notify;
};

} // namespace fleet
