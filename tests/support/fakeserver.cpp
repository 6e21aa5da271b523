#include "fakeserver.h"

#include <algorithm>

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace fleet::test {

// --- FakeConnection --------------------------------------------------------------------------

FakeConnection::FakeConnection(FakeServer* server, QTcpSocket* socket, int index)
    : QObject(server)
    , m_server(server)
    , m_socket(socket)
    , m_index(index)
    , m_writeMode(server->m_writeMode)
{
    m_socket->setParent(this);
    // So a split header really leaves as its own segment, as it does from the reference.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &FakeConnection::onReadyRead);
}

bool FakeConnection::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

int FakeConnection::statusCount() const
{
    return int(std::count_if(m_messages.cbegin(), m_messages.cend(),
                             [](const auto& message) { return message.has_devicestatus(); }));
}

void FakeConnection::acceptConnect(const InternalProtocol::InternalClient& connectMessage)
{
    sendConnectResponse(InternalProtocol::DeviceConnectResponse::OK,
                        FakeServer::deviceOf(connectMessage));
}

void FakeConnection::sendConnectResponse(int responseType, const DeviceIdentity& device)
{
    sendMessage(FakeServer::connectResponse(responseType, device));
}

void FakeConnection::answerStatus(const InternalProtocol::InternalClient& statusMessage,
                                  const QByteArray& commandData)
{
    sendCommand(FakeServer::deviceOf(statusMessage), commandData);
}

void FakeConnection::sendCommand(const DeviceIdentity& device, const QByteArray& commandData)
{
    sendMessage(FakeServer::command(device, commandData));
}

void FakeConnection::sendMessage(const InternalProtocol::InternalServer& message)
{
    sendBody(QByteArray::fromStdString(message.SerializeAsString()));
}

void FakeConnection::sendMessageAfter(int delayMs, const InternalProtocol::InternalServer& message)
{
    QTimer::singleShot(delayMs, this, [this, message] {
        if (isOpen())
            sendMessage(message);
    });
}

void FakeConnection::sendBody(const QByteArray& body)
{
    const QByteArray frame = frameAround(body);
    m_server->m_sentFrames.append(frame);
    if (m_writeMode == WriteMode::SplitHeader) {
        write(frame.first(kFrameHeaderBytes));
        write(frame.sliced(kFrameHeaderBytes));
    } else {
        write(frame);
    }
}

void FakeConnection::sendRaw(const QByteArray& bytes)
{
    write(bytes);
}

void FakeConnection::write(const QByteArray& bytes)
{
    if (m_writeMode != WriteMode::Trickle) {
        m_socket->write(bytes);
        m_socket->flush(); // each write leaves on its own instead of merging in Qt's buffer
        return;
    }
    m_trickle += bytes;
    if (!m_trickleTimer) {
        m_trickleTimer = new QTimer(this);
        m_trickleTimer->setInterval(1);
        connect(m_trickleTimer, &QTimer::timeout, this, &FakeConnection::trickleNext);
    }
    if (!m_trickleTimer->isActive())
        m_trickleTimer->start();
}

void FakeConnection::trickleNext()
{
    if (m_trickle.isEmpty() || !isOpen()) {
        m_trickleTimer->stop();
        closeWhenWritten();
        return;
    }
    m_socket->write(m_trickle.first(1));
    m_socket->flush();
    m_trickle.remove(0, 1);
    if (m_trickle.isEmpty()) {
        m_trickleTimer->stop();
        closeWhenWritten();
    }
}

void FakeConnection::close()
{
    m_closeRequested = true;
    closeWhenWritten();
}

void FakeConnection::closeWhenWritten()
{
    if (m_closeRequested && m_trickle.isEmpty())
        m_socket->disconnectFromHost(); // sends what Qt still buffers, then FIN
}

void FakeConnection::abort()
{
    m_trickle.clear();
    m_socket->abort();
}

void FakeConnection::onReadyRead()
{
    m_reader.append(m_socket->readAll());
    while (auto body = m_reader.nextFrame()) {
        InternalProtocol::InternalClient message;
        // The reference server drops the connection silently on anything it cannot use.
        if (!message.ParseFromArray(body->constData(), int(body->size())) ||
            message.MessageType_case() == InternalProtocol::InternalClient::MESSAGETYPE_NOT_SET) {
            m_server->m_protocolErrors.append(
                QStringLiteral("connection %1: unusable %2-byte frame")
                    .arg(m_index)
                    .arg(body->size()));
            abort();
            return;
        }
        m_messages.append(message);
        m_server->received(*this, frameAround(*body), message);
        if (!isOpen())
            return;
    }
    if (m_reader.hasError()) {
        m_server->m_protocolErrors.append(
            QStringLiteral("connection %1: %2").arg(m_index).arg(m_reader.errorString()));
        abort();
    }
}

// --- FakeServer --------------------------------------------------------------------------------

FakeServer::FakeServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_answerFor([](const QByteArray& status) { return "ack:" + status; })
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeServer::onNewConnection);
}

FakeServer::~FakeServer() = default;

bool FakeServer::listen(const QHostAddress& address)
{
    return m_server->listen(address, 0);
}

quint16 FakeServer::port() const
{
    return m_server->serverPort();
}

QHostAddress FakeServer::address() const
{
    return m_server->serverAddress();
}

void FakeServer::stopListening()
{
    m_server->close();
}

void FakeServer::behaveAsGateway(FakeConnection& connection,
                                 const InternalProtocol::InternalClient& message)
{
    if (message.has_deviceconnect()) {
        connection.acceptConnect(message);
    } else if (message.has_devicestatus()) {
        connection.answerStatus(
            message, m_answerFor(QByteArray::fromStdString(message.devicestatus().statusdata())));
    }
}

InternalProtocol::InternalServer FakeServer::connectResponse(int responseType,
                                                             const DeviceIdentity& device)
{
    return connectResponseMessage(device, responseType);
}

InternalProtocol::InternalServer FakeServer::command(const DeviceIdentity& device,
                                                     const QByteArray& commandData)
{
    return commandMessage(device, commandData);
}

DeviceIdentity FakeServer::deviceOf(const InternalProtocol::InternalClient& message)
{
    return test::deviceOf(message);
}

void FakeServer::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto* connection = new FakeConnection(this, socket, int(m_connections.size()));
        m_connections.append(connection);
        if (m_acceptHook)
            m_acceptHook(*connection);
        // Bytes may already be waiting; readyRead will not repeat for them.
        if (connection->isOpen() && socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(
                connection, [connection] { connection->onReadyRead(); }, Qt::QueuedConnection);
    }
}

void FakeServer::received(FakeConnection& connection, const QByteArray& frame,
                          const InternalProtocol::InternalClient& message)
{
    m_receivedFrames.append(frame);
    if (message.has_devicestatus())
        m_statusPayloads.append(QByteArray::fromStdString(message.devicestatus().statusdata()));
    if (m_script)
        m_script(connection, message);
    else
        behaveAsGateway(connection, message);
    emit messageReceived(connection.index());
}

} // namespace fleet::test
