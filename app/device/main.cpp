// fleet-device: emulated Fleet Protocol v2 devices, headless (docs/architecture.md#layers).
#include "deviceoptions.h"
#include "devicerunner.h"
#include "epolldispatcher.h"
#include "eventprinter.h"
#include "modulecatalog.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>

using namespace fleet;

namespace {

void printText(FILE* stream, const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

int listPresets(const DeviceOptions& options, const QString& text, EventPrinter* printer)
{
    if (!options.json) {
        printText(stdout, text);
        return ExitCode::Success;
    }
    const DeviceIdentity& id = options.identity;
    for (const PayloadPreset& preset : ModuleCatalog::statusPresets(id.module, id.deviceType))
        printer->preset(id.module, id.deviceType, preset.name, preset.payload, preset.description);
    return ExitCode::Success;
}

} // namespace

int main(int argc, char** argv)
{
    // The epoll dispatcher, as in fleet-gateway: with --devices in the thousands, every pass of
    // Qt's dispatchers polls every socket (glib's also walks all notifiers on each write).
    // FLEET_DEVICE_DISPATCHER=qt keeps Qt's own UNIX dispatcher (never glib's).
    if (qEnvironmentVariable("FLEET_DEVICE_DISPATCHER") != QLatin1String("qt")) {
        auto* dispatcher = new fleet::EpollDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher);
        else
            delete dispatcher;
    }
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleet-device"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEET_VERSION));

    const QStringList arguments = app.arguments().mid(1);
    DeviceOptions options;
    const ParseOutcome outcome = parseDeviceOptions(arguments, &options);
    // A usage error may come before --json was read: look for it directly.
    options.json = options.json || arguments.contains(QStringLiteral("--json"));
    EventPrinter printer(options.json, options.quiet);

    switch (outcome.action) {
    case ParseOutcome::Action::Help:
    case ParseOutcome::Action::Version:
        printText(stdout, outcome.text);
        return ExitCode::Success;
    case ParseOutcome::Action::ListPresets:
        return listPresets(options, outcome.text, &printer);
    case ParseOutcome::Action::UsageError:
        // stderr always gets the sentence; with --json, stdout gets the same as an event.
        printText(
            stderr,
            QStringLiteral("fleet-device: %1\nTry 'fleet-device --help'.\n").arg(outcome.text));
        if (options.json)
            printer.error(nullptr, outcome.errorName, QStringLiteral("usage"), outcome.text);
        return ExitCode::Usage;
    case ParseOutcome::Action::Run:
        break;
    }

    // The library's debug lines would drown the tool's own; QT_LOGGING_RULES still wins.
    if (!options.verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));

    SignalWatcher signalWatcher;
    if (!signalWatcher.isValid())
        printText(stderr, QStringLiteral("fleet-device: %1; Ctrl+C will not print a summary\n")
                              .arg(signalWatcher.errorString()));
    DeviceRunner runner(options, &printer);
    QObject::connect(&signalWatcher, &SignalWatcher::signalReceived, &runner, &DeviceRunner::stop);
    // Queued: the runner may finish inside one of its devices' signals.
    QObject::connect(&runner, &DeviceRunner::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    QTimer::singleShot(0, &runner, &DeviceRunner::start);
    return app.exec();
}
