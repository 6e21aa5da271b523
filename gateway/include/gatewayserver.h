#pragma once

#include "gatewayevent.h"
#include "gatewaypolicy.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QThreadPool;
class QTimer;
QT_END_NAMESPACE

Q_DECLARE_LOGGING_CATEGORY(lcGateway)

namespace fleet {

class GatewaySession;
class SlotRegistry;

// What the gateway holds and what its bounds did, for tests, benchmarks and operators
// (README "Limits and hardening"). Current values are computed when asked; counters only grow.
struct GatewayStatistics {
    int connections = 0;     // open TCP connections
    int peakConnections = 0; // the most open at once
    int connectionLimit = 0; // in force: the policy's, or fewer when open files do not allow it
    int devices = 0;         // connections holding a slot
    qint64 partialBytes = 0; // received bytes not yet handled as frames, all connections
    qint64 peakPartialBytes = 0;
    qint64 unsentBytes =
        0; // answers not yet taken by peers, plus statuses awaiting a delayed answer
    qint64 peakConnectionUnsentBytes = 0; // the most one connection ever had unsent
    qint64 peakUnsentBytes = 0;           // the most all connections ever had unsent together
    int pausedConnections = 0;            // not read from now: too much unsent (back-pressure)
    quint64 pauses = 0;                   // times a connection was paused for its own unsent
    quint64 unsentBudgetPauses = 0;       // times one was paused for the total (the most first)
    quint64 connectDeadlineDrops = 0;     // never connected a device in time
    quint64 frameDeadlineDrops = 0;       // a frame not complete in time after its first byte
    quint64 stallDrops = 0;               // a partial frame that stopped growing
    quint64 partialBudgetDrops = 0;       // dropped for the partial-frame budget, oldest first
    quint64 connectionLimitEvictions = 0; // idle connections displaced by new ones at the limit
    quint64 connectionLimitRefusals = 0;  // new connections closed at once at the limit
    quint64 identityRefusals = 0;         // connects with a role or name above the limit
    quint64 acceptErrors = 0;             // accept() failed (e.g. out of descriptors)
    quint64 offloadedDecodes = 0;         // frames decoded and validated on the worker
    qint64 peakDecodeBacklogBytes = 0;    // the most bytes handed to the worker at once
    quint64 protobufLogMessages = 0;      // libprotobuf's own log lines, swallowed (process-wide)
};

// The embedded internal server (module gateway emulator): accepts devices over TCP, arbitrates
// device slots (docs/protocol.md#identity-and-arbitration), answers each status with one command
// (docs/protocol.md#conversation), and lets an operator queue, push and disconnect. Never blocks;
// everything runs on socket signals and timers in the owning thread. Signals are emitted
// synchronously: a handler may call any method (disconnectDevice(), close(), …) but must not delete
// the server (use deleteLater()).
class GatewayServer : public QObject {
    Q_OBJECT
public:
    explicit GatewayServer(QObject* parent = nullptr);
    ~GatewayServer() override; // drops every connection without emitting events

    void setPolicy(const GatewayPolicy& policy);
    const GatewayPolicy& policy() const { return m_policy; }

    // Starts listening (port 0 picks a free port; see serverPort()). Emits a Listening event.
    // On failure returns false and errorString() says why.
    bool listen(const QHostAddress& address = QHostAddress::LocalHost,
                quint16 port = kDefaultGatewayPort);
    // Stops listening and drops every connection (reason ServerStopped). Idempotent.
    void close();
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const { return m_errorString; }

    // Devices holding a slot, in connection order.
    QList<GatewayDeviceInfo> connectedDevices() const;
    int connectedDeviceCount() const;
    // Open TCP connections, connected devices or not.
    int connectionCount() const;
    GatewayStatistics statistics() const;
    // The connection limit in force: the policy's, capped by what the process's open-file limit
    // leaves (OpenFileLimit). Read when listening starts and on setPolicy().
    int connectionLimit() const { return m_connectionLimit; }

    // The operator's commands. A slot is (module, deviceType, role) of `slot`; name and
    // priority are ignored. On failure they return false and set *error to a readable reason.
    //
    // Sends a deviceCommand now, unasked (immediate command forwarding), with the bytes as
    // they are: the module's command generation does not see it. Needs a connected device in
    // the slot.
    bool pushCommand(const DeviceIdentity& slot, const QByteArray& command,
                     QString* error = nullptr);
    // Queues a command for one of the slot's next statuses, standing in for the cloud: as in
    // the real gateway it becomes the module's current command and the answer comes from the
    // module's command generation over it (docs/modules.md#device-behaviour). Allowed for
    // slots nobody holds yet. A fourth queued command drops the oldest.
    bool queueCommand(const DeviceIdentity& slot, const QByteArray& command,
                      QString* error = nullptr);
    QList<QByteArray> queuedCommands(const DeviceIdentity& slot) const;
    void clearQueue(const DeviceIdentity& slot);
    // Closes the connection of the slot's device (reason Operator).
    bool disconnectDevice(const DeviceIdentity& slot, QString* error = nullptr);

    // "1000/0/role": how the operator names a slot.
    static QString slotName(const DeviceIdentity& device);

signals:
    void gatewayEvent(const fleet::GatewayEvent& event);
    // Every frame in and out of every connection (for the traffic log). Only built when
    // something is connected to this signal.
    void frameTransferred(const fleet::GatewayFrame& frame);
    // A device took or left a slot, or a slot's queue changed (the panel re-reads
    // connectedDevices()). Not emitted per status.
    void devicesChanged();
    // setPolicy() changed the policy (the console saves what the operator set).
    void policyChanged();

private:
    friend class GatewaySession;
    void acceptConnections();
    // At the connection limit: displaces the oldest connection without a device; without one,
    // closes `socket` (reported as a Disconnected event) and returns false.
    bool makeRoomFor(QTcpSocket* socket, quint64 id);
    void onAcceptError();
    void sweepSilentDevices();
    void updateConnectionLimit();
    // The oldest open connection without a device (awaiting its connect, or refused), if any.
    GatewaySession* oldestIdleSession() const;

    void updateSilenceTimer();
    GatewaySession* holderOf(const DeviceIdentity& slot, QString* error) const;

    // Called by sessions.
    void emitEvent(GatewayEvent&& event);
    // Events and frame records cost something to build: skipped when nobody listens.
    bool wantsEvents() const;
    bool wantsFrames() const;
    void sessionFinished(GatewaySession* session);
    // A session's received-but-unhandled bytes changed by `delta`; above the budget the
    // connections with the oldest partial frames are dropped until it fits.
    void partialBytesChanged(qint64 delta);
    void noteUnsent(qint64 bytes);
    // A session's unsent bytes changed by `delta`. Above policy.maxUnsentTotalBytes the sessions
    // holding the most stop reading; at half of it they all read again.
    void unsentChanged(qint64 delta);
    void enforceUnsentBudget();
    // One worker for decoding big frames (policy.offloadDecodeBytes), created on first use.
    QThreadPool* decodePool();
    // Bytes handed to the decode worker changed by `delta`; below kMaxDecodeBacklogBytes the
    // sessions that waited for it read again.
    void decodeBacklogChanged(qint64 delta);
    bool decodeBacklogFull() const { return m_decodeBacklogBytes >= kMaxDecodeBacklogBytes; }
    qint64 clockMs() const { return m_clock.elapsed(); } // monotonic

    GatewayPolicy m_policy;
    QTcpServer* m_server = nullptr;
    std::unique_ptr<SlotRegistry> m_slots;
    QMap<quint64, GatewaySession*> m_sessions; // open connections by id (= accept order)
    quint64 m_nextConnectionId = 1;
    QString m_errorString;
    QTimer* m_silenceTimer = nullptr;
    QTimer* m_acceptRetryTimer = nullptr;
    QElapsedTimer m_clock;
    int m_connectionLimit = 0;
    std::unique_ptr<QThreadPool> m_decodePool;
    bool m_enforcingBudget = false;
    qint64 m_decodeBacklogBytes = 0;
    bool m_sessionsWaitForDecode = false; // some sessions stopped reading for the backlog
    qint64 m_unsentTotal = 0;             // what sessions reported through unsentChanged()
    bool m_unsentBudgetHeld = false;      // some sessions are paused for the total budget
    GatewayStatistics m_counters; // the counters and peaks; current values come from sessions
};

} // namespace fleet
