#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace fleet {

class GatewayLink;
class NetworkThread;

// The console's embedded gateway emulator: starts it on 127.0.0.1, on the preferred port or
// the next free one (8888 … 8897, then any), and says where it listens or why it cannot. The
// server lives on the console's network thread when one runs (NetworkThread::current()), so
// starting is asynchronous: the outcome arrives as started() or startFailed(), then
// listeningChanged(). Panels reach the server through link()
// (docs/performance.md#console-round-trips).
class GatewayController : public QObject {
    Q_OBJECT
public:
    static constexpr quint16 kFirstPort = 8888;
    static constexpr int kPortsToTry = 10;

    explicit GatewayController(QObject* parent = nullptr);
    ~GatewayController() override;

    // preferredPort: try it and the following ports, then any free one. exactPort: only that
    // port (0 = any free one). Both stop a running gateway first.
    void start(quint16 preferredPort = kFirstPort);
    void startExact(quint16 port);
    void stop();

    bool isListening() const;
    bool isStarting() const;
    QString host() const;    // "127.0.0.1", empty when not listening
    quint16 port() const;    // 0 when not listening
    QString address() const; // "127.0.0.1:8889"
    QString errorString() const { return m_error; }
    // One line for the status bar: where it listens, why it is off, or why it failed.
    QString statusText() const;
    // Set when the port actually used differs from the one asked for, e.g. "port 8888 is
    // in use, using 8889".
    QString fallbackNote() const { return m_fallbackNote; }

    // The server, for panels that show or steer it (connected devices, events).
    GatewayLink* link() const { return m_link; }

signals:
    void started();
    void startFailed(const QString& error);
    void listeningChanged(bool listening);

private:
    void onListenFinished(bool ok, quint16 port, const QString& firstError, const QString& error);

    std::shared_ptr<NetworkThread> m_network; // declared first: released last
    GatewayLink* m_link = nullptr;
    QString m_error;
    QString m_fallbackNote;
    quint16 m_requestedPort = 0;
    bool m_exact = false;
};

} // namespace fleet
