#include "eventprinter.h"

#include "jsonlinewriter.h"
#include "modulecatalog.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QTimer>

#include <cstring>

namespace fleet {

namespace {

// Keys are written in alphabetical order, as QJsonDocument wrote them before the direct writer
// (docs/performance.md#events): the same keys in the same order as before.

void optionalNumber(JsonLineWriter& json, std::string_view key, std::optional<double> value)
{
    if (value)
        json.number(key, *value);
    else
        json.null(key);
}

void textOrNull(JsonLineWriter& json, std::string_view key, QByteArrayView data)
{
    // null when the bytes are not valid UTF-8 (JSON has no way to carry them as text); a
    // leading byte order mark is kept, as exactUtf8() keeps it.
    if (isValidUtf8(data))
        json.utf8(key, data);
    else
        json.null(key);
}

QString milliseconds(double ms)
{
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

} // namespace

EventPrinter::EventPrinter(bool json, bool quiet, OutputSink* out, OutputSink* err)
    : m_json(json)
    , m_quiet(quiet)
    , m_out(out)
    , m_err(err)
    , m_flushTimer(std::make_unique<QTimer>())
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    QObject::connect(m_flushTimer.get(), &QTimer::timeout, [this] { flushPending(); });
}

EventPrinter::~EventPrinter()
{
    flushPending();
}

JsonLineWriter EventPrinter::beginLine()
{
    m_line.resize(0); // keeps the capacity: a line per command allocates nothing once warm
    return JsonLineWriter(&m_line);
}

void EventPrinter::endLine(Batch batch)
{
    const bool recent = m_sinceWrite.isValid() && m_sinceWrite.elapsed() < kCommandBatchMs;
    if (batch == Batch::Allowed && (recent || !m_pending.isEmpty())) {
        m_pending += m_line;
        if (m_pending.size() >= kMaxBatchBytes)
            flushPending();
        else if (!m_flushTimer->isActive())
            m_flushTimer->start(kCommandBatchMs);
        return;
    }
    flushPending();
    m_out->writeBytes(m_line);
    m_sinceWrite.start();
}

void EventPrinter::flushPending()
{
    if (m_pending.isEmpty())
        return;
    m_flushTimer->stop();
    m_out->writeBytes(m_pending);
    m_pending.resize(0); // keeps the capacity
    m_sinceWrite.start();
}

void EventPrinter::connected(const DeviceIdentity& device, const HostPort& server)
{
    if (m_json) {
        JsonLineWriter json = beginLine();
        json.latin1("event", QLatin1StringView("connected"))
            .string("host", server.host)
            .integer("module", device.module)
            .string("module_name", ModuleCatalog::moduleName(device.module))
            .string("name", device.name)
            .integer("port", server.port)
            .integer("priority", device.priority)
            .string("role", device.role)
            .integer("type", device.deviceType)
            .finish();
        endLine(Batch::Never);
        return;
    }
    m_out->writeLine(
        QStringLiteral("connected  %1 to %2 (%3)")
            .arg(device.toLine(), server.toString(), ModuleCatalog::moduleName(device.module)));
}

void EventPrinter::command(const DeviceIdentity& device, qint64 sequence, const QByteArray& data,
                           std::optional<double> rttMs, bool pushed)
{
    if (m_quiet)
        return;
    if (m_json) {
        // The hot path of --json: one line per command, written without a document, from the
        // cached parts of the previous line when the command is the same
        // (docs/performance.md#events).
        const CommandParts& parts = commandParts(device.module, data);
        // Assembled in one go: one size change for the line, not one per member.
        m_line.resize(parts.head.size() + parts.tail.size() +
                      device.role.size() * JsonLineWriter::kMaxBytesPerUnit +
                      2 * JsonLineWriter::kMaxNumberBytes + 64);
        char* p = m_line.data();
        const auto put = [&p](QByteArrayView bytes) {
            std::memcpy(p, bytes.data(), size_t(bytes.size()));
            p += bytes.size();
        };
        put(parts.head);
        put(pushed ? QByteArrayView(",\"pushed\":true,\"role\":\"")
                   : QByteArrayView(",\"pushed\":false,\"role\":\""));
        p = JsonLineWriter::putEscaped(p, device.role);
        put("\",\"rtt_ms\":");
        if (!pushed && rttMs)
            p = JsonLineWriter::putNumber(p, *rttMs);
        else
            put("null");
        put(",\"sequence\":");
        p = JsonLineWriter::putInteger(p, sequence);
        put(parts.tail);
        m_line.resize(p - m_line.constData()); // keeps the capacity
        endLine(Batch::Allowed);
        return;
    }
    // Peer-controlled text (station names in a summary, …) is escaped and cut: printableText().
    QString line =
        QStringLiteral("command    %1 #%2  ").arg(printableText(device.role)).arg(sequence);
    if (data.isEmpty()) {
        line += QStringLiteral("empty: nothing new");
    } else {
        line += payloadLine(data) + QStringLiteral("  [") +
                printableText(ModuleCatalog::describeCommand(device.module, data),
                              kPrintedSentenceChars) +
                QLatin1Char(']');
    }
    if (pushed)
        line += QStringLiteral("  (pushed)");
    else if (rttMs)
        line += QStringLiteral("  rtt ") + milliseconds(*rttMs);
    m_out->writeLine(line);
}

const EventPrinter::CommandParts& EventPrinter::commandParts(quint32 module, const QByteArray& data)
{
    CommandParts& parts = m_commandParts;
    if (parts.valid && parts.module == module && parts.data == data)
        return parts;
    // Keys in the order of the whole line: data, empty, event, hex | pushed, role, rtt_ms,
    // sequence | summary.
    parts.head.resize(0);
    JsonLineWriter head(&parts.head);
    textOrNull(head, "data", data);
    head.boolean("empty", data.isEmpty())
        .latin1("event", QLatin1StringView("command"))
        .hex("hex", data);
    parts.tail.resize(0);
    JsonLineWriter::continuing(&parts.tail)
        .string("summary", ModuleCatalog::describeCommand(module, data))
        .finish();
    parts.module = module;
    parts.data = data;
    parts.valid = true;
    return parts;
}

void EventPrinter::notice(const DeviceIdentity& device, const QString& text)
{
    if (m_quiet)
        return;
    if (m_json) {
        JsonLineWriter json = beginLine();
        json.latin1("event", QLatin1StringView("notice"))
            .string("message", text)
            .string("role", device.role)
            .finish();
        endLine(Batch::Never);
        return;
    }
    m_err->writeLine(
        QStringLiteral("notice     %1: %2")
            .arg(printableText(device.role), printableText(text, kPrintedSentenceChars)));
}

void EventPrinter::state(const DeviceIdentity& device, const DeviceStateReport& report)
{
    if (m_quiet)
        return;
    if (m_json) {
        // {"event":"state","next_stop":"Canteen","position":{"latitude":…,"longitude":…},
        //  "role":"car","speed":5,"state":"DRIVE"}; a button or IO board has no position,
        // next stop or speed.
        JsonLineWriter json = beginLine();
        json.latin1("event", QLatin1StringView("state"));
        if (report.vehicle) {
            if (report.nextStop.isEmpty())
                json.null("next_stop");
            else
                json.string("next_stop", report.nextStop);
            json.beginObject("position")
                .number("latitude", report.latitude)
                .number("longitude", report.longitude)
                .endObject();
        }
        json.string("role", device.role);
        if (report.vehicle)
            json.number("speed", report.speed);
        json.string("state", report.state).finish();
        endLine(Batch::Never);
        return;
    }
    // Station names come from the gateway's commands: escaped and cut like every peer text.
    QString line = QStringLiteral("state      %1: %2")
                       .arg(printableText(device.role), printableText(report.state));
    if (report.vehicle) {
        line += report.nextStop.isEmpty()
                    ? QStringLiteral(", no next stop")
                    : QStringLiteral(", next stop ") +
                          printableText(report.nextStop, kPrintedSentenceChars);
        line += QStringLiteral(", %1 m/s at %2,%3")
                    .arg(report.speed, 0, 'f', 1)
                    .arg(report.latitude, 0, 'f', 7)
                    .arg(report.longitude, 0, 'f', 7);
    }
    m_out->writeLine(line);
}

void EventPrinter::error(const DeviceIdentity* device, const QString& name, const QString& family,
                         const QString& message)
{
    if (m_json) {
        JsonLineWriter json = beginLine();
        json.latin1("event", QLatin1StringView("error"))
            .string("family", family)
            .string("message", message)
            .string("name", name);
        if (device)
            json.string("role", device->role);
        json.finish();
        endLine(Batch::Never);
        return;
    }
    const QString who = device ? printableText(device->role) + QStringLiteral(": ") : QString();
    m_err->writeLine(QStringLiteral("error      %1%2 (%3 error): %4")
                         .arg(who, name, family, printableText(message, kPrintedSentenceChars)));
}

void EventPrinter::summary(const RunSummary& s)
{
    const double rate = s.seconds > 0 ? double(s.answered) / s.seconds : 0.0;
    if (m_json) {
        JsonLineWriter json = beginLine();
        json.integer("answered", s.answered)
            .integer("devices", s.devices)
            .integer("errors", s.errors)
            .latin1("event", QLatin1StringView("summary"))
            .boolean("interrupted", s.interrupted)
            .integer("pushed", s.pushed)
            .number("rt_per_s", rate);
        optionalNumber(json, "rtt_ms_p50", s.rttP50Ms);
        optionalNumber(json, "rtt_ms_p99", s.rttP99Ms);
        json.number("seconds", s.seconds).integer("statuses", s.statuses).finish();
        endLine(Batch::Never);
        return;
    }
    QString line = QStringLiteral("summary    %1 device(s): %2 statuses, %3 answered, %4 pushed, "
                                  "%5 error(s) in %6 s: %7 round trips/s")
                       .arg(s.devices)
                       .arg(s.statuses)
                       .arg(s.answered)
                       .arg(s.pushed)
                       .arg(s.errors)
                       .arg(s.seconds, 0, 'f', 3)
                       .arg(rate, 0, 'f', 1);
    if (s.rttP50Ms && s.rttP99Ms) {
        line += QStringLiteral(", rtt p50 %1, p99 %2")
                    .arg(milliseconds(*s.rttP50Ms), milliseconds(*s.rttP99Ms));
    }
    if (s.interrupted)
        line += QStringLiteral(" (interrupted)");
    m_out->writeLine(line);
}

void EventPrinter::preset(quint32 module, quint32 deviceType, const QString& name,
                          const QByteArray& payload, const QString& description)
{
    if (m_json) {
        JsonLineWriter json = beginLine();
        textOrNull(json, "data", payload);
        json.string("description", description)
            .latin1("event", QLatin1StringView("preset"))
            .hex("hex", payload)
            .integer("module", module)
            .string("name", name)
            .integer("type", deviceType)
            .finish();
        endLine(Batch::Never);
        return;
    }
    m_out->writeLine(
        QStringLiteral("%1\n    %2\n    %3").arg(name, description, payloadLine(payload)));
}

} // namespace fleet
