#pragma once

#include "scenariorecorder.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace fleet {

class Scenario;

// fleet-device --replay FILE.jsonl [--replay-timing recorded|fast] [--record-scenario OUT]:
// a traffic log export turned into a scenario (docs/scenarios.md#record-and-replay), which
// then runs as --scenario does, or is only written to OUT for editing.
namespace replaytool {

struct Replay {
    QByteArray json;                    // the scenario file
    std::shared_ptr<Scenario> scenario; // the same, read back
    ScenarioRecording recording;        // counts and what was left out
};

// "recorded" or "fast"; false with *error naming both.
bool parseTiming(const QString& text, ScenarioRecordOptions::Timing* timing, QString* error);

// Imports exportFile, records the scenario and reads it back as scenarioFileName (the file
// it is written to, or the export's own name when it only runs). server: the file's "server"
// when not empty. False with *error: "log.jsonl:7: …" for a line at fault.
bool load(const QString& exportFile, ScenarioRecordOptions::Timing timing, const QString& server,
          const QString& scenarioFileName, Replay* replay, QString* error);

} // namespace replaytool

} // namespace fleet
