#pragma once

// Private to InternalClient: shared by internalclient.cpp (lifecycle, failures) and
// internalclientframes.cpp (frames in and out). Not part of the library's interface.

#include "internalclient.h"
#include "tcptransport_p.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTimer>

namespace fleet {

Q_DECLARE_LOGGING_CATEGORY(lcInternalClient)

// Read from the socket in chunks of this size (a reply is usually far smaller).
inline constexpr qint64 kReadChunkBytes = 64 * 1024;

// The transport's calls go straight to the client's handlers (no signal in between: they are
// on every round trip's path).
struct InternalClient::Private : TcpTransportListener {
    explicit Private(InternalClient* client)
        : q(client)
    {
    }
    void transportConnected() override { q->onSocketConnected(); }
    void transportReadable() override { q->onSocketReadyRead(); }
    void transportFailed() override { q->onSocketError(); }

    InternalClient* const q;
    // Both are children of the client. A retired socket is deleted later, because the client
    // often retires it from inside one of the socket's own notifications.
    TcpTransport* socket = nullptr; // the current connection; nullptr between connections
    QTimer* waitTimer = nullptr;    // the one pending wait: a connect attempt or a status answer
    // The wait's deadline on `clock`, -1 when nothing is awaited. The timer is armed lazily
    // (docs/performance.md#client-round-trip): an answer only clears the deadline and leaves
    // the timer running, and the next status re-arms it only when its deadline is earlier
    // than the timer's. A timer that fires before the deadline (or with none) re-arms itself
    // for the rest (or does nothing), so a status stream costs no timer restart per exchange.
    QElapsedTimer clock;
    qint64 deadlineNs = -1;
    qint64 timerDueNs = 0; // when waitTimer fires, while it is active

    // Returns the time it armed at, on `clock`.
    qint64 armWait(int timeoutMs)
    {
        const qint64 now = clock.nsecsElapsed();
        deadlineNs = now + qint64(timeoutMs) * 1000000;
        if (!waitTimer->isActive() || timerDueNs > deadlineNs) {
            waitTimer->start(timeoutMs);
            timerDueNs = deadlineNs;
        }
        return now;
    }
    // The awaited reply came: no deadline, and the timer, if it fires, finds none.
    void disarmWait() { deadlineNs = -1; }
    // Failures and destroy(): nothing is awaited any more, nor will be soon.
    void stopWait()
    {
        deadlineNs = -1;
        waitTimer->stop();
    }
    // On waitTimer's timeout: true when the deadline has passed; otherwise re-arms for the
    // time left, if any deadline is set.
    bool waitExpired()
    {
        if (deadlineNs < 0)
            return false;
        const qint64 now = clock.nsecsElapsed();
        if (now < deadlineNs) {
            const qint64 leftMs = (deadlineNs - now + 999999) / 1000000;
            waitTimer->start(int(leftMs));
            timerDueNs = now + leftMs * 1000000;
            return false;
        }
        deadlineNs = -1;
        return true;
    }
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
    qint64 roundTripStartNs = -1; // on `clock`: the first write of the pending status, -1 before
    // The status frame's constant part, the encoded Device field of DeviceStatus, cut from the
    // generic encoder's output once per client; the client's first status is also
    // compared with the generic encoder's frame.
    QByteArray statusDeviceField;
    bool statusFrameChecked = false;
    // statusDeviceField decodes back as exactly this device: an answer echoing it is read
    // without the generic decoder (internalclientframes.cpp, echoedCommandData()).
    bool echoFastPath = false;
    QByteArray statusFrame; // the last status frame written, its block reused for the next
    const QByteArray& encodeStatusFrame(const DeviceIdentity& device); // pendingStatus, framed
    // Statuses written by sendStatus() so far. A status sent from a slot while a batch of
    // frames is being handled cannot be answered by the frames of that batch still to come:
    // they were read before it was written (see processFrames()).
    quint64 statusesWritten = 0;
    bool frameReadBeforeStatus = false; // the frame being handled is such a frame
    QByteArray latestCommand;
    bool hasCommand = false;
};

} // namespace fleet
