#include "latencystats.h"

#include <algorithm>
#include <cmath>

namespace fleet {

namespace {
constexpr double kGrowth = 1.01;          // bucket width: 1 %
constexpr double kMaxMicroseconds = 1e10; // ~3 hours; larger values land in the last bucket
const double kLogGrowth = std::log(kGrowth);
const int kBucketCount = int(std::ceil(std::log(kMaxMicroseconds) / kLogGrowth)) + 2;
} // namespace

LatencyStats::LatencyStats()
    : m_buckets(size_t(kBucketCount), 0)
{
}

void LatencyStats::add(double milliseconds)
{
    milliseconds = std::max(milliseconds, 0.0);
    ++m_buckets[size_t(bucketOf(milliseconds * 1000.0))];
    if (m_count < kExactSamples) {
        m_samples.push_back(milliseconds);
    } else if (!m_samples.empty()) {
        m_samples.clear();
        m_samples.shrink_to_fit();
    }
    m_min = m_count == 0 ? milliseconds : std::min(m_min, milliseconds);
    m_max = m_count == 0 ? milliseconds : std::max(m_max, milliseconds);
    m_sum += milliseconds;
    ++m_count;
}

double LatencyStats::percentile(double p) const
{
    if (m_count == 0)
        return 0.0;
    const qint64 rank =
        std::clamp<qint64>(qint64(std::ceil(p / 100.0 * double(m_count))), 1, m_count);
    if (qint64(m_samples.size()) == m_count) {
        auto nth = m_samples.begin() + (rank - 1);
        std::nth_element(m_samples.begin(), nth, m_samples.end());
        return *nth;
    }
    qint64 seen = 0;
    for (size_t bucket = 0; bucket < m_buckets.size(); ++bucket) {
        seen += m_buckets[bucket];
        if (seen >= rank) {
            // Clamping makes the extremes exact (a single sample reports itself).
            return std::clamp(bucketValue(int(bucket)) / 1000.0, m_min, m_max);
        }
    }
    return m_max;
}

// Bucket 0 holds everything below 1 µs; bucket b ≥ 1 holds [g^(b-1), g^b) µs.
int LatencyStats::bucketOf(double microseconds)
{
    if (microseconds < 1.0)
        return 0;
    const int bucket = 1 + int(std::floor(std::log(microseconds) / kLogGrowth));
    return std::min(bucket, kBucketCount - 1);
}

double LatencyStats::bucketValue(int bucket)
{
    if (bucket == 0)
        return 0.5;
    return std::pow(kGrowth, double(bucket) - 0.5);
}

} // namespace fleet
