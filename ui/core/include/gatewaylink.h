#pragma once

#include "deviceidentity.h"
#include "gatewayevent.h"
#include "gatewaypolicy.h"
#include "gatewayserver.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace fleet {

class GatewayLinkWorker;

// What the GUI thread knows of a GatewayServer living on another thread: a copy taken there
// after the server changed (devices, queues, policy, listening), never read across threads.
struct GatewayMirror {
    bool listening = false;
    QHostAddress address;
    quint16 port = 0;
    GatewayPolicy policy;
    quint64 policySerial = 0; // how many of the link's setPolicy() calls the copy includes
    quint64 listenSerial = 0; // how many of the link's listen() and close() calls it includes
    QList<GatewayDeviceInfo> devices;
    QHash<QString, QList<QByteArray>> queues; // by GatewayServer::slotName()
    int connections = 0;
    GatewayStatistics statistics;
    bool devicesChanged = false; // the server said so since the previous copy
    bool policyChanged = false;
};

// The console's handle on its embedded gateway (docs/performance.md#console-round-trips). The
// server lives on the network thread; every panel talks to it through this object, on the GUI
// thread, and nothing here waits for that thread:
// - reads come from a mirror the server's thread sends after each change (devices, queues,
//   policy, statistics, where it listens);
// - actions are posted to the server's thread; what can be checked on the mirror is checked at
//   once (e.g. "no device is connected in slot …"), and a refusal the server makes later
//   arrives as actionFailed();
// - the server's signals arrive here queued and are re-emitted under the same names.
// A server on this link's own thread (a test's, or a console without a network thread) is
// called directly instead, with GatewayServer's synchronous behaviour.
class GatewayLink : public QObject {
    Q_OBJECT
public:
    // A new server of its own on `thread` (null: this object's thread).
    explicit GatewayLink(QThread* thread, QObject* parent = nullptr);
    // Wraps `server`, which must outlive this link and live on this link's thread.
    explicit GatewayLink(GatewayServer* server, QObject* parent = nullptr);
    ~GatewayLink() override;

    // Mirror reads.
    const GatewayPolicy& policy() const { return m_mirror.policy; }
    QList<GatewayDeviceInfo> connectedDevices() const { return m_mirror.devices; }
    int connectedDeviceCount() const { return int(m_mirror.devices.size()); }
    int connectionCount() const { return m_mirror.connections; }
    GatewayStatistics statistics() const { return m_mirror.statistics; }
    QList<QByteArray> queuedCommands(const DeviceIdentity& slot) const;
    bool isListening() const { return m_mirror.listening; }
    QHostAddress serverAddress() const { return m_mirror.address; }
    quint16 serverPort() const { return m_mirror.port; }
    // True while a listen() has not reported back.
    bool isStarting() const { return m_listenRequests > 0; }

    // Actions, as GatewayServer's; the bool says whether the mirror allowed it (false with
    // *error set when not). Applied on the server's thread shortly after.
    void setPolicy(const GatewayPolicy& policy); // policy() returns it from now on
    bool pushCommand(const DeviceIdentity& slot, const QByteArray& command,
                     QString* error = nullptr);
    bool queueCommand(const DeviceIdentity& slot, const QByteArray& command,
                      QString* error = nullptr);
    void clearQueue(const DeviceIdentity& slot);
    bool disconnectDevice(const DeviceIdentity& slot, QString* error = nullptr);

    // Listens on 127.0.0.1: exact → only `port` (0 = any free one); otherwise `port` and the
    // next kPortsToTry - 1, then any free one. The outcome arrives as listenFinished().
    void listen(quint16 port, bool exact, int portsToTry);
    // Stops listening and drops every connection; isListening() is false from now on.
    void close();

    // For measurements (fleet-bench console): `watcher` runs on the server's thread, directly,
    // for every frame as the server emits it, so it stamps the server's own time. It must be
    // thread-safe; it stays connected while the link lives.
    void watchFramesOnServerThread(std::function<void(const fleet::GatewayFrame&)> watcher);

signals:
    void gatewayEvent(const fleet::GatewayEvent& event);
    void frameTransferred(const fleet::GatewayFrame& frame);
    // The mirror's devices or queues changed (re-read connectedDevices()).
    void devicesChanged();
    void policyChanged();
    // A posted action the server refused although the mirror allowed it (it changed meanwhile).
    void actionFailed(const QString& why);
    // ok: listening on port (firstError: why the preferred port was not taken, if it was not).
    // Not ok: error says why nothing could be bound.
    void listenFinished(bool ok, quint16 port, const QString& firstError, const QString& error);

private:
    void connectServer(GatewayServer* server);
    void applyMirror(const fleet::GatewayMirror& mirror);
    void onListenFinished(bool ok, const QHostAddress& address, quint16 port,
                          const QString& firstError, const QString& error);
    bool holderExists(const DeviceIdentity& slot, QString* error) const;
    template <typename Action> void post(Action&& action);

    GatewayLinkWorker* m_worker = nullptr; // on the server's thread; deleted there
    GatewayMirror m_mirror;
    quint64 m_policySerial = 0;
    quint64 m_listenSerial = 0;
    int m_listenRequests = 0;
    bool m_remote = false; // the server lives on another thread
};

} // namespace fleet

Q_DECLARE_METATYPE(fleet::GatewayMirror)
