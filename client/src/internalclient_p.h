#pragma once

// Private to InternalClient: shared by internalclient.cpp (lifecycle, failures) and
// internalclientframes.cpp (frames in and out). Not part of the library's interface.

#include "internalclient.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace fleet {

Q_DECLARE_LOGGING_CATEGORY(lcInternalClient)

struct InternalClient::Private {
    QTcpSocket* socket = nullptr; // the current connection; nullptr between connections
    QTimer* waitTimer = nullptr;  // the one pending wait: a connect attempt or a status answer
    FrameReader reader;
    // > 0 while one of our socket or timer slots runs: the socket must then not be deleted
    // under its own signal emission (a user slot may delete the client from there).
    int callbackDepth = 0;
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

    // Marks one of our socket or timer slots as running (see callbackDepth); leaves the
    // count alone when a slot of the application deleted the client meanwhile.
    class CallbackScope {
    public:
        CallbackScope(InternalClient* client, int* depth)
            : m_client(client)
            , m_depth(depth)
        {
            ++*m_depth;
        }
        ~CallbackScope()
        {
            if (m_client)
                --*m_depth;
        }
        CallbackScope(const CallbackScope&) = delete;
        CallbackScope& operator=(const CallbackScope&) = delete;

    private:
        QPointer<InternalClient> m_client;
        int* m_depth;
    };
};

} // namespace fleet
