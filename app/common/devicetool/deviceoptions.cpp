#include "deviceoptions.h"

#include "behaviouroptions.h"
#include "modulecatalog.h"
#include "optionreader.h"
#include "payloadtext.h"
#include "replaytool.h"
#include "scenario.h"
#include "toolcommandline.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>

#include <limits>

namespace fleet {

namespace {

// Thousands of devices need thousands of sockets; beyond this a typo is more likely.
constexpr int kMaxDevices = 10000;

const QString kInvalidArgument = QStringLiteral("InvalidArgument");
const QString kStatusRejected = QStringLiteral("StatusRejected");

QList<QCommandLineOption> optionList()
{
    using O = QCommandLineOption;
    return {
        O({QStringLiteral("module")},
          QStringLiteral(
              "Module number or name (example, mission, io, transparent). Default 1000."),
          QStringLiteral("N|name")),
        O({QStringLiteral("type")}, QStringLiteral("Device type. Default 0."), QStringLiteral("N")),
        O({QStringLiteral("role")}, QStringLiteral("Device role. Default button."),
          QStringLiteral("R")),
        O({QStringLiteral("name")}, QStringLiteral("Device name. Default fleet-device."),
          QStringLiteral("N")),
        O({QStringLiteral("priority")}, QStringLiteral("Priority, 0 is the highest. Default 0."),
          QStringLiteral("P")),
        O({QStringLiteral("host")},
          QStringLiteral("Gateway host, or HOST:PORT ([ADDRESS]:PORT for IPv6). Default "
                         "127.0.0.1."),
          QStringLiteral("HOST")),
        O({QStringLiteral("port")}, QStringLiteral("Gateway port. Default 8888."),
          QStringLiteral("PORT")),
        O({QStringLiteral("devices")},
          QStringLiteral("Emulate K devices; their roles get the suffixes -1..-K. Default 1."),
          QStringLiteral("K")),
        O({QStringLiteral("status")}, QStringLiteral("Status payload as text."),
          QStringLiteral("TEXT")),
        O({QStringLiteral("template")},
          QStringLiteral("Treat the --status text as a template expanded per status: {{seq}}, "
                         "{{now_ms}}, {{iso_time}}, {{random A B}}, {{choice a|b}}, "
                         "{{toggle X Y}}, {{device.role}}, … ({{{{ is a literal {{).")),
        O({QStringLiteral("status-hex")},
          QStringLiteral("Status payload as hex digits (spaces and ':' allowed between bytes)."),
          QStringLiteral("HEX")),
        O({QStringLiteral("status-file")}, QStringLiteral("Status payload: the file's bytes."),
          QStringLiteral("PATH")),
        O({QStringLiteral("preset")},
          QStringLiteral("Status payload: a preset of the module and type (see --list-presets). "
                         "Default: the first preset."),
          QStringLiteral("NAME")),
        O({QStringLiteral("list-presets")},
          QStringLiteral("List the status presets of the module and type, then exit.")),
        O({QStringLiteral("count")},
          QStringLiteral("Statuses per device; 0 = until interrupted. Default 1."),
          QStringLiteral("N")),
        O({QStringLiteral("interval")},
          QStringLiteral("Milliseconds between statuses of a device; 0 = as soon as the answer "
                         "is in. Default 0."),
          QStringLiteral("MS")),
        O({QStringLiteral("timeout")},
          QStringLiteral("Seconds to wait for each answer (decimals allowed). Default 5."),
          QStringLiteral("S")),
        O({QStringLiteral("connect-timeout")},
          QStringLiteral("Seconds for the TCP connect and connect response. Default 1."),
          QStringLiteral("S")),
        O({QStringLiteral("connect-attempts")},
          QStringLiteral("Attempts of the initial connect. Default 1."), QStringLiteral("N")),
        O({QStringLiteral("ramp")},
          QStringLiteral("With --devices: start at most N connects per second (\"N\" or "
                         "\"N/s\"); 0 = as fast as the gateway accepts them. Default 1000."),
          QStringLiteral("N/s")),
        O({QStringLiteral("behave"), QStringLiteral("behaviour")},
          QStringLiteral("A device that behaves instead of one payload: example (alias button), "
                         "io or vehicle. Statuses on change and heartbeat, every command "
                         "applied, a state event on every change; runs until interrupted "
                         "unless --count."),
          QStringLiteral("KIND")),
        O({QStringLiteral("map")},
          QStringLiteral("--behave vehicle: an OSM map file. Default: the built-in demo site."),
          QStringLiteral("FILE")),
        O({QStringLiteral("route")},
          QStringLiteral("--behave vehicle: the route to start on. Default: the map's first."),
          QStringLiteral("NAME")),
        O({QStringLiteral("set")},
          QStringLiteral("A behaviour setting, repeatable: outputBase=0, applyRepeated=true, "
                         "encoding=protobuf, waitAtStop=10, interpolate=false, period=1000, …"),
          QStringLiteral("KEY=VALUE")),
        O({QStringLiteral("scenario")},
          QStringLiteral("Run a scenario file (docs/scenarios.md) instead: its devices and "
                         "steps, against --host/--port when given. Exit 5 when an expectation "
                         "fails."),
          QStringLiteral("FILE")),
        O({QStringLiteral("junit")},
          QStringLiteral("--scenario, --replay: also write the results as JUnit XML to FILE."),
          QStringLiteral("FILE")),
        O({QStringLiteral("replay")},
          QStringLiteral("Replay a traffic log export (JSON Lines): its devices' connects and "
                         "statuses, byte for byte, as a scenario run like --scenario "
                         "(docs/scenarios.md#record-and-replay)."),
          QStringLiteral("FILE.jsonl")),
        O({QStringLiteral("replay-timing")},
          QStringLiteral("--replay: recorded (the pauses as logged) or fast (none). Default "
                         "recorded."),
          QStringLiteral("recorded|fast")),
        O({QStringLiteral("record-scenario")},
          QStringLiteral("--replay: only write the scenario to FILE (to edit, then run with "
                         "--scenario); --host/--port become its server."),
          QStringLiteral("FILE")),
        O({QStringLiteral("validate")},
          QStringLiteral("Refuse a payload the module would reject (usage error, exit 2).")),
        O({QStringLiteral("json")},
          QStringLiteral("One JSON object per line on stdout, each with an \"event\" key.")),
        O({QStringLiteral("quiet")},
          QStringLiteral("No line per command: connect, errors and the summary only.")),
        O({QStringLiteral("verbose")},
          QStringLiteral("Also print the client library's debug lines on stderr.")),
    };
}

// --wait-at-stop, --speed, --period, --encoding: shorthands for behaviour settings.
QList<QCommandLineOption> settingFlagOptions()
{
    QList<QCommandLineOption> options;
    for (const behaviourtool::SettingFlag& flag : behaviourtool::settingFlags()) {
        options.append(QCommandLineOption(QString::fromLatin1(flag.option),
                                          QString::fromLatin1(flag.help),
                                          QString::fromLatin1(flag.valueName)));
    }
    return options;
}

const char* kDescription =
    "Emulates Fleet Protocol v2 devices headless: connects to a gateway, sends statuses and\n"
    "prints the commands that answer them.\n"
    "Exit codes: 0 every status answered, 1 other failure (e.g. interrupted before --count),\n"
    "2 usage error, 3 communication error, 4 connect refused by the gateway,\n"
    "5 an expectation of a --scenario (or --replay) failed.";

ParseOutcome usageError(const QString& message, const QString& name = kInvalidArgument)
{
    return {ParseOutcome::Action::UsageError, message, name};
}

QString presetNames(const QList<PayloadPreset>& presets)
{
    QStringList names;
    for (const PayloadPreset& preset : presets)
        names << QLatin1Char('\'') + preset.name + QLatin1Char('\'');
    return names.join(QStringLiteral(", "));
}

QString moduleAndType(const DeviceIdentity& identity)
{
    return QStringLiteral("%1 (%2), device type %3")
        .arg(ModuleCatalog::moduleName(identity.module))
        .arg(identity.module)
        .arg(identity.deviceType);
}

QString listPresets(const DeviceOptions& options)
{
    const DeviceIdentity& id = options.identity;
    const QList<PayloadPreset> presets = ModuleCatalog::statusPresets(id.module, id.deviceType);
    if (presets.isEmpty())
        return QStringLiteral("%1 has no status presets.\n").arg(moduleAndType(id));
    QString text = QStringLiteral("Status presets for %1:\n").arg(moduleAndType(id));
    for (const PayloadPreset& preset : presets) {
        text += QStringLiteral("  %1\n    %2\n    %3\n")
                    .arg(preset.name, preset.description,
                         ModuleCatalog::describeStatus(id.module, preset.payload));
    }
    return text;
}

// Exactly one payload source; without any, the module's first preset.
ParseOutcome resolvePayload(const QCommandLineParser& parser, DeviceOptions* options)
{
    const QStringList sources = {QStringLiteral("status"), QStringLiteral("status-hex"),
                                 QStringLiteral("status-file"), QStringLiteral("preset")};
    QStringList given;
    for (const QString& source : sources) {
        if (parser.isSet(source))
            given << QStringLiteral("--") + source;
    }
    if (given.size() > 1) {
        return usageError(QStringLiteral("give only one status payload, not %1")
                              .arg(given.join(QStringLiteral(" and "))));
    }
    const DeviceIdentity& id = options->identity;
    if (parser.isSet(QStringLiteral("status"))) {
        options->payload = parser.value(QStringLiteral("status")).toUtf8();
        options->payloadSource = QStringLiteral("--status");
    } else if (parser.isSet(QStringLiteral("status-hex"))) {
        const HexParse hex = parseHex(parser.value(QStringLiteral("status-hex")));
        if (!hex.ok())
            return usageError(QStringLiteral("--status-hex: ") + hex.error);
        options->payload = hex.bytes;
        options->payloadSource = QStringLiteral("--status-hex");
    } else if (parser.isSet(QStringLiteral("status-file"))) {
        const QString path = parser.value(QStringLiteral("status-file"));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            return usageError(QStringLiteral("--status-file: cannot read '%1': %2")
                                  .arg(path, file.errorString()));
        }
        options->payload = file.readAll();
        options->payloadSource = QStringLiteral("--status-file '%1'").arg(path);
    } else {
        const QList<PayloadPreset> presets = ModuleCatalog::statusPresets(id.module, id.deviceType);
        const bool named = parser.isSet(QStringLiteral("preset"));
        const QString wanted = parser.value(QStringLiteral("preset"));
        const PayloadPreset* chosen = nullptr;
        for (const PayloadPreset& preset : presets) {
            if (!named || preset.name.compare(wanted, Qt::CaseInsensitive) == 0) {
                chosen = &preset;
                break;
            }
        }
        if (!chosen && named && presets.isEmpty()) {
            return usageError(QStringLiteral("--preset '%1': unknown preset: %2 has no status "
                                             "presets")
                                  .arg(wanted, moduleAndType(id)));
        }
        if (!chosen && named) {
            return usageError(QStringLiteral("--preset '%1': unknown preset for %2; known: %3")
                                  .arg(wanted, moduleAndType(id), presetNames(presets)));
        }
        if (!chosen) {
            return usageError(QStringLiteral("no status payload: give --status, --status-hex, "
                                             "--status-file or --preset (%1 has no presets)")
                                  .arg(moduleAndType(id)));
        }
        options->payload = chosen->payload;
        options->payloadSource = QStringLiteral("--preset '%1'").arg(chosen->name);
    }
    QByteArray checked = options->payload;
    if (parser.isSet(QStringLiteral("template"))) {
        if (!parser.isSet(QStringLiteral("status")))
            return usageError(QStringLiteral("--template applies to --status text only"));
        PayloadTemplate parsed = PayloadTemplate::parse(options->payload);
        if (!parsed.isValid())
            return usageError(QStringLiteral("--template: ") + parsed.errorString());
        // --validate checks the first expansion: the one with {{seq}} = 1.
        checked = parsed.expand({id, QDateTime::currentMSecsSinceEpoch(), nullptr}, {});
        options->payloadTemplate = std::move(parsed);
        options->payloadSource = QStringLiteral("--status --template");
    }
    if (options->validate) {
        const ValidationResult result =
            ModuleCatalog::validateStatus(id.module, id.deviceType, checked);
        if (!result.ok) {
            return usageError(QStringLiteral("--validate: the %1 would reject this status (%2): %3")
                                  .arg(ModuleCatalog::moduleName(id.module), options->payloadSource,
                                       result.message),
                              kStatusRejected);
        }
    }
    return {};
}

// --host takes HOST or HOST:PORT; the port is given once, there or in --port.
ParseOutcome parseServer(const QCommandLineParser& parser, DeviceOptions* options)
{
    QString error;
    const QString portOption = QStringLiteral("port");
    if (parser.isSet(portOption)) {
        const std::optional<quint16> port = HostPort::parsePort(parser.value(portOption), &error);
        if (!port)
            return usageError(QStringLiteral("--port: ") + error);
        options->server.port = *port;
    }
    const QString hostOption = QStringLiteral("host");
    if (!parser.isSet(hostOption))
        return {};
    const QString host = parser.value(hostOption);
    const bool portInHost = HostPort::parse(host).has_value();
    if (portInHost && parser.isSet(portOption)) {
        return usageError(QStringLiteral("--host '%1' names a port and --port gives another: "
                                         "give the port once")
                              .arg(host));
    }
    const std::optional<HostPort> server = HostPort::parse(host, &error, options->server.port);
    if (!server)
        return usageError(QStringLiteral("--host: ") + error);
    options->server = *server;
    return {};
}

ParseOutcome parseIdentityAndServer(const QCommandLineParser& parser, DeviceOptions* options)
{
    QString error;
    DeviceIdentity& id = options->identity;
    if (parser.isSet(QStringLiteral("module")) &&
        !parseModule(parser.value(QStringLiteral("module")), &id.module, &error))
        return usageError(QStringLiteral("--module: ") + error);
    constexpr qint64 kMaxUint32 = std::numeric_limits<quint32>::max();
    const auto wholeNumber = [](qint64 max) {
        return QStringLiteral("a whole number between 0 and %1").arg(max);
    };
    OptionReader reader(parser);
    reader.wholeNumber(QStringLiteral("type"), 0, kMaxUint32, &id.deviceType,
                       wholeNumber(kMaxUint32));
    reader.wholeNumber(QStringLiteral("priority"), 0, kMaxUint32, &id.priority,
                       wholeNumber(kMaxUint32));
    reader.wholeNumber(QStringLiteral("devices"), 0, kMaxDevices, &options->devices,
                       wholeNumber(kMaxDevices));
    if (!reader.ok())
        return usageError(reader.error());
    if (options->devices == 0)
        return usageError(QStringLiteral("--devices: at least 1 device"));
    if (parser.isSet(QStringLiteral("role")))
        id.role = parser.value(QStringLiteral("role"));
    if (parser.isSet(QStringLiteral("name")))
        id.name = parser.value(QStringLiteral("name"));
    return parseServer(parser, options);
}

// --ramp 500 or --ramp 500/s, as the README writes it.
ParseOutcome parseRamp(const QCommandLineParser& parser, DeviceOptions* options)
{
    constexpr qint64 kMaxRamp = 1000000;
    const QString option = QStringLiteral("ramp");
    if (!parser.isSet(option))
        return {};
    const QString value = parser.value(option);
    QStringView number(value);
    if (number.trimmed().endsWith(QLatin1String("/s")))
        number = number.trimmed().chopped(2);
    const std::optional<qint64> ramp = parseWholeNumber(number, 0, kMaxRamp);
    if (!ramp) {
        return usageError(OptionReader::refusal(
            option, value,
            QStringLiteral("a number of connects per second between 0 and %1, e.g. 500/s")
                .arg(kMaxRamp)));
    }
    options->rampPerSecond = int(*ramp);
    return {};
}

ParseOutcome parseTiming(const QCommandLineParser& parser, DeviceOptions* options)
{
    constexpr qint64 kMaxInt = std::numeric_limits<int>::max();
    constexpr qint64 kMaxAttempts = 100;
    constexpr double kMaxSeconds = 24.0 * 3600.0; // a day: beyond that a typo is more likely
    const auto wholeNumber = [](qint64 max) {
        return QStringLiteral("a whole number between 0 and %1").arg(max);
    };
    const QString seconds = QStringLiteral("a number of seconds between 0 and %1 (decimals "
                                           "allowed, e.g. 0.5)")
                                .arg(kMaxSeconds);
    OptionReader reader(parser);
    reader.wholeNumber(QStringLiteral("count"), 0, kMaxInt, &options->count, wholeNumber(kMaxInt));
    reader.wholeNumber(QStringLiteral("interval"), 0, kMaxInt, &options->intervalMs,
                       wholeNumber(kMaxInt));
    reader.wholeNumber(QStringLiteral("connect-attempts"), 0, kMaxAttempts,
                       &options->client.connectAttempts, wholeNumber(kMaxAttempts));
    // Seconds with decimals, as the reference client's timeouts.
    reader.secondsAsMs(QStringLiteral("timeout"), kMaxSeconds, &options->timeoutMs, seconds);
    reader.secondsAsMs(QStringLiteral("connect-timeout"), kMaxSeconds,
                       &options->client.connectTimeoutMs, seconds);
    if (!reader.ok())
        return usageError(reader.error());
    if (options->client.connectAttempts == 0)
        return usageError(QStringLiteral("--connect-attempts: at least 1 attempt"));
    return parseRamp(parser, options);
}

} // namespace

DeviceIdentity DeviceOptions::identityFor(int index) const
{
    DeviceIdentity id = identity;
    if (devices > 1)
        id.role = QStringLiteral("%1-%2").arg(identity.role).arg(index + 1);
    return id;
}

bool parseModule(const QString& text, quint32* module, QString* error)
{
    const QString wanted = text.trimmed();
    bool ok = false;
    const qulonglong number = wanted.toULongLong(&ok);
    if (ok && number <= std::numeric_limits<quint32>::max()) {
        *module = quint32(number);
        return true;
    }
    QStringList known;
    for (quint32 candidate : ModuleCatalog::knownModules()) {
        const QString name = ModuleCatalog::moduleName(candidate);
        // "Example module" → "example": the short form an operator types.
        const QString shortName = name.section(QLatin1Char(' '), 0, 0).toLower();
        const QString schemaName = schemaModuleName(candidate);
        if (wanted.compare(name, Qt::CaseInsensitive) == 0 ||
            wanted.compare(shortName, Qt::CaseInsensitive) == 0 ||
            (!schemaName.isEmpty() && wanted.compare(schemaName, Qt::CaseInsensitive) == 0)) {
            *module = candidate;
            return true;
        }
        known << QStringLiteral("%1 (%2)").arg(shortName).arg(candidate);
    }
    *error = QStringLiteral("'%1' is neither a module number nor a known module name; known: %2")
                 .arg(text, known.join(QStringLiteral(", ")));
    return false;
}

// --replay FILE.jsonl [--replay-timing recorded|fast] [--record-scenario OUT]: the export
// becomes a scenario now, so that a bad line is a usage error before anything connects.
static ParseOutcome parseReplay(const QCommandLineParser& parser, DeviceOptions* options)
{
    ScenarioRecordOptions::Timing timing = ScenarioRecordOptions::Timing::Recorded;
    QString error;
    if (parser.isSet(QStringLiteral("replay-timing")) &&
        !replaytool::parseTiming(parser.value(QStringLiteral("replay-timing")), &timing, &error))
        return usageError(error);
    options->recordScenarioFile = parser.value(QStringLiteral("record-scenario"));
    const bool onlyWrite = !options->recordScenarioFile.isEmpty();
    if (onlyWrite && !options->junitFile.isEmpty())
        return usageError(QStringLiteral("--record-scenario only writes the scenario: leave out "
                                         "--junit"));
    const QString exportFile = parser.value(QStringLiteral("replay"));
    replaytool::Replay replay;
    if (!replaytool::load(exportFile, timing,
                          onlyWrite && options->serverGiven ? options->server.toString()
                                                            : QString(),
                          onlyWrite ? options->recordScenarioFile : exportFile, &replay, &error))
        return usageError(error);
    options->scenario = replay.scenario;
    options->recordedScenario = replay.json;
    options->replayLeftOut = replay.recording.leftOut;
    return {};
}

// --scenario FILE or --replay FILE.jsonl [--junit OUT]: the file says the devices and what
// they send, so the options that say the same are refused rather than silently ignored.
static ParseOutcome parseScenario(const QCommandLineParser& parser, DeviceOptions* options)
{
    const bool replay = parser.isSet(QStringLiteral("replay"));
    const QString flag = replay ? QStringLiteral("--replay") : QStringLiteral("--scenario");
    if (replay && parser.isSet(QStringLiteral("scenario")))
        return usageError(QStringLiteral("give --scenario or --replay, not both"));
    for (const char* option : {"replay-timing", "record-scenario"}) {
        if (!replay && parser.isSet(QLatin1String(option)))
            return usageError(QStringLiteral("--%1 needs --replay").arg(QLatin1String(option)));
    }
    if (!replay && !parser.isSet(QStringLiteral("scenario")))
        return usageError(QStringLiteral("--junit needs --scenario or --replay"));
    for (const char* option :
         {"module",     "type",        "role",   "name",     "priority", "devices",     "status",
          "status-hex", "status-file", "preset", "template", "count",    "interval",    "ramp",
          "behave",     "map",         "route",  "set",      "validate", "list-presets"}) {
        if (parser.isSet(QLatin1String(option)))
            return usageError(QStringLiteral("%1 brings its own devices and steps: "
                                             "leave out --%2")
                                  .arg(flag, QLatin1String(option)));
    }
    options->junitFile = parser.value(QStringLiteral("junit"));
    options->serverGiven =
        parser.isSet(QStringLiteral("host")) || parser.isSet(QStringLiteral("port"));
    if (replay)
        return parseReplay(parser, options);
    auto scenario = std::make_shared<Scenario>();
    ScenarioError error;
    if (!Scenario::load(parser.value(QStringLiteral("scenario")), scenario.get(), &error))
        return usageError(error.toString());
    options->scenario = scenario;
    return {};
}

ParseOutcome parseDeviceOptions(const QStringList& arguments, DeviceOptions* options)
{
    ToolCommandLine commandLine(QStringLiteral("fleet-device"), QString::fromLatin1(kDescription));
    QCommandLineParser& parser = commandLine.parser();
    parser.addOptions(optionList());
    parser.addOptions(settingFlagOptions());
    // QCommandLineParser wants the program name first.
    switch (commandLine.parse(QStringList{QStringLiteral("fleet-device")} + arguments)) {
    case ToolCommandLine::Result::Error:
        return usageError(commandLine.error());
    case ToolCommandLine::Result::Help:
        return {ParseOutcome::Action::Help, commandLine.helpText(), {}};
    case ToolCommandLine::Result::Version:
        return {ParseOutcome::Action::Version, commandLine.versionText(), {}};
    case ToolCommandLine::Result::Run:
        break;
    }
    options->validate = parser.isSet(QStringLiteral("validate"));
    options->json = parser.isSet(QStringLiteral("json"));
    options->quiet = parser.isSet(QStringLiteral("quiet"));
    options->verbose = parser.isSet(QStringLiteral("verbose"));
    const bool behaves = parser.isSet(QStringLiteral("behave"));
    QString behaviourError;
    if (behaves && !behaviourtool::applyDefaults(parser.value(QStringLiteral("behave")), options,
                                                 &behaviourError))
        return usageError(behaviourError);
    ParseOutcome outcome = parseIdentityAndServer(parser, options);
    if (outcome.action != ParseOutcome::Action::Run)
        return outcome;
    for (const char* option : {"scenario", "replay", "junit", "replay-timing", "record-scenario"}) {
        if (parser.isSet(QLatin1String(option)))
            return parseScenario(parser, options);
    }
    if (parser.isSet(QStringLiteral("list-presets")))
        return {ParseOutcome::Action::ListPresets, listPresets(*options), {}};
    outcome = parseTiming(parser, options);
    if (outcome.action != ParseOutcome::Action::Run)
        return outcome;
    // A behaviour makes its own statuses; its options mean nothing without one.
    const QStringList payloadOptions{QStringLiteral("status"), QStringLiteral("status-hex"),
                                     QStringLiteral("status-file"), QStringLiteral("preset"),
                                     QStringLiteral("template")};
    QStringList behaviourOptions{QStringLiteral("map"), QStringLiteral("route"),
                                 QStringLiteral("set")};
    for (const behaviourtool::SettingFlag& flag : behaviourtool::settingFlags())
        behaviourOptions.append(QLatin1String(flag.option));
    for (const QString& option : behaves ? payloadOptions : behaviourOptions) {
        if (!parser.isSet(option))
            continue;
        return usageError(behaves ? QStringLiteral("give --behave or a status payload, not "
                                                   "both (--%1)")
                                        .arg(option)
                                  : QStringLiteral("--%1 needs --behave").arg(option));
    }
    if (behaves) {
        if (!behaviourtool::resolve(parser, options, &behaviourError))
            return usageError(behaviourError);
        return {};
    }
    return resolvePayload(parser, options);
}

} // namespace fleet
