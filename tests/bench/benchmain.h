#pragma once

#include <QStringList>

#include <functional>

// fleet-bench subcommands register themselves from their own source file, so each benchmark
// stays in one file: static const BenchRegistration reg("client", "…", &runClientBench);
using BenchFunction = std::function<int(const QStringList& arguments)>;

struct BenchRegistration {
    BenchRegistration(const char* name, const char* usage, BenchFunction run);
};
