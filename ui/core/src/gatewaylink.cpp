#include "gatewaylink.h"

#include "gatewaylinkworker.h"

#include <QThread>

namespace fleet {

GatewayLink::GatewayLink(QThread* thread, QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<GatewayEvent>();
    qRegisterMetaType<GatewayFrame>();
    qRegisterMetaType<GatewayMirror>();
    auto* server = new GatewayServer;
    m_worker = new GatewayLinkWorker(server, true);
    connectServer(server);
    if (thread && thread != this->thread()) {
        m_worker->setCoalesce(true);
        m_worker->moveToThread(thread); // the server, its child, goes with it
        m_remote = true;
    }
}

GatewayLink::GatewayLink(GatewayServer* server, QObject* parent)
    : QObject(parent)
    , m_worker(new GatewayLinkWorker(server, false))
{
    qRegisterMetaType<GatewayMirror>();
    connectServer(server);
    m_mirror.policy = server->policy(); // same thread: read once, then mirrored
    m_mirror.listening = server->isListening();
    m_mirror.address = server->serverAddress();
    m_mirror.port = server->serverPort();
    m_mirror.devices = server->connectedDevices();
    m_mirror.connections = server->connectionCount();
}

GatewayLink::~GatewayLink()
{
    // Deleted on its own thread (the network thread's finish deletes it when that comes
    // first); with it goes an owned server, dropping its connections without events.
    m_worker->disconnect(this);
    if (m_remote)
        m_worker->deleteLater();
    else
        delete m_worker; // not later: a server it wraps may be gone by then
}

void GatewayLink::connectServer(GatewayServer* server)
{
    // Queued when the server lives on another thread: the GUI thread sees the same signals,
    // in the same order, a little later.
    connect(server, &GatewayServer::gatewayEvent, this, &GatewayLink::gatewayEvent);
    connect(server, &GatewayServer::frameTransferred, this, &GatewayLink::frameTransferred);
    connect(m_worker, &GatewayLinkWorker::published, this, &GatewayLink::applyMirror);
    connect(m_worker, &GatewayLinkWorker::actionFailed, this, &GatewayLink::actionFailed);
    connect(m_worker, &GatewayLinkWorker::listenFinished, this, &GatewayLink::onListenFinished);
}

template <typename Action> void GatewayLink::post(Action&& action)
{
    // Never blocking: the action runs on the server's thread's next pass. A server on this
    // thread is called at once, as GatewayServer allows even from inside its own signals.
    if (!m_remote) {
        action();
        return;
    }
    QMetaObject::invokeMethod(m_worker, std::forward<Action>(action), Qt::QueuedConnection);
}

QList<QByteArray> GatewayLink::queuedCommands(const DeviceIdentity& slot) const
{
    return m_mirror.queues.value(GatewayServer::slotName(slot));
}

void GatewayLink::setPolicy(const GatewayPolicy& policy)
{
    ++m_policySerial;
    m_mirror.policy = policy;
    post([worker = m_worker, policy] { worker->setPolicy(policy); });
    emit policyChanged();
}

bool GatewayLink::holderExists(const DeviceIdentity& slot, QString* error) const
{
    for (const GatewayDeviceInfo& info : m_mirror.devices) {
        if (info.device.sameSlot(slot))
            return true;
    }
    if (error) // the server's own wording (GatewayServer::holderOf)
        *error = tr("no device is connected in slot %1").arg(GatewayServer::slotName(slot));
    return false;
}

bool GatewayLink::pushCommand(const DeviceIdentity& slot, const QByteArray& command, QString* error)
{
    if (!holderExists(slot, error))
        return false;
    post([worker = m_worker, slot, command] { worker->pushCommand(slot, command); });
    return true;
}

bool GatewayLink::queueCommand(const DeviceIdentity& slot, const QByteArray& command,
                               QString* error)
{
    Q_UNUSED(error) // queueing cannot fail: slots nobody holds yet are allowed
    post([worker = m_worker, slot, command] { worker->queueCommand(slot, command); });
    return true;
}

void GatewayLink::clearQueue(const DeviceIdentity& slot)
{
    post([worker = m_worker, slot] { worker->clearQueue(slot); });
}

bool GatewayLink::disconnectDevice(const DeviceIdentity& slot, QString* error)
{
    if (!holderExists(slot, error))
        return false;
    post([worker = m_worker, slot] { worker->disconnectDevice(slot); });
    return true;
}

void GatewayLink::listen(quint16 port, bool exact, int portsToTry)
{
    ++m_listenRequests;
    ++m_listenSerial;
    post([worker = m_worker, port, exact, portsToTry] { worker->listen(port, exact, portsToTry); });
}

void GatewayLink::close()
{
    const bool wasListening = m_mirror.listening;
    m_mirror.listening = false;
    m_mirror.port = 0;
    ++m_listenSerial;
    post([worker = m_worker] { worker->close(); });
    if (wasListening)
        emit devicesChanged();
}

void GatewayLink::watchFramesOnServerThread(std::function<void(const GatewayFrame&)> watcher)
{
    connect(m_worker->server(), &GatewayServer::frameTransferred, m_worker, std::move(watcher),
            Qt::DirectConnection);
}

void GatewayLink::applyMirror(const GatewayMirror& mirror)
{
    const GatewayPolicy policy = m_mirror.policy;
    const bool listening = m_mirror.listening;
    const QHostAddress address = m_mirror.address;
    const quint16 port = m_mirror.port;
    m_mirror = mirror;
    if (mirror.policySerial < m_policySerial)
        m_mirror.policy = policy; // a newer setPolicy() of ours is on its way there
    if (m_listenRequests > 0 || mirror.listenSerial < m_listenSerial) {
        // Where it listens is reported by onListenFinished(), after this copy; a close() of
        // ours still on its way there already holds here.
        m_mirror.listening = listening;
        m_mirror.address = address;
        m_mirror.port = port;
    }
    if (mirror.policyChanged && mirror.policySerial >= m_policySerial)
        emit policyChanged();
    if (mirror.devicesChanged)
        emit devicesChanged();
}

void GatewayLink::onListenFinished(bool ok, const QHostAddress& address, quint16 port,
                                   const QString& firstError, const QString& error)
{
    if (m_listenRequests > 0)
        --m_listenRequests;
    m_mirror.listening = ok;
    m_mirror.address = ok ? address : QHostAddress();
    m_mirror.port = ok ? port : 0;
    emit listenFinished(ok, port, firstError, error);
}

} // namespace fleet
