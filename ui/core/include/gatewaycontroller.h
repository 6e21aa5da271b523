#pragma once

#include <QObject>
#include <QString>

#include <optional>

namespace fleet {

class GatewayServer;

// The console's embedded gateway emulator: starts it on 127.0.0.1, on the preferred port or
// the next free one (8888 … 8897, then any), and says where it listens or why it cannot.
class GatewayController : public QObject {
    Q_OBJECT
public:
    static constexpr quint16 kFirstPort = 8888;
    static constexpr int kPortsToTry = 10;

    explicit GatewayController(QObject* parent = nullptr);
    ~GatewayController() override;

    // preferredPort: try it and the following ports, then any free one. exactPort: only that
    // port (0 = any free one). Returns false with errorString() when nothing could be bound.
    bool start(quint16 preferredPort = kFirstPort);
    bool startExact(quint16 port);
    void stop();

    bool isListening() const;
    QString host() const;    // "127.0.0.1", empty when not listening
    quint16 port() const;    // 0 when not listening
    QString address() const; // "127.0.0.1:8889"
    QString errorString() const { return m_error; }
    // One line for the status bar: where it listens, why it is off, or why it failed.
    QString statusText() const;
    // Set when the port actually used differs from the one asked for, e.g. "port 8888 is
    // in use, using 8889".
    QString fallbackNote() const { return m_fallbackNote; }

    // The server itself, for panels that show or steer it (connected devices, events).
    GatewayServer* server() const { return m_server; }

signals:
    void listeningChanged(bool listening);

private:
    bool tryListen(quint16 port);

    GatewayServer* m_server = nullptr;
    QString m_error;
    QString m_fallbackNote;
};

} // namespace fleet
