#include "gatewayserver.h"

#include "gatewaysession.h"
#include "hostport.h"
#include "openfilelimit.h"
#include "protobuflog.h"
#include "slotregistry.h"

#include <algorithm>

#include <QDateTime>
#include <QMetaMethod>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>

// Info by default: connects, rejections and drops. Nothing is logged per status at info level
// (a fleet sends thousands per second); debug adds accepted connections.
Q_LOGGING_CATEGORY(lcGateway, "fleet.gateway", QtInfoMsg)

namespace fleet {

namespace {

// A fleet connects in bursts (the benchmark: 1,000 devices at once); Qt's default backlog
// of 50 would make the kernel drop SYNs and the late devices retry a second later.
constexpr int kListenBacklog = 1024;
// The silence check runs at most this often; its cost is one pass over the connections.
constexpr int kMaxSilenceSweepMs = 1000;
// After accept() failed (out of descriptors), the listener tries again this much later.
constexpr int kAcceptRetryMs = 100;

} // namespace

GatewayServer::GatewayServer(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_slots(std::make_unique<SlotRegistry>())
    , m_silenceTimer(new QTimer(this))
    , m_acceptRetryTimer(new QTimer(this))
{
    // No blocking stderr writes from libprotobuf (docs/protocol.md#schema parse failures).
    ProtobufLog::install();
    m_clock.start();
    m_server->setListenBacklogSize(kListenBacklog);
    m_acceptRetryTimer->setSingleShot(true);
    connect(m_server, &QTcpServer::newConnection, this, &GatewayServer::acceptConnections);
    connect(m_server, &QTcpServer::acceptError, this, &GatewayServer::onAcceptError);
    connect(m_acceptRetryTimer, &QTimer::timeout, m_server, &QTcpServer::resumeAccepting);
    connect(m_silenceTimer, &QTimer::timeout, this, &GatewayServer::sweepSilentDevices);
    updateConnectionLimit();
}

GatewayServer::~GatewayServer()
{
    // A decode job's result is addressed to its session: the pool goes first, and destroying
    // it joins its one worker (at most one large-frame decode, at shutdown only).
    m_decodePool.reset();
    // No events from a half-destroyed object: consumers may be going away too.
    for (GatewaySession* session : std::as_const(m_sessions)) {
        session->abortSilently();
        delete session;
    }
    m_sessions.clear();
}

void GatewayServer::setPolicy(const GatewayPolicy& policy)
{
    m_policy = policy;
    updateSilenceTimer();
    updateConnectionLimit();
    emit policyChanged();
}

bool GatewayServer::listen(const QHostAddress& address, quint16 port)
{
    if (m_server->isListening()) {
        m_errorString = QStringLiteral("already listening on %1:%2")
                            .arg(m_server->serverAddress().toString())
                            .arg(m_server->serverPort());
        return false;
    }
    if (!m_server->listen(address, port)) {
        m_errorString = QStringLiteral("cannot listen on %1:%2: %3")
                            .arg(address.toString())
                            .arg(port)
                            .arg(m_server->errorString());
        qCWarning(lcGateway).noquote() << m_errorString;
        return false;
    }
    m_errorString.clear();
    updateConnectionLimit(); // the open-file limit may have been raised since
    const QString where = HostPort{m_server->serverAddress().toString(), serverPort()}.toString();
    qCInfo(lcGateway).noquote() << "listening on" << where;
    GatewayEvent event;
    event.kind = GatewayEvent::Kind::Listening;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.detail = where;
    emitEvent(std::move(event));
    updateSilenceTimer();
    return true;
}

void GatewayServer::close()
{
    const bool wasListening = m_server->isListening();
    m_server->close();
    // drop() may finish a session synchronously, which edits m_sessions: iterate a copy.
    const QList<GatewaySession*> sessions = m_sessions.values();
    for (GatewaySession* session : sessions)
        session->drop(GatewayEvent::Reason::ServerStopped, QStringLiteral("the gateway stopped"));
    m_silenceTimer->stop();
    if (wasListening) {
        qCInfo(lcGateway) << "stopped";
        GatewayEvent event;
        event.kind = GatewayEvent::Kind::Stopped;
        event.timeMs = QDateTime::currentMSecsSinceEpoch();
        emitEvent(std::move(event));
    }
}

bool GatewayServer::isListening() const
{
    return m_server->isListening();
}

QHostAddress GatewayServer::serverAddress() const
{
    return m_server->serverAddress();
}

quint16 GatewayServer::serverPort() const
{
    return m_server->serverPort();
}

QList<GatewayDeviceInfo> GatewayServer::connectedDevices() const
{
    QList<GatewayDeviceInfo> devices;
    for (const GatewaySession* session : m_sessions) {
        if (session->holdsSlot())
            devices.append(session->info());
    }
    return devices;
}

int GatewayServer::connectedDeviceCount() const
{
    int count = 0;
    for (const GatewaySession* session : m_sessions)
        count += session->holdsSlot() ? 1 : 0;
    return count;
}

int GatewayServer::connectionCount() const
{
    return int(m_sessions.size());
}

GatewayStatistics GatewayServer::statistics() const
{
    GatewayStatistics stats = m_counters;
    stats.connections = int(m_sessions.size());
    stats.connectionLimit = m_connectionLimit;
    stats.devices = 0;
    stats.unsentBytes = 0;
    stats.pausedConnections = 0;
    for (const GatewaySession* session : m_sessions) {
        stats.devices += session->holdsSlot() ? 1 : 0;
        stats.unsentBytes += session->unsentBytes();
        stats.pausedConnections += session->isPaused() ? 1 : 0;
    }
    stats.protobufLogMessages = ProtobufLog::messageCount();
    return stats;
}

void GatewayServer::updateConnectionLimit()
{
    const int fitting = OpenFileLimit::current().connectionsFitting();
    m_connectionLimit =
        m_policy.maxConnections > 0 ? qMin(m_policy.maxConnections, fitting) : fitting;
}

GatewaySession* GatewayServer::oldestIdleSession() const
{
    // m_sessions is in accept order.
    for (GatewaySession* session : m_sessions) {
        if (!session->holdsSlot() && !session->isClosed())
            return session;
    }
    return nullptr;
}

void GatewayServer::partialBytesChanged(qint64 delta)
{
    m_counters.partialBytes += delta;
    const qint64 budget = m_policy.maxPartialBytes;
    if (budget <= 0 || m_counters.partialBytes <= budget || m_enforcingBudget) {
        m_counters.peakPartialBytes = qMax(m_counters.peakPartialBytes, m_counters.partialBytes);
        return;
    }
    // Oldest partial frame first: a slow trickler loses before a device mid-upload of a big
    // status. A linear pass, but only while over the budget.
    m_enforcingBudget = true;
    while (m_counters.partialBytes > budget) {
        GatewaySession* oldest = nullptr;
        for (GatewaySession* session : std::as_const(m_sessions)) {
            if (session->isClosed() || session->partialBytes() == 0)
                continue;
            if (!oldest || session->partialSinceMs() < oldest->partialSinceMs())
                oldest = session;
        }
        if (!oldest)
            break;
        ++m_counters.partialBudgetDrops;
        oldest->drop(GatewayEvent::Reason::Limit,
                     QStringLiteral("the gateway's budget of %1 bytes for partly received "
                                    "frames (all connections) ran out; this connection held "
                                    "the oldest partial frame, %2 bytes received since %3 ms")
                         .arg(budget)
                         .arg(oldest->partialBytes())
                         .arg(clockMs() - oldest->partialSinceMs()));
    }
    m_enforcingBudget = false;
    // The peak is what the budget let the gateway hold (a read may overshoot it briefly).
    m_counters.peakPartialBytes = qMax(m_counters.peakPartialBytes, m_counters.partialBytes);
}

QThreadPool* GatewayServer::decodePool()
{
    if (!m_decodePool) {
        m_decodePool = std::make_unique<QThreadPool>();
        m_decodePool->setMaxThreadCount(1); // big frames in turn; the loop keeps its core
    }
    return m_decodePool.get();
}

void GatewayServer::decodeBacklogChanged(qint64 delta)
{
    m_decodeBacklogBytes += delta;
    m_counters.peakDecodeBacklogBytes =
        qMax(m_counters.peakDecodeBacklogBytes, m_decodeBacklogBytes);
    if (delta > 0 || !m_sessionsWaitForDecode || decodeBacklogFull())
        return;
    m_sessionsWaitForDecode = false;
    for (GatewaySession* session : std::as_const(m_sessions))
        session->decodeRoomAvailable();
}

void GatewayServer::noteUnsent(qint64 bytes)
{
    m_counters.peakConnectionUnsentBytes = qMax(m_counters.peakConnectionUnsentBytes, bytes);
}

void GatewayServer::unsentChanged(qint64 delta)
{
    m_unsentTotal += delta;
    m_counters.peakUnsentBytes = qMax(m_counters.peakUnsentBytes, m_unsentTotal);
    const qint64 budget = m_policy.maxUnsentTotalBytes;
    if (delta > 0 && budget > 0 && m_unsentTotal > budget) {
        enforceUnsentBudget();
        return;
    }
    if (!m_unsentBudgetHeld || (budget > 0 && m_unsentTotal > budget / 2))
        return;
    // Half drained (or the budget switched off): everyone reads again. Each resumes from a
    // queued call, so this does not re-enter a session that is sending.
    m_unsentBudgetHeld = false;
    for (GatewaySession* session : std::as_const(m_sessions))
        session->setBudgetPaused(false);
}

void GatewayServer::enforceUnsentBudget()
{
    // Only connections still reading can add to the total. The ones holding the most stop
    // first, until what was paused before plus what keeps reading fits the budget: the total
    // goes beyond it by at most one answer per connection still reading. A device that takes
    // its answers holds nothing (they are in the kernel at once) and is not touched. A pass
    // over the connections, but only when a send finds the total above the budget.
    QList<GatewaySession*> reading;
    qint64 readingUnsent = 0;
    qint64 pausedUnsent = 0;
    for (GatewaySession* session : std::as_const(m_sessions)) {
        const qint64 unsent = session->unsentBytes();
        if (session->isClosed() || unsent == 0)
            continue;
        if (session->isBudgetPaused()) {
            pausedUnsent += unsent;
            continue;
        }
        reading.append(session);
        readingUnsent += unsent;
    }
    std::sort(reading.begin(), reading.end(), [](GatewaySession* a, GatewaySession* b) {
        return a->unsentBytes() > b->unsentBytes();
    });
    const qint64 keep = qMax<qint64>(0, m_policy.maxUnsentTotalBytes - pausedUnsent);
    for (GatewaySession* session : std::as_const(reading)) {
        if (readingUnsent <= keep)
            break;
        readingUnsent -= session->unsentBytes();
        session->setBudgetPaused(true);
        m_unsentBudgetHeld = true;
        ++m_counters.unsentBudgetPauses;
    }
}

GatewaySession* GatewayServer::holderOf(const DeviceIdentity& slot, QString* error) const
{
    const SlotState* state = m_slots->find(slot);
    if (state && state->holder)
        return state->holder;
    if (error)
        *error = QStringLiteral("no device is connected in slot %1").arg(slotName(slot));
    return nullptr;
}

bool GatewayServer::pushCommand(const DeviceIdentity& slot, const QByteArray& command,
                                QString* error)
{
    GatewaySession* session = holderOf(slot, error);
    if (!session)
        return false;
    session->push(command);
    return true;
}

bool GatewayServer::queueCommand(const DeviceIdentity& slot, const QByteArray& command,
                                 QString* error)
{
    Q_UNUSED(error) // queueing cannot fail: slots nobody holds yet are allowed
    QByteArray dropped;
    const bool droppedOne = m_slots->enqueue(slot, command, &dropped);
    GatewayEvent event;
    event.kind = GatewayEvent::Kind::CommandQueued;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.source = GatewayEvent::Source::Queued;
    event.data = command;
    const SlotState* state = m_slots->find(slot);
    if (state && state->holder) {
        const GatewayDeviceInfo info = state->holder->info();
        event.connectionId = info.connectionId;
        event.peer = info.peer;
        event.device = info.device;
    } else {
        event.device = slot;
    }
    event.hasDevice = true;
    event.detail = QStringLiteral("%1 of %2 queued for slot %3")
                       .arg(state ? state->queue.size() : 0)
                       .arg(kMaxQueuedCommands)
                       .arg(slotName(slot));
    if (droppedOne)
        event.detail += QStringLiteral("; the oldest queued command (%1 bytes) was dropped")
                            .arg(dropped.size());
    emitEvent(std::move(event));
    emit devicesChanged(); // the panel shows queue lengths
    return true;
}

QList<QByteArray> GatewayServer::queuedCommands(const DeviceIdentity& slot) const
{
    const SlotState* state = m_slots->find(slot);
    return state ? state->queue : QList<QByteArray>();
}

void GatewayServer::clearQueue(const DeviceIdentity& slot)
{
    m_slots->clearQueue(slot);
    emit devicesChanged();
}

bool GatewayServer::disconnectDevice(const DeviceIdentity& slot, QString* error)
{
    GatewaySession* session = holderOf(slot, error);
    if (!session)
        return false;
    session->drop(GatewayEvent::Reason::Operator, QStringLiteral("disconnected by the operator"));
    return true;
}

QString GatewayServer::slotName(const DeviceIdentity& device)
{
    return QStringLiteral("%1/%2/%3").arg(device.module).arg(device.deviceType).arg(device.role);
}

void GatewayServer::acceptConnections()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        const quint64 id = m_nextConnectionId++;
        if (m_connectionLimit > 0 && m_sessions.size() >= m_connectionLimit &&
            !makeRoomFor(socket, id))
            continue;
        auto* session = new GatewaySession(this, socket, id);
        m_sessions.insert(id, session);
        m_counters.peakConnections = qMax(m_counters.peakConnections, int(m_sessions.size()));
        qCDebug(lcGateway) << "connection" << id << "accepted";
    }
}

bool GatewayServer::makeRoomFor(QTcpSocket* socket, quint64 id)
{
    // Devices identify within milliseconds; a connection that has not is the one to give up,
    // so idle peers cannot lock new devices out.
    if (GatewaySession* idle = oldestIdleSession()) {
        ++m_counters.connectionLimitEvictions;
        idle->drop(GatewayEvent::Reason::Limit,
                   QStringLiteral("displaced by connection #%1: the gateway holds its limit of "
                                  "%2 connections, and this one had not connected a device")
                       .arg(id)
                       .arg(m_connectionLimit));
        return true;
    }
    ++m_counters.connectionLimitRefusals;
    GatewayEvent event;
    event.kind = GatewayEvent::Kind::Disconnected;
    event.timeMs = QDateTime::currentMSecsSinceEpoch();
    event.connectionId = id;
    event.peer = HostPort{socket->peerAddress().toString(), socket->peerPort()}.toString();
    event.reason = GatewayEvent::Reason::Limit;
    event.detail = QStringLiteral("refused: the gateway holds its limit of %1 connections, "
                                  "every one with a connected device")
                       .arg(m_connectionLimit);
    socket->abort();
    socket->deleteLater();
    emitEvent(std::move(event));
    return false;
}

void GatewayServer::onAcceptError()
{
    ++m_counters.acceptErrors;
    qCWarning(lcGateway).noquote() << "cannot accept a connection:" << m_server->errorString();
    // Out of descriptors: free one held by a connection without a device, and try again soon
    // (QTcpServer stops accepting after an error).
    if (m_server->serverError() == QAbstractSocket::SocketResourceError) {
        if (GatewaySession* idle = oldestIdleSession()) {
            ++m_counters.connectionLimitEvictions;
            idle->drop(GatewayEvent::Reason::Limit,
                       QStringLiteral("displaced: the process ran out of open files, and this "
                                      "connection had not connected a device"));
        }
    }
    if (!m_acceptRetryTimer->isActive())
        m_acceptRetryTimer->start(kAcceptRetryMs);
}

void GatewayServer::updateSilenceTimer()
{
    if (m_policy.silenceTimeoutMs <= 0 || !m_server->isListening()) {
        m_silenceTimer->stop();
        return;
    }
    m_silenceTimer->start(qBound(10, m_policy.silenceTimeoutMs / 4, kMaxSilenceSweepMs));
}

void GatewayServer::sweepSilentDevices()
{
    if (m_policy.silenceTimeoutMs <= 0)
        return;
    const qint64 now = clockMs();
    const QList<GatewaySession*> sessions = m_sessions.values();
    for (GatewaySession* session : sessions) {
        const qint64 silentMs = now - session->lastActivityMs();
        if (silentMs >= m_policy.silenceTimeoutMs)
            session->drop(GatewayEvent::Reason::Silence,
                          QStringLiteral("nothing received for %1 ms (limit %2 ms)")
                              .arg(silentMs)
                              .arg(m_policy.silenceTimeoutMs));
    }
}

void GatewayServer::emitEvent(GatewayEvent&& event)
{
    emit gatewayEvent(event);
}

bool GatewayServer::wantsEvents() const
{
    static const QMetaMethod signal = QMetaMethod::fromSignal(&GatewayServer::gatewayEvent);
    return isSignalConnected(signal);
}

bool GatewayServer::wantsFrames() const
{
    static const QMetaMethod signal = QMetaMethod::fromSignal(&GatewayServer::frameTransferred);
    return isSignalConnected(signal);
}

void GatewayServer::sessionFinished(GatewaySession* session)
{
    if (m_sessions.remove(session->id()) > 0)
        session->deleteLater();
}

} // namespace fleet
