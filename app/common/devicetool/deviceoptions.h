#pragma once

#include "deviceidentity.h"
#include "hostport.h"
#include "internalclient.h"
#include "payloadtemplate.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace fleet {

class OsmMap;
class Scenario;

// Process exit codes of fleet-device: scripts branch on them, so they are part of its contract.
namespace ExitCode {
inline constexpr int Success = 0; // every status got its answer
inline constexpr int Failure = 1; // anything else (e.g. interrupted before --count)
inline constexpr int Usage = 2;   // bad flags, unreadable file, bad hex, unknown preset, --validate
inline constexpr int Communication = 3; // the communication family of InternalClient::Error
inline constexpr int Connect = 4;       // the connect family (non-OK connect response)
inline constexpr int Expectation = 5;   // --scenario: an expectation did not hold
} // namespace ExitCode

inline constexpr quint16 kDeviceDefaultPort = 8888; // docs/protocol.md#framing
inline constexpr int kDefaultDeviceStatusTimeoutMs = 5000;
// --ramp: 10,000 devices connect in 10 s instead of a burst a gateway's listen backlog and SYN
// retries turn into connect timeouts (README "Many devices").
inline constexpr int kDefaultRampPerSecond = 1000;

// Everything fleet-device was asked to do, with the payload already resolved to bytes.
struct DeviceOptions {
    DeviceIdentity identity{ModuleNumber::Example, 0, QStringLiteral("button"),
                            QStringLiteral("fleet-device"), 0};
    HostPort server{QStringLiteral("127.0.0.1"), kDeviceDefaultPort}; // --host, --port
    int devices = 1;
    QByteArray payload;
    // --template: the --status text, expanded per status (README "Templated payloads").
    std::optional<PayloadTemplate> payloadTemplate;
    QString payloadSource; // "--preset 'Button pressed'", for messages
    int count = 1;         // statuses per device; 0 = until interrupted
    int intervalMs = 0;    // between statuses of one device; 0 = as soon as answered
    int rampPerSecond = kDefaultRampPerSecond; // --ramp: connects started per second at most
    int timeoutMs = kDefaultDeviceStatusTimeoutMs;
    ClientSettings client;
    bool validate = false;
    bool json = false;
    bool quiet = false;   // no per-command lines, only connect, errors and the summary
    bool verbose = false; // the client library's debug lines (fleet.client) on stderr
    // --behave: a device that lives (docs/modules.md#device-behaviour) instead of one payload.
    QString behaviour;                 // "example", "io", "vehicle"; empty: the payload
    std::shared_ptr<const OsmMap> map; // --map for the vehicle; null: the demo map
    QString route;                     // --route; empty: the map's first
    QStringList behaviourSettings;     // KEY=VALUE: --wait-at-stop & co., then --set in order
    // --scenario: a scenario file run instead (docs/scenarios.md), read and checked whole.
    std::shared_ptr<const Scenario> scenario;
    // --replay: the export as a scenario file (docs/scenarios.md#record-and-replay), also in
    // `scenario`; with --record-scenario it is only written to recordScenarioFile.
    QByteArray recordedScenario;
    QString recordScenarioFile;
    QStringList replayLeftOut; // what the export held that the scenario cannot say
    QString junitFile;         // --junit: the scenario's JUnit XML report
    bool serverGiven = false;  // --host or --port: every scenario device goes there

    // The identity of device `index` (0-based) of `devices`: roles get "-1".."-K" when K > 1.
    DeviceIdentity identityFor(int index) const;
};

struct ParseOutcome {
    enum class Action { Run, Help, Version, ListPresets, UsageError };
    Action action = Action::Run;
    QString text;      // help text, version, preset list, or the usage error's message
    QString errorName; // for usage errors: "InvalidArgument" or "StatusRejected"
};

// Parses the command line (arguments without the program name) into options; reads the
// status file and resolves presets, so every usage error is found before anything connects.
ParseOutcome parseDeviceOptions(const QStringList& arguments, DeviceOptions* options);

// "--module" accepts a number or a name: "example", "EXAMPLE_MODULE", "Example module".
bool parseModule(const QString& text, quint32* module, QString* error);

} // namespace fleet
