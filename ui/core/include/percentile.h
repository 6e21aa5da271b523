#pragma once

#include <span>

namespace fleet {

// Nearest-rank percentile (0 < p <= 100) of values sorted ascending: the smallest value with at
// least p % of the values at or below it, always one of the values (a round trip that really
// happened, never an interpolation). -1 when there are none. The Fleet panel's columns and the
// Charts dock both use it (docs/charts.md#how-it-is-computed).
double nearestRankPercentile(std::span<const float> sorted, double p);

} // namespace fleet
