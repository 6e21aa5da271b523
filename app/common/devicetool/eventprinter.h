#pragma once

#include "deviceidentity.h"
#include "hostport.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

struct RunSummary {
    int devices = 0;
    qint64 statuses = 0; // sent (each counted once, however often it was resent)
    qint64 answered = 0;
    qint64 pushed = 0;
    int errors = 0;
    double seconds = 0;
    std::optional<double> rttP50Ms; // nothing when no status was answered
    std::optional<double> rttP99Ms;
    bool interrupted = false;
};

// What a behaving device is doing (docs/modules.md#device-behaviour), for its "state" event.
struct DeviceStateReport {
    // The vehicle's state as its status names it ("DRIVE"), a button's lamp ("lamp on"), an
    // IO board's outputs from output 1 on ("outputs 1010").
    QString state;
    bool vehicle = false; // position, next stop and speed are a vehicle's only
    double latitude = 0;
    double longitude = 0;
    QString nextStop; // empty: none (null in JSON)
    double speed = 0; // m/s

    // What makes a change worth an event: everything but the moving position and speed.
    bool sameState(const DeviceStateReport& other) const
    {
        return state == other.state && nextStop == other.nextStop;
    }
};

class JsonLineWriter;
class OutputSink;

// Writes fleet-device's events: readable lines by default, or with json one JSON object per
// line on stdout, each with an "event" key (and nothing else on stdout, so scripts can parse
// every line). The sinks are Immediate ones: a script waits for "connected" to act.
//
// JSON command lines that follow an earlier line within kCommandBatchMs are collected and
// written together at most kCommandBatchMs later (docs/performance.md#events): at thousands
// of answers per second, a write per line, each waking the reader, would cost as much as the
// round trip itself. A slower stream (one line per kCommandBatchMs or less often) is written
// line by line as before. Every other event, and the destructor, writes what is pending first,
// so the order of lines never changes.
class EventPrinter {
public:
    static constexpr int kCommandBatchMs = 20;
    static constexpr qsizetype kMaxBatchBytes = 64 * 1024;

    EventPrinter(bool json, bool quiet, OutputSink* out, OutputSink* err);
    ~EventPrinter();
    EventPrinter(const EventPrinter&) = delete;
    EventPrinter& operator=(const EventPrinter&) = delete;

    void connected(const DeviceIdentity& device, const HostPort& server);
    // rttMs is nothing for pushed commands.
    void command(const DeviceIdentity& device, qint64 sequence, const QByteArray& data,
                 std::optional<double> rttMs, bool pushed);
    void notice(const DeviceIdentity& device, const QString& text);
    // A behaving device changed, or a driving vehicle moved (at most once per status).
    void state(const DeviceIdentity& device, const DeviceStateReport& report);
    // device is null for errors before any device exists (usage errors).
    void error(const DeviceIdentity* device, const QString& name, const QString& family,
               const QString& message);
    void summary(const RunSummary& summary);
    void preset(quint32 module, quint32 deviceType, const QString& name, const QByteArray& payload,
                const QString& description);

private:
    enum class Batch { Never, Allowed };
    JsonLineWriter beginLine(); // a JSON event into m_line
    void endLine(Batch batch);  // m_line to stdout, now or with the pending batch
    void flushPending();

    // The parts of a command line that depend only on the command and the module, kept from
    // the previous command line: a device usually gets the same command again and again, and
    // escaping its text, its hex and its summary was most of a line's cost
    // (docs/performance.md#events).
    struct CommandParts {
        bool valid = false;
        quint32 module = 0;
        QByteArray data;
        QByteArray head; // {"data":…,"empty":…,"event":"command","hex":"…"
        QByteArray tail; // ,"summary":"…"}\n
    };
    const CommandParts& commandParts(quint32 module, const QByteArray& data);

    bool m_json;
    bool m_quiet;
    OutputSink* m_out;
    OutputSink* m_err;
    QByteArray m_line;    // reused for every JSON event
    QByteArray m_pending; // command lines waiting for m_flushTimer
    CommandParts m_commandParts;
    std::unique_ptr<QTimer> m_flushTimer;
    QElapsedTimer m_sinceWrite; // since the last write to stdout
};

} // namespace fleet
