#pragma once

#include "deviceidentity.h"
#include "framecodec.h"
#include "timing.h"

#include "InternalProtocol.pb.h"

#include <optional>

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

namespace fleet::test {

// A device speaking the protocol by hand on a plain QTcpSocket, so a test sees exactly what a
// gateway puts on the wire (docs/protocol.md#conversation): every frame it receives, whole and
// parsed, and whether the gateway closed the connection.
class RawDevice {
public:
    explicit RawDevice(quint16 port);

    QTcpSocket& socket() { return m_socket; }

    bool waitConnected(int timeoutMs = kWaitMs);
    void send(const QByteArray& bytes) { m_socket.write(bytes); }
    void sendConnect(const DeviceIdentity& identity);
    void sendStatus(const DeviceIdentity& identity, const QByteArray& payload);

    // TCP connect, DeviceConnect, and the response; returns its responseType or -1.
    int handshake(const DeviceIdentity& identity);
    // Sends a status and returns the commandData of the next message, if it is a command.
    std::optional<QByteArray> exchange(const DeviceIdentity& identity, const QByteArray& payload);

    bool waitForMessages(qsizetype count, int timeoutMs = kWaitMs);
    bool waitForClose(int timeoutMs = kWaitMs);
    bool isClosed() const { return m_closed; }

    const QList<InternalProtocol::InternalServer>& messages() const { return m_messages; }
    QByteArray commandData(qsizetype index) const;
    const QList<QByteArray>& frames() const { return m_frames; }
    bool readError() const { return m_readError; }

private:
    void read();

    QTcpSocket m_socket;
    FrameReader m_reader;
    QList<InternalProtocol::InternalServer> m_messages;
    QList<QByteArray> m_frames;
    bool m_closed = false;
    bool m_readError = false;
};

} // namespace fleet::test
