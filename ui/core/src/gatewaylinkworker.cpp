#include "gatewaylinkworker.h"

#include <QTimer>

namespace fleet {

GatewayLinkWorker::GatewayLinkWorker(GatewayServer* server, bool owned)
    : m_server(server)
    , m_soon(new QTimer(this))
    , m_statistics(new QTimer(this))
{
    if (owned)
        server->setParent(this);
    m_soon->setSingleShot(true);
    m_soon->setInterval(0);
    connect(m_soon, &QTimer::timeout, this, &GatewayLinkWorker::publish);
    m_statistics->setSingleShot(true);
    m_statistics->setInterval(kStatisticsMs);
    connect(m_statistics, &QTimer::timeout, this, &GatewayLinkWorker::publish);
    // Direct: the worker and the server share a thread.
    // At once, not coalesced: the copy is then queued for the GUI thread before the connect
    // response this server is about to send can reach a console device, so a panel acting on
    // "connected" finds the device in the mirror.
    connect(server, &GatewayServer::devicesChanged, this, [this] {
        m_devicesChanged = true;
        publish();
        publishSoon(); // and what the server finishes after this signal (e.g. the same close)
    });
    connect(server, &GatewayServer::policyChanged, this, [this] {
        m_policyChanged = true;
        publishSoon();
    });
    connect(server, &GatewayServer::gatewayEvent, this, &GatewayLinkWorker::onEvent);
    connect(server, &QObject::destroyed, this, [this] { // a wrapped server, gone first
        m_server = nullptr;
        m_soon->stop();
        m_statistics->stop();
    });
}

void GatewayLinkWorker::listen(quint16 port, bool exact, int portsToTry)
{
    ++m_listenSerial;
    m_server->close();
    QString firstError;
    QString error;
    bool ok = false;
    quint16 bound = 0;
    if (exact || port == 0) {
        ok = tryListen(port, &error);
        bound = port;
    } else {
        for (int i = 0; !ok && i < portsToTry && int(port) + i <= 65535; ++i) {
            bound = quint16(port + i);
            ok = tryListen(bound, &error);
            if (!ok && firstError.isEmpty())
                firstError = m_server->errorString();
        }
        if (!ok)
            ok = tryListen(0, &error);
    }
    if (ok)
        error.clear();
    m_devicesChanged = true;
    publish(); // the copy goes out before the outcome: listenFinished() readers see the port
    emit listenFinished(ok, m_server->serverAddress(), ok ? m_server->serverPort() : 0, firstError,
                        error);
}

bool GatewayLinkWorker::tryListen(quint16 port, QString* error)
{
    if (m_server->listen(QHostAddress::LocalHost, port))
        return true;
    *error = tr("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_server->errorString());
    return false;
}

void GatewayLinkWorker::close()
{
    ++m_listenSerial;
    m_server->close();
    m_devicesChanged = true;
    publishSoon();
}

void GatewayLinkWorker::setPolicy(const GatewayPolicy& policy)
{
    ++m_policySerial;
    m_server->setPolicy(policy);
    m_policyChanged = true;
    publishSoon();
}

void GatewayLinkWorker::pushCommand(const DeviceIdentity& slot, const QByteArray& command)
{
    QString why;
    if (!m_server->pushCommand(slot, command, &why))
        emit actionFailed(tr("Cannot push the command: %1").arg(why));
}

void GatewayLinkWorker::queueCommand(const DeviceIdentity& slot, const QByteArray& command)
{
    m_queuedSlots.insert(GatewayServer::slotName(slot), slot);
    QString why;
    if (!m_server->queueCommand(slot, command, &why))
        emit actionFailed(tr("Cannot queue the command: %1").arg(why));
}

void GatewayLinkWorker::clearQueue(const DeviceIdentity& slot)
{
    m_server->clearQueue(slot);
}

void GatewayLinkWorker::disconnectDevice(const DeviceIdentity& slot)
{
    QString why;
    if (!m_server->disconnectDevice(slot, &why))
        emit actionFailed(tr("Cannot disconnect: %1").arg(why));
}

void GatewayLinkWorker::onEvent(const GatewayEvent& event)
{
    if (!m_coalesce) {
        publish(); // one thread: the copy is current before the link re-emits the event
        return;
    }
    switch (event.kind) {
    case GatewayEvent::Kind::CommandSent:
        if (event.source == GatewayEvent::Source::Queued) {
            m_devicesChanged = true; // a queued command was used up: the queue changed
            publish();
            return;
        }
        [[fallthrough]];
    case GatewayEvent::Kind::StatusReceived:
    case GatewayEvent::Kind::StatusUnanswered:
        if (!m_statistics->isActive())
            m_statistics->start();
        return;
    default:
        publishSoon(); // connections, listening and queues: the panels show them at once
        return;
    }
}

void GatewayLinkWorker::publishSoon()
{
    if (!m_soon->isActive())
        m_soon->start();
}

void GatewayLinkWorker::publish()
{
    m_soon->stop();
    m_statistics->stop();
    if (!m_server)
        return;
    GatewayMirror mirror;
    mirror.listening = m_server->isListening();
    mirror.address = m_server->serverAddress();
    mirror.port = m_server->serverPort();
    mirror.policy = m_server->policy();
    mirror.policySerial = m_policySerial;
    mirror.listenSerial = m_listenSerial;
    mirror.devices = m_server->connectedDevices();
    for (const GatewayDeviceInfo& info : std::as_const(mirror.devices)) {
        if (info.queuedCommands > 0)
            m_queuedSlots.insert(GatewayServer::slotName(info.device), info.device);
    }
    for (auto it = m_queuedSlots.begin(); it != m_queuedSlots.end();) {
        QList<QByteArray> queue = m_server->queuedCommands(it.value());
        if (queue.isEmpty()) {
            it = m_queuedSlots.erase(it);
            continue;
        }
        mirror.queues.insert(it.key(), std::move(queue));
        ++it;
    }
    mirror.connections = m_server->connectionCount();
    mirror.statistics = m_server->statistics();
    mirror.devicesChanged = std::exchange(m_devicesChanged, false);
    mirror.policyChanged = std::exchange(m_policyChanged, false);
    // A connection without a device ends without a signal (a graceful close finishing, a
    // connect that never came): look again until none is left.
    if (mirror.connections > mirror.devices.size())
        m_statistics->start();
    emit published(mirror);
}

} // namespace fleet
