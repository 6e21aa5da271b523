#pragma once

#include "behaviour.h"
#include "deviceidentity.h"
#include "eventprinter.h"

#include <QStringList>

#include <memory>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace fleet {

class OsmMap;
struct DeviceOptions;

// fleet-device --behave example|io|vehicle (alias --behaviour; button is the example): the
// console's behaviours headless (docs/modules.md#device-behaviour). Statuses come from the
// behaviour, on change and on its heartbeat, and every command goes into it.
namespace behaviourtool {

// The options that are shorthands for a behaviour setting (--wait-at-stop S is --set
// waitAtStop=S), for the option list and the checks.
struct SettingFlag {
    const char* option;  // "wait-at-stop"
    const char* setting; // "waitAtStop"
    const char* valueName;
    const char* help;
    bool vehicleOnly;
};
QList<SettingFlag> settingFlags();

// The identity a behaviour's device has unless --module/--type/--role say otherwise.
// False (with *error) for an unknown behaviour name.
bool applyDefaults(const QString& behaviour, DeviceOptions* options, QString* error);

// Checks --behave against the device, loads --map, checks --route, the setting flags and
// every --set KEY=VALUE, so that every mistake is a usage error before anything connects.
bool resolve(const QCommandLineParser& parser, DeviceOptions* options, QString* error);

// One device's behaviour, set up as the options say.
std::unique_ptr<Behaviour> create(const DeviceOptions& options, const DeviceIdentity& identity);

// What the device is doing now, for its state events: a vehicle's state, position, next stop
// and speed; a button's lamp; an IO board's outputs.
DeviceStateReport report(const Behaviour& behaviour);
// Whether the behaviour moves by itself (a driving vehicle): its position is reported with
// every status, not only on a change.
bool isMoving(const Behaviour& behaviour);

} // namespace behaviourtool

} // namespace fleet
