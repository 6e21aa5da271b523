#pragma once

#include <QtGlobal>

#include <vector>

namespace fleet {

// Round-trip times of a run of any length in bounded memory: exact percentiles for the first
// million samples, then a log-scale histogram with 1 % wide buckets (a percentile off by at
// most ~0.5 %, plenty for p50/p99), so "--count 0" may run for days without growing.
class LatencyStats {
public:
    static constexpr qint64 kExactSamples = 1 << 20;

    LatencyStats();

    void add(double milliseconds);

    qint64 count() const { return m_count; }
    // Nearest-rank percentile (0 < p ≤ 100) in milliseconds; 0 when empty.
    double percentile(double p) const;
    double min() const { return m_min; }
    double max() const { return m_max; }
    double mean() const { return m_count ? m_sum / double(m_count) : 0.0; }

private:
    static int bucketOf(double microseconds);
    static double bucketValue(int bucket); // microseconds, the bucket's geometric middle

    std::vector<qint64> m_buckets;
    mutable std::vector<double> m_samples; // exact values while count() <= kExactSamples
    qint64 m_count = 0;
    double m_sum = 0;
    double m_min = 0;
    double m_max = 0;
};

} // namespace fleet
