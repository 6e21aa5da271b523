#include "eventprinter.h"

#include "modulecatalog.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QJsonObject>

namespace fleet {

namespace {

QJsonObject deviceFields(const DeviceIdentity& device)
{
    return {
        {QStringLiteral("module"), qint64(device.module)},
        {QStringLiteral("module_name"), ModuleCatalog::moduleName(device.module)},
        {QStringLiteral("type"), qint64(device.deviceType)},
        {QStringLiteral("role"), device.role},
        {QStringLiteral("name"), device.name},
        {QStringLiteral("priority"), qint64(device.priority)},
    };
}

QJsonValue optionalNumber(std::optional<double> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QByteArray& data)
{
    // null when the bytes are not valid UTF-8 (JSON has no way to carry them as text).
    const std::optional<QString> text = exactUtf8(data);
    return text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null);
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
{
}

void EventPrinter::connected(const DeviceIdentity& device, const HostPort& server)
{
    if (m_json) {
        QJsonObject event = deviceFields(device);
        event.insert(QStringLiteral("event"), QStringLiteral("connected"));
        event.insert(QStringLiteral("host"), server.host);
        event.insert(QStringLiteral("port"), int(server.port));
        m_out->writeJson(event);
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
        const QJsonObject event{
            {QStringLiteral("event"), QStringLiteral("command")},
            {QStringLiteral("role"), device.role},
            {QStringLiteral("sequence"), sequence},
            {QStringLiteral("data"), textOrNull(data)},
            {QStringLiteral("hex"), QString::fromLatin1(data.toHex())},
            {QStringLiteral("summary"), ModuleCatalog::describeCommand(device.module, data)},
            {QStringLiteral("rtt_ms"), optionalNumber(pushed ? std::nullopt : rttMs)},
            {QStringLiteral("pushed"), pushed},
            {QStringLiteral("empty"), data.isEmpty()},
        };
        m_out->writeJson(event);
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

void EventPrinter::notice(const DeviceIdentity& device, const QString& text)
{
    if (m_quiet)
        return;
    if (m_json) {
        const QJsonObject event{{QStringLiteral("event"), QStringLiteral("notice")},
                                {QStringLiteral("role"), device.role},
                                {QStringLiteral("message"), text}};
        m_out->writeJson(event);
        return;
    }
    m_err->writeLine(
        QStringLiteral("notice     %1: %2")
            .arg(printableText(device.role), printableText(text, kPrintedSentenceChars)));
}

void EventPrinter::error(const DeviceIdentity* device, const QString& name, const QString& family,
                         const QString& message)
{
    if (m_json) {
        QJsonObject event{{QStringLiteral("event"), QStringLiteral("error")},
                          {QStringLiteral("name"), name},
                          {QStringLiteral("family"), family},
                          {QStringLiteral("message"), message}};
        if (device)
            event.insert(QStringLiteral("role"), device->role);
        m_out->writeJson(event);
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
        const QJsonObject event{
            {QStringLiteral("event"), QStringLiteral("summary")},
            {QStringLiteral("devices"), s.devices},
            {QStringLiteral("statuses"), s.statuses},
            {QStringLiteral("answered"), s.answered},
            {QStringLiteral("pushed"), s.pushed},
            {QStringLiteral("errors"), s.errors},
            {QStringLiteral("seconds"), s.seconds},
            {QStringLiteral("rt_per_s"), rate},
            {QStringLiteral("rtt_ms_p50"), optionalNumber(s.rttP50Ms)},
            {QStringLiteral("rtt_ms_p99"), optionalNumber(s.rttP99Ms)},
            {QStringLiteral("interrupted"), s.interrupted},
        };
        m_out->writeJson(event);
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
        const QJsonObject event{{QStringLiteral("event"), QStringLiteral("preset")},
                                {QStringLiteral("module"), qint64(module)},
                                {QStringLiteral("type"), qint64(deviceType)},
                                {QStringLiteral("name"), name},
                                {QStringLiteral("description"), description},
                                {QStringLiteral("data"), textOrNull(payload)},
                                {QStringLiteral("hex"), QString::fromLatin1(payload.toHex())}};
        m_out->writeJson(event);
        return;
    }
    m_out->writeLine(
        QStringLiteral("%1\n    %2\n    %3").arg(name, description, payloadLine(payload)));
}

} // namespace fleet
