#pragma once

#include "internalclient.h"

#include <QColor>
#include <QString>

namespace fleet {

// What the operator sees of one device session. The client's own states plus the two ends
// a client does not distinguish: disconnected by the operator, or destroyed by an error.
enum class SessionStatus {
    NotConnected, // no connect attempt yet
    Connecting,
    Handshaking,
    Connected,
    AwaitingCommand,
    Reconnecting,
    ClosedByGateway, // the connection closed while idle; the next send reconnects
    Disconnected,    // the operator disconnected
    Failed,          // an error destroyed the client
};

SessionStatus sessionStatusFor(InternalClient::State state);
QString sessionStatusName(SessionStatus status); // "Connected", "Awaiting command", …
QColor sessionStatusColor(SessionStatus status);
// "12 s", "3 min 4 s", "2 h 5 min": how long ago, for "since" labels.
QString elapsedText(qint64 milliseconds);

} // namespace fleet
