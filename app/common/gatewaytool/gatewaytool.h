#pragma once

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace fleet {

class CommandShell;
class EventWriter;
class GatewayServer;
class MissionDispatcher;
class OutputSink;
class ToolOutput;
class SignalPipe;
class StdinReader;

// fleet-gateway without its main(): reads the command line, listens, prints the bound address
// as the first line (the contract with scripts), then one line per event, takes operator
// commands on stdin, and stops cleanly on SIGINT, SIGTERM or 'quit'.
class GatewayTool : public QObject {
    Q_OBJECT
public:
    static constexpr int kExitListenFailed = 1;

    explicit GatewayTool(QObject* parent = nullptr);
    ~GatewayTool() override;

    // arguments: the program name first. An exit code when the process ends now (help,
    // version, usage error, cannot listen); nothing when the gateway runs, and finished()
    // tells the exit code later.
    std::optional<int> start(const QStringList& arguments);

signals:
    void finished(int exitCode);

private:
    void stop();
    // Raises the open-file limit to the hard limit and says so when it still cannot hold
    // maxConnections.
    void checkOpenFileLimit(int maxConnections);

    // Destroyed in reverse order: the sinks last, flushing what the others wrote.
    std::unique_ptr<ToolOutput> m_output;
    OutputSink* m_out; // m_output's sinks (one when stdout and stderr are the same file)
    OutputSink* m_err;
    std::unique_ptr<SignalPipe> m_signals;
    std::unique_ptr<GatewayServer> m_server;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<MissionDispatcher> m_missions; // --mission
    std::unique_ptr<CommandShell> m_shell;
    std::unique_ptr<StdinReader> m_stdin;
};

} // namespace fleet
