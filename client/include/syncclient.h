#pragma once

#include <memory>
#include <stdexcept>

#include <QByteArray>
#include <QString>

#include "deviceidentity.h"
#include "internalclient.h"

// A blocking, exception-based facade over fleet::InternalClient, shaped like the Python
// reference client (docs/protocol.md#client-contract), for headless C++ programs and scripts:
//
//     QCoreApplication app(argc, argv);           // required: sockets need one
//     fleet::sync::InternalClient client("127.0.0.1", 8888, device); // connects or throws
//     client.sendStatus(R"({"pressed": true})", 5.0); // blocks until answered or throws
//     QByteArray command = client.command();
//     client.destroy();
//
// Requirements and behaviour:
// - A QCoreApplication (or QGuiApplication/QApplication) must exist before construction; the
//   constructor throws fleet::sync::Exception (error NotConnected) otherwise. The client may be
//   used in any thread that has an event dispatcher (the main thread, or a QThread), but only in
//   the thread that created it.
// - Each blocking call runs a local QEventLoop until the asynchronous client reports, so other
//   events of the calling thread (timers, other sockets, an in-process server) keep being served
//   while it waits. Calling into the same sync client from such an event (re-entrancy) throws
//   fleet::sync::Exception with error StatusPending.
// - Every wait is bounded by the asynchronous client's own timeouts
//   (docs/protocol.md#client-contract); on top of that a safety bound (those timeouts plus
//   kSafetyMarginMs) makes a call throw ServerTookTooLong rather than hang, should the asynchronous
//   client never report.
// - Never used by the GUI: the GUI drives fleet::InternalClient directly and never waits.
namespace fleet::sync {

// Extra time granted beyond the asynchronous client's own bounds before a blocking call gives
// up on its own (see above). Generous: it guards against bugs, not against slow servers.
inline constexpr int kSafetyMarginMs = 5000;

// The largest accepted sendStatus() timeout: the asynchronous client counts milliseconds in
// an int.
inline constexpr double kMaxTimeoutSeconds = 2147483.0;

// Base of every exception this API throws. what() reads "ErrorName: detail".
class Exception : public std::runtime_error {
public:
    Exception(fleet::InternalClient::Error error, const QString& detail);

    fleet::InternalClient::Error error() const { return m_error; }
    fleet::InternalClient::ErrorFamily family() const;
    QString name() const; // stable, e.g. "ServerTookTooLong"
    QString detail() const { return m_detail; }

private:
    fleet::InternalClient::Error m_error;
    QString m_detail;
};

// The server answered DeviceConnect with a non-OK responseType (the reference's
// ConnectExceptions). The client is destroyed.
class ConnectException : public Exception {
public:
    using Exception::Exception;
};
class AlreadyConnected : public ConnectException {
public:
    explicit AlreadyConnected(const QString& detail);
};
class ModuleNotSupported : public ConnectException {
public:
    explicit ModuleNotSupported(const QString& detail);
};
class DeviceNotSupported : public ConnectException {
public:
    explicit DeviceNotSupported(const QString& detail);
};
class HigherPriorityAlreadyConnected : public ConnectException {
public:
    explicit HigherPriorityAlreadyConnected(const QString& detail);
};

// The transport or the peer failed (the reference's CommunicationExceptions). The client is
// destroyed.
class CommunicationException : public Exception {
public:
    using Exception::Exception;
};
class ConnectionRefused : public CommunicationException {
public:
    explicit ConnectionRefused(const QString& detail);
};
class CommunicationError : public CommunicationException {
public:
    explicit CommunicationError(const QString& detail);
};
class ServerTookTooLong : public CommunicationException {
public:
    explicit ServerTookTooLong(const QString& detail);
};
// The POSIX reference's additions, kept distinct (docs/protocol.md#client-contract).
class DeviceIncorrect : public CommunicationException {
public:
    explicit DeviceIncorrect(const QString& detail);
};
class CommandIncorrect : public CommunicationException {
public:
    explicit CommandIncorrect(const QString& detail);
};
class FrameTooLarge : public CommunicationException {
public:
    explicit FrameTooLarge(const QString& detail);
};

// Usage errors: the call was refused, the client is left as it was.
class NoCommand : public Exception {
public:
    explicit NoCommand(const QString& detail);
};
class ContextDestroyed : public Exception {
public:
    explicit ContextDestroyed(const QString& detail);
};
// A negative, NaN or too large sendStatus() timeout. The reference raises a plain ValueError
// here; deriving from Exception lets one catch clause handle everything this API throws.
class InvalidTimeout : public Exception {
public:
    explicit InvalidTimeout(const QString& detail);
};

// Throws the exception class that stands for `error` (the base Exception for errors without a
// class of their own, e.g. NotConnected or StatusPending). Must not be called with NoError.
[[noreturn]] void throwError(fleet::InternalClient::Error error, const QString& detail);

class InternalClient {
public:
    // Connects (TCP + DeviceConnect handshake, settings.connectAttempts attempts of
    // settings.connectTimeoutMs each) and returns only once connected; throws a
    // CommunicationException or ConnectException otherwise.
    InternalClient(const QString& host, quint16 port, const DeviceIdentity& device,
                   const ClientSettings& settings = {});
    ~InternalClient();

    InternalClient(const InternalClient&) = delete;
    InternalClient& operator=(const InternalClient&) = delete;

    // Sends one status and blocks until its command arrived (then available from command()).
    // timeoutSeconds bounds each attempt's wait for the answer; after a failed attempt the
    // client reconnects and resends (settings.resendAttempts times), so a failing call returns
    // within about (1 + resendAttempts) × timeout + resendAttempts × connect timeout.
    // timeoutSeconds may have fractions (rounded up to whole milliseconds) and must lie in
    // [0, kMaxTimeoutSeconds]; 0 means "do not wait", which in practice always times out.
    // Throws ContextDestroyed (checked first), InvalidTimeout for a negative, NaN or too large
    // timeout (client unchanged; the reference raises ValueError), or a Communication- or
    // ConnectException (client destroyed: create a new one).
    void sendStatus(const QByteArray& payload, double timeoutSeconds);

    // The latest command's bytes (possibly empty: "nothing new"), answered or pushed; commands
    // pushed between calls are taken in whenever the thread's events are processed (during the
    // next blocking call at the latest). Throws ContextDestroyed, then NoCommand before any
    // command arrived.
    QByteArray command() const;

    // Closes the connection; idempotent, never throws. Afterwards every call throws
    // ContextDestroyed.
    void destroy();

    bool isDestroyed() const;
    const DeviceIdentity& device() const { return m_device; }
    // Round trip of the last answered status, first send to answer (reconnects included).
    double lastRoundTripMs() const { return m_lastRoundTripMs; }
    // The asynchronous client underneath, e.g. to log its frameSent/frameReceived signals.
    // Do not call its mutating functions: the sync API keeps its own bookkeeping.
    const fleet::InternalClient& asyncClient() const { return *m_client; }

private:
    void checkUsable(const char* call) const;

    std::unique_ptr<fleet::InternalClient> m_client;
    DeviceIdentity m_device;
    double m_lastRoundTripMs = 0.0;
    bool m_busy = false; // inside a blocking call: refuses re-entrant calls
};

} // namespace fleet::sync
