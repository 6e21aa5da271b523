// Where the traffic log's rows come from: the console's own devices (InternalClient) and the
// embedded gateway (GatewayServer). Kept apart from the model, which knows neither.
#include "trafficlogmodel.h"

#include "gatewayserver.h"
#include "hostport.h"
#include "internalclient.h"

namespace fleet {

namespace {

// The gateway reports frames of a connection before it knows the device (the connect frame
// itself): the connect message names it. Failing that, the connection is the label.
QString gatewayLabel(const GatewayFrame& frame)
{
    if (frame.hasDevice)
        return frame.device.toString();
    if (frame.direction == GatewayFrame::Direction::In) {
        const DecodedFrame decoded =
            decodeFrame(TrafficDirection::DeviceToGateway, frame.bytes, false);
        if (decoded.ok && decoded.kind == TrafficKind::Connect && decoded.hasDevice)
            return decoded.device.toString();
    }
    return QStringLiteral("connection #%1 (%2)").arg(frame.connectionId).arg(frame.peer);
}

QString gatewayLabel(const GatewayEvent& event)
{
    if (event.hasDevice)
        return event.device.toString();
    return QStringLiteral("connection #%1 (%2)").arg(event.connectionId).arg(event.peer);
}

} // namespace

void TrafficLogModel::attachClient(InternalClient* client)
{
    // The label is read per frame: the identity is only known once connectToServer() ran.
    connect(client, &InternalClient::frameSent, this, [this, client](const QByteArray& wire) {
        appendFrame(client->device().toString(), TrafficSide::Device,
                    TrafficDirection::DeviceToGateway, wire);
    });
    connect(client, &InternalClient::frameReceived, this, [this, client](const QByteArray& wire) {
        appendFrame(client->device().toString(), TrafficSide::Device,
                    TrafficDirection::GatewayToDevice, wire);
    });
    // Local events: what happened to the TCP connection itself (docs/protocol.md#client-contract).
    connect(client, &InternalClient::stateChanged, this,
            [this, client](InternalClient::State state) {
                const QString server = HostPort{client->host(), client->port()}.toString();
                if (state == InternalClient::State::Handshaking)
                    appendConnectionEvent(client->device().toString(),
                                          QStringLiteral("TCP connection to %1 open").arg(server));
                else if (state == InternalClient::State::Destroyed &&
                         client->error() == InternalClient::Error::NoError)
                    appendConnectionEvent(client->device().toString(),
                                          QStringLiteral("connection closed by this device"));
            });
    connect(client, &InternalClient::connectionLost, this,
            [this, client](InternalClient::Error error, const QString& detail) {
                appendConnectionEvent(client->device().toString(),
                                      QStringLiteral("%1: %2; the next status reconnects first")
                                          .arg(InternalClient::errorName(error), detail));
            });
    connect(client, &InternalClient::errorOccurred, this,
            [this, client](InternalClient::Error error, const QString& detail) {
                QString message = InternalClient::errorName(error);
                if (!detail.isEmpty())
                    message += QStringLiteral(": ") + detail;
                // A refused connect or a name that does not resolve never reached a gateway.
                if (error == InternalClient::Error::ConnectionRefused)
                    appendConnectionEvent(client->device().toString(), message);
                else
                    appendProtocolError(client->device().toString(), TrafficSide::Device,
                                        TrafficDirection::GatewayToDevice, message);
            });
}

void TrafficLogModel::attachGateway(GatewayServer* gateway)
{
    connect(gateway, &GatewayServer::frameTransferred, this, [this](const GatewayFrame& frame) {
        appendFrame(gatewayLabel(frame), TrafficSide::Gateway,
                    frame.direction == GatewayFrame::Direction::In
                        ? TrafficDirection::DeviceToGateway
                        : TrafficDirection::GatewayToDevice,
                    frame.bytes);
    });
    connect(gateway, &GatewayServer::gatewayEvent, this, [this](const GatewayEvent& event) {
        switch (event.kind) {
        case GatewayEvent::Kind::ProtocolError:
            appendProtocolError(gatewayLabel(event), TrafficSide::Gateway,
                                TrafficDirection::DeviceToGateway,
                                QStringLiteral("protocol error: ") + event.detail);
            break;
        case GatewayEvent::Kind::StatusUnanswered:
            // The reference gateway's silent drop (docs/protocol.md#conversation): nothing on the
            // wire, so the log is the only place where the operator can learn why.
            appendProtocolError(gatewayLabel(event), TrafficSide::Gateway,
                                TrafficDirection::GatewayToDevice,
                                QStringLiteral("no answer: ") + event.detail);
            break;
        case GatewayEvent::Kind::CommandSent:
            // The frame was logged just before this event; a push during a pending status
            // would otherwise pass for that status's answer.
            if (event.source == GatewayEvent::Source::Pushed)
                markLastCommandPushed(gatewayLabel(event), TrafficSide::Gateway);
            break;
        default:
            break;
        }
    });
}

} // namespace fleet
