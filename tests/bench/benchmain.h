#pragma once

#include <QStringList>

#include <functional>
#include <vector>

// fleet-bench subcommands register themselves from their own source file, so each benchmark
// stays in one file: static const BenchRegistration reg("client", "…", &runClientBench);
using BenchFunction = std::function<int(const QStringList& arguments)>;

// How a subcommand runs. Qt: a QApplication (offscreen) on Qt's default dispatcher, for
// benchmarks of models and views. Epoll: headless, a QCoreApplication on the epoll dispatcher
// fleet-device and fleet-gateway run on (app/common/tools), installed before the application
// object exists; FLEET_BENCH_DISPATCHER=qt|glib keeps Qt's own instead, for a comparison.
enum class BenchDispatcher { Qt, Epoll };

struct BenchRegistration {
    BenchRegistration(const char* name, const char* usage, BenchFunction run,
                      BenchDispatcher dispatcher = BenchDispatcher::Qt);
};

// The p-th percentile (nearest rank) of samples in any order; 0 for none.
double percentile(std::vector<double> values, double p);
