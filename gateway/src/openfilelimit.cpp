#include "openfilelimit.h"

#include <limits>
#include <sys/resource.h>

namespace fleet {

OpenFileLimit OpenFileLimit::current()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return {};
    const auto value = [](rlim_t v) {
        return v == RLIM_INFINITY ? std::numeric_limits<quint64>::max() : quint64(v);
    };
    return {value(limit.rlim_cur), value(limit.rlim_max)};
}

OpenFileLimit OpenFileLimit::raiseToHard()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit); // a refusal leaves the old limit, reported by current()
    }
    return current();
}

int OpenFileLimit::connectionsFitting() const
{
    if (soft <= quint64(kReservedDescriptors))
        return 0;
    return int(
        qMin<quint64>(soft - kReservedDescriptors, quint64(std::numeric_limits<int>::max())));
}

} // namespace fleet
