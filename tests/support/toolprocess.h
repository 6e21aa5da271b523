#pragma once

#include <memory>

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

// The headless tools (fleet-gateway, fleet-device) as real processes, the way a script runs
// them: exit codes, stdout lines parsed as JSON events, stderr, stdin commands and signals.

namespace fleet::test {

// A run normally takes well under a second; the margin is for a loaded 2-core machine.
inline constexpr int kToolTimeoutMs = 60000;

// The stdout lines that are JSON objects with an "event" key, in order; the first line that is
// not one goes to *notJson (when given and still empty).
QList<QJsonObject> parseEventLines(const QByteArray& out, QString* notJson = nullptr);

// One finished (or abandoned) process: its exit, its output, and its stdout parsed as JSON
// lines, the way a script would read fleet-device --json.
struct ToolRun {
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;
    QList<QJsonObject> events; // stdout lines that are JSON objects with an "event" key
    QString notJson;           // the first stdout line that is not such an object, if any

    QList<QJsonObject> eventsNamed(const QString& name) const;
    // Exit and both outputs, for failure messages.
    QString describe() const;
};

// A tool process whose stdout and stderr are collected as they come, so a chatty process
// never blocks on a full pipe while the test waits for another one.
class ToolProcess {
public:
    explicit ToolProcess(const QString& program);
    virtual ~ToolProcess(); // kills a process still running
    ToolProcess(const ToolProcess&) = delete;
    ToolProcess& operator=(const ToolProcess&) = delete;

    // For what a test sets before start() (environment, an output file) or reads after.
    QProcess& process() { return m_process; }
    void start(const QStringList& arguments);

    // These run the event loop, so every other ToolProcess keeps draining its pipes.
    bool waitForExit(int timeoutMs = kToolTimeoutMs);
    bool waitForOutput(const QByteArray& text, int timeoutMs = kToolTimeoutMs);
    bool waitForError(const QByteArray& text, int timeoutMs = kToolTimeoutMs);
    // Until stdout carries a JSON line {"event": name, ...} (--json output).
    bool waitForEvent(const QString& name, int timeoutMs = kToolTimeoutMs);

    void writeLine(const QByteArray& line); // to the process's stdin
    void sendSignal(int signalNumber);

    const QByteArray& output() const { return m_out; }
    const QByteArray& errorOutput() const { return m_err; }
    // Exit, outputs and JSON events so far (a process still running counts as timed out).
    virtual ToolRun result();
    QString describe() { return result().describe(); }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// fleet-gateway listening on a free loopback port: startListening() passes
// --listen 127.0.0.1:0 and reads the port from the first stdout line ("HOST:PORT").
class GatewayProcess : public ToolProcess {
public:
    explicit GatewayProcess(const QString& program);

    // False, with the reason in *error when given, if no "127.0.0.1:PORT" line came.
    bool startListening(const QStringList& extraArguments = {}, QString* error = nullptr);
    quint16 port() const { return m_port; }
    // The address line is not an event: result() parses the lines after it.
    ToolRun result() override;

private:
    quint16 m_port = 0;
};

} // namespace fleet::test
