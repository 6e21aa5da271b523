#pragma once

#include <QByteArray>

#include <cstdio>
#include <cstdlib>

// What the fuzz targets share: a failed property is a finding, reported like a crash so that
// libFuzzer saves the input (scripts/fuzz.sh fails on it).
#define FLEET_FUZZ_CHECK(condition, what)                                                          \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz property failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__,  \
                         #condition, QByteArray(what).constData());                                \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace fleet::fuzz {

// Silences libprotobuf's own log lines (invalid UTF-8 in a string field, …): millions of inputs
// would fill the terminal, and a log line is no finding. Called from LLVMFuzzerInitialize.
void quietLibraries();

} // namespace fleet::fuzz
