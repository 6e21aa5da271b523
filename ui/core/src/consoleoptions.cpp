#include "consoleoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>

namespace fleet {

std::optional<HostPort> parseHostPort(const QString& text, QString* error)
{
    auto fail = [&](const QString& why) -> std::optional<HostPort> {
        if (error)
            *error = QStringLiteral("\"%1\": %2; expected HOST:PORT, e.g. 127.0.0.1:8888 or "
                                    "[::1]:8888")
                         .arg(text, why);
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    QString host;
    QString portText;
    if (trimmed.startsWith(QLatin1Char('['))) {
        const qsizetype close = trimmed.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("the IPv6 address has no closing ']'"));
        host = trimmed.mid(1, close - 1);
        if (trimmed.mid(close + 1, 1) != QLatin1String(":"))
            return fail(QStringLiteral("no port after the address"));
        portText = trimmed.mid(close + 2);
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol)
            return fail(QStringLiteral("\"%1\" is not an IPv6 address").arg(host));
    } else {
        const qsizetype colon = trimmed.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return fail(QStringLiteral("no port"));
        host = trimmed.left(colon);
        portText = trimmed.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return fail(QStringLiteral("IPv6 addresses go in brackets"));
    }
    if (host.isEmpty())
        return fail(QStringLiteral("no host"));
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return fail(QStringLiteral("\"%1\" is not a port from 1 to 65535").arg(portText));
    return HostPort{host, quint16(port)};
}

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
    parser.addOptions({noGateway, gatewayPort, connectTo, settings, demo});

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
    if (!parser.positionalArguments().isEmpty())
        return error(
            QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    ConsoleOptions& options = result.options;
    options.gateway = !parser.isSet(noGateway);
    if (parser.isSet(gatewayPort)) {
        if (!options.gateway)
            return error(QStringLiteral("--gateway-port and --no-gateway contradict each other"));
        bool ok = false;
        const uint port = parser.value(gatewayPort).toUInt(&ok);
        if (!ok || port > 65535) {
            return error(QStringLiteral("--gateway-port: \"%1\" is not a port number from 0 to "
                                        "65535")
                             .arg(parser.value(gatewayPort)));
        }
        options.gatewayPort = quint16(port);
    }
    if (parser.isSet(connectTo)) {
        QString why;
        options.connectTo = parseHostPort(parser.value(connectTo), &why);
        if (!options.connectTo)
            return error(QStringLiteral("--connect %1").arg(why));
    }
    options.settingsFile = parser.value(settings);
    options.screenshotDir = parser.value(demo);
    return result;
}

} // namespace fleet
