#include "replaytool.h"

#include "scenario.h"
#include "trafficlogimport.h"

#include <QFileInfo>

namespace fleet::replaytool {

bool parseTiming(const QString& text, ScenarioRecordOptions::Timing* timing, QString* error)
{
    if (text == QLatin1String("recorded")) {
        *timing = ScenarioRecordOptions::Timing::Recorded;
        return true;
    }
    if (text == QLatin1String("fast")) {
        *timing = ScenarioRecordOptions::Timing::Fast;
        return true;
    }
    *error = QStringLiteral("--replay-timing must be recorded or fast, not '%1'").arg(text);
    return false;
}

bool load(const QString& exportFile, ScenarioRecordOptions::Timing timing, const QString& server,
          const QString& scenarioFileName, Replay* replay, QString* error)
{
    TrafficSnapshot snapshot;
    TrafficImportError importError;
    if (!TrafficLogImport::load(exportFile, &snapshot, &importError)) {
        *error = importError.toString();
        return false;
    }
    ScenarioRecordOptions options;
    options.timing = timing;
    options.server = server;
    options.name = QStringLiteral("Replay of %1").arg(QFileInfo(exportFile).fileName());
    options.source =
        QStringLiteral("the traffic log export %1").arg(QFileInfo(exportFile).fileName());
    replay->recording = ScenarioRecorder::record(snapshot, options);
    if (!replay->recording.ok) {
        *error = QStringLiteral("%1: %2").arg(exportFile, replay->recording.error);
        return false;
    }
    replay->json = replay->recording.json;
    replay->scenario = std::make_shared<Scenario>();
    ScenarioError scenarioError;
    if (!Scenario::parse(replay->json, scenarioFileName, replay->scenario.get(), &scenarioError)) {
        *error = scenarioError.toString();
        return false;
    }
    return true;
}

} // namespace fleet::replaytool
