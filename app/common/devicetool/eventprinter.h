#pragma once

#include "deviceidentity.h"
#include "hostport.h"

#include <QByteArray>
#include <QString>

#include <optional>

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

class JsonLineWriter;
class OutputSink;

// Writes fleet-device's events: readable lines by default, or with json one JSON object per
// line on stdout, each with an "event" key (and nothing else on stdout, so scripts can parse
// every line). The sinks are Immediate ones: a script waits for "connected" to act.
class EventPrinter {
public:
    EventPrinter(bool json, bool quiet, OutputSink* out, OutputSink* err);

    void connected(const DeviceIdentity& device, const HostPort& server);
    // rttMs is nothing for pushed commands.
    void command(const DeviceIdentity& device, qint64 sequence, const QByteArray& data,
                 std::optional<double> rttMs, bool pushed);
    void notice(const DeviceIdentity& device, const QString& text);
    // device is null for errors before any device exists (usage errors).
    void error(const DeviceIdentity* device, const QString& name, const QString& family,
               const QString& message);
    void summary(const RunSummary& summary);
    void preset(quint32 module, quint32 deviceType, const QString& name, const QByteArray& payload,
                const QString& description);

private:
    JsonLineWriter beginLine(); // a JSON event into m_line
    void endLine();             // m_line to stdout

    bool m_json;
    bool m_quiet;
    OutputSink* m_out;
    OutputSink* m_err;
    QByteArray m_line; // reused for every JSON event
};

} // namespace fleet
