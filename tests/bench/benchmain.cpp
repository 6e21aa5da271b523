#include "benchmain.h"

#include <QCoreApplication>
#ifdef FLEET_BENCH_HAS_UI
#include <QApplication>
#endif
#include <QTextStream>

#include <map>

namespace {

struct Subcommand {
    QString usage;
    BenchFunction run;
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

BenchRegistration::BenchRegistration(const char* name, const char* usage, BenchFunction run)
{
    registry()[QString::fromLatin1(name)] = {QString::fromUtf8(usage), std::move(run)};
}

int main(int argc, char** argv)
{
#ifdef FLEET_BENCH_HAS_UI
    // Benchmarks run headless; widgets need a platform plugin all the same.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QStringList arguments = app.arguments().mid(1);
    QTextStream err(stderr);
    if (arguments.isEmpty() || !registry().count(arguments.first()))
        return printUsage(err);
    const Subcommand& subcommand = registry().at(arguments.takeFirst());
    return subcommand.run(arguments);
}
