#pragma once

#include "behaviour.h"
#include "deviceidentity.h"

#include <QStringList>

#include <memory>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace fleet {

class OsmMap;
struct DeviceOptions;

// fleet-device --behaviour button|io|vehicle: the console's behaviours headless
// (docs/modules.md#device-behaviour). Statuses come from the behaviour, on change and on its
// heartbeat, and every command goes into it.
namespace behaviourtool {

// The identity a behaviour's device has unless --module/--type/--role say otherwise.
// False (with *error) for an unknown behaviour name.
bool applyDefaults(const QString& behaviour, DeviceOptions* options, QString* error);

// Checks --behaviour against the device, loads --map, checks --route and every --set
// KEY=VALUE, so that every mistake is a usage error before anything connects.
bool resolve(const QCommandLineParser& parser, DeviceOptions* options, QString* error);

// One device's behaviour, set up as the options say.
std::unique_ptr<Behaviour> create(const DeviceOptions& options, const DeviceIdentity& identity);

// What an operator wants to see when it changes: "state DRIVE, next stop Canteen",
// "outputs 1010", "lamp on". The position follows separately (it changes all the time).
QString summary(const Behaviour& behaviour);
QString position(const Behaviour& behaviour); // "49.7000000,16.9028000" for a vehicle

} // namespace behaviourtool

} // namespace fleet
