#pragma once

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace fleet {

class DeviceRunner;
class EventPrinter;
class ScenarioTool;
class OutputSink;
class SignalPipe;
class ToolOutput;
struct DeviceOptions;

// fleet-device without its main(): reads the command line, answers --help, --version,
// --list-presets and usage errors at once, otherwise runs the emulated devices until they are
// done or SIGINT/SIGTERM stops them, and then says which exit code the run earned.
class DeviceTool : public QObject {
    Q_OBJECT
public:
    explicit DeviceTool(QObject* parent = nullptr);
    ~DeviceTool() override;

    // arguments: the program name first. An exit code when the process ends now; nothing when
    // the devices run, and finished() tells the exit code later.
    std::optional<int> start(const QStringList& arguments);

signals:
    void finished(int exitCode);

private:
    int listPresets(const DeviceOptions& options, const QString& text);
    // --scenario, --replay: runs the file instead of devices (docs/scenarios.md).
    std::optional<int> startScenario();
    bool checkOpenFileLimit();
    // --replay with --record-scenario: writes the scenario and runs nothing.
    int writeRecordedScenario();

    std::unique_ptr<ToolOutput> m_output;
    OutputSink* m_out; // m_output's sinks (one when stdout and stderr are the same file)
    OutputSink* m_err;
    std::unique_ptr<EventPrinter> m_printer;
    std::unique_ptr<SignalPipe> m_signals;
    std::unique_ptr<DeviceOptions> m_options;
    std::unique_ptr<DeviceRunner> m_runner;
    std::unique_ptr<ScenarioTool> m_scenario;
};

} // namespace fleet
