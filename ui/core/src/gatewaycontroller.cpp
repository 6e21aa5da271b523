#include "gatewaycontroller.h"

#include "gatewaylink.h"
#include "hostport.h"
#include "networkthread.h"

#include <QHostAddress>

namespace fleet {

GatewayController::GatewayController(QObject* parent)
    : QObject(parent)
    , m_network(NetworkThread::current())
{
    m_link = new GatewayLink(m_network ? m_network->thread() : nullptr, this);
    connect(m_link, &GatewayLink::listenFinished, this, &GatewayController::onListenFinished);
}

GatewayController::~GatewayController()
{
    delete m_link; // hands the server to its thread for deletion before m_network lets go
}

void GatewayController::start(quint16 preferredPort)
{
    stop();
    m_fallbackNote.clear();
    m_requestedPort = preferredPort;
    m_exact = false;
    m_link->listen(preferredPort, false, kPortsToTry);
}

void GatewayController::startExact(quint16 port)
{
    stop();
    m_fallbackNote.clear();
    m_requestedPort = port;
    m_exact = true;
    m_link->listen(port, true, 1);
}

void GatewayController::stop()
{
    if (!m_link->isListening())
        return;
    m_link->close();
    emit listeningChanged(false);
}

void GatewayController::onListenFinished(bool ok, quint16 port, const QString& firstError,
                                         const QString& error)
{
    if (m_link->isStarting())
        return; // a newer start() is on its way: its outcome is the one to report
    m_fallbackNote.clear();
    if (!ok) {
        m_error = error;
        emit startFailed(error);
        emit listeningChanged(false);
        return;
    }
    m_error.clear();
    if (!m_exact && m_requestedPort != 0 && port != m_requestedPort) {
        const bool nearby =
            int(port) > int(m_requestedPort) && int(port) < int(m_requestedPort) + kPortsToTry;
        m_fallbackNote = nearby ? tr("port %1 is taken (%2), the embedded gateway uses %3")
                                      .arg(m_requestedPort)
                                      .arg(firstError)
                                      .arg(port)
                                : tr("ports %1 to %2 are taken, the embedded gateway uses a "
                                     "free one")
                                      .arg(m_requestedPort)
                                      .arg(m_requestedPort + kPortsToTry - 1);
    }
    emit started();
    emit listeningChanged(true);
}

bool GatewayController::isListening() const
{
    return m_link->isListening();
}

bool GatewayController::isStarting() const
{
    return m_link->isStarting();
}

QString GatewayController::host() const
{
    return isListening() ? m_link->serverAddress().toString() : QString();
}

quint16 GatewayController::port() const
{
    return isListening() ? m_link->serverPort() : 0;
}

QString GatewayController::address() const
{
    return isListening() ? HostPort{host(), port()}.toString() : QString();
}

QString GatewayController::statusText() const
{
    if (isListening())
        return tr("Embedded gateway on %1").arg(address());
    if (isStarting())
        return tr("Embedded gateway starting");
    if (!m_error.isEmpty())
        return tr("Embedded gateway failed: %1").arg(m_error);
    return tr("Embedded gateway off");
}

} // namespace fleet
