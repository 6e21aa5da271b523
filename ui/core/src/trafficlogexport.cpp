#include "trafficlogexport.h"

#include "payloadtext.h"

#include <QSaveFile>
#include <QThread>

#include <memory>

namespace fleet {

namespace {

// Bytes gathered before each write: few syscalls, bounded memory for a million rows.
constexpr qsizetype kWriteChunkBytes = 1 << 20;

QByteArray csvField(const QByteArray& field)
{
    const bool quote =
        field.contains(',') || field.contains('"') || field.contains('\r') || field.contains('\n');
    if (!quote)
        return field;
    QByteArray quoted = field;
    quoted.replace("\"", "\"\"");
    return '"' + quoted + '"';
}

// The payload of a status or command; nothing for other frames.
std::optional<QByteArray> payloadOf(const TrafficFrame& frame)
{
    if (frame.kind != TrafficKind::Status && frame.kind != TrafficKind::Command &&
        frame.kind != TrafficKind::PushedCommand)
        return std::nullopt;
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    if (!decoded.ok)
        return std::nullopt;
    return decoded.payload;
}

} // namespace

QString defaultTrafficExportName(const QDateTime& when)
{
    return QStringLiteral("fleet-traffic-%1.jsonl")
        .arg(when.toString(QStringLiteral("yyyy-MM-dd-HHmmss")));
}

TrafficExportFormat trafficExportFormatFor(const QString& fileName)
{
    return fileName.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive)
               ? TrafficExportFormat::Csv
               : TrafficExportFormat::JsonLines;
}

QByteArray trafficJsonLine(const TrafficSnapshot& snapshot, const TrafficFrame& frame)
{
    QByteArray line;
    line.reserve(256 + frame.wire.size() * 3);
    line += "{\"time\":";
    appendJsonString(line, utcTimestamp(frame.timeMs));
    line += ",\"device\":";
    appendJsonString(line, snapshot.deviceName(frame));
    line += ",\"side\":";
    appendJsonString(line, trafficSideKey(frame.side));
    line += ",\"direction\":";
    appendJsonString(line, trafficRowDirectionKey(frame));
    line += ",\"kind\":";
    appendJsonString(line, trafficKindKey(frame.kind));
    if (frame.kind == TrafficKind::ConnectResponse) {
        line += ",\"response\":";
        appendJsonString(line, responseTypeName(frame.responseType));
    }
    line += ",\"size\":" + QByteArray::number(frame.size());
    // Only the head of the frame is left (the log's byte budget): the export says so.
    if (frame.isCut())
        line += ",\"cut_to\":" + QByteArray::number(frame.wire.size());
    if (frame.isAnswer())
        line += ",\"round_trip_ms\":" + QByteArray::number(double(frame.roundTripMs), 'f', 3);
    line += ",\"summary\":";
    appendJsonString(line, summarizeFrame(frame));
    line += ",\"payload\":";
    if (const std::optional<QByteArray> payload = payloadOf(frame)) {
        line += '{';
        if (const std::optional<QString> text = exactUtf8(*payload)) {
            line += "\"text\":";
            appendJsonString(line, *text);
            line += ',';
        }
        line += "\"base64\":\"" + payload->toBase64() + "\"}";
    } else {
        line += "null";
    }
    line += ",\"frame_base64\":\"" + frame.wire.toBase64() + "\"}";
    return line;
}

QByteArray trafficCsvHeader()
{
    return "time,device,side,direction,kind,response,size,round_trip_ms,summary,payload_text,"
           "payload_base64,frame_base64\r\n";
}

QByteArray trafficCsvRow(const TrafficSnapshot& snapshot, const TrafficFrame& frame)
{
    const std::optional<QByteArray> payload = payloadOf(frame);
    std::optional<QString> text;
    if (payload)
        text = exactUtf8(*payload);
    const QByteArrayList fields{
        utcTimestamp(frame.timeMs).toUtf8(),
        snapshot.deviceName(frame).toUtf8(),
        trafficSideKey(frame.side).toUtf8(),
        trafficRowDirectionKey(frame).toUtf8(),
        trafficKindKey(frame.kind).toUtf8(),
        frame.kind == TrafficKind::ConnectResponse ? responseTypeName(frame.responseType).toUtf8()
                                                   : QByteArray(),
        QByteArray::number(frame.size()),
        frame.isAnswer() ? QByteArray::number(double(frame.roundTripMs), 'f', 3) : QByteArray(),
        summarizeFrame(frame).toUtf8(),
        text ? text->toUtf8() : QByteArray(),
        payload ? payload->toBase64() : QByteArray(),
        frame.wire.toBase64(),
    };
    QByteArray row;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            row += ',';
        row += csvField(fields[i]);
    }
    row += "\r\n";
    return row;
}

TrafficExportResult writeTrafficLog(const TrafficSnapshot& snapshot, const QString& fileName,
                                    TrafficExportFormat format)
{
    TrafficExportResult result;
    result.fileName = fileName;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QStringLiteral("cannot write the traffic log to '%1': %2")
                           .arg(fileName, file.errorString());
        return result;
    }
    QByteArray chunk;
    chunk.reserve(kWriteChunkBytes + 4096);
    if (format == TrafficExportFormat::Csv)
        chunk += trafficCsvHeader();
    auto writeChunk = [&] {
        if (file.write(chunk) != chunk.size()) {
            result.error = QStringLiteral("writing the traffic log to '%1' failed: %2")
                               .arg(fileName, file.errorString());
            return false;
        }
        chunk.clear();
        return true;
    };
    for (const TrafficFrame& frame : snapshot.frames) {
        if (format == TrafficExportFormat::Csv) {
            chunk += trafficCsvRow(snapshot, frame);
        } else {
            chunk += trafficJsonLine(snapshot, frame);
            chunk += '\n';
        }
        if (chunk.size() >= kWriteChunkBytes && !writeChunk()) {
            file.cancelWriting();
            return result;
        }
    }
    if (!writeChunk()) {
        file.cancelWriting();
        return result;
    }
    if (!file.commit()) {
        result.error = QStringLiteral("saving the traffic log as '%1' failed: %2")
                           .arg(fileName, file.errorString());
        return result;
    }
    result.ok = true;
    result.rows = snapshot.frames.size();
    return result;
}

TrafficLogExporter::TrafficLogExporter(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<TrafficExportResult>();
}

TrafficLogExporter::~TrafficLogExporter() = default;

bool TrafficLogExporter::start(const TrafficSnapshot& snapshot, const QString& fileName,
                               TrafficExportFormat format)
{
    if (m_running)
        return false;
    m_running = true;
    auto result = std::make_shared<TrafficExportResult>();
    // The thread owns a copy of the snapshot and nothing of ours: the exporter may go away
    // while it writes. finished() is queued to this object, and dropped if it is gone.
    QThread* thread = QThread::create([snapshot, fileName, format, result] {
        *result = writeTrafficLog(snapshot, fileName, format);
    });
    connect(thread, &QThread::finished, this, [this, result] {
        m_running = false;
        emit finished(*result);
    });
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start(QThread::LowPriority);
    return true;
}

} // namespace fleet
