#pragma once

#include "deviceidentity.h"
#include "framecodec.h"
#include "frames.h"

#include "InternalProtocol.pb.h"

#include <functional>

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QTimer;
QT_END_NAMESPACE

namespace fleet::test {

class FakeServer;

// One accepted connection of a FakeServer: what it received, and the calls a script uses to
// answer. Replies go out like the reference server writes them (header and body in two
// writes) unless another write mode is chosen.
class FakeConnection : public QObject {
    Q_OBJECT
public:
    enum class WriteMode {
        SplitHeader, // header, then body: two writes (the reference server's way)
        SingleWrite, // header and body in one write
        Trickle,     // one byte per write, a millisecond apart
    };

    FakeConnection(FakeServer* server, QTcpSocket* socket, int index);

    int index() const { return m_index; } // 0 for the first accepted connection
    QTcpSocket* socket() const { return m_socket; }
    bool isOpen() const;
    // Every parsed message this connection received, in order.
    const QList<InternalProtocol::InternalClient>& messages() const { return m_messages; }
    int statusCount() const;

    void setWriteMode(WriteMode mode) { m_writeMode = mode; }

    // DeviceConnectResponse OK echoing the device of this connect message.
    void acceptConnect(const InternalProtocol::InternalClient& connectMessage);
    void sendConnectResponse(int responseType, const DeviceIdentity& device);
    // DeviceCommand for the device of this status message.
    void answerStatus(const InternalProtocol::InternalClient& statusMessage,
                      const QByteArray& commandData);
    void sendCommand(const DeviceIdentity& device, const QByteArray& commandData);
    void sendMessage(const InternalProtocol::InternalServer& message);
    // The same, delayMs later (a slow server); nothing if the connection closed meanwhile.
    void sendMessageAfter(int delayMs, const InternalProtocol::InternalServer& message);
    void sendBody(const QByteArray& body); // one frame around these bytes
    void sendRaw(const QByteArray& bytes); // exactly these bytes (several frames, half a frame)

    // Closes after everything queued was written (as the reference server closes).
    void close();
    void abort();

private:
    friend class FakeServer;
    void onReadyRead();
    void write(const QByteArray& bytes);
    void trickleNext();
    void closeWhenWritten();

    FakeServer* m_server;
    QTcpSocket* m_socket;
    int m_index;
    WriteMode m_writeMode = WriteMode::SplitHeader;
    FrameReader m_reader;
    QList<InternalProtocol::InternalClient> m_messages;
    QByteArray m_trickle; // bytes still to trickle out
    QTimer* m_trickleTimer = nullptr;
    bool m_closeRequested = false;
};

// The suites' one in-process, scriptable internal server: listens on a loopback port 0, parses
// what devices send and hands every message to a script that decides the reply (any connect
// response, command, raw bytes, half frames, delays, closes). Without a script it behaves like
// a well-mannered gateway: accepts every connect and answers each status with
// answerFor(status) ("ack:" + the status by default). It records every frame in both
// directions, whole and with headers, so tests can compare bytes with the client's.
class FakeServer : public QObject {
    Q_OBJECT
public:
    using Script = std::function<void(FakeConnection& connection,
                                      const InternalProtocol::InternalClient& message)>;
    using AcceptHook = std::function<void(FakeConnection& connection)>;

    explicit FakeServer(QObject* parent = nullptr);
    ~FakeServer() override;

    bool listen(const QHostAddress& address = QHostAddress::LocalHost);
    quint16 port() const;
    QHostAddress address() const;
    // Stops accepting: later connects are refused. Existing connections stay.
    void stopListening();

    void setScript(Script script) { m_script = std::move(script); }
    // Runs for each new connection before anything is read (e.g. to close it at once).
    void setAcceptHook(AcceptHook hook) { m_acceptHook = std::move(hook); }
    void setWriteMode(FakeConnection::WriteMode mode) { m_writeMode = mode; }
    void setAnswerFor(std::function<QByteArray(const QByteArray&)> answerFor)
    {
        m_answerFor = std::move(answerFor);
    }

    // The default script's reply to one message (usable from custom scripts too).
    void behaveAsGateway(FakeConnection& connection,
                         const InternalProtocol::InternalClient& message);

    QList<FakeConnection*> connections() const { return m_connections; }
    int connectionCount() const { return int(m_connections.size()); }
    FakeConnection* connection(int index) const { return m_connections.value(index); }
    // Across all connections, in arrival order.
    QList<QByteArray> statusPayloads() const { return m_statusPayloads; }
    QList<QByteArray> receivedFrames() const { return m_receivedFrames; }
    QList<QByteArray> sentFrames() const { return m_sentFrames; } // whole frames only
    // Why the server dropped a connection on its own (bad frame), as the reference would.
    QStringList protocolErrors() const { return m_protocolErrors; }

    static InternalProtocol::InternalServer connectResponse(int responseType,
                                                            const DeviceIdentity& device);
    static InternalProtocol::InternalServer command(const DeviceIdentity& device,
                                                    const QByteArray& commandData);
    // The device a connect or status message carries.
    static DeviceIdentity deviceOf(const InternalProtocol::InternalClient& message);

signals:
    void messageReceived(int connectionIndex);

private:
    friend class FakeConnection;
    void onNewConnection();
    void received(FakeConnection& connection, const QByteArray& frame,
                  const InternalProtocol::InternalClient& message);

    QTcpServer* m_server;
    QList<FakeConnection*> m_connections;
    Script m_script;
    AcceptHook m_acceptHook;
    FakeConnection::WriteMode m_writeMode = FakeConnection::WriteMode::SplitHeader;
    std::function<QByteArray(const QByteArray&)> m_answerFor;
    QList<QByteArray> m_statusPayloads;
    QList<QByteArray> m_receivedFrames;
    QList<QByteArray> m_sentFrames;
    QStringList m_protocolErrors;
};

} // namespace fleet::test
