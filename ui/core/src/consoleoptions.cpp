#include "consoleoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace fleet {

ConsoleOptionsResult parseConsoleOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "fleet-console", "Fleet Device Console: become a device on a Fleet Protocol "
                         "v2 network. Starts with an embedded gateway emulator on "
                         "127.0.0.1:8888 (or the next free port) and one example "
                         "device ready to connect."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption noGateway(QStringLiteral("no-gateway"),
                                       QStringLiteral("Do not start the embedded gateway."));
    const QCommandLineOption gatewayPort(
        QStringLiteral("gateway-port"),
        QStringLiteral("Embedded gateway port, exactly (0 = any free port). Default: 8888 or "
                       "the next free one."),
        QStringLiteral("N"));
    const QCommandLineOption connectTo(
        QStringLiteral("connect"),
        QStringLiteral("Put this server into the current device and connect at start."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption settings(
        QStringLiteral("settings"),
        QStringLiteral("Settings file to use instead of ~/.config/fleet/fleet-console.ini."),
        QStringLiteral("FILE"));
    const QCommandLineOption demo(
        QStringLiteral("screenshot-demo"),
        QStringLiteral("Connect, send and save window screenshots (PNG) into DIR, then quit."),
        QStringLiteral("DIR"));
    const QCommandLineOption logMib(
        QStringLiteral("traffic-log-mib"),
        QStringLiteral("Wire bytes the traffic log may hold, in MiB (1-65536; default 256). "
                       "Beyond it large frames keep their head, then the oldest rows go."),
        QStringLiteral("N"));
    const QCommandLineOption logFrames(
        QStringLiteral("traffic-log-frames"),
        QStringLiteral("Rows the traffic log may hold (100-10000000; default 100000)."),
        QStringLiteral("N"));
    parser.addOptions({noGateway, gatewayPort, connectTo, settings, demo, logMib, logFrames});
    parser.addPositionalArgument(
        QStringLiteral("FILE.json"),
        QStringLiteral("A workspace file to open at start (File › Save workspace writes one): "
                       "its devices, gateway setup and layout replace the last session's. A "
                       "file that cannot be read is named in the window; the last session "
                       "stays."),
        QStringLiteral("[FILE.json]"));

    ConsoleOptionsResult result;
    auto error = [&](const QString& text) {
        result.action = ConsoleOptionsResult::Action::Error;
        result.text = QStringLiteral("fleet-console: %1\nTry 'fleet-console --help'.").arg(text);
        return result;
    };
    if (!parser.parse(arguments))
        return error(parser.errorText());
    if (parser.isSet(help)) {
        result.action = ConsoleOptionsResult::Action::ShowHelp;
        result.text = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.action = ConsoleOptionsResult::Action::ShowVersion;
        result.text =
            QStringLiteral("fleet-console %1").arg(QCoreApplication::applicationVersion());
        return result;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return error(QStringLiteral("unexpected argument '%1': one workspace file can be opened "
                                    "at start")
                         .arg(positional.at(1)));

    ConsoleOptions& options = result.options;
    options.gateway = !parser.isSet(noGateway);
    if (parser.isSet(gatewayPort)) {
        if (!options.gateway)
            return error(QStringLiteral("--gateway-port and --no-gateway contradict each other"));
        QString why;
        options.gatewayPort =
            HostPort::parsePort(parser.value(gatewayPort), &why, HostPort::Use::Listen);
        if (!options.gatewayPort)
            return error(QStringLiteral("--gateway-port: ") + why);
    }
    if (parser.isSet(connectTo)) {
        QString why;
        options.connectTo = HostPort::parse(parser.value(connectTo), &why);
        if (!options.connectTo)
            return error(QStringLiteral("--connect: ") + why);
    }
    auto whole = [&](const QCommandLineOption& option, int minimum, int maximum, int* out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < minimum || value > maximum)
            return false;
        *out = value;
        return true;
    };
    if (!whole(logMib, 1, 65536, &options.trafficLogMib))
        return error(QStringLiteral("--traffic-log-mib: \"%1\" is not a whole number from 1 "
                                    "to 65536")
                         .arg(parser.value(logMib)));
    if (!whole(logFrames, 100, 10'000'000, &options.trafficLogFrames))
        return error(QStringLiteral("--traffic-log-frames: \"%1\" is not a whole number from "
                                    "100 to 10000000")
                         .arg(parser.value(logFrames)));
    options.settingsFile = parser.value(settings);
    options.screenshotDir = parser.value(demo);
    if (!positional.isEmpty()) {
        if (positional.first().isEmpty())
            return error(QStringLiteral("the workspace file name is empty"));
        options.workspaceFile = positional.first();
    }
    return result;
}

} // namespace fleet
