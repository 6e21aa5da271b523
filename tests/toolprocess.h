#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

// Test fixtures that run the headless tools as real processes (tst_tools).

// A run normally takes well under a second; the margin is for a loaded 2-core machine.
inline constexpr int kToolTimeoutMs = 60000;

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
    ~ToolProcess(); // kills a process still running

    void start(const QStringList& arguments);
    // Both run the event loop, so every other ToolProcess keeps draining its pipes.
    bool waitForExit(int timeoutMs = kToolTimeoutMs);
    bool waitForOutput(const QByteArray& text, int timeoutMs = kToolTimeoutMs);

    void writeLine(const QByteArray& line); // to the process's stdin
    void sendSignal(int signalNumber);

    ToolRun result();
    const QByteArray& output() const { return m_out; }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// A fleet-gateway process listening on a free loopback port, read from its first stdout
// line ("HOST:PORT").
class GatewayProcess {
public:
    explicit GatewayProcess(const QString& program);
    ~GatewayProcess();

    bool start(const QStringList& extraArguments, QString* error);
    quint16 port() const { return m_port; }
    ToolProcess* tool() { return m_tool.get(); }

private:
    QString m_program;
    std::unique_ptr<ToolProcess> m_tool;
    quint16 m_port = 0;
};
