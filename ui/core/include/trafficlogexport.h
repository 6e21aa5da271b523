#pragma once

#include "trafficlogmodel.h"

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace fleet {

enum class TrafficExportFormat { JsonLines, Csv };

struct TrafficExportResult {
    bool ok = false;
    QString fileName;
    QString error; // names the file and what went wrong
    qsizetype rows = 0;
};

// ".csv" means CSV; everything else JSON Lines.
TrafficExportFormat trafficExportFormatFor(const QString& fileName);
// What Export offers: "fleet-traffic-2026-12-01-103012.jsonl" (local date and time).
QString defaultTrafficExportName(const QDateTime& when);

// One JSON object per frame, no newline:
//   {"time":"2024-05-01T12:00:00.123Z","device":"…","side":"device",
//    "direction":"device_to_gateway","kind":"status","size":31,"round_trip_ms":0.42,
//    "summary":"…","payload":{"text":"…","base64":"…"},"frame_base64":"…"}
// "round_trip_ms" only for answers, "response" only for connect responses, "payload" is null
// for frames without one, and "text" is present only when the payload is valid UTF-8:
// "base64" is always the exact bytes, as "frame_base64" is the exact frame on the wire.
QByteArray trafficJsonLine(const TrafficSnapshot& snapshot, const TrafficFrame& frame);

// RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF quoted, quotes doubled.
QByteArray trafficCsvHeader();
QByteArray trafficCsvRow(const TrafficSnapshot& snapshot, const TrafficFrame& frame);

// Writes the whole snapshot atomically (QSaveFile: the file appears complete or not at all).
// Safe on any thread: it touches nothing but the snapshot.
TrafficExportResult writeTrafficLog(const TrafficSnapshot& snapshot, const QString& fileName,
                                    TrafficExportFormat format);

// Runs writeTrafficLog() on a worker thread, so that a big export never stops the live log.
// One export at a time per exporter; the exporter may be destroyed while one runs (the file is
// still written, the result is then not reported).
class TrafficLogExporter : public QObject {
    Q_OBJECT
public:
    explicit TrafficLogExporter(QObject* parent = nullptr);
    ~TrafficLogExporter() override;

    // False (and nothing starts) while another export runs.
    bool start(const TrafficSnapshot& snapshot, const QString& fileName,
               TrafficExportFormat format);
    bool isRunning() const { return m_running; }

signals:
    void finished(const fleet::TrafficExportResult& result);

private:
    bool m_running = false;
};

} // namespace fleet

Q_DECLARE_METATYPE(fleet::TrafficExportResult)
