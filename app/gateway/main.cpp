// fleet-gateway: the gateway emulator as a headless process (docs/architecture.md#layers).
#include "commandshell.h"
#include "epolldispatcher.h"
#include "eventwriter.h"
#include "gatewayoptions.h"
#include "gatewayserver.h"
#include "outputsink.h"
#include "signalpipe.h"
#include "stdinreader.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>
#include <cstdio>
#include <memory>
#include <unistd.h>

namespace {

constexpr int kExitListenFailed = 1;

// Qt's dispatchers cost O(devices) per status: every pass poll()s every socket, and the GLib
// one also searches a list of all notifiers whenever one is switched off (each answer does
// that). The epoll dispatcher touches only the sockets that have something to say.
// FLEET_GATEWAY_DISPATCHER=qt keeps Qt's own (without GLib).
void installEventDispatcher()
{
    if (qEnvironmentVariable("FLEET_GATEWAY_DISPATCHER") != QLatin1String("qt")) {
        auto dispatcher = std::make_unique<fleet::EpollDispatcher>();
        if (dispatcher->isValid()) {
            QCoreApplication::setEventDispatcher(dispatcher.release());
            return;
        }
    }
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

} // namespace

int main(int argc, char** argv)
{
    // A reader that closes our stdout must not kill the gateway: writes report EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    installEventDispatcher();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fleet-gateway"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEET_VERSION));
    // The event lines on stdout say everything the info log would; QT_LOGGING_RULES still
    // overrides this.
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.gateway.info=false"));

    const fleet::GatewayOptionsResult parsed = fleet::parseGatewayOptions(app.arguments());
    if (parsed.outcome == fleet::GatewayOptionsResult::Outcome::Exit) {
        std::fputs(parsed.message.toLocal8Bit().constData(), parsed.exitCode ? stderr : stdout);
        if (parsed.exitCode && !parsed.message.endsWith(QLatin1Char('\n')))
            std::fputc('\n', stderr);
        return parsed.exitCode;
    }
    const fleet::GatewayOptions& options = parsed.options;

    fleet::SignalPipe signalPipe;
    if (!signalPipe.isValid()) {
        std::fprintf(stderr, "fleet-gateway: %s\n", qPrintable(signalPipe.errorString()));
        return kExitListenFailed;
    }

    fleet::GatewayServer server;
    server.setPolicy(options.policy);
    if (!server.listen(options.address, options.port)) {
        std::fprintf(stderr, "fleet-gateway: %s\n", qPrintable(server.errorString()));
        return kExitListenFailed;
    }

    fleet::OutputSink out(STDOUT_FILENO);
    fleet::OutputSink err(STDERR_FILENO);
    // The contract with scripts: the first line is the bound address, at once.
    out.writeLine(fleet::formatAddress(server.serverAddress(), server.serverPort()).toUtf8());
    out.flush();

    fleet::EventWriter writer(&server, &out, {options.json, options.quiet, options.frames});
    fleet::CommandShell shell(&server, &out, &err, options.json);
    fleet::StdinReader stdinReader(STDIN_FILENO);
    if (options.commandsFromStdin && stdinReader.isOpen()) {
        QObject::connect(&stdinReader, &fleet::StdinReader::lineRead, &shell,
                         &fleet::CommandShell::execute);
    }

    auto stop = [&server, &out, &err] {
        server.close(); // every device gets its Disconnected line
        out.flushBlocking();
        err.flushBlocking();
        QCoreApplication::exit(0);
    };
    QObject::connect(&signalPipe, &fleet::SignalPipe::terminationRequested, &app, stop);
    QObject::connect(&shell, &fleet::CommandShell::quitRequested, &app, stop, Qt::QueuedConnection);
    return app.exec();
}
