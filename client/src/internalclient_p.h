#pragma once

// Private to InternalClient: shared by internalclient.cpp (lifecycle, failures) and
// internalclientframes.cpp (frames in and out). Not part of the library's interface.

#include "internalclient.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTimer>

namespace fleet {

Q_DECLARE_LOGGING_CATEGORY(lcInternalClient)

struct InternalClient::Private {
    // Both are children of the client. A retired socket is deleted later, because the client
    // often retires it from inside one of the socket's own signals.
    QTcpSocket* socket = nullptr; // the current connection; nullptr between connections
    QTimer* waitTimer = nullptr;  // the one pending wait: a connect attempt or a status answer
    FrameReader reader;
    int connectAttempt = 0;     // 1-based, initial connect only
    bool tcpConnected = false;  // the current socket reached ConnectedState
    bool handshakeSent = false; // DeviceConnect written on the current socket
    // The gateway closed an idle connection: the next sendStatus() reconnects first.
    bool connectionLost = false;
    QString lostDetail;
    // The status being exchanged (kept for the resend after a reconnect)
    QByteArray pendingStatus;
    int pendingTimeoutMs = 0;
    int resendsLeft = 0;
    QElapsedTimer roundTrip; // from the first send of the pending status
    QByteArray latestCommand;
    bool hasCommand = false;
};

} // namespace fleet
