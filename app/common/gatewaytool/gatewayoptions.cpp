#include "gatewayoptions.h"

#include "commandshell.h"
#include "hostport.h"
#include "optionreader.h"
#include "toolcommandline.h"

#include <algorithm>

namespace fleet {

namespace {

constexpr qint64 kMaxUint32 = 0xffffffffLL;

GatewayOptionsResult exitWith(int exitCode, const QString& message)
{
    GatewayOptionsResult result;
    result.outcome = GatewayOptionsResult::Outcome::Exit;
    result.exitCode = exitCode;
    result.message = message;
    return result;
}

} // namespace

bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port, QString* error)
{
    const QString trimmed = text.trimmed();
    if (!trimmed.isEmpty() &&
        std::all_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) { return c.isDigit(); })) {
        // A bare port: loopback, the safe default.
        const std::optional<quint16> barePort =
            HostPort::parsePort(trimmed, error, HostPort::Use::Listen);
        if (!barePort)
            return false;
        *address = QHostAddress(QHostAddress::LocalHost);
        *port = *barePort;
        return true;
    }
    const std::optional<HostPort> parsed =
        HostPort::parse(text, error, std::nullopt, HostPort::Use::Listen);
    if (!parsed)
        return false;
    QHostAddress listenAddress;
    if (parsed->host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        listenAddress = QHostAddress(QHostAddress::LocalHost);
    } else if (parsed->host == QLatin1String("*") || parsed->host.isEmpty()) {
        listenAddress = QHostAddress(QHostAddress::Any);
    } else if (!listenAddress.setAddress(parsed->host)) {
        // Name lookups block or need a callback; a listen address is local anyway.
        *error = QStringLiteral("'%1' is not an IP address (use an address, 'localhost' or '*')")
                     .arg(parsed->host);
        return false;
    }
    *address = listenAddress;
    *port = parsed->port;
    return true;
}

GatewayOptionsResult parseGatewayOptions(const QStringList& arguments)
{
    ToolCommandLine commandLine(
        QStringLiteral("fleet-gateway"),
        QStringLiteral(
            "Fleet Protocol v2 gateway emulator: accepts devices, answers each status with one\n"
            "command as the emulated module would, and takes operator commands on stdin.\n"
            "The first line of stdout is the bound address HOST:PORT; then one line per event.\n"
            "Exit status: 0 after SIGINT, SIGTERM or 'quit'; 1 cannot listen; 2 usage error.\n"
            "Under load (hundreds of devices), use --quiet: a line per status costs CPU."));
    QCommandLineParser& parser = commandLine.parser();
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
    parser.addOptions({listen, modules, acceptUnknown, delay, deadline, empty, defaultCommand,
                       silence, maxFrame, json, quiet, frames, noStdin});

    auto failure = [&commandLine](const QString& message) {
        return exitWith(ToolCommandLine::kExitUsage, commandLine.usageError(message));
    };
    switch (commandLine.parse(arguments)) {
    case ToolCommandLine::Result::Error:
        return failure(commandLine.error());
    case ToolCommandLine::Result::Help:
        return exitWith(0, commandLine.helpText() + QStringLiteral("\nOn stdin, ") +
                               CommandShell::helpText() + QLatin1Char('\n'));
    case ToolCommandLine::Result::Version:
        return exitWith(0, commandLine.versionText());
    case ToolCommandLine::Result::Run:
        break;
    }

    GatewayOptionsResult result;
    GatewayOptions& options = result.options;
    QString error;
    if (parser.isSet(listen) &&
        !parseListenAddress(parser.value(listen), &options.address, &options.port, &error))
        return failure(QStringLiteral("--listen: ") + error);
    if (parser.isSet(modules)) {
        options.policy.supportedModules.clear();
        for (const QString& part : parser.value(modules).split(QLatin1Char(','))) {
            const std::optional<qint64> number = parseWholeNumber(part, 0, kMaxUint32);
            if (!number)
                return failure(OptionReader::refusal(QStringLiteral("modules"), part,
                                                     QStringLiteral("a module number")));
            if (!options.policy.supportedModules.contains(quint32(*number)))
                options.policy.supportedModules.append(quint32(*number));
        }
    }
    OptionReader reader(parser);
    const auto milliseconds = [](qint64 max) {
        return QStringLiteral("a number of milliseconds (0-%1)").arg(max);
    };
    constexpr qint64 kMaxDelayMs = 3600000;
    constexpr qint64 kMaxSilenceMs = 86400000;
    reader.wholeNumber(QStringLiteral("answer-delay-ms"), 0, kMaxDelayMs,
                       &options.policy.answerDelayMs, milliseconds(kMaxDelayMs));
    reader.wholeNumber(QStringLiteral("answer-deadline-ms"), 0, kMaxDelayMs,
                       &options.policy.answerDeadlineMs, milliseconds(kMaxDelayMs));
    reader.wholeNumber(QStringLiteral("silence-timeout-ms"), 0, kMaxSilenceMs,
                       &options.policy.silenceTimeoutMs, milliseconds(kMaxSilenceMs));
    reader.wholeNumber(QStringLiteral("max-frame-bytes"), 1, kMaxUint32,
                       &options.policy.maxFrameBytes, QStringLiteral("a byte count"));
    if (!reader.ok())
        return failure(reader.error());
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
