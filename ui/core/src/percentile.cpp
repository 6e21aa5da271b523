#include "percentile.h"

#include <algorithm>
#include <cmath>

namespace fleet {

double nearestRankPercentile(std::span<const float> sorted, double p)
{
    if (sorted.empty())
        return -1;
    const int count = int(sorted.size());
    const int rank = std::clamp(int(std::ceil(p / 100.0 * count)), 1, count);
    return double(sorted[size_t(rank - 1)]);
}

} // namespace fleet
