#include "sessionstatus.h"

namespace fleet {

SessionStatus sessionStatusFor(InternalClient::State state)
{
    switch (state) {
    case InternalClient::State::Disconnected:
        return SessionStatus::NotConnected;
    case InternalClient::State::Connecting:
        return SessionStatus::Connecting;
    case InternalClient::State::Handshaking:
        return SessionStatus::Handshaking;
    case InternalClient::State::Connected:
        return SessionStatus::Connected;
    case InternalClient::State::AwaitingCommand:
        return SessionStatus::AwaitingCommand;
    case InternalClient::State::Reconnecting:
        return SessionStatus::Reconnecting;
    case InternalClient::State::Destroyed:
        return SessionStatus::Disconnected;
    }
    return SessionStatus::NotConnected;
}

QString sessionStatusName(SessionStatus status)
{
    switch (status) {
    case SessionStatus::NotConnected:
        return QStringLiteral("Not connected");
    case SessionStatus::Connecting:
        return QStringLiteral("Connecting");
    case SessionStatus::Handshaking:
        return QStringLiteral("Handshaking");
    case SessionStatus::Connected:
        return QStringLiteral("Connected");
    case SessionStatus::AwaitingCommand:
        return QStringLiteral("Awaiting command");
    case SessionStatus::Reconnecting:
        return QStringLiteral("Reconnecting");
    case SessionStatus::ClosedByGateway:
        return QStringLiteral("Closed by gateway");
    case SessionStatus::Disconnected:
        return QStringLiteral("Disconnected");
    case SessionStatus::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

QColor sessionStatusColor(SessionStatus status)
{
    // Traffic-light colours that stay readable on light and dark palettes.
    switch (status) {
    case SessionStatus::NotConnected:
    case SessionStatus::Disconnected:
        return QColor(0x8a, 0x8f, 0x98);
    case SessionStatus::Connecting:
    case SessionStatus::Handshaking:
        return QColor(0xe0, 0xa1, 0x00);
    case SessionStatus::Reconnecting:
        return QColor(0xe8, 0x71, 0x0a);
    case SessionStatus::ClosedByGateway:
        return QColor(0xa8, 0x5c, 0x00);
    case SessionStatus::Connected:
        return QColor(0x2e, 0x9e, 0x4f);
    case SessionStatus::AwaitingCommand:
        return QColor(0x1f, 0x7a, 0xc4);
    case SessionStatus::Failed:
        return QColor(0xd0, 0x31, 0x2d);
    }
    return Qt::gray;
}

QString elapsedText(qint64 milliseconds)
{
    const qint64 seconds = qMax<qint64>(0, milliseconds / 1000);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return QStringLiteral("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

} // namespace fleet
