#include "rawdevice.h"

#include "frames.h"

#include <QHostAddress>
#include <QTest>

namespace fleet::test {

RawDevice::RawDevice(quint16 port)
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { read(); });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

bool RawDevice::waitConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           timeoutMs);
}

void RawDevice::sendConnect(const DeviceIdentity& identity)
{
    send(connectFrame(identity));
}

void RawDevice::sendStatus(const DeviceIdentity& identity, const QByteArray& payload)
{
    send(statusFrame(identity, payload));
}

int RawDevice::handshake(const DeviceIdentity& identity)
{
    if (!waitConnected())
        return -1;
    const qsizetype before = m_messages.size();
    sendConnect(identity);
    if (!waitForMessages(before + 1))
        return -1;
    const InternalProtocol::InternalServer& reply = m_messages[before];
    if (!reply.has_deviceconnectresponse())
        return -1;
    return int(reply.deviceconnectresponse().responsetype());
}

std::optional<QByteArray> RawDevice::exchange(const DeviceIdentity& identity,
                                              const QByteArray& payload)
{
    const qsizetype before = m_messages.size();
    sendStatus(identity, payload);
    if (!waitForMessages(before + 1))
        return std::nullopt;
    const InternalProtocol::InternalServer& reply = m_messages[before];
    if (!reply.has_devicecommand())
        return std::nullopt;
    return QByteArray::fromStdString(reply.devicecommand().commanddata());
}

bool RawDevice::waitForMessages(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_messages.size() >= count; }, timeoutMs);
}

bool RawDevice::waitForClose(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

QByteArray RawDevice::commandData(qsizetype index) const
{
    return QByteArray::fromStdString(m_messages.value(index).devicecommand().commanddata());
}

void RawDevice::read()
{
    m_reader.append(m_socket.readAll());
    while (auto body = m_reader.nextFrame()) {
        m_frames.append(frameAround(*body));
        InternalProtocol::InternalServer message;
        if (!message.ParseFromArray(body->constData(), int(body->size())))
            m_readError = true;
        m_messages.append(message);
    }
}

} // namespace fleet::test
