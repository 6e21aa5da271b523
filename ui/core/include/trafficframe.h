#pragma once

#include "deviceidentity.h"
#include "envelope.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace fleet {

// Which way a frame travelled: device → gateway frames carry InternalClient, gateway → device
// frames InternalServer (docs/protocol.md#schema). The envelope's own direction, so frames
// are decoded without a translation.
using TrafficDirection = EnvelopeDirection;

// Who logged the frame: a device the console emulates, or the embedded gateway. The same frame
// can appear twice, once from each side, when a console device talks to the embedded gateway.
enum class TrafficSide : quint8 { Device, Gateway };

enum class TrafficKind : quint8 {
    Connect,
    ConnectResponse,
    Status,
    Command,       // the answer to a status
    PushedCommand, // a command no status asked for (docs/protocol.md#conversation)
    Malformed,     // a frame that is no valid envelope for its direction
    ProtocolError, // an event without a whole frame: a cut header, a refused length, a close
    Connection,    // a local event of a console device: TCP open/close, refused, lookup failed
};
inline constexpr int kTrafficKindCount = 8;

// One row of the traffic log. Kept compact on purpose: a log holds up to a million of these,
// so everything that can be derived from the wire bytes is decoded on demand instead of
// stored (the bytes themselves are implicitly shared with whoever sent or received them).
struct TrafficFrame {
    QByteArray wire;          // exact bytes on the wire incl. the 4-byte header; for a
                              // ProtocolError the offending bytes, if any
    QString note;             // Malformed / ProtocolError: what is wrong; empty otherwise
    qint64 timeMs = 0;        // milliseconds since the epoch (UTC)
    float roundTripMs = -1.f; // answers only: time since the request they answer
    quint32 device = 0;       // index into the log's table of device labels
    TrafficKind kind = TrafficKind::Malformed;
    TrafficDirection direction = TrafficDirection::DeviceToGateway;
    TrafficSide side = TrafficSide::Device;
    qint8 responseType = -1; // ConnectResponse: its ResponseType (responseTypeName() names it)
    // Frames above TrafficLogModel::kLargeFrameBytes: the full size on the wire, and `note`
    // holds the summary decoded once on arrival. When the log's byte budget runs short, such a
    // frame keeps only its head in `wire` (isCut()). 0 for ordinary frames.
    quint32 largeSize = 0;

    bool isAnswer() const { return roundTripMs >= 0.f; }
    qsizetype size() const { return largeSize ? qsizetype(largeSize) : wire.size(); }
    bool isCut() const { return largeSize > quint32(wire.size()); }
    bool isError() const
    {
        return kind == TrafficKind::Malformed || kind == TrafficKind::ProtocolError;
    }
};

// What the wire bytes of one frame hold, decoded in full (for summaries and the detail pane).
struct DecodedFrame {
    bool ok = false;
    QString error; // why the bytes are no valid envelope (when !ok)
    TrafficKind kind = TrafficKind::Malformed;
    bool hasDevice = false;
    DeviceIdentity device;
    QByteArray payload;    // statusData / commandData
    int responseType = -1; // ConnectResponse: its ResponseType (responseTypeName() names it)
    QString envelopeText;  // protobuf text form of the whole envelope
};

// Classifies one whole frame (header included) as its direction's envelope. Cheap enough for
// every frame: no text form, no payload copy. `responseType` and `error` may be null.
TrafficKind classifyFrame(TrafficDirection direction, QByteArrayView wire, int* responseType,
                          QString* error);

// Everything in the frame, including the protobuf text form when `withText`.
DecodedFrame decodeFrame(TrafficDirection direction, QByteArrayView wire, bool withText = true);

// One line for the log: what the frame says, decoded with the module catalog where known.
QString summarizeFrame(const TrafficFrame& frame);

QString trafficKindName(TrafficKind kind);                   // "connect response"
QString trafficKindName(TrafficKind kind, int responseType); // "connect response: OK"
QString trafficDirectionName(TrafficDirection direction);
// A row's direction: its frame's, or "local event" for a connection event (nothing was sent).
QString trafficRowDirectionName(const TrafficFrame& frame);
QString trafficRowDirectionKey(
    const TrafficFrame& frame); // "local" for connection events    // "device → gateway"
QString trafficSideName(TrafficSide side); // "device", "gateway"
// A log's device label as a person reads it: "b1 · Example button" for an identity label
// (name, else role, then the device type), anything else unchanged.
QString readableDeviceLabel(const QString& label);

// Stable, ASCII names for exports: "connect_response", "device_to_gateway", ...
QString trafficKindKey(TrafficKind kind);
QString trafficDirectionKey(TrafficDirection direction);
QString trafficSideKey(TrafficSide side);

// hexDump() (offsets, hex, ASCII) of at most maxBytes: a 16 MiB frame would make a 70 MB
// string. Says how many bytes were left out.
inline constexpr qsizetype kDefaultHexDumpBytes = 64 * 1024;
QString trafficHexDump(QByteArrayView bytes, qsizetype maxBytes = kDefaultHexDumpBytes);

} // namespace fleet
