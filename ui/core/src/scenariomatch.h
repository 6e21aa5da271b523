#pragma once

#include "scenario.h"

#include <QByteArray>
#include <QString>

namespace fleet::scenariomatch {

// Whether a command meets an expect_command step's expectation (docs/scenarios.md#steps). The
// module decodes commands for `fields` (a protobuf mission command is read in its JSON form).
bool matches(const ScenarioMatch& match, quint32 module, const QByteArray& command);

// The expectation in a reason: "`{"lit_up":true}`", "a command matching /actType/".
QString describe(const ScenarioMatch& match);

// A command in a reason: its text when it reads as text, else hex; long ones cut.
QString quote(const QByteArray& command);

} // namespace fleet::scenariomatch
