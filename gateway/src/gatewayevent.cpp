#include "gatewayevent.h"

#include "envelope.h"
#include "gatewayserver.h"
#include "modulecatalog.h"
#include "payloadtext.h"

#include <QDateTime>
#include <QJsonValue>

#include <limits>

namespace fleet {

namespace {

// At most this much of a payload goes into a text line; JSON carries all of it.
constexpr qsizetype kTextPayloadChars = 200;

bool carriesData(GatewayEvent::Kind kind)
{
    return kind == GatewayEvent::Kind::StatusReceived ||
           kind == GatewayEvent::Kind::StatusUnanswered ||
           kind == GatewayEvent::Kind::CommandSent || kind == GatewayEvent::Kind::CommandQueued;
}

bool isStatus(GatewayEvent::Kind kind)
{
    return kind == GatewayEvent::Kind::StatusReceived ||
           kind == GatewayEvent::Kind::StatusUnanswered;
}

// One formatted second, reused for every event in it; only the milliseconds change.
struct SecondCache {
    qint64 second = std::numeric_limits<qint64>::min();
    QString text;            // formatted with ".000"
    qsizetype millisAt = -1; // index of the first millisecond digit
};

QString formatCached(SecondCache& cache, qint64 timeMs)
{
    const qint64 second = timeMs >= 0 ? timeMs / 1000 : (timeMs - 999) / 1000;
    if (second != cache.second) {
        const QDateTime start = QDateTime::fromMSecsSinceEpoch(second * 1000);
        cache.text = start.toString(QStringLiteral("HH:mm:ss.zzz"));
        cache.millisAt = cache.text.indexOf(QLatin1String(".000"));
        cache.second = second;
    }
    QString text = cache.text;
    if (cache.millisAt >= 0) {
        const int millis = int(timeMs - second * 1000);
        text[cache.millisAt + 1] = QLatin1Char(char('0' + millis / 100));
        text[cache.millisAt + 2] = QLatin1Char(char('0' + millis / 10 % 10));
        text[cache.millisAt + 3] = QLatin1Char(char('0' + millis % 10));
    }
    return text;
}

} // namespace

QString GatewayEvent::clockTime(qint64 timeMs)
{
    thread_local SecondCache cache;
    return formatCached(cache, timeMs);
}

QString GatewayEvent::summary() const
{
    if (!carriesData(kind))
        return {};
    if (data.isEmpty())
        return isStatus(kind) ? QStringLiteral("empty status")
                              : QStringLiteral("empty: nothing new");
    return isStatus(kind) ? ModuleCatalog::describeStatus(device.module, data)
                          : ModuleCatalog::describeCommand(device.module, data);
}

// Names, roles and the details quoting them come from peers: they go through printableText()
// (payloadtext.h), so a newline cannot forge a line and no terminal escape reaches the
// operator's screen. Payloads are escaped or shown as hex by payloadLine().
QString GatewayEvent::toText() const
{
    QString line = clockTime(timeMs);
    if (connectionId != 0)
        line += QStringLiteral(" #%1").arg(connectionId);
    if (hasDevice)
        line += QLatin1Char(' ') + device.toLine();
    else if (!peer.isEmpty())
        line += QLatin1Char(' ') + peer;
    // Two spaces set the event apart from a device identity, one suffices after the time.
    line += connectionId != 0 || hasDevice ? QStringLiteral("  ") : QStringLiteral(" ");
    switch (kind) {
    case Kind::Listening:
        line += QStringLiteral("listening on ") + printableText(detail, kPrintedSentenceChars);
        return line;
    case Kind::Stopped:
        line += QStringLiteral("stopped");
        return line;
    case Kind::Connected:
        line += QStringLiteral("connected from ") + peer;
        break;
    case Kind::Rejected:
        line += QStringLiteral("rejected: ") + responseTypeName(responseType);
        break;
    case Kind::StatusReceived:
        line += QStringLiteral("status (%1 bytes): %2")
                    .arg(data.size())
                    .arg(payloadLine(data, kTextPayloadChars));
        break;
    case Kind::StatusUnanswered:
        line += QStringLiteral("status not answered (%1 bytes)").arg(data.size());
        break;
    case Kind::CommandSent:
        line += QStringLiteral("command sent (%1, %2 bytes): %3")
                    .arg(sourceName(source))
                    .arg(data.size())
                    .arg(payloadLine(data, kTextPayloadChars));
        break;
    case Kind::CommandQueued:
        line += QStringLiteral("command queued (%1 bytes): %2")
                    .arg(data.size())
                    .arg(payloadLine(data, kTextPayloadChars));
        break;
    case Kind::Disconnected:
        line += QStringLiteral("disconnected: ") + reasonSentence(reason);
        break;
    case Kind::ProtocolError:
        line += QStringLiteral("protocol error");
        break;
    }
    if (!detail.isEmpty())
        line += QStringLiteral(" — ") + printableText(detail, kPrintedSentenceChars);
    return line;
}

QJsonObject GatewayEvent::toJson() const
{
    // Flat keys, named as fleet-device names them, so one jq filter reads both tools.
    QJsonObject json;
    json.insert(QStringLiteral("event"), kindName(kind));
    json.insert(QStringLiteral("time"), utcTimestamp(timeMs));
    if (connectionId != 0)
        json.insert(QStringLiteral("connection"), qint64(connectionId));
    if (!peer.isEmpty())
        json.insert(QStringLiteral("peer"), peer);
    if (hasDevice) {
        json.insert(QStringLiteral("module"), qint64(device.module));
        json.insert(QStringLiteral("module_name"), ModuleCatalog::moduleName(device.module));
        json.insert(QStringLiteral("type"), qint64(device.deviceType));
        json.insert(QStringLiteral("role"), device.role);
        json.insert(QStringLiteral("name"), device.name);
        json.insert(QStringLiteral("priority"), qint64(device.priority));
    }
    if (carriesData(kind)) {
        const std::optional<QString> text = exactUtf8(data);
        json.insert(QStringLiteral("data"),
                    text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null));
        json.insert(QStringLiteral("hex"), QString::fromLatin1(data.toHex()));
        json.insert(QStringLiteral("bytes"), qint64(data.size()));
        json.insert(QStringLiteral("empty"), data.isEmpty());
        json.insert(QStringLiteral("summary"), summary());
    }
    if (source != Source::None)
        json.insert(QStringLiteral("source"), sourceName(source));
    if (responseType >= 0)
        json.insert(QStringLiteral("response_type"), responseTypeName(responseType));
    if (reason != Reason::None)
        json.insert(QStringLiteral("reason"), reasonName(reason));
    if (!detail.isEmpty())
        json.insert(QStringLiteral("detail"), detail);
    return json;
}

QString GatewayEvent::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Listening:
        return QStringLiteral("listening");
    case Kind::Stopped:
        return QStringLiteral("stopped");
    case Kind::Connected:
        return QStringLiteral("connected");
    case Kind::Rejected:
        return QStringLiteral("rejected");
    case Kind::StatusReceived:
        return QStringLiteral("status");
    case Kind::StatusUnanswered:
        return QStringLiteral("unanswered");
    case Kind::CommandSent:
        return QStringLiteral("command");
    case Kind::CommandQueued:
        return QStringLiteral("queued");
    case Kind::Disconnected:
        return QStringLiteral("disconnected");
    case Kind::ProtocolError:
        return QStringLiteral("protocol-error");
    }
    return {};
}

QString GatewayEvent::sourceName(Source source)
{
    switch (source) {
    case Source::None:
        return {};
    case Source::Queued:
        return QStringLiteral("queued");
    case Source::Module:
        return QStringLiteral("module");
    case Source::Default:
        return QStringLiteral("default");
    case Source::Empty:
        return QStringLiteral("empty");
    case Source::Pushed:
        return QStringLiteral("pushed");
    }
    return {};
}

QString GatewayEvent::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return {};
    case Reason::PeerClosed:
        return QStringLiteral("peer-closed");
    case Reason::Takeover:
        return QStringLiteral("takeover");
    case Reason::ConnectRejected:
        return QStringLiteral("connect-rejected");
    case Reason::ProtocolError:
        return QStringLiteral("protocol-error");
    case Reason::InvalidStatus:
        return QStringLiteral("invalid-status");
    case Reason::AnswerDeadline:
        return QStringLiteral("answer-deadline");
    case Reason::Silence:
        return QStringLiteral("silence");
    case Reason::Operator:
        return QStringLiteral("operator");
    case Reason::ServerStopped:
        return QStringLiteral("server-stopped");
    case Reason::SocketError:
        return QStringLiteral("socket-error");
    case Reason::ConnectDeadline:
        return QStringLiteral("connect-deadline");
    case Reason::Limit:
        return QStringLiteral("limit");
    }
    return {};
}

QString GatewayEvent::reasonSentence(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return {};
    case Reason::PeerClosed:
        return QStringLiteral("the device closed the connection");
    case Reason::Takeover:
        return QStringLiteral("a device with higher priority took over the slot");
    case Reason::ConnectRejected:
        return QStringLiteral("the connect was refused, so the gateway closed the connection");
    case Reason::ProtocolError:
        return QStringLiteral(
            "the device broke the protocol, so the gateway closed the connection");
    case Reason::InvalidStatus:
        return QStringLiteral("the module rejected a status: closed without an answer");
    case Reason::AnswerDeadline:
        return QStringLiteral("the module did not answer within the deadline: closed without "
                              "an answer");
    case Reason::Silence:
        return QStringLiteral("the device was silent for too long");
    case Reason::Operator:
        return QStringLiteral("disconnected by the operator");
    case Reason::ServerStopped:
        return QStringLiteral("the gateway stopped");
    case Reason::SocketError:
        return QStringLiteral("the connection failed");
    case Reason::ConnectDeadline:
        return QStringLiteral("no device connected in time, so the gateway closed the connection");
    case Reason::Limit:
        return QStringLiteral("a gateway limit closed the connection");
    }
    return {};
}

QString GatewayEvent::responseTypeName(int responseType)
{
    return fleet::responseTypeName(responseType); // the schema's names, written once
}

} // namespace fleet
