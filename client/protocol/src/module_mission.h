#pragma once

#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QJsonObject>

#include <optional>

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

// How a payload reads as one kind of mission message (docs/modules.md#mission-module). The
// flavour is decided by strict parses, not by the first byte:
// - JSON when the whole payload parses as a JSON object;
// - protobuf when it parses as the message with no field the schema lacks and serializes back
//   to exactly the same bytes (empty bytes included: every field at its default);
// - both (contrived bytes such as "\n\t\t{}" plus six spaces, an empty object that is also a
//   telemetry with a speed): JSON when the module's JSON rules accept it, protobuf otherwise;
// - neither: protobuf when it still parses with no unknown field (non-canonical encodings such
//   as explicitly written defaults, which a 1.2.x module reads); otherwise no flavour.
// A serialized message whose first field is 123 bytes long starts with "\n{" and is still
// protobuf: a JSON object cannot contain its raw tags and lengths.
struct Reading {
    std::optional<MissionEncoding> encoding; // nullopt: neither flavour reads the bytes
    // For the validators: valid when decoded; else why, in the wording of the flavour the
    // bytes look like (JSON errors for text that starts with '{').
    ValidationResult validation;
    bool decoded() const { return encoding && validation.ok; }
};
Reading readStatus(const QByteArray& payload, MissionModule::AutonomyStatus* status);
Reading readCommand(const QByteArray& payload, MissionModule::AutonomyCommand* command);

// readStatus()/readCommand() for callers that only need the message; false when the bytes do
// not decode in either flavour.
bool decodeStatus(const QByteArray& payload, MissionModule::AutonomyStatus* status);
bool decodeCommand(const QByteArray& payload, MissionModule::AutonomyCommand* command);

QByteArray encodeCommand(const MissionModule::AutonomyCommand& command, MissionEncoding encoding);
QByteArray encodeStatus(const MissionModule::AutonomyStatus& status, MissionEncoding encoding);

} // namespace fleet::detail::mission
