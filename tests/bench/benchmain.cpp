#include "benchmain.h"

#include "epolldispatcher.h"

#include <QCoreApplication>
#ifdef FLEET_BENCH_HAS_UI
#include <QApplication>
#endif
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace {

struct Subcommand {
    QString usage;
    BenchFunction run;
    BenchDispatcher dispatcher = BenchDispatcher::Qt;
};

std::map<QString, Subcommand>& registry()
{
    static std::map<QString, Subcommand> subcommands;
    return subcommands;
}

int printUsage(QTextStream& out)
{
    out << "usage: fleet-bench SUBCOMMAND [options]\n";
    for (const auto& [name, subcommand] : registry())
        out << "  " << subcommand.usage << '\n';
    return 2;
}

} // namespace

BenchRegistration::BenchRegistration(const char* name, const char* usage, BenchFunction run,
                                     BenchDispatcher dispatcher)
{
    registry()[QString::fromLatin1(name)] = {QString::fromUtf8(usage), std::move(run), dispatcher};
}

namespace {

// Before the application object: it creates its own dispatcher unless one is set. Returns
// whether the subcommand is a headless one (BenchDispatcher::Epoll), which gets a
// QCoreApplication as fleet-device has: QApplication's notify() would add its cost to every
// event measured.
bool installDispatcher(int argc, char** argv)
{
    if (argc < 2)
        return false;
    const auto it = registry().find(QString::fromLocal8Bit(argv[1]));
    if (it == registry().end() || it->second.dispatcher != BenchDispatcher::Epoll)
        return false;
    const QByteArray choice = qgetenv("FLEET_BENCH_DISPATCHER");
    if (choice == "qt")
        qputenv("QT_NO_GLIB", "1");
    if (!choice.isEmpty())
        return true;
    auto* dispatcher = new fleet::EpollDispatcher;
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher);
    else
        delete dispatcher;
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    const bool headless = installDispatcher(argc, argv);
    std::unique_ptr<QCoreApplication> app;
#ifdef FLEET_BENCH_HAS_UI
    if (!headless) {
        // Benchmarks run headless; widgets need a platform plugin all the same.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QApplication>(argc, argv);
    }
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QStringList arguments = app->arguments().mid(1);
    QTextStream err(stderr);
    if (arguments.isEmpty() || !registry().count(arguments.first()))
        return printUsage(err);
    const Subcommand& subcommand = registry().at(arguments.takeFirst());
    return subcommand.run(arguments);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t rank = size_t(std::ceil(p / 100.0 * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}
