#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace fleet {

// What the console and the emulator know of real modules (MODULES.md). statusData and
// commandData are opaque to the protocol; this is where they get a meaning.

struct DeviceTypeInfo {
    quint32 number = 0;
    QString name; // "Arduino Opta"
};

struct PayloadPreset {
    QString name;        // "Button pressed", unique per module and device type
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
// answers each status, as the real module would (MODULES.md "behaviour worth emulating").
class ModuleEmulator {
public:
    virtual ~ModuleEmulator() = default;
    // The answer to a valid status (the first answer is the module's "first command").
    virtual QByteArray answerStatus(const QByteArray& status) = 0;
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

    // The module's own rules for a status; unknown modules accept everything.
    static ValidationResult validateStatus(quint32 module, quint32 deviceType,
                                           const QByteArray& status);
    // One readable line: "START, route 'X', 2 stops: A, B", "output 1 on, output 2 toggle",
    // "lit_up: false"; for unknown modules or undecodable bytes a neutral description.
    static QString describeCommand(quint32 module, const QByteArray& command);
    static QString describeStatus(quint32 module, const QByteArray& status);

    // The emulated module's behaviour for one device; nullptr for unknown modules (whose
    // answers then come from the gateway's policy).
    static std::unique_ptr<ModuleEmulator> createEmulator(quint32 module, quint32 deviceType);
};

} // namespace fleet
