#pragma once

#include "deviceidentity.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace fleet {

// A scenario file (docs/scenarios.md): devices and the steps a run takes with them — connect,
// send, expect a command, an error or a behaviour's state, wait, repeat, disconnect, act as the
// embedded gateway. Read once, checked whole: every mistake names the file, the line and
// column of the value at fault and the step ("steps[2].steps[0] (expect_command)").

// Where a step's status bytes come from: exactly one source per step.
struct ScenarioPayload {
    enum class Source { Text, Json, Hex, Template, Preset, File };
    Source source = Source::Text;
    // Text, Template: the text; Json: compact JSON as written (key order and numbers kept);
    // Hex: the decoded bytes; Preset: the preset's name; File: the path as written.
    QByteArray data;
    QString fileName; // File: resolved against the scenario's folder
};

// What an expected command must be.
struct ScenarioMatch {
    enum class Kind {
        Any,        // any command (the step only waits for one)
        Exact,      // these bytes (written as text or hex)
        JsonEqual,  // the command is JSON equal to this value (key order and spacing aside)
        Regex,      // a regular expression that must match somewhere in the command text
        JsonSubset, // the command is JSON containing these keys and values (arrays by index)
        Fields      // decoded fields of a known module: {"action": "START", "stops[0].name": …}
    };
    Kind kind = Kind::Any;
    QByteArray bytes;  // Exact; JsonEqual, JsonSubset: the value as written, for messages
    QString pattern;   // Regex
    QJsonValue subset; // JsonEqual, JsonSubset
    QMap<QString, QJsonValue> fields; // Fields: path → value
};

struct ScenarioStep {
    enum class Kind {
        Connect,
        Send,
        ExpectCommand,
        ExpectError,
        ExpectState,
        Wait,
        Repeat,
        Together,
        Disconnect,
        Gateway
    };
    enum class GatewayAction { Queue, Push, Disconnect, Delay };

    Kind kind = Kind::Wait;
    QString path; // "steps[3]", "steps[3].steps[0]": how messages name the step
    int line = 0; // where the step's object starts in the file
    int column = 0;
    QString device; // the device key the step acts on (empty for wait, repeat, together, delay)

    ScenarioPayload payload;   // Send; Gateway Queue and Push
    ScenarioMatch match;       // ExpectCommand
    QString errorName;         // ExpectError: InternalClient::errorName() spelling
    QString state;             // ExpectState: "IN_STOP", "lamp on", …
    int withinMs = 0;          // Connect and the expectations: how long to wait
    int waitMs = 0;            // Wait; Gateway Delay: the answer delay
    int count = 1;             // Repeat
    QList<ScenarioStep> steps; // Repeat: the body; Together: run at once
    GatewayAction gatewayAction = GatewayAction::Queue;

    // "expect_command", "gateway queue", …: the step's name in messages and reports.
    QString kindName() const;
    // "steps[3] (expect_command)"
    QString label() const;
};

struct ScenarioDevice {
    QString key; // how steps name it: "plc"
    DeviceIdentity identity;
    std::optional<QString> server; // "HOST:PORT"; unset: the scenario's, then the runner's
    QString behaviour;             // "", "example", "io", "vehicle"
    QMap<QString, QString> settings;
};

struct ScenarioError {
    QString fileName;
    int line = 0;
    int column = 0;
    QString step; // label of the step at fault; empty for the file's header and devices
    QString message;
    // "opta.json:12:9: steps[2] (expect_command): "within_ms" must be a whole number ≥ 0"
    QString toString() const;
};

class Scenario {
public:
    static constexpr int kFormatVersion = 1;
    static constexpr int kDefaultWithinMs = 2000;
    static constexpr int kMaxRepeat = 1000000;
    static constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024; // load() refuses bigger files

    // Reads a scenario from its bytes; fileName labels messages and anchors relative paths.
    // False with *error at the first mistake.
    static bool parse(const QByteArray& json, const QString& fileName, Scenario* scenario,
                      ScenarioError* error);
    static bool load(const QString& fileName, Scenario* scenario, ScenarioError* error);

    QString fileName() const { return m_fileName; }
    QString name() const { return m_name; }
    std::optional<QString> server() const { return m_server; }
    const QList<ScenarioDevice>& devices() const { return m_devices; }
    const ScenarioDevice* device(const QString& key) const;
    const QList<ScenarioStep>& steps() const { return m_steps; }

private:
    friend class ScenarioReader;
    QString m_fileName;
    QString m_name;
    std::optional<QString> m_server;
    QList<ScenarioDevice> m_devices;
    QList<ScenarioStep> m_steps;
};

} // namespace fleet
