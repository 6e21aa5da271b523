#pragma once

#include "deviceidentity.h"
#include "internalclient.h"
#include "payloadformat.h"

#include <QList>
#include <QPair>
#include <QString>

namespace fleet {

inline constexpr quint16 kAlternativeGatewayPort = 1636; // the reference container's port
inline constexpr int kDefaultAutoSendIntervalMs = 1000;

// What the operator typed into the composer, kept as text so that a half-edited draft (an
// odd hex digit count, broken JSON) survives a restart exactly as it was left.
struct ComposerDraft {
    PayloadFormat format = PayloadFormat::Text;
    QString text;
    // The text is a payload template (payloadtemplate.h), expanded at each send; it applies
    // to the Text and JSON formats only.
    bool isTemplate = false;
    friend bool operator==(const ComposerDraft&, const ComposerDraft&) = default;
};

// A device tab's behaviour as saved (docs/modules.md#device-behaviour): which one runs, its
// settings and, for a vehicle, its map and route. Kept as text, like the draft: the settings
// store checks it against the behaviours when it reads it back.
struct BehaviourConfig {
    QString name; // behaviourKey(): "button", "io", "vehicle"; empty: None (payload sender)
    // Behaviour::settings() as key and text value, in that order.
    QList<QPair<QString, QString>> settings;
    QString mapFile; // vehicle: the map file; empty: the built-in demo map
    QString route;   // vehicle: the route it stands on; empty: the map's first route
    // The operator edited the composer: the typed statuses go out, the behaviour's are paused.
    bool manual = false;
    bool isNone() const { return name.isEmpty(); }
    friend bool operator==(const BehaviourConfig&, const BehaviourConfig&) = default;
};

// Everything that defines one device session and outlives the process.
struct DeviceConfig {
    DeviceIdentity identity;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8888;
    // The server is the embedded gateway, wherever it listens this time (its port may differ
    // from run to run when 8888 is taken).
    bool useEmbeddedGateway = true;
    int connectTimeoutMs = kDefaultConnectTimeoutMs;
    int connectAttempts = 1;
    int resendAttempts = 1;
    int statusTimeoutMs = kDefaultStatusTimeoutMs;
    int autoSendIntervalMs = kDefaultAutoSendIntervalMs;
    ComposerDraft draft;
    BehaviourConfig behaviour;

    friend bool operator==(const DeviceConfig&, const DeviceConfig&) = default;

    ClientSettings clientSettings() const
    {
        ClientSettings settings;
        settings.connectTimeoutMs = connectTimeoutMs;
        settings.connectAttempts = connectAttempts;
        settings.resendAttempts = resendAttempts;
        return settings;
    }

    // The example module's button with a status the module accepts: Connect then Send shows
    // a real command on a fresh machine (issue 4, start-up).
    static DeviceConfig exampleButton()
    {
        DeviceConfig config;
        config.identity.module = ModuleNumber::Example;
        config.identity.deviceType = 0;
        config.identity.role = QStringLiteral("button");
        config.identity.name = QStringLiteral("console button");
        config.identity.priority = 0;
        config.draft.text = QStringLiteral("{\"pressed\": true}");
        return config;
    }

    // A living device ready to connect (New device › Example button, IO board (Opta),
    // Autonomous vehicle): the identity of its kind with its behaviour chosen. `behaviour` is
    // a behaviourKey(); an unknown one gives the example button without a behaviour.
    static DeviceConfig livingDevice(const QString& behaviour);
};

// The saved name of the behaviour that fits a device ("button", "io", "vehicle"), empty when
// the device has none.
QString behaviourKey(quint32 module, quint32 deviceType);

// A role for `wanted` that no identity in `taken` shares a slot with: the role itself when
// free, else "role-2", "role-3", … (a new device should not be its sibling's rival).
QString uniqueRole(const DeviceIdentity& wanted, const QList<DeviceIdentity>& taken);

} // namespace fleet
