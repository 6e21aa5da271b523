#pragma once

#include "framecodec.h"
#include "trafficlogmodel.h"

#include <QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace fleet {

// Where a traffic log export does not read, and why: "log.jsonl:7: "side" must be device or
// gateway, not "cloud"" (line 0: the file as a whole).
struct TrafficImportError {
    QString fileName;
    qint64 line = 0;
    QString message;
    QString toString() const;
};

// How much an import reads at most (TrafficLogImport's constants; tests use small ones).
struct TrafficImportLimits {
    qint64 fileBytes;
    qint64 lineBytes;
    int frames;
};

// Reads a JSON Lines export of the traffic log (trafficJsonLine(), trafficlogexport.h) back
// into frames, for record and replay (docs/scenarios.md#record-and-replay). A frame is rebuilt
// from "frame_base64" (the exact bytes on the wire), "time", "device", "side", "direction",
// "kind", and "round_trip_ms", "size", "cut_to" and "summary" where present; "payload" is
// derived from the frame and not read. A frame's kind is checked against its bytes: a line
// whose "kind" says status while its frame holds a command is refused rather than replayed.
//
// Bounded: a file above kMaxFileBytes, a line above kMaxLineBytes or more than kMaxFrames rows
// are refused before they are read whole. The first line at fault ends the import.
class TrafficLogImport {
public:
    // Larger than the export of a full log (256 MiB of wire bytes, written out as base64 twice).
    static constexpr qint64 kMaxFileBytes = qint64(1) << 30;
    // One frame at the protocol's size cap as base64 twice plus its payload as escaped text.
    static constexpr qint64 kMaxLineBytes = 8 * qint64(kDefaultMaxFrameBytes) + 64 * 1024;
    // As many rows as the traffic log holds at most.
    static constexpr int kMaxFrames = 1'000'000;

    static constexpr TrafficImportLimits kLimits{kMaxFileBytes, kMaxLineBytes, kMaxFrames};

    // Reads every line of `device`; fileName labels the messages. Blank lines are skipped.
    static bool read(QIODevice* device, const QString& fileName, TrafficSnapshot* snapshot,
                     TrafficImportError* error, const TrafficImportLimits& limits = kLimits);
    static bool load(const QString& fileName, TrafficSnapshot* snapshot, TrafficImportError* error);

    // One line (without its line end) as one frame and its device label (frame->device is
    // left for the caller's table). False with *message when the line does not read.
    static bool parseLine(const QByteArray& line, TrafficFrame* frame, QString* label,
                          QString* message);
};

} // namespace fleet
