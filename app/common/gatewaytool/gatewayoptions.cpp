#include "gatewayoptions.h"

#include "commandshell.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace fleet {

namespace {

bool parseNumber(const QString& text, qint64 min, qint64 max, qint64* value)
{
    bool ok = false;
    const qint64 number = text.trimmed().toLongLong(&ok);
    if (!ok || number < min || number > max)
        return false;
    *value = number;
    return true;
}

GatewayOptionsResult failure(const QString& message)
{
    GatewayOptionsResult result;
    result.outcome = GatewayOptionsResult::Outcome::Exit;
    result.exitCode = 2;
    result.message = QStringLiteral("fleet-gateway: %1\nTry 'fleet-gateway --help'.").arg(message);
    return result;
}

} // namespace

bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port, QString* error)
{
    QString host;
    QString portText;
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(QLatin1Char('['))) {
        const qsizetype close = trimmed.indexOf(QStringLiteral("]:"));
        if (close < 0) {
            *error = QStringLiteral("'%1' is not HOST:PORT (IPv6: [ADDRESS]:PORT)").arg(text);
            return false;
        }
        host = trimmed.mid(1, close - 1);
        portText = trimmed.mid(close + 2);
    } else if (!trimmed.contains(QLatin1Char(':'))) {
        host = QStringLiteral("127.0.0.1"); // a bare port: loopback, the safe default
        portText = trimmed;
    } else {
        const qsizetype colon = trimmed.lastIndexOf(QLatin1Char(':'));
        host = trimmed.left(colon);
        portText = trimmed.mid(colon + 1);
        if (host.contains(QLatin1Char(':'))) {
            *error = QStringLiteral("'%1': write an IPv6 address in brackets, e.g. [::1]:8888")
                         .arg(text);
            return false;
        }
    }
    qint64 number = 0;
    if (!parseNumber(portText, 0, 65535, &number)) {
        *error = QStringLiteral("'%1' is not a port number (0-65535; 0 picks a free port)")
                     .arg(portText);
        return false;
    }
    QHostAddress parsed;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        parsed = QHostAddress(QHostAddress::LocalHost);
    } else if (host == QLatin1String("*") || host.isEmpty()) {
        parsed = QHostAddress(QHostAddress::Any);
    } else if (!parsed.setAddress(host)) {
        // Name lookups block or need a callback; a listen address is local anyway.
        *error = QStringLiteral("'%1' is not an IP address (use an address, 'localhost' or '*')")
                     .arg(host);
        return false;
    }
    *address = parsed;
    *port = quint16(number);
    return true;
}

QString formatAddress(const QHostAddress& address, quint16 port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

GatewayOptionsResult parseGatewayOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fleet Protocol v2 gateway emulator: accepts devices, answers each status with one\n"
        "command as the emulated module would, and takes operator commands on stdin.\n"
        "The first line of stdout is the bound address HOST:PORT; then one line per event.\n"
        "Exit status: 0 after SIGINT, SIGTERM or 'quit'; 1 cannot listen; 2 usage error.\n"
        "Under load (hundreds of devices), use --quiet: a line per status costs CPU."));
    const QCommandLineOption helpOption({QStringLiteral("h"), QStringLiteral("help")},
                                        QStringLiteral("Show this help and exit."));
    const QCommandLineOption versionOption(QStringLiteral("version"),
                                           QStringLiteral("Show the version and exit."));
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QStringLiteral("Address to listen on (default 127.0.0.1:8888; port 0 picks a free "
                       "port; '*:PORT' for every interface)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption modules(
        QStringLiteral("modules"),
        QStringLiteral("Module numbers served, comma-separated (default 1,2,3,1000)."),
        QStringLiteral("LIST"));
    const QCommandLineOption acceptUnknown(
        QStringLiteral("accept-unknown-types"),
        QStringLiteral("Accept any device type for served modules the emulator does not know "
                       "(e.g. 1001)."));
    const QCommandLineOption delay(
        QStringLiteral("answer-delay-ms"),
        QStringLiteral("The module answers a status after this many ms (default 0). Above the "
                       "deadline the connection is closed without an answer."),
        QStringLiteral("MS"));
    const QCommandLineOption deadline(
        QStringLiteral("answer-deadline-ms"),
        QStringLiteral("How long the gateway waits for its module (default 250, the "
                       "reference's; 0 = forever)."),
        QStringLiteral("MS"));
    const QCommandLineOption empty(
        QStringLiteral("empty-answers"),
        QStringLiteral("Answer every status with an empty command (push-only devices)."));
    const QCommandLineOption defaultCommand(
        QStringLiteral("default-command"),
        QStringLiteral("What modules the emulator does not know answer (default: empty)."),
        QStringLiteral("TEXT"));
    const QCommandLineOption silence(
        QStringLiteral("silence-timeout-ms"),
        QStringLiteral("Drop devices that send nothing for this long (default 0 = never; the "
                       "reference uses about 30000)."),
        QStringLiteral("MS"));
    const QCommandLineOption maxFrame(QStringLiteral("max-frame-bytes"),
                                      QStringLiteral("Largest accepted frame (default 16777216)."),
                                      QStringLiteral("BYTES"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("One JSON object per event per line."));
    const QCommandLineOption quiet(
        QStringLiteral("quiet"),
        QStringLiteral("No lines for individual statuses and commands (connections, "
                       "rejections, drops and errors only)."));
    const QCommandLineOption frames(QStringLiteral("frames"),
                                    QStringLiteral("Also print every frame in and out as hex."));
    const QCommandLineOption noStdin(QStringLiteral("no-stdin"),
                                     QStringLiteral("Ignore stdin (no operator commands)."));
    parser.addOptions({helpOption, versionOption, listen, modules, acceptUnknown, delay, deadline,
                       empty, defaultCommand, silence, maxFrame, json, quiet, frames, noStdin});

    if (!parser.parse(arguments))
        return failure(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return failure(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    GatewayOptionsResult result;
    if (parser.isSet(helpOption) || parser.isSet(versionOption)) {
        result.outcome = GatewayOptionsResult::Outcome::Exit;
        result.message =
            parser.isSet(helpOption)
                ? parser.helpText() + QStringLiteral("\nOn stdin, ") + CommandShell::helpText()
                      + QLatin1Char('\n')
                : QStringLiteral("fleet-gateway %1\n").arg(QCoreApplication::applicationVersion());
        return result;
    }

    GatewayOptions& options = result.options;
    QString error;
    if (parser.isSet(listen)
        && !parseListenAddress(parser.value(listen), &options.address, &options.port, &error))
        return failure(QStringLiteral("--listen: ") + error);
    if (parser.isSet(modules)) {
        options.policy.supportedModules.clear();
        for (const QString& part : parser.value(modules).split(QLatin1Char(','))) {
            qint64 number = 0;
            if (!parseNumber(part, 0, 0xffffffffLL, &number))
                return failure(QStringLiteral("--modules: '%1' is not a module number").arg(part));
            if (!options.policy.supportedModules.contains(quint32(number)))
                options.policy.supportedModules.append(quint32(number));
        }
    }
    struct IntOption {
        const QCommandLineOption& option;
        int* target;
        qint64 max;
    };
    const IntOption intOptions[] = {
        {delay, &options.policy.answerDelayMs, 3600000},
        {deadline, &options.policy.answerDeadlineMs, 3600000},
        {silence, &options.policy.silenceTimeoutMs, 86400000},
    };
    for (const IntOption& intOption : intOptions) {
        if (!parser.isSet(intOption.option))
            continue;
        qint64 number = 0;
        if (!parseNumber(parser.value(intOption.option), 0, intOption.max, &number))
            return failure(
                QStringLiteral("--%1: '%2' is not a number of milliseconds (0-%3)")
                    .arg(intOption.option.names().first(), parser.value(intOption.option))
                    .arg(intOption.max));
        *intOption.target = int(number);
    }
    if (parser.isSet(maxFrame)) {
        qint64 number = 0;
        if (!parseNumber(parser.value(maxFrame), 1, 0xffffffffLL, &number))
            return failure(QStringLiteral("--max-frame-bytes: '%1' is not a byte count")
                               .arg(parser.value(maxFrame)));
        options.policy.maxFrameBytes = quint32(number);
    }
    options.policy.acceptUnknownDeviceTypes = parser.isSet(acceptUnknown);
    options.policy.emptyAnswers = parser.isSet(empty);
    if (parser.isSet(defaultCommand))
        options.policy.defaultCommand = parser.value(defaultCommand).toUtf8();
    options.json = parser.isSet(json);
    options.quiet = parser.isSet(quiet);
    options.frames = parser.isSet(frames);
    options.commandsFromStdin = !parser.isSet(noStdin);
    return result;
}

} // namespace fleet
