#include "eventwriter.h"

#include "gatewayserver.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QJsonObject>

namespace fleet {

EventWriter::EventWriter(GatewayServer* server, OutputSink* out, Options options, QObject* parent)
    : QObject(parent)
    , m_out(out)
    , m_options(options)
{
    connect(server, &GatewayServer::gatewayEvent, this, &EventWriter::writeEvent);
    // Connected only when asked for: the server skips building frame records otherwise.
    if (m_options.frames)
        connect(server, &GatewayServer::frameTransferred, this, &EventWriter::writeFrame);
}

void EventWriter::writeEvent(const GatewayEvent& event)
{
    if (m_options.quiet && (event.kind == GatewayEvent::Kind::StatusReceived ||
                            event.kind == GatewayEvent::Kind::CommandSent))
        return;
    if (m_options.json)
        m_out->writeJson(event.toJson());
    else
        m_out->writeLine(event.toText().toUtf8());
}

void EventWriter::writeFrame(const GatewayFrame& frame)
{
    const bool in = frame.direction == GatewayFrame::Direction::In;
    if (m_options.json) {
        QJsonObject json{
            {QStringLiteral("event"), QStringLiteral("frame")},
            {QStringLiteral("time"), utcTimestamp(frame.timeMs)},
            {QStringLiteral("direction"), in ? QStringLiteral("in") : QStringLiteral("out")},
            {QStringLiteral("connection"), qint64(frame.connectionId)},
            {QStringLiteral("peer"), frame.peer},
            {QStringLiteral("hex"), QString::fromLatin1(frame.bytes.toHex())},
        };
        if (frame.hasDevice)
            json.insert(QStringLiteral("role"), frame.device.role);
        m_out->writeJson(json);
        return;
    }
    m_out->writeLine(QStringLiteral("%1 #%2 %3 frame %4 bytes: %5")
                         .arg(GatewayEvent::clockTime(frame.timeMs))
                         .arg(frame.connectionId)
                         .arg(in ? QStringLiteral("<-") : QStringLiteral("->"))
                         .arg(frame.bytes.size())
                         .arg(QString::fromLatin1(frame.bytes.toHex(' ')))
                         .toUtf8());
}

} // namespace fleet
