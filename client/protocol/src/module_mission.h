#pragma once

#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QJsonObject>

// Internal to fleet_client: the mission module's payloads in both flavours
// (docs/modules.md#mission-module), converted to and from the protobuf messages, which serve as the
// one in-memory form.

namespace fleet::detail::mission {

// "IDLE, DRIVE, IN_STOP, OBSTACLE, ERROR" / "NO_ACTION, STOP, START", for messages.
QString stateNames();
QString actionNames();
// "DRIVE"; "state 7" for numbers the schema does not name (proto3 enums are open).
QString stateName(int state);
QString actionName(int action);

// Checks a JSON status by the module's rules and, when valid and `status` is not null, fills
// it (missing optional parts stay default).
ValidationResult statusFromJson(const QJsonValue& json, MissionModule::AutonomyStatus* status);
// Checks a JSON command's shape (action, route, stops with name and position) and fills it.
ValidationResult commandFromJson(const QJsonValue& json, MissionModule::AutonomyCommand* command);

// Either flavour, by ModuleCatalog::missionEncoding(); false when the bytes do not decode.
bool decodeStatus(const QByteArray& payload, MissionModule::AutonomyStatus* status);
bool decodeCommand(const QByteArray& payload, MissionModule::AutonomyCommand* command);

QByteArray encodeCommand(const MissionModule::AutonomyCommand& command, MissionEncoding encoding);
QByteArray encodeStatus(const MissionModule::AutonomyStatus& status, MissionEncoding encoding);

} // namespace fleet::detail::mission
