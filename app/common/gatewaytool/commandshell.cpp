#include "commandshell.h"

#include "gatewayserver.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QDateTime>
#include <QJsonArray>

namespace fleet {

namespace {

QString firstWord(const QString& text, QString* rest)
{
    const QString trimmed = text.trimmed();
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    if (space < 0) {
        rest->clear();
        return trimmed;
    }
    *rest = trimmed.mid(space + 1).trimmed();
    return trimmed.left(space);
}

QString shortText(const QByteArray& data)
{
    constexpr qsizetype kMaxChars = 80;
    QString text = QString::fromUtf8(data);
    text.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return text.size() > kMaxChars ? text.left(kMaxChars) + QStringLiteral("…") : text;
}

} // namespace

CommandShell::CommandShell(GatewayServer* server, OutputSink* out, OutputSink* err, bool json,
                           QObject* parent)
    : QObject(parent)
    , m_server(server)
    , m_out(out)
    , m_err(err)
    , m_json(json)
{
}

QString CommandShell::helpText()
{
    return QStringLiteral(
        "commands (one per line):\n"
        "  push SLOT [DATA]     send DATA to the slot's connected device now, as is\n"
        "  queue SLOT [DATA]    answer one of the slot's next statuses from DATA, as the cloud's\n"
        "                       commands in the real gateway: the module's command generation\n"
        "                       sees it first (3 at most; a 4th drops the oldest)\n"
        "  clear SLOT           forget the slot's queued commands\n"
        "  disconnect SLOT      close the device's connection\n"
        "  list                 connected devices\n"
        "  delay MS             the module's answer delay (beyond the deadline: no answer,\n"
        "                       the connection is closed)\n"
        "  empty on|off         answer statuses with empty commands\n"
        "  help                 this text\n"
        "  quit                 stop the gateway\n"
        "SLOT is MODULE/TYPE/ROLE, e.g. 1000/0/button (quoted if the role has spaces:\n"
        "\"1000/0/my button\"). DATA is the rest of the line as text, hex:7b7d for binary\n"
        "bytes, nothing for an empty command.");
}

bool CommandShell::parseSlot(const QString& text, DeviceIdentity* slot, QString* rest,
                             QString* error)
{
    QString slotText;
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(QLatin1Char('"'))) {
        const qsizetype close = trimmed.indexOf(QLatin1Char('"'), 1);
        if (close < 0) {
            *error = QStringLiteral("the quoted SLOT has no closing quote");
            return false;
        }
        slotText = trimmed.mid(1, close - 1);
        *rest = trimmed.mid(close + 1).trimmed();
    } else {
        slotText = firstWord(trimmed, rest);
    }
    if (slotText.isEmpty()) {
        *error = QStringLiteral("a SLOT is missing (MODULE/TYPE/ROLE, e.g. 1000/0/button)");
        return false;
    }
    const QStringList parts = slotText.split(QLatin1Char('/'));
    if (parts.size() < 3) {
        *error = QStringLiteral("'%1' is not a SLOT: write MODULE/TYPE/ROLE, e.g. 1000/0/button")
                     .arg(slotText);
        return false;
    }
    bool moduleOk = false;
    bool typeOk = false;
    const uint module = parts[0].toUInt(&moduleOk);
    const uint type = parts[1].toUInt(&typeOk);
    if (!moduleOk || !typeOk) {
        *error = QStringLiteral("'%1' is not a SLOT: %2 is not a number")
                     .arg(slotText, moduleOk ? QStringLiteral("TYPE '%1'").arg(parts[1])
                                             : QStringLiteral("MODULE '%1'").arg(parts[0]));
        return false;
    }
    slot->module = module;
    slot->deviceType = type;
    slot->role = parts.mid(2).join(QLatin1Char('/')); // a role may contain slashes
    return true;
}

bool CommandShell::parseData(const QString& text, QByteArray* data, QString* error)
{
    if (!text.startsWith(QLatin1String("hex:"))) {
        *data = text.toUtf8();
        return true;
    }
    const HexParse hex = parseHex(QStringView(text).mid(4));
    if (!hex.ok()) {
        *error = QStringLiteral("'%1' is not hex: %2").arg(text.mid(4), hex.error);
        return false;
    }
    *data = hex.bytes;
    return true;
}

void CommandShell::execute(const QString& line)
{
    QString rest;
    const QString command = firstWord(line, &rest).toLower();
    if (command.isEmpty() || command.startsWith(QLatin1Char('#')))
        return;
    if (command == QLatin1String("help")) {
        reply(command, helpText(), {{QStringLiteral("text"), helpText()}});
    } else if (command == QLatin1String("list")) {
        list(command);
    } else if (command == QLatin1String("quit") || command == QLatin1String("exit")) {
        reply(command, QStringLiteral("stopping"));
        emit quitRequested();
    } else if (command == QLatin1String("delay")) {
        bool ok = false;
        const int ms = rest.toInt(&ok);
        if (!ok || ms < 0)
            return fail(command, QStringLiteral("'%1' is not a number of milliseconds").arg(rest));
        GatewayPolicy policy = m_server->policy();
        policy.answerDelayMs = ms;
        m_server->setPolicy(policy);
        reply(command,
              QStringLiteral("answer delay %1 ms (deadline %2 ms)")
                  .arg(ms)
                  .arg(policy.answerDeadlineMs),
              {{QStringLiteral("answer_delay_ms"), ms}});
    } else if (command == QLatin1String("empty")) {
        const QString value = rest.toLower();
        if (value != QLatin1String("on") && value != QLatin1String("off"))
            return fail(command, QStringLiteral("write 'empty on' or 'empty off'"));
        GatewayPolicy policy = m_server->policy();
        policy.emptyAnswers = value == QLatin1String("on");
        m_server->setPolicy(policy);
        reply(command, QStringLiteral("empty answers %1").arg(value),
              {{QStringLiteral("empty_answers"), policy.emptyAnswers}});
    } else if (command == QLatin1String("push") || command == QLatin1String("queue") ||
               command == QLatin1String("clear") || command == QLatin1String("disconnect")) {
        DeviceIdentity slot;
        QString dataText;
        QString error;
        if (!parseSlot(rest, &slot, &dataText, &error))
            return fail(command, error);
        const QString slotName = GatewayServer::slotName(slot);
        const QJsonObject slotJson{{QStringLiteral("slot"), slotName}};
        if (command == QLatin1String("clear")) {
            m_server->clearQueue(slot);
            return reply(command, QStringLiteral("queue of %1 cleared").arg(slotName), slotJson);
        }
        if (command == QLatin1String("disconnect")) {
            if (!m_server->disconnectDevice(slot, &error))
                return fail(command, error);
            return reply(command, QStringLiteral("%1 disconnected").arg(slotName), slotJson);
        }
        QByteArray data;
        if (!parseData(dataText, &data, &error))
            return fail(command, error);
        const bool ok = command == QLatin1String("push")
                            ? m_server->pushCommand(slot, data, &error)
                            : m_server->queueCommand(slot, data, &error);
        if (!ok)
            return fail(command, error);
        QJsonObject json = slotJson;
        json.insert(QStringLiteral("bytes"), qint64(data.size()));
        reply(command,
              QStringLiteral("%1 %2 bytes for %3")
                  .arg(command == QLatin1String("push") ? QStringLiteral("pushed")
                                                        : QStringLiteral("queued"))
                  .arg(data.size())
                  .arg(slotName),
              json);
    } else {
        fail(command, QStringLiteral("unknown command '%1' (type 'help')").arg(command));
    }
}

void CommandShell::list(const QString& command)
{
    const QList<GatewayDeviceInfo> devices = m_server->connectedDevices();
    if (m_json) {
        QJsonArray array;
        for (const GatewayDeviceInfo& info : devices) {
            array.append(QJsonObject{
                {QStringLiteral("connection"), qint64(info.connectionId)},
                {QStringLiteral("peer"), info.peer},
                {QStringLiteral("module"), qint64(info.device.module)},
                {QStringLiteral("type"), qint64(info.device.deviceType)},
                {QStringLiteral("role"), info.device.role},
                {QStringLiteral("name"), info.device.name},
                {QStringLiteral("priority"), qint64(info.device.priority)},
                {QStringLiteral("connected_since"), utcTimestamp(info.connectedSinceMs)},
                {QStringLiteral("statuses"), qint64(info.statusesReceived)},
                {QStringLiteral("commands"), qint64(info.commandsSent)},
                {QStringLiteral("queued"), info.queuedCommands},
                {QStringLiteral("last_status_hex"), QString::fromLatin1(info.lastStatus.toHex())},
            });
        }
        reply(command, {}, {{QStringLiteral("devices"), array}});
        return;
    }
    QString text = QStringLiteral("%1 device(s) connected").arg(devices.size());
    for (const GatewayDeviceInfo& info : devices) {
        text += QStringLiteral("\n  #%1 %2 from %3 since %4, %5 statuses, %6 commands, %7 queued")
                    .arg(info.connectionId)
                    .arg(info.device.toString(), info.peer,
                         QDateTime::fromMSecsSinceEpoch(info.connectedSinceMs)
                             .toString(QStringLiteral("HH:mm:ss")))
                    .arg(info.statusesReceived)
                    .arg(info.commandsSent)
                    .arg(info.queuedCommands);
        if (info.lastStatusMs != 0)
            text += QStringLiteral(", last status: ") + shortText(info.lastStatus);
    }
    reply(command, text);
}

void CommandShell::reply(const QString& command, const QString& text, QJsonObject json)
{
    if (!m_json) {
        m_out->writeLine(text.toUtf8());
        return;
    }
    json.insert(QStringLiteral("event"), QStringLiteral("reply"));
    json.insert(QStringLiteral("command"), command);
    json.insert(QStringLiteral("ok"), true);
    if (!json.contains(QStringLiteral("text")) && !text.isEmpty())
        json.insert(QStringLiteral("text"), text);
    m_out->writeJson(json);
}

void CommandShell::fail(const QString& command, const QString& error)
{
    if (!m_json) {
        m_err->writeLine(QStringLiteral("error: %1").arg(error).toUtf8());
        return;
    }
    const QJsonObject json{{QStringLiteral("event"), QStringLiteral("reply")},
                           {QStringLiteral("command"), command},
                           {QStringLiteral("ok"), false},
                           {QStringLiteral("error"), error}};
    m_out->writeJson(json);
}

} // namespace fleet
