#pragma once

#include "deviceidentity.h"
#include "internalclient.h"
#include "sessionstatus.h"

#include <QDateTime>
#include <QObject>

#include <memory>

namespace fleet {

class NetworkThread;

// One emulated device's connection, without widgets: owns the current InternalClient (a new
// one per connect, since a client destroyed by an error cannot be reused), turns its signals
// into what the console shows, and counts what happened.
//
// In the console the client lives on the network thread (NetworkThread::current() when the
// session connects), so that its round-trip clock runs at the socket, not behind the GUI
// (docs/performance.md#console-round-trips): the session keeps a copy of the client's state
// from its (queued) stateChanged(), checks sends against it and posts them. Without a network
// thread the client lives on the session's thread and is called directly, as before.
class DeviceSession : public QObject {
    Q_OBJECT
public:
    explicit DeviceSession(QObject* parent = nullptr);
    ~DeviceSession() override;

    // Replaces any previous client with a new one and starts its handshake. False with
    // *error when the client refused to start (the outcome otherwise arrives as signals).
    bool connectToServer(const QString& host, quint16 port, const DeviceIdentity& identity,
                         const ClientSettings& settings, QString* error = nullptr);
    // The operator's disconnect; idempotent.
    void disconnectFromServer();
    // Sends one status; false with *error when the client cannot take it now.
    bool sendStatus(const QByteArray& payload, int timeoutMs, QString* error = nullptr);

    SessionStatus status() const { return m_status; }
    // Since when the status holds; sending and answers do not restart a connection's time.
    QDateTime statusSince() const { return m_since; }
    // ClosedByGateway: why, in a sentence (the embedded gateway's reason when it told us).
    QString closeReason() const { return m_closeReason; }
    // The embedded gateway's reason for closing this device's connection, heard before the
    // client notices the close (both live on the network thread: the gateway posts its event
    // as it closes, before the client can read the end of the stream and post its own).
    void noteGatewayClose(const QString& why);
    bool isActive() const; // a client exists and is not destroyed
    bool canSend() const;  // connected, no status awaiting its answer

    InternalClient::Error lastError() const { return m_lastError; }
    QString lastErrorDetail() const { return m_lastErrorDetail; }
    // The embedded gateway's own reason for the close that ended the client, when it gave one.
    QString lastErrorCause() const { return m_lastErrorCause; }

    // The current client; on the network thread it may only be connected to, not called.
    InternalClient* client() const { return m_client; }
    DeviceIdentity identity() const { return m_identity; }
    QString serverAddress() const; // "127.0.0.1:8888" of the latest connect, empty before

    quint64 statusesSent() const { return m_statusesSent; }
    quint64 commandsReceived() const { return m_commandsReceived; }

signals:
    void statusChanged(fleet::SessionStatus status);
    // The client was destroyed by this error (the session status is then Failed).
    void failed(fleet::InternalClient::Error error, const QString& detail);
    // An answer (pushed = false, roundTripMs >= 0) or an unasked command (roundTripMs < 0).
    void commandReceived(const QByteArray& data, bool pushed, bool empty, double roundTripMs);
    void statusSent(const QByteArray& payload);
    // A new client exists, already told its server and identity: hook its frameSent/
    // frameReceived (the traffic log does). Emitted before it moves to the network thread.
    void clientCreated(fleet::InternalClient* client);
    void notice(const QString& text);

private:
    void setStatus(SessionStatus status);
    void retireClient();
    void onClientState(InternalClient::State state);
    void onClientError(InternalClient::Error error, const QString& detail);
    void onConnectionLost(const QString& detail);
    // The usage error InternalClient::sendStatus() would return in the copied state.
    InternalClient::Error sendRefusal(int timeoutMs) const;

    std::shared_ptr<NetworkThread> m_network; // declared first: released last
    InternalClient* m_client = nullptr;       // deleted only by retireClient()
    bool m_clientRemote = false;              // m_client lives on the network thread
    InternalClient::State m_clientState = InternalClient::State::Disconnected; // its last
    bool m_clientFailed = false; // errorOccurred() came (its stateChanged(Destroyed) follows)
    DeviceIdentity m_identity;
    QString m_host;
    quint16 m_port = 0;
    SessionStatus m_status = SessionStatus::NotConnected;
    QDateTime m_since = QDateTime::currentDateTime();
    InternalClient::Error m_lastError = InternalClient::Error::NoError;
    QString m_lastErrorDetail;
    QString m_lastErrorCause;
    QString m_closeReason;
    QString m_gatewayCloseWhy;
    QDateTime m_gatewayCloseTime;
    quint64 m_statusesSent = 0;
    quint64 m_commandsReceived = 0;
};

} // namespace fleet
