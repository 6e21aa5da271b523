#pragma once

#include "framecodec.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace fleet {

// The reference gateway gives its module handler this long to produce an answer, then closes
// the connection (docs/protocol.md#conversation).
inline constexpr int kReferenceAnswerDeadlineMs = 250;
// Commands an operator can queue per device slot; a further one drops the oldest.
inline constexpr int kMaxQueuedCommands = 3;
// The reference gateway's default port (docs/protocol.md#framing).
inline constexpr quint16 kDefaultGatewayPort = 8888;
// A partial frame that gets no further byte for this long is a header (or body) cut short.
inline constexpr int kDefaultStallTimeoutMs = 2000;

// The hardening bounds (README "Limits and hardening"). Each is a GatewayPolicy field, a
// fleet-gateway option, and the console's embedded gateway uses the same defaults.
//
// Unsent answer bytes of one connection above which the gateway stops reading from it
// (back-pressure on a peer that does not read its answers).
inline constexpr qint64 kDefaultMaxUnsentBytes = 1024 * 1024;
// Unsent answer bytes of all connections together above which the gateway stops reading from
// the connections holding the most, until half of it is drained: many peers that do not read,
// each under its own bound, cannot add up without end.
inline constexpr qint64 kDefaultMaxUnsentTotalBytes = 64 * 1024 * 1024;
// Longest role or name (UTF-8 bytes) a connect may carry; the embedded clients cap both at 128
// bytes (docs/protocol.md#identity-and-arbitration).
inline constexpr int kDefaultMaxIdentityBytes = 4096;
// A frame must be complete this long after its first byte, however it trickles in.
inline constexpr int kDefaultFrameDeadlineMs = 10000;
// A connection must identify (a connect message) this long after it was accepted.
inline constexpr int kDefaultConnectDeadlineMs = 10000;
// Partially received frame bytes held across all connections; above it the oldest partial
// frame's connection is dropped first.
inline constexpr qint64 kDefaultMaxPartialBytes = 128 * 1024 * 1024;
// Open connections per gateway. fleet-gateway raises its open-file limit to fit.
inline constexpr int kDefaultMaxConnections = 4096;
// Frames larger than this are decoded and validated on a worker thread: an 8 MiB status takes
// tens of milliseconds, which would stall every other connection.
inline constexpr qint64 kDefaultOffloadDecodeBytes = 256 * 1024;
// Bodies handed to that worker and not decoded yet. Above it, connections stop reading the
// body of a frame that goes to the worker until it catches up: a worker slower than the
// network must not pile up received megabytes.
inline constexpr qint64 kMaxDecodeBacklogBytes = 32 * 1024 * 1024;

// How the emulated gateway behaves. Can be changed while serving: connection-level values
// (maxFrameBytes) apply to new connections, everything else to the next message.
struct GatewayPolicy {
    // Modules the gateway serves; others get MODULE_NOT_SUPPORTED. Default: the four known
    // ones (mission 1, IO 2, transparent 3, example 1000).
    QList<quint32> supportedModules{1, 2, 3, 1000};
    // For supported modules the catalog does not know: accept any device type. Without it
    // such modules answer DEVICE_NOT_SUPPORTED to every device. Known modules always follow
    // ModuleCatalog::supportsDeviceType.
    bool acceptUnknownDeviceTypes = false;
    // Push-only devices: answer every status with an empty commandData (operator-queued
    // commands still go first).
    bool emptyAnswers = false;
    // What an unknown module answers (empty = "nothing new").
    QByteArray defaultCommand;
    // How long the emulated module takes to answer a status. Above answerDeadlineMs the
    // connection is closed without an answer, as the reference gateway does.
    int answerDelayMs = 0;
    int answerDeadlineMs = kReferenceAnswerDeadlineMs;
    // A connection with a partial frame and no new byte for this long is dropped (0 = never).
    int stallTimeoutMs = kDefaultStallTimeoutMs;
    // A frame not complete this long after its first byte is dropped as cut short (0 = never).
    // Unlike stallTimeoutMs it is not restarted by each byte.
    int frameDeadlineMs = kDefaultFrameDeadlineMs;
    // A connection that has not connected a device this long after it was accepted is closed
    // (0 = never); a connection left open after MODULE/DEVICE_NOT_SUPPORTED counts as such.
    int connectDeadlineMs = kDefaultConnectDeadlineMs;
    // Per connection: reading stops while answers not yet taken by the peer (plus statuses
    // awaiting a delayed answer) exceed this, and resumes once half of it is drained.
    qint64 maxUnsentBytes = kDefaultMaxUnsentBytes;
    // All connections together (0 = no budget): above it, the connections holding the most
    // unsent bytes stop reading until the total is back under half of it.
    qint64 maxUnsentTotalBytes = kDefaultMaxUnsentTotalBytes;
    // A connect whose role or name is longer (UTF-8 bytes) gets DEVICE_NOT_SUPPORTED.
    int maxIdentityBytes = kDefaultMaxIdentityBytes;
    // All connections together: partially received frame bytes (0 = no budget).
    qint64 maxPartialBytes = kDefaultMaxPartialBytes;
    // Open connections (0 = no limit). At the limit, a new connection displaces the oldest one
    // that has not connected a device, or is closed at once when every one has.
    int maxConnections = kDefaultMaxConnections;
    // Frames above this size are decoded and validated off the event loop (0 = never).
    qint64 offloadDecodeBytes = kDefaultOffloadDecodeBytes;
    // A connected device that sends nothing for this long is dropped (0 = never; the
    // reference gateway uses about 2 x 15 s).
    int silenceTimeoutMs = 0;
    quint32 maxFrameBytes = kDefaultMaxFrameBytes;
    // Explaining mode (on) or reference-strict (off). The wire behaviour is the reference's
    // either way: a rejected status still gets no answer. Event logs (the console's gateway
    // panel) say why a status went unanswered only in explaining mode.
    bool explainSilentDrops = true;

    // The reference gateway's timing for users who want exactly that: no connect, frame or
    // stall deadline and silent drops not explained. Memory bounds (frame cap, back-pressure and
    // its total budget, partial budget, connection limit, identity length) stay: they change
    // nothing a well-behaved device sees.
    static GatewayPolicy strictReference();
    // One sentence saying what strictReference() turns off and what stays, for logs.
    static QString strictReferenceSummary();
};

} // namespace fleet
