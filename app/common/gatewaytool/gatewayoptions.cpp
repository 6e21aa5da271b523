#include "gatewayoptions.h"

#include "commandshell.h"
#include "hostport.h"
#include "missiondispatcher.h"
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
    // The hardening bounds (README "Limits and hardening").
    const QCommandLineOption policyName(
        QStringLiteral("policy"),
        QStringLiteral("explaining (default) or strict-reference: the reference gateway's "
                       "timing, without the connect, frame and stall deadlines below (options "
                       "given explicitly still apply)."),
        QStringLiteral("NAME"));
    const QCommandLineOption stall(
        QStringLiteral("stall-timeout-ms"),
        QStringLiteral("Drop a connection whose partial frame gets no byte for this long "
                       "(default %1; 0 = never).")
            .arg(kDefaultStallTimeoutMs),
        QStringLiteral("MS"));
    const QCommandLineOption frameDeadline(
        QStringLiteral("frame-deadline-ms"),
        QStringLiteral("A frame must be complete this long after its first byte (default %1; "
                       "0 = never).")
            .arg(kDefaultFrameDeadlineMs),
        QStringLiteral("MS"));
    const QCommandLineOption connectDeadline(
        QStringLiteral("connect-deadline-ms"),
        QStringLiteral("Close connections that do not connect a device this long after "
                       "connecting (default %1; 0 = never).")
            .arg(kDefaultConnectDeadlineMs),
        QStringLiteral("MS"));
    const QCommandLineOption maxUnsent(
        QStringLiteral("max-unsent-bytes"),
        QStringLiteral("Stop reading from a device while this much of its answers is unsent "
                       "(default %1; 0 = no bound).")
            .arg(kDefaultMaxUnsentBytes),
        QStringLiteral("BYTES"));
    const QCommandLineOption maxUnsentTotal(
        QStringLiteral("max-unsent-total-bytes"),
        QStringLiteral("Stop reading from the devices holding the most unsent answers while "
                       "all devices together have this much unsent, until half is drained "
                       "(default %1; 0 = no budget).")
            .arg(kDefaultMaxUnsentTotalBytes),
        QStringLiteral("BYTES"));
    const QCommandLineOption maxIdentity(
        QStringLiteral("max-identity-bytes"),
        QStringLiteral("Refuse connects whose role or name is longer (UTF-8 bytes) with "
                       "DEVICE_NOT_SUPPORTED (default %1; 0 = no limit).")
            .arg(kDefaultMaxIdentityBytes),
        QStringLiteral("BYTES"));
    const QCommandLineOption maxPartial(
        QStringLiteral("max-partial-bytes"),
        QStringLiteral("Budget for partly received frames across all connections; the oldest "
                       "partial frame's connection is dropped first (default %1; 0 = none).")
            .arg(kDefaultMaxPartialBytes),
        QStringLiteral("BYTES"));
    const QCommandLineOption offload(
        QStringLiteral("offload-decode-bytes"),
        QStringLiteral("Decode and validate frames above this size on a worker thread, so they "
                       "do not stall other devices (default %1; 0 = never).")
            .arg(kDefaultOffloadDecodeBytes),
        QStringLiteral("BYTES"));
    const QCommandLineOption maxConnections(
        QStringLiteral("max-connections"),
        QStringLiteral("Open connections at most (default %1; 0 = as many as open files "
                       "allow). At the limit a new connection displaces the oldest one "
                       "without a device.")
            .arg(kDefaultMaxConnections),
        QStringLiteral("N"));
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
    // Playing the cloud for vehicles (README "Devices that behave").
    const QCommandLineOption mission(
        QStringLiteral("mission"),
        QStringLiteral("Queue this START mission for every vehicle (module 1, type 1) at its "
                       "first status and again whenever it is IDLE after driving it, in the "
                       "encoding of its statuses; e.g. \"Yard loop:Paint Shop,Canteen\"."),
        QStringLiteral("ROUTE:STOP,STOP"));
    const QCommandLineOption missionMap(
        QStringLiteral("map"),
        QStringLiteral("--mission: the OSM map of its route and stops (default: the built-in "
                       "demo site)."),
        QStringLiteral("FILE"));
    parser.addOptions({mission, missionMap});
    parser.addOptions({listen,      modules,        acceptUnknown,   delay,     deadline,
                       empty,       defaultCommand, silence,         maxFrame,  policyName,
                       stall,       frameDeadline,  connectDeadline, maxUnsent, maxUnsentTotal,
                       maxIdentity, maxPartial,     maxConnections,  offload,   json,
                       quiet,       frames,         noStdin});

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
    if (parser.isSet(policyName)) {
        const QString name = parser.value(policyName).trimmed();
        if (name == QLatin1String("strict-reference")) {
            options.policy = GatewayPolicy::strictReference();
            options.strictReference = true;
        } else if (name != QLatin1String("explaining")) {
            return failure(OptionReader::refusal(QStringLiteral("policy"), name,
                                                 QStringLiteral("explaining or strict-reference")));
        }
    }
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
    constexpr qint64 kMaxDeadlineMs = 86400000;
    constexpr qint64 kMaxBytes = qint64(1) << 40;
    const auto bytes = [](qint64 max) { return QStringLiteral("a byte count (0-%1)").arg(max); };
    reader.wholeNumber(QStringLiteral("stall-timeout-ms"), 0, kMaxDeadlineMs,
                       &options.policy.stallTimeoutMs, milliseconds(kMaxDeadlineMs));
    reader.wholeNumber(QStringLiteral("frame-deadline-ms"), 0, kMaxDeadlineMs,
                       &options.policy.frameDeadlineMs, milliseconds(kMaxDeadlineMs));
    reader.wholeNumber(QStringLiteral("connect-deadline-ms"), 0, kMaxDeadlineMs,
                       &options.policy.connectDeadlineMs, milliseconds(kMaxDeadlineMs));
    reader.wholeNumber(QStringLiteral("max-unsent-bytes"), 0, kMaxBytes,
                       &options.policy.maxUnsentBytes, bytes(kMaxBytes));
    reader.wholeNumber(QStringLiteral("max-unsent-total-bytes"), 0, kMaxBytes,
                       &options.policy.maxUnsentTotalBytes, bytes(kMaxBytes));
    reader.wholeNumber(QStringLiteral("max-identity-bytes"), 0, kMaxUint32 / 2,
                       &options.policy.maxIdentityBytes, bytes(kMaxUint32 / 2));
    reader.wholeNumber(QStringLiteral("max-partial-bytes"), 0, kMaxBytes,
                       &options.policy.maxPartialBytes, bytes(kMaxBytes));
    reader.wholeNumber(QStringLiteral("offload-decode-bytes"), 0, kMaxBytes,
                       &options.policy.offloadDecodeBytes, bytes(kMaxBytes));
    constexpr qint64 kMaxConnectionCount = 10000000;
    reader.wholeNumber(QStringLiteral("max-connections"), 0, kMaxConnectionCount,
                       &options.policy.maxConnections,
                       QStringLiteral("a number of connections (0-%1)").arg(kMaxConnectionCount));
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
    if (parser.isSet(missionMap) && !parser.isSet(mission))
        return failure(QStringLiteral("--map needs --mission"));
    if (parser.isSet(mission)) {
        MissionCommand planned;
        if (!MissionDispatcher::plan(parser.value(mission), parser.value(missionMap), &planned,
                                     &error))
            return failure(error);
        options.mission = planned;
    }
    return result;
}

} // namespace fleet
