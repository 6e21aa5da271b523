#pragma once

// Private to the client library: the TCP connection under InternalClient
// (docs/performance.md#client-round-trip). Not part of the library's interface.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QHostInfo;
QT_END_NAMESPACE

namespace fleet {

class TransportNotifier;

// What a TcpTransport tells its owner, by direct calls rather than signals: on a status
// stream every call is on the round trip's path. A call may close the transport (and have it
// deleted later); the transport touches nothing of its own after a call returns.
class TcpTransportListener {
public:
    virtual void transportConnected() = 0; // the TCP connection is up
    virtual void transportReadable() = 0;  // read() has bytes, the end of the stream, or an error
    virtual void transportFailed() = 0;    // no connection, or it broke: see errorString()

protected:
    ~TcpTransportListener() = default;
};

// One non-blocking TCP connection on its own descriptor, watched by two socket notifiers.
// It does what InternalClient needs and nothing more: resolve a name and try every address in
// turn, write whole frames (what the kernel does not take at once waits here and goes out
// when the socket is writable), read into the caller's buffer, close. Against QTcpSocket it
// saves the buffered device's layers and three signal emissions per round trip; the system
// calls are the same (send, epoll_wait, recv).
//
// Failures reach the listener later, never from inside the call that caused them, as
// QTcpSocket's errors do (docs/architecture.md#house-style: defer re-entrancy).
class TcpTransport : public QObject {
    Q_OBJECT
public:
    TcpTransport(TcpTransportListener* listener, QObject* parent);
    ~TcpTransport() override; // closes without telling the listener

    // Names and IPv4/IPv6 literals alike (an IPv6 scope as in "fe80::1%eth0").
    void connectToHost(const QString& host, quint16 port);

    // Bytes read (> 0); 0 when nothing is there now; -1 at the end of the stream or on an
    // error (peerClosed() and errorString() tell which), after which the transport reads no
    // more and reports nothing further.
    qint64 read(char* data, qint64 maxSize);

    // Queues the whole frame: written at once as far as the kernel takes it, the rest when
    // the socket is writable. A failure to write reaches the listener later.
    void write(const QByteArray& frame);

    // Stops every notification now and closes the descriptor; safe inside a listener call.
    void close();

    bool isConnected() const { return m_state == State::Connected; }
    bool peerClosed() const { return m_peerClosed; }
    QString errorString() const { return m_errorString; }
    qint64 bytesToWrite() const { return m_unwritten.size() - m_unwrittenOffset; }

private:
    enum class State { Idle, LookingUp, Connecting, Connected, Closed };

    friend class TransportNotifier;
    void onReadReady();
    void onWriteReady();

    void onLookedUp(const QHostInfo& info);
    void tryNextAddress();
    void onConnectFinished();
    void flushUnwritten();
    qint64 sendSome(const char* data, qint64 size); // bytes the kernel took, or -1 (failed)
    void failLater(const QString& why);
    void closeDescriptor();
    void setConnectedNotifiers();

    TcpTransportListener* const m_listener;
    State m_state = State::Idle;
    int m_fd = -1;
    TransportNotifier* m_readNotifier = nullptr;
    TransportNotifier* m_writeNotifier = nullptr;
    int m_lookupId = -1;
    QList<QHostAddress> m_addresses; // still to try, in the resolver's order
    quint16 m_port = 0;
    // Bytes of frames the kernel did not take yet; bounded by the frames the client has in
    // flight (a connect or one status at a time).
    QByteArray m_unwritten;
    qsizetype m_unwrittenOffset = 0;
    bool m_peerClosed = false;
    bool m_failurePending = false; // a failure is on its way to the listener
    QString m_errorString;
};

} // namespace fleet
