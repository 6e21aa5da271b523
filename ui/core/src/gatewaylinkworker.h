#pragma once

#include "gatewaylink.h"

#include <QHash>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

// GatewayLink's other half, on the server's thread: runs the posted actions there and sends
// copies of the server's state (GatewayMirror) back: at once when devices or queues change, at
// most one per event-loop pass for other connection-level events and one per kStatisticsMs for
// the counters statuses move.
class GatewayLinkWorker : public QObject {
    Q_OBJECT
public:
    static constexpr int kStatisticsMs = 100;

    // owned: the server becomes this worker's child, moved and deleted with it.
    GatewayLinkWorker(GatewayServer* server, bool owned);

    GatewayServer* server() const { return m_server; } // null once a wrapped one is gone
    // Sent to another thread, copies are coalesced (see above); on the link's own thread one
    // is taken per event, as cheap as GatewayServer's own reads were.
    void setCoalesce(bool coalesce) { m_coalesce = coalesce; }

    // On the server's thread only.
    void listen(quint16 port, bool exact, int portsToTry);
    void close();
    void setPolicy(const GatewayPolicy& policy);
    void pushCommand(const DeviceIdentity& slot, const QByteArray& command);
    void queueCommand(const DeviceIdentity& slot, const QByteArray& command);
    void clearQueue(const DeviceIdentity& slot);
    void disconnectDevice(const DeviceIdentity& slot);

signals:
    void published(const fleet::GatewayMirror& mirror);
    void listenFinished(bool ok, const QHostAddress& address, quint16 port,
                        const QString& firstError, const QString& error);
    void actionFailed(const QString& why);

private:
    bool tryListen(quint16 port, QString* error);
    void onEvent(const GatewayEvent& event);
    void publishSoon();
    void publish();

    GatewayServer* m_server;
    QTimer* m_soon;       // 0 ms, single shot: coalesces a burst of changes into one copy
    QTimer* m_statistics; // single shot: counters moved by statuses
    bool m_coalesce = false;
    bool m_devicesChanged = false;
    bool m_policyChanged = false;
    quint64 m_policySerial = 0;
    quint64 m_listenSerial = 0;
    // Slots the operator queued for, connected or not: their queues are part of the copy.
    QHash<QString, DeviceIdentity> m_queuedSlots;
};

} // namespace fleet
