#pragma once

#include "deviceidentity.h"
#include "envelope.h"
#include "framecodec.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

// Named timeouts (milliseconds). The reference client's connect timeout is 1 s
// (docs/protocol.md#client-contract).
inline constexpr int kDefaultConnectTimeoutMs = 1000;
inline constexpr int kDefaultStatusTimeoutMs = 5000;

struct ClientSettings {
    int connectTimeoutMs = kDefaultConnectTimeoutMs; // TCP connect + connect response, per attempt
    int connectAttempts = 1;                         // attempts of the initial connect
    int resendAttempts = 1; // reconnect-and-resend rounds after a failed status exchange
    quint32 maxFrameBytes = kDefaultMaxFrameBytes;
};

// An asynchronous Fleet Protocol v2 internal client: one device, one TCP connection, driven
// entirely by socket notifications and single-shot timers (never blocks, never waits).
//
//   Disconnected → Connecting → Handshaking → Connected ⇄ AwaitingCommand
//                                    ↑ Reconnecting ↵        (any) → Destroyed
//
// A client destroyed by an error stays destroyed: create a new one to connect again.
//
// Lifetime: delete the client with deleteLater() from a slot connected to its signals, as with
// QTcpSocket or QMqttClient; a direct delete is fine anywhere else. Its signals come from inside
// its socket's notifications and its timer's signal, which a direct delete there would free
// under their feet. Calling destroy() or sendStatus() from such a slot is fine.
class InternalClient : public QObject {
    Q_OBJECT
public:
    enum class State {
        Disconnected,    // created, connectToServer() not called yet
        Connecting,      // TCP connect under way
        Handshaking,     // DeviceConnect sent, awaiting DeviceConnectResponse
        Connected,       // idle: ready for sendStatus()
        AwaitingCommand, // status sent, awaiting its DeviceCommand
        Reconnecting,    // a status exchange failed: new connection, then resend
        Destroyed,       // terminal
    };
    Q_ENUM(State)

    enum class Error {
        NoError,
        // communication family
        ConnectionRefused,
        CommunicationError,
        ServerTookTooLong,
        DeviceIncorrect,  // a reply names another device
        CommandIncorrect, // a reply that does not parse
        FrameTooLarge,    // announced frame length above the cap
        // connect family (DeviceConnectResponse.responseType)
        AlreadyConnected,
        ModuleNotSupported,
        DeviceNotSupported,
        HigherPriorityAlreadyConnected,
        // usage family (returned by the call, never destroys the client)
        NoCommand,
        ContextDestroyed,
        InvalidTimeout,
        NotConnected,  // sendStatus() before the handshake finished
        StatusPending, // sendStatus() while the previous status awaits its answer
    };
    Q_ENUM(Error)

    enum class ErrorFamily { None, Communication, Connect, Usage };
    Q_ENUM(ErrorFamily)

    explicit InternalClient(QObject* parent = nullptr);
    ~InternalClient() override;

    // Only before connectToServer(); later calls are ignored.
    void setSettings(const ClientSettings& settings);
    const ClientSettings& settings() const { return m_settings; }

    // Starts the connect handshake (names and IPv4/IPv6 addresses). The outcome arrives as
    // connected() or errorOccurred(). Returns a usage error (ContextDestroyed when destroyed,
    // NotConnected when already started) or NoError.
    Error connectToServer(const QString& host, quint16 port, const DeviceIdentity& device);

    // Sends one status and awaits its command within timeoutMs (per attempt). The outcome
    // arrives as commandReceived() then statusAnswered(), or errorOccurred() (after the
    // configured reconnect-and-resend rounds). Returns a usage error or NoError.
    // If the gateway closed the connection while the client was idle (notice() tells so
    // when it happens), this reconnects first, as the reference Python client does on its
    // next send; that reconnect is the status's first reconnect-and-resend round.
    Error sendStatus(const QByteArray& payload, int timeoutMs);

    // The latest command's bytes (answered or pushed, possibly empty). NoCommand before any
    // command arrived, ContextDestroyed after destroy().
    Error command(QByteArray* data) const;

    // Closes the connection; idempotent. Afterwards every call reports ContextDestroyed.
    void destroy();

    State state() const { return m_state; }
    Error error() const { return m_error; } // the error that destroyed the client, if any
    QString errorString() const;            // sentence + detail for error()
    const DeviceIdentity& device() const { return m_device; }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }

    static ErrorFamily errorFamily(Error error);
    static QString errorName(Error error);         // stable, e.g. "ServerTookTooLong"
    static QString familyName(ErrorFamily family); // "communication", "connect", "usage"
    static QString errorSentence(Error error);     // what probably happened, what to try
    static QString stateName(State state);

signals:
    void stateChanged(fleet::InternalClient::State state);
    void connected();
    // Every command that arrives: the answer to a status (pushed = false) or an unasked one.
    // The protocol cannot tell them apart: the first command while a status is pending is
    // its answer, every other one is pushed. empty: commandData was empty ("nothing new").
    void commandReceived(const QByteArray& data, bool pushed, bool empty);
    // The pending status got its answer after roundTripMs (first send to answer).
    void statusAnswered(const QByteArray& command, double roundTripMs);
    // The client was destroyed by this error; detail names what exactly went wrong.
    void errorOccurred(fleet::InternalClient::Error error, const QString& detail);
    // The connection closed while idle (no status awaiting its answer). The client stays
    // Connected as the reference client does, and the next status reconnects first
    // (docs/protocol.md#client-contract); this tells applications that show the connection.
    void connectionLost(fleet::InternalClient::Error error, const QString& detail);
    // Whole frames including the 4-byte header, exactly as written to / read from the wire.
    void frameSent(const QByteArray& frame);
    void frameReceived(const QByteArray& frame);
    // Something worth a line in a log that is not an error (e.g. a skipped late command).
    void notice(const QString& text);

private:
    struct Private;

    // Connection lifecycle
    void startConnection();
    void retireSocket();
    void onSocketConnected();
    void onSocketReadyRead();
    void onSocketError();
    void onWaitTimeout();

    // Frames
    void sendFrame(const QByteArray& frame);
    void sendPendingStatus();
    bool processFrames();                  // false once the connection was retired or replaced
    void handleFrame(QByteArrayView body); // read before anything is emitted
    void handleConnectResponse(ResponseType responseType, const DeviceIdentity& echoed);
    void handleCommand(const QByteArray& data, const DeviceIdentity& sender);

    // The one failure path: every error goes through fail(), which retries where the
    // settings allow (unless Retry::Never) or destroys the client.
    enum class Retry { Allowed, Never };
    void fail(Error error, const QString& detail, Retry retry = Retry::Allowed);
    void retryConnect(Error error, const QString& detail);
    void beginReconnectRound(Error error, const QString& detail);
    void setState(State state);

    std::unique_ptr<Private> d;
    ClientSettings m_settings;
    DeviceIdentity m_device;
    QString m_host;
    quint16 m_port = 0;
    State m_state = State::Disconnected;
    Error m_error = Error::NoError;
    QString m_errorDetail;
};

} // namespace fleet
