#include "gatewaycontroller.h"

#include "gatewayserver.h"
#include "hostport.h"

#include <QHostAddress>

namespace fleet {

GatewayController::GatewayController(QObject* parent)
    : QObject(parent)
    , m_server(new GatewayServer(this))
{
}

GatewayController::~GatewayController() = default;

bool GatewayController::start(quint16 preferredPort)
{
    stop();
    m_fallbackNote.clear();
    if (preferredPort != 0) {
        QString firstError;
        for (int i = 0; i < kPortsToTry && int(preferredPort) + i <= 65535; ++i) {
            const quint16 port = quint16(preferredPort + i);
            if (tryListen(port)) {
                if (i > 0) {
                    m_fallbackNote = tr("port %1 is taken (%2), the embedded gateway uses %3")
                                         .arg(preferredPort)
                                         .arg(firstError)
                                         .arg(port);
                }
                emit listeningChanged(true);
                return true;
            }
            if (firstError.isEmpty())
                firstError = m_server->errorString();
        }
        m_fallbackNote = tr("ports %1 to %2 are taken, the embedded gateway uses a free one")
                             .arg(preferredPort)
                             .arg(preferredPort + kPortsToTry - 1);
    }
    if (!tryListen(0)) {
        m_fallbackNote.clear();
        emit listeningChanged(false);
        return false;
    }
    emit listeningChanged(true);
    return true;
}

bool GatewayController::startExact(quint16 port)
{
    stop();
    m_fallbackNote.clear();
    const bool ok = tryListen(port);
    emit listeningChanged(ok);
    return ok;
}

void GatewayController::stop()
{
    if (!m_server->isListening())
        return;
    m_server->close();
    emit listeningChanged(false);
}

bool GatewayController::isListening() const
{
    return m_server->isListening();
}

QString GatewayController::host() const
{
    return isListening() ? m_server->serverAddress().toString() : QString();
}

quint16 GatewayController::port() const
{
    return isListening() ? m_server->serverPort() : 0;
}

QString GatewayController::address() const
{
    return isListening() ? HostPort{host(), port()}.toString() : QString();
}

QString GatewayController::statusText() const
{
    if (isListening())
        return tr("Embedded gateway on %1").arg(address());
    if (!m_error.isEmpty())
        return tr("Embedded gateway failed: %1").arg(m_error);
    return tr("Embedded gateway off");
}

bool GatewayController::tryListen(quint16 port)
{
    if (m_server->listen(QHostAddress::LocalHost, port)) {
        m_error.clear();
        return true;
    }
    m_error = tr("cannot listen on 127.0.0.1:%1: %2").arg(port).arg(m_server->errorString());
    return false;
}

} // namespace fleet
