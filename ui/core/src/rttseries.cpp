#include "rttseries.h"

#include "devicesession.h"
#include "percentile.h"

#include <QDateTime>
#include <QTimerEvent>

#include <algorithm>
#include <utility>

namespace fleet {

namespace {

qint64 secondOf(qint64 msSinceEpoch)
{
    // Floor, so -1 ms is second -1 (a test clock may start anywhere).
    return msSinceEpoch >= 0 ? msSinceEpoch / 1000 : (msSinceEpoch - 999) / 1000;
}

} // namespace

// --- RttTrack ---

RttSecond& RttTrack::secondFor(qint64 msSinceEpoch)
{
    const qint64 second = secondOf(msSinceEpoch);
    if (!m_hasOpen) {
        m_open = RttSecond{};
        m_open.second = second;
        m_hasOpen = true;
    } else if (second > m_open.second) {
        closeOpen();
        m_open = RttSecond{};
        m_open.second = second;
        m_hasOpen = true;
    }
    return m_open; // an earlier second than the open one counts in the open one
}

RttSecond RttTrack::summarizeOpen() const
{
    RttSecond summary = m_open;
    if (!m_samples.empty()) {
        std::vector<float> sorted = m_samples;
        std::sort(sorted.begin(), sorted.end());
        summary.p50Ms = nearestRankPercentile(sorted, 50);
        summary.p99Ms = nearestRankPercentile(sorted, 99);
    }
    return summary;
}

void RttTrack::closeOpen()
{
    if (!m_hasOpen)
        return;
    std::sort(m_samples.begin(), m_samples.end());
    m_open.p50Ms = nearestRankPercentile(m_samples, 50);
    m_open.p99Ms = nearestRankPercentile(m_samples, 99);
    m_closed.push_back(m_open);
    m_samples.clear(); // keeps its capacity: at most kMaxSamplesPerSecond floats
    m_hasOpen = false;
    // Seconds that fell out of the window of the newest one go (docs/charts.md#bounds).
    const qint64 oldest = m_closed.back().second - kSeconds;
    while (!m_closed.empty() && m_closed.front().second <= oldest)
        m_closed.pop_front();
}

void RttTrack::addStatus(qint64 msSinceEpoch)
{
    ++secondFor(msSinceEpoch).statuses;
}

void RttTrack::addRoundTrip(qint64 msSinceEpoch, double roundTripMs)
{
    RttSecond& second = secondFor(msSinceEpoch);
    ++second.answers;
    if (int(m_samples.size()) < kMaxSamplesPerSecond)
        m_samples.push_back(float(roundTripMs));
    else
        second.capped = true;
    m_recent[size_t(m_recentNext)] = float(roundTripMs);
    m_recentNext = (m_recentNext + 1) % kRecent;
    m_recentCount = std::min(m_recentCount + 1, kRecent);
    m_lastMs = roundTripMs;
}

void RttTrack::addError(qint64 msSinceEpoch)
{
    ++secondFor(msSinceEpoch).errors;
}

QList<RttSecond> RttTrack::history(qint64 nowMsSinceEpoch) const
{
    const qint64 now = secondOf(nowMsSinceEpoch);
    QList<RttSecond> seconds;
    seconds.reserve(storedSeconds());
    for (const RttSecond& second : m_closed) {
        if (second.second > now - kSeconds && second.second <= now)
            seconds.append(second);
    }
    if (m_hasOpen && m_open.second > now - kSeconds && m_open.second <= now)
        seconds.append(summarizeOpen());
    return seconds;
}

QList<double> RttTrack::recent() const
{
    QList<double> values;
    values.reserve(m_recentCount);
    const int first = m_recentCount < kRecent ? 0 : m_recentNext;
    for (int i = 0; i < m_recentCount; ++i)
        values.append(double(m_recent[size_t((first + i) % kRecent)]));
    return values;
}

// --- RttSeries ---

struct RttSeries::Source {
    std::unique_ptr<RttTrack> track; // null: counted in the total only
    QList<QMetaObject::Connection> connections;
};

RttSeries::RttSeries(QObject* parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

RttSeries::~RttSeries()
{
    for (const auto& source : std::as_const(m_sources)) {
        for (const QMetaObject::Connection& connection : source->connections)
            disconnect(connection);
    }
}

void RttSeries::attach(DeviceSession* session, Track track)
{
    if (!session || m_sources.contains(session))
        return;
    auto source = std::make_shared<Source>();
    if (track == Track::Own)
        source->track = std::make_unique<RttTrack>();
    // The same signals the device tab shows: an answer's round trip is the client's own
    // measurement (first send to answer), pushed commands have none.
    source->connections = {
        connect(session, &DeviceSession::statusSent, this,
                [this, session] { recordStatus(session); }),
        connect(session, &DeviceSession::commandReceived, this,
                [this, session](const QByteArray&, bool pushed, bool, double roundTripMs) {
                    if (!pushed && roundTripMs >= 0)
                        recordRoundTrip(session, roundTripMs);
                }),
        connect(session, &DeviceSession::failed, this, [this, session] { recordError(session); }),
        connect(session, &QObject::destroyed, this, [this, session] { detach(session); }),
    };
    m_sources.insert(session, source);
}

void RttSeries::detach(DeviceSession* session)
{
    const auto source = m_sources.take(session);
    if (!source)
        return;
    for (const QMetaObject::Connection& connection : source->connections)
        disconnect(connection);
    changed();
}

bool RttSeries::isAttached(const DeviceSession* session) const
{
    return m_sources.contains(session);
}

const RttTrack* RttSeries::track(const DeviceSession* session) const
{
    return ownTrack(session);
}

RttTrack* RttSeries::ownTrack(const DeviceSession* session) const
{
    const auto source = m_sources.value(session);
    return source ? source->track.get() : nullptr;
}

void RttSeries::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
}

qint64 RttSeries::now() const
{
    return m_clock();
}

void RttSeries::recordStatus(const DeviceSession* session)
{
    const qint64 at = now();
    if (RttTrack* own = ownTrack(session))
        own->addStatus(at);
    m_total.addStatus(at);
    changed();
}

void RttSeries::recordRoundTrip(const DeviceSession* session, double roundTripMs)
{
    const qint64 at = now();
    if (RttTrack* own = ownTrack(session))
        own->addRoundTrip(at, roundTripMs);
    m_total.addRoundTrip(at, roundTripMs);
    changed();
}

void RttSeries::recordError(const DeviceSession* session)
{
    const qint64 at = now();
    if (RttTrack* own = ownTrack(session))
        own->addError(at);
    m_total.addError(at);
    changed();
}

void RttSeries::changed()
{
    if (!m_notify.isActive())
        m_notify.start(kNotifyMs, this);
}

void RttSeries::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_notify.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_notify.stop();
    emit updated();
}

} // namespace fleet
