#pragma once

// Shared by the tst_gateway* suites: a raw protocol device on a plain QTcpSocket (so tests
// see exactly what the gateway puts on the wire) and an event recorder.

#include "deviceidentity.h"
#include "framecodec.h"
#include "gatewayserver.h"
#include "modulecatalog.h"

#include "InternalProtocol.pb.h"

#include <QElapsedTimer>
#include <QList>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace fleet::test {

// Generous: the machine is shared; answers on loopback take well under 5 ms.
inline constexpr int kWaitMs = 5000;

inline DeviceIdentity device(quint32 module, quint32 type, const QString& role,
                             quint32 priority = 0, const QString& name = QStringLiteral("dev"))
{
    DeviceIdentity identity;
    identity.module = module;
    identity.deviceType = type;
    identity.role = role;
    identity.name = name;
    identity.priority = priority;
    return identity;
}

inline DeviceIdentity button(const QString& role = QStringLiteral("button"), quint32 priority = 0)
{
    return device(1000, 0, role, priority);
}

inline QByteArray connectFrame(const DeviceIdentity& identity)
{
    InternalProtocol::InternalClient message;
    identity.toProto(message.mutable_deviceconnect()->mutable_device());
    return encodeFrame(message);
}

inline QByteArray statusFrame(const DeviceIdentity& identity, const QByteArray& payload)
{
    InternalProtocol::InternalClient message;
    identity.toProto(message.mutable_devicestatus()->mutable_device());
    message.mutable_devicestatus()->set_statusdata(payload.toStdString());
    return encodeFrame(message);
}

// What the gateway's emulated module answers, computed by a fresh emulator of the catalog,
// so the tests follow the catalog's module behaviour instead of restating it.
class ModuleModel {
public:
    ModuleModel(quint32 module = 1000, quint32 type = 0)
        : m_emulator(ModuleCatalog::createEmulator(module, type))
    {}
    QByteArray answer(const QByteArray& status) { return m_emulator->answerStatus(status); }
    // The answer when an operator's (cloud) command was queued: it went through the module.
    QByteArray answerQueued(const QByteArray& status, const QByteArray& command)
    {
        return m_emulator->answerCloudCommand(status, command);
    }

private:
    std::unique_ptr<ModuleEmulator> m_emulator;
};

inline const QByteArray kPressed("{\"pressed\": true}");
inline const QByteArray kReleased("{\"pressed\": false}");

// A device speaking the protocol by hand.
class RawDevice {
public:
    explicit RawDevice(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { read(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    QTcpSocket& socket() { return m_socket; }

    bool waitConnected()
    {
        return QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, kWaitMs);
    }
    void send(const QByteArray& bytes) { m_socket.write(bytes); }
    void sendConnect(const DeviceIdentity& identity) { send(connectFrame(identity)); }
    void sendStatus(const DeviceIdentity& identity, const QByteArray& payload)
    {
        send(statusFrame(identity, payload));
    }

    // TCP connect, DeviceConnect, and the response; returns its responseType or -1.
    int handshake(const DeviceIdentity& identity)
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

    // Sends a status and returns the commandData of the next message, if it is a command.
    std::optional<QByteArray> exchange(const DeviceIdentity& identity, const QByteArray& payload)
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

    bool waitForMessages(qsizetype count, int timeoutMs = kWaitMs)
    {
        return QTest::qWaitFor([&] { return m_messages.size() >= count; }, timeoutMs);
    }
    bool waitForClose(int timeoutMs = kWaitMs)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }
    bool isClosed() const { return m_closed; }

    const QList<InternalProtocol::InternalServer>& messages() const { return m_messages; }
    QByteArray commandData(qsizetype index) const
    {
        return QByteArray::fromStdString(m_messages.value(index).devicecommand().commanddata());
    }
    const QList<QByteArray>& frames() const { return m_frames; }
    bool readError() const { return m_readError; }

private:
    void read()
    {
        m_reader.append(m_socket.readAll());
        while (auto body = m_reader.nextFrame()) {
            m_frames.append(encodeFrame(*body));
            InternalProtocol::InternalServer message;
            if (!message.ParseFromArray(body->constData(), int(body->size())))
                m_readError = true;
            m_messages.append(message);
        }
    }

    QTcpSocket m_socket;
    FrameReader m_reader;
    QList<InternalProtocol::InternalServer> m_messages;
    QList<QByteArray> m_frames;
    bool m_closed = false;
    bool m_readError = false;
};

// Every gateway event, in order, with helpers to find them.
class EventLog {
public:
    explicit EventLog(GatewayServer* server)
    {
        QObject::connect(server, &GatewayServer::gatewayEvent, &m_context,
                         [this](const GatewayEvent& event) { m_events.append(event); });
    }
    const QList<GatewayEvent>& all() const { return m_events; }
    QList<GatewayEvent> of(GatewayEvent::Kind kind) const
    {
        QList<GatewayEvent> matching;
        for (const GatewayEvent& event : m_events) {
            if (event.kind == kind)
                matching.append(event);
        }
        return matching;
    }
    int count(GatewayEvent::Kind kind) const { return int(of(kind).size()); }
    bool waitFor(GatewayEvent::Kind kind, int count = 1, int timeoutMs = kWaitMs) const
    {
        return QTest::qWaitFor([&] { return this->count(kind) >= count; }, timeoutMs);
    }
    QString describe() const
    {
        QString text;
        for (const GatewayEvent& event : m_events)
            text += event.toText() + QLatin1Char('\n');
        return text;
    }
    void clear() { m_events.clear(); }

private:
    QObject m_context; // disconnects when the log goes first
    QList<GatewayEvent> m_events;
};

} // namespace fleet::test
