// Where the traffic log's rows come from: the console's own devices (InternalClient) and the
// embedded gateway (GatewayServer). Kept apart from the model, which knows neither.
#include "trafficlogmodel.h"

#include "postguard.h"

#include <memory>

#include "gatewaylink.h"
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
    // A client already told whom it talks to (the console's own, whose sockets live on the
    // network thread: DeviceSession) is named now, once: its queued signals may arrive after it
    // is deleted, so nothing below may touch it then. One that has not started yet (a test's,
    // a tool's, on this thread) is named per frame, once connectToServer() told it who it is.
    const bool started = client->state() != InternalClient::State::Disconnected;
    const QString startedLabel = client->device().toString();
    const QString startedServer = HostPort{client->host(), client->port()}.toString();
    const auto label = [client, started, startedLabel] {
        return started ? startedLabel : client->device().toString();
    };
    if (started) {
        // Its frames are timed on its own thread, as they cross the socket, and logged here:
        // the Round trip column then agrees with the client's own (docs/performance.md#repaints).
        const std::shared_ptr<PostGuard<TrafficLogModel>> guard = m_postGuard;
        const auto logStamped = [guard, startedLabel](TrafficDirection direction) {
            return [guard, startedLabel, direction](const QByteArray& wire) {
                const qint64 at = clockNs();
                guard->post([startedLabel, direction, wire, at](TrafficLogModel* model) {
                    model->appendFrame(startedLabel, TrafficSide::Device, direction, wire,
                                       CommandHint::Auto, at);
                });
            };
        };
        connect(client, &InternalClient::frameSent, this,
                logStamped(TrafficDirection::DeviceToGateway), Qt::DirectConnection);
        connect(client, &InternalClient::frameReceived, this,
                logStamped(TrafficDirection::GatewayToDevice), Qt::DirectConnection);
    } else {
        connect(client, &InternalClient::frameSent, this, [this, label](const QByteArray& wire) {
            appendFrame(label(), TrafficSide::Device, TrafficDirection::DeviceToGateway, wire);
        });
        connect(
            client, &InternalClient::frameReceived, this, [this, label](const QByteArray& wire) {
                appendFrame(label(), TrafficSide::Device, TrafficDirection::GatewayToDevice, wire);
            });
    }
    // errorOccurred() comes before stateChanged(Destroyed): a Destroyed without it is this
    // device's own close.
    auto failed = std::make_shared<bool>(false);
    // Local events: what happened to the TCP connection itself (docs/protocol.md#client-contract).
    connect(
        client, &InternalClient::stateChanged, this,
        [this, client, label, started, startedServer, failed](InternalClient::State state) {
            if (state == InternalClient::State::Handshaking) {
                const QString server =
                    started ? startedServer : HostPort{client->host(), client->port()}.toString();
                appendConnectionEvent(label(),
                                      QStringLiteral("TCP connection to %1 open").arg(server));
            } else if (state == InternalClient::State::Destroyed && !*failed) {
                appendConnectionEvent(label(), QStringLiteral("connection closed by this device"));
            }
        });
    connect(client, &InternalClient::connectionLost, this,
            [this, label](InternalClient::Error error, const QString& detail) {
                appendConnectionEvent(label(),
                                      QStringLiteral("%1: %2; the next status reconnects first")
                                          .arg(InternalClient::errorName(error), detail));
            });
    connect(client, &InternalClient::errorOccurred, this,
            [this, label, failed](InternalClient::Error error, const QString& detail) {
                *failed = true;
                QString message = InternalClient::errorName(error);
                if (!detail.isEmpty())
                    message += QStringLiteral(": ") + detail;
                // A refused connect or a name that does not resolve never reached a gateway.
                if (error == InternalClient::Error::ConnectionRefused)
                    appendConnectionEvent(label(), message);
                else
                    appendProtocolError(label(), TrafficSide::Device,
                                        TrafficDirection::GatewayToDevice, message);
            });
}

void TrafficLogModel::attachGateway(GatewayLink* gateway)
{
    connect(gateway, &GatewayLink::frameTransferred, this, [this](const GatewayFrame& frame) {
        appendFrame(gatewayLabel(frame), TrafficSide::Gateway,
                    frame.direction == GatewayFrame::Direction::In
                        ? TrafficDirection::DeviceToGateway
                        : TrafficDirection::GatewayToDevice,
                    frame.bytes, CommandHint::Auto, frame.steadyNs > 0 ? frame.steadyNs : -1);
    });
    connect(gateway, &GatewayLink::gatewayEvent, this, [this](const GatewayEvent& event) {
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
