#pragma once

#include "deviceoptions.h"
#include "scenario.h"

#include <QObject>
#include <QString>

#include <memory>

namespace fleet {

class OutputSink;
class ScenarioRunner;
class ToolOutput;
struct ScenarioStepResult;

// fleet-device --scenario FILE [--junit OUT.xml]: runs a scenario file (docs/scenarios.md)
// against any gateway and prints one line per step as it ends (--json: one object), then a
// summary. Exit status: 0 every step passed, 5 an expectation failed, 4 or 3 when a connect or
// a send failed with the client's connect or communication error, 1 otherwise.
class ScenarioTool : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString junitFile;      // empty: no report
        QString serverOverride; // --host/--port given: every device goes there
        bool json = false;
        bool quiet = false; // only failures and the summary
    };

    // Prints to output's sinks, and holds the next step while either waits for its reader.
    ScenarioTool(Scenario scenario, Options options, ToolOutput* output, QObject* parent = nullptr);
    ~ScenarioTool() override;

    void start();
    // Ctrl+C: the running step fails as stopped, the summary is printed.
    void stop();
    const ScenarioRunner& runner() const { return *m_runner; }

signals:
    void finished(int exitCode);

private:
    void printStep(const ScenarioStepResult& result);
    void onFinished(bool passed);
    int exitCode(bool passed) const;

    Options m_options;
    OutputSink* m_out; // the ToolOutput's sinks (one when stdout and stderr are the same file)
    OutputSink* m_err;
    std::unique_ptr<ScenarioRunner> m_runner;
};

} // namespace fleet
