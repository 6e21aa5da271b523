#pragma once

#include "framecodec.h"

#include <QByteArray>
#include <QList>

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
    // A connected device that sends nothing for this long is dropped (0 = never; the
    // reference gateway uses about 2 x 15 s).
    int silenceTimeoutMs = 0;
    quint32 maxFrameBytes = kDefaultMaxFrameBytes;
    // Explaining mode (on) or reference-strict (off). The wire behaviour is the reference's
    // either way: a rejected status still gets no answer. Event logs (the console's gateway
    // panel) say why a status went unanswered only in explaining mode.
    bool explainSilentDrops = true;
};

} // namespace fleet
