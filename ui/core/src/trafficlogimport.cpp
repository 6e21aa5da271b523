#include "trafficlogimport.h"

#include "payloadtext.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonObject>

namespace fleet {

namespace {

QString quoted(const QString& text)
{
    return QLatin1Char('"') + printableText(text, 40) + QLatin1Char('"');
}

std::optional<TrafficKind> kindFromKey(const QString& key)
{
    for (int kind = 0; kind < kTrafficKindCount; ++kind) {
        if (trafficKindKey(TrafficKind(kind)) == key)
            return TrafficKind(kind);
    }
    return std::nullopt;
}

QStringList kindKeys()
{
    QStringList keys;
    for (int kind = 0; kind < kTrafficKindCount; ++kind)
        keys << trafficKindKey(TrafficKind(kind));
    return keys;
}

bool sameKind(TrafficKind stated, TrafficKind onWire)
{
    // The bytes of a command do not say whether a status asked for it: the log's pairing does.
    const auto fold = [](TrafficKind kind) {
        return kind == TrafficKind::PushedCommand ? TrafficKind::Command : kind;
    };
    return fold(stated) == fold(onWire);
}

bool isWireKind(TrafficKind kind)
{
    return kind == TrafficKind::Connect || kind == TrafficKind::ConnectResponse ||
           kind == TrafficKind::Status || kind == TrafficKind::Command ||
           kind == TrafficKind::PushedCommand;
}

enum class LineRead { Ok, TooLong, Failed };

// One line, its end included, read in pieces: a short line costs a short buffer, and a line
// above `max` stops being read once it is known to be too long.
LineRead readBoundedLine(QIODevice* device, qint64 max, QByteArray* line)
{
    constexpr qint64 kPiece = 64 * 1024;
    QByteArray piece(kPiece, Qt::Uninitialized);
    line->clear();
    while (true) {
        const qint64 n = device->readLine(piece.data(), kPiece);
        if (n < 0)
            return line->isEmpty() ? LineRead::Failed : LineRead::Ok;
        if (n == 0)
            return LineRead::Ok; // nothing more for now
        line->append(piece.constData(), n);
        if (line->endsWith('\n') || device->atEnd())
            return line->size() > max + 2 ? LineRead::TooLong : LineRead::Ok;
        if (line->size() > max + 2)
            return LineRead::TooLong;
    }
}

} // namespace

QString TrafficImportError::toString() const
{
    if (line <= 0)
        return QStringLiteral("%1: %2").arg(fileName, message);
    return QStringLiteral("%1:%2: %3").arg(fileName).arg(line).arg(message);
}

bool TrafficLogImport::parseLine(const QByteArray& line, TrafficFrame* frame, QString* label,
                                 QString* message)
{
    const JsonCheck json = checkJson(line);
    if (!json.ok()) {
        *message = QStringLiteral("not JSON: column %1: %2")
                       .arg(json.error->position.column)
                       .arg(json.error->reason);
        return false;
    }
    if (!json.value.isObject()) {
        *message = QStringLiteral("not a JSON object: each line of an export is one frame");
        return false;
    }
    const QJsonObject object = json.value.toObject();
    auto text = [&](const char* key, QString* value) {
        const QJsonValue field = object.value(QLatin1String(key));
        if (!field.isString()) {
            *message = field.isUndefined()
                           ? QStringLiteral("\"%1\" is missing").arg(QLatin1String(key))
                           : QStringLiteral("\"%1\" must be text").arg(QLatin1String(key));
            return false;
        }
        *value = field.toString();
        return true;
    };

    QString time, device, side, direction, kind, frameBase64;
    if (!text("time", &time) || !text("device", &device) || !text("side", &side) ||
        !text("direction", &direction) || !text("kind", &kind) ||
        !text("frame_base64", &frameBase64))
        return false;

    const QDateTime when = QDateTime::fromString(time, Qt::ISODateWithMs);
    if (!when.isValid()) {
        *message = QStringLiteral("\"time\" %1 is no UTC time like 2026-12-01T08:47:09.123Z")
                       .arg(quoted(time));
        return false;
    }
    frame->timeMs = when.toMSecsSinceEpoch();

    if (side == trafficSideKey(TrafficSide::Device)) {
        frame->side = TrafficSide::Device;
    } else if (side == trafficSideKey(TrafficSide::Gateway)) {
        frame->side = TrafficSide::Gateway;
    } else {
        *message = QStringLiteral("\"side\" must be %1 or %2, not %3")
                       .arg(trafficSideKey(TrafficSide::Device),
                            trafficSideKey(TrafficSide::Gateway), quoted(side));
        return false;
    }

    const std::optional<TrafficKind> stated = kindFromKey(kind);
    if (!stated) {
        *message = QStringLiteral("\"kind\" %1 is unknown (known: %2)")
                       .arg(quoted(kind), kindKeys().join(QStringLiteral(", ")));
        return false;
    }
    frame->kind = *stated;

    if (direction == trafficDirectionKey(TrafficDirection::DeviceToGateway)) {
        frame->direction = TrafficDirection::DeviceToGateway;
    } else if (direction == trafficDirectionKey(TrafficDirection::GatewayToDevice)) {
        frame->direction = TrafficDirection::GatewayToDevice;
    } else if (direction != QLatin1String("local") || *stated != TrafficKind::Connection) {
        *message =
            QStringLiteral("\"direction\" must be device_to_gateway or "
                           "gateway_to_device%1, not %2")
                .arg(*stated == TrafficKind::Connection ? QStringLiteral(" or local") : QString(),
                     quoted(direction));
        return false;
    }

    const QByteArray::FromBase64Result wire = QByteArray::fromBase64Encoding(
        frameBase64.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!wire || frameBase64.size() % 4 != 0) {
        *message = QStringLiteral("\"frame_base64\" is not base64");
        return false;
    }
    frame->wire = *wire;

    const QJsonValue size = object.value(QLatin1String("size"));
    const QJsonValue cutTo = object.value(QLatin1String("cut_to"));
    if (!cutTo.isUndefined()) {
        if (!size.isDouble() || size.toDouble() <= double(frame->wire.size()) ||
            size.toDouble() > double(kDefaultMaxFrameBytes) + kFrameHeaderBytes) {
            *message = QStringLiteral("\"cut_to\" needs a \"size\" above the bytes kept and "
                                      "within a frame's size cap");
            return false;
        }
        frame->largeSize = quint32(size.toDouble());
    }

    const QJsonValue roundTrip = object.value(QLatin1String("round_trip_ms"));
    if (!roundTrip.isUndefined()) {
        if (!roundTrip.isDouble() || roundTrip.toDouble() < 0) {
            *message = QStringLiteral("\"round_trip_ms\" must be a number of milliseconds ≥ 0");
            return false;
        }
        frame->roundTripMs = float(roundTrip.toDouble());
    }

    const QJsonValue summary = object.value(QLatin1String("summary"));
    if (frame->isError() || frame->kind == TrafficKind::Connection || frame->largeSize)
        frame->note = summary.toString();

    // The bytes must be what the line says they are: a replay sends them.
    if (isWireKind(*stated) && !frame->isCut()) {
        int responseType = -1;
        QString why;
        const TrafficKind onWire =
            classifyFrame(frame->direction, frame->wire, &responseType, &why);
        if (!sameKind(*stated, onWire)) {
            *message = onWire == TrafficKind::Malformed
                           ? QStringLiteral("\"kind\" says %1, but \"frame_base64\" holds no valid "
                                            "%2 frame: %3")
                                 .arg(trafficKindName(*stated),
                                      trafficDirectionName(frame->direction), why)
                           : QStringLiteral("\"kind\" says %1, but \"frame_base64\" holds a %2")
                                 .arg(trafficKindName(*stated), trafficKindName(onWire));
            return false;
        }
        frame->responseType = qint8(qBound(-1, responseType, 127));
    }

    *label = device;
    return true;
}

bool TrafficLogImport::read(QIODevice* device, const QString& fileName, TrafficSnapshot* snapshot,
                            TrafficImportError* error, const TrafficImportLimits& limits)
{
    *error = TrafficImportError{fileName, 0, {}};
    if (!device->isSequential() && device->size() > limits.fileBytes) {
        error->message = QStringLiteral("%1 bytes, more than the %2 bytes an import reads")
                             .arg(device->size())
                             .arg(limits.fileBytes);
        return false;
    }
    TrafficSnapshot result;
    QHash<QString, quint32> labels;
    qint64 lineNumber = 0;
    qint64 total = 0;
    QByteArray line;
    while (!device->atEnd()) {
        ++lineNumber;
        const LineRead read = readBoundedLine(device, limits.lineBytes, &line);
        total += line.size();
        if (read == LineRead::Failed) {
            *error = {fileName, lineNumber,
                      QStringLiteral("cannot read: %1").arg(device->errorString())};
            return false;
        }
        if (total > limits.fileBytes) {
            error->message =
                QStringLiteral("more than the %1 bytes an import reads").arg(limits.fileBytes);
            return false;
        }
        if (read == LineRead::TooLong) {
            *error = {fileName, lineNumber,
                      QStringLiteral("the line is longer than %1 bytes (a frame at the "
                                     "protocol's size cap fits)")
                          .arg(limits.lineBytes)};
            return false;
        }
        if (line.endsWith('\n'))
            line.chop(1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        if (result.frames.size() >= limits.frames) {
            *error = {fileName, lineNumber,
                      QStringLiteral("more than %1 frames; split the export").arg(limits.frames)};
            return false;
        }
        TrafficFrame frame;
        QString label;
        QString message;
        if (!parseLine(line, &frame, &label, &message)) {
            *error = {fileName, lineNumber, message};
            return false;
        }
        const auto known = labels.constFind(label);
        if (known != labels.cend()) {
            frame.device = *known;
        } else {
            frame.device = quint32(result.devices.size());
            labels.insert(label, frame.device);
            result.devices.append(label);
        }
        result.frames.append(std::move(frame));
    }
    if (result.frames.isEmpty()) {
        error->message = QStringLiteral("no frames: the file holds no line of a traffic log "
                                        "export");
        return false;
    }
    *snapshot = std::move(result);
    return true;
}

bool TrafficLogImport::load(const QString& fileName, TrafficSnapshot* snapshot,
                            TrafficImportError* error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = {fileName, 0, QStringLiteral("cannot read: %1").arg(file.errorString())};
        return false;
    }
    return read(&file, fileName, snapshot, error);
}

} // namespace fleet
