#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace fleet {

// What the console and the emulator know of real modules (docs/modules.md). statusData and
// commandData are opaque to the protocol; this is where they get a meaning.

struct DeviceTypeInfo {
    quint32 number = 0;
    QString name; // "Arduino Opta"
};

struct PayloadPreset {
    QString name; // "Button pressed", unique per module and device type
    quint32 deviceType = 0;
    QByteArray payload;
    QString description; // one line: when to use it
};

struct ValidationResult {
    bool ok = true;
    // Precise and operator-readable: which key, which element, which value is wrong and what
    // the module wants instead, e.g. "element 0 (inputs): entry 2 has no boolean \"inSt\"".
    QString message;
    static ValidationResult valid() { return {}; }
    static ValidationResult invalid(const QString& why) { return {false, why}; }
};

// The gateway side of one module for one connected device: produces the command that
// answers each status, as the real module library does inside the real gateway
// (docs/modules.md#device-behaviour). One emulator serves one connection: create a new one
// when a device reconnects, so it starts again with the first command.
class ModuleEmulator {
public:
    virtual ~ModuleEmulator() = default;
    // The answer to a valid status when no cloud command waits: the module's first command
    // for the connection's first status, afterwards the module's command generation over its
    // current command (which the answer then becomes).
    virtual QByteArray answerStatus(const QByteArray& status) = 0;

    // The answer to a valid status when a cloud command (the operator's queue) waits. As in
    // the real gateway, the command becomes the module's current command and still goes
    // through the module's command generation: the example module derives the answer from the
    // status alone (docs/modules.md#example-module), the mission module removes a reached
    // stop (docs/modules.md#mission-module), the IO and transparent modules pass it through.
    virtual QByteArray answerCloudCommand(const QByteArray& status, const QByteArray& command) = 0;

    // The operator pushed these bytes unasked: they went out as they are and become the
    // module's current command, which later answers build on (the example module keeps none).
    virtual void setCurrentCommand(const QByteArray& /*command*/) {}
};

// The mission module's two payload flavours (docs/modules.md#mission-module): protobuf up to 1.2.x,
// JSON from 1.3.0 on.
enum class MissionEncoding { Json, Protobuf };

// A mission command as the mission module sends it to the vehicle
// (docs/modules.md#mission-module): an action, the route it is on and the stops to drive to, in
// order. The console's mission planner and `fleet-gateway --mission` build theirs from a map.
struct MissionStop {
    QString name;
    double latitude = 0;
    double longitude = 0;
    double altitude = 0;
};
struct MissionCommand {
    enum class Action { NoAction = 0, Stop = 1, Start = 2 }; // the schema's numbers
    Action action = Action::Start;
    QString route;
    QList<MissionStop> stops;
};

struct ModuleInfo {
    quint32 number = 0;
    QString name;                      // "Example module"
    QList<DeviceTypeInfo> deviceTypes; // empty with acceptsAnyDeviceType
    bool acceptsAnyDeviceType = false; // transparent module
};

class ModuleCatalog {
public:
    // Mission (1), IO (2), transparent (3), example (1000).
    static QList<quint32> knownModules();
    static const ModuleInfo* module(quint32 number); // nullptr for unknown modules

    // "Example module" for known ones, "module 1001" for others.
    static QString moduleName(quint32 number);
    // "Arduino Opta" for known types, "type 7" for others.
    static QString deviceTypeName(quint32 module, quint32 deviceType);
    // Whether the module accepts this device type (unknown modules: false).
    static bool supportsDeviceType(quint32 module, quint32 deviceType);

    static QList<PayloadPreset> statusPresets(quint32 module, quint32 deviceType);
    static QList<PayloadPreset> commandPresets(quint32 module, quint32 deviceType);

    // The module's own rules for a status; unknown modules accept everything. A known module
    // rejects device types it does not know (the message lists the known ones).
    static ValidationResult validateStatus(quint32 module, quint32 deviceType,
                                           const QByteArray& status);
    // The shape a device of the module expects of a command (for the gateway's operator
    // queue); the modules themselves do not check commands, so this is advice, not a rule
    // the gateway enforces. Unknown modules and the transparent module accept everything.
    static ValidationResult validateCommand(quint32 module, quint32 deviceType,
                                            const QByteArray& command);

    // Which flavour a mission payload (status or command) is in, decided by strict parses
    // rather than by its first byte (docs/modules.md#mission-module): JSON when it parses as a
    // JSON object the module's rules accept, protobuf when it parses as AutonomyStatus or
    // AutonomyCommand without unknown fields (an exact re-encoding wins over a rejected JSON
    // object); an empty payload is protobuf. Bytes neither flavour reads get the flavour they
    // look like ('{' after whitespace: JSON), so messages quote the right errors.
    static MissionEncoding missionEncoding(const QByteArray& payload);
    // The command's bytes in either flavour: compact JSON with the module's key names and
    // order, or the serialized AutonomyCommand.
    static QByteArray encodeMissionCommand(const MissionCommand& command, MissionEncoding encoding);

    // One readable line: "START, route 'X', 2 stops: A, B", "output 1 on, output 2 toggle",
    // "lit_up: false"; for unknown modules or undecodable bytes a neutral description.
    static QString describeCommand(quint32 module, const QByteArray& command);
    static QString describeStatus(quint32 module, const QByteArray& status);

    // Multi-line views for inspectors: JSON re-indented with keys, their order and number
    // spelling untouched (unlike QJsonDocument); mission protobuf payloads decoded into their
    // JSON form; other text as it is. Empty when there is no readable form (binary or empty
    // bytes): show hex instead.
    static QString prettyStatus(quint32 module, const QByteArray& status);
    static QString prettyCommand(quint32 module, const QByteArray& command);

    // The emulated module's behaviour for one device; nullptr for unknown modules (whose
    // answers then come from the gateway's policy) and for device types the module does not
    // know (the gateway refuses those at connect, docs/protocol.md#identity-and-arbitration).
    static std::unique_ptr<ModuleEmulator> createEmulator(quint32 module, quint32 deviceType);
};

} // namespace fleet
