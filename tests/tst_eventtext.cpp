// Text and JSON event lines of both tools when a peer chooses hostile names, roles and station
// names: a text line stays one line without control characters, long names are cut with their
// length, and JSON lines stay valid JSON that carries the text unchanged (README "Limits and
// hardening").

#include "deviceidentity.h"
#include "eventprinter.h"
#include "gatewayevent.h"
#include "outputsink.h"
#include "payloadtext.h"

#include "MissionModule.pb.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace fleet;

namespace {

const QString kForgedLine = QStringLiteral("b\n12:00:00.000 #9 1/1/x 'y' priority 0  connected");
const QString kColours = QStringLiteral("\x1b[31mred\x1b[0m\x07");

DeviceIdentity hostile(const QString& role, const QString& name)
{
    DeviceIdentity device;
    device.module = 1000;
    device.role = role;
    device.name = name;
    return device;
}

// A character that must not reach a terminal or a line-oriented reader as it is.
bool isHidden(QChar c)
{
    const char16_t u = c.unicode();
    return u < 0x20 || (u >= 0x7f && u <= 0x9f) || u == 0x2028 || u == 0x2029 || u == 0x202e;
}

QString firstHidden(const QString& line)
{
    for (const QChar c : line) {
        if (isHidden(c))
            return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
    }
    return {};
}

// A pipe whose write end an OutputSink writes to; everything written so far, read back.
class Pipe {
public:
    Pipe()
    {
        if (::pipe2(m_fds, O_CLOEXEC | O_NONBLOCK) != 0)
            qFatal("pipe2 failed");
        ::fcntl(m_fds[1], F_SETFL, 0); // the sink's end blocks, as a terminal would
        ::fcntl(m_fds[1], F_SETPIPE_SZ, 4 * 1024 * 1024);
    }
    ~Pipe()
    {
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    int writeEnd() const { return m_fds[1]; }
    QByteArray readAll()
    {
        QByteArray bytes;
        char buffer[65536];
        for (ssize_t n; (n = ::read(m_fds[0], buffer, sizeof buffer)) > 0;)
            bytes.append(buffer, n);
        return bytes;
    }

private:
    int m_fds[2] = {-1, -1};
};

QByteArray commandWithStop(const std::string& name)
{
    MissionModule::AutonomyCommand command;
    command.set_action(MissionModule::AutonomyCommand::START);
    command.set_route("loop\r\n");
    command.add_stops()->set_name(name);
    return QByteArray::fromStdString(command.SerializeAsString());
}

} // namespace

class tst_EventText : public QObject {
    Q_OBJECT
private slots:
    void gatewayTextLine_data();
    void gatewayTextLine();
    void gatewayJsonLine();
    void deviceTextLines();
};

void tst_EventText::gatewayTextLine_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("shows"); // a fragment the line must contain
    QTest::newRow("newline in the name cannot forge a line")
        << "button" << kForgedLine << QString() << "'b\\n12:00:00.000 #9";
    QTest::newRow("terminal colours in the role")
        << kColours << "b" << QString() << "\\x1b[31mred\\x1b[0m\\x07";
    QTest::newRow("C1 CSI and a bidi override")
        << QString(QChar(0x9b)) + "2J" << QString(QChar(0x202e)) + "evil" << QString()
        << "\\u009b2J '\\u202eevil'";
    QTest::newRow("1 MiB name cut with its length")
        << "button" << QString(1048576, u'n') << QString()
        << QString(kPrintedNameChars, u'n') + QChar(0x2026) + " (1048576 bytes)'";
    QTest::newRow("detail quoting a hostile name")
        << "button"
        << "b"
        << "taken over by " + kForgedLine << "taken over by b\\n12:00";
}

void tst_EventText::gatewayTextLine()
{
    QFETCH(QString, role);
    QFETCH(QString, name);
    QFETCH(QString, detail);
    QFETCH(QString, shows);
    GatewayEvent event;
    event.kind = GatewayEvent::Kind::Disconnected;
    event.connectionId = 3;
    event.hasDevice = true;
    event.device = hostile(role, name);
    event.reason = GatewayEvent::Reason::Takeover;
    event.detail = detail;
    const QString line = event.toText();
    QVERIFY2(firstHidden(line).isEmpty(), qPrintable(firstHidden(line) + " in " + line.left(200)));
    QVERIFY2(line.contains(shows), qPrintable(line.left(300)));
    QVERIFY2(line.size() < 2 * kPrintedNameChars + kPrintedSentenceChars + 200,
             qPrintable(QString::number(line.size())));
}

void tst_EventText::gatewayJsonLine()
{
    // JSON escapes control characters itself: the line stays one line, parses, and gives back
    // the names exactly (a script sees what the peer sent).
    GatewayEvent event;
    event.kind = GatewayEvent::Kind::Connected;
    event.hasDevice = true;
    event.device = hostile(kColours, kForgedLine + QChar(0x85) + QChar(0x7f) + QChar(0));
    event.detail = kForgedLine;
    const QByteArray line = QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact);
    for (const char c : line)
        QVERIFY2(static_cast<unsigned char>(c) >= 0x20, line.constData());
    QVERIFY(line.contains(R"(\u001b[31mred\u001b[0m\u0007)"));
    QVERIFY(line.contains(R"(b\n12:00:00.000)"));
    QVERIFY(line.contains(R"(\u0000)"));
    QJsonParseError error;
    const QJsonObject parsed = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(parsed.value("role").toString(), event.device.role);
    QCOMPARE(parsed.value("name").toString(), event.device.name);
    QCOMPARE(parsed.value("detail").toString(), kForgedLine);
}

void tst_EventText::deviceTextLines()
{
    // fleet-device prints what the gateway sent: a mission command's station names and route
    // reach its summary, a notice may quote the gateway's device.
    Pipe out;
    Pipe err;
    OutputSink outSink(out.writeEnd(), OutputSink::Mode::Immediate);
    OutputSink errSink(err.writeEnd(), OutputSink::Mode::Immediate);
    EventPrinter printer(false, false, &outSink, &errSink);
    const DeviceIdentity device = hostile(QStringLiteral("autonomy"), QStringLiteral("v"));
    DeviceIdentity mission = device;
    mission.module = 1;
    mission.deviceType = 1;

    printer.connected(hostile(kColours, kForgedLine), HostPort{QStringLiteral("127.0.0.1"), 8888});
    printer.command(mission, 1, commandWithStop("A\n12:00 forged\x1b[2J" + std::string(5000, 'x')),
                    2.5, false);
    printer.notice(device, "pushed command for " + kForgedLine);
    printer.error(&device, "CommunicationError", "communication", kForgedLine + kColours);
    DeviceStateReport state; // fleet-device --behave vehicle: the station name is the gateway's
    state.state = QStringLiteral("DRIVE");
    state.vehicle = true;
    state.nextStop = kForgedLine + kColours;
    printer.state(mission, state);

    const QList<QByteArray> outLines = out.readAll().split('\n');
    const QList<QByteArray> errLines = err.readAll().split('\n');
    QCOMPARE(outLines.size(), 4); // three lines and the empty rest after the last newline
    QCOMPARE(errLines.size(), 3);
    for (const QByteArray& bytes : outLines + errLines) {
        const QString line = QString::fromUtf8(bytes);
        QVERIFY2(firstHidden(line).isEmpty(), qPrintable(line.left(200)));
        QVERIFY2(line.size() < 2000, qPrintable(QString::number(line.size())));
    }
    QVERIFY2(outLines.at(1).contains("A\\n12:00 forged\\x1b[2J"),
             outLines.at(1).left(300).constData());
    QVERIFY2(outLines.at(1).contains("route 'loop\\r\\n'"), outLines.at(1).left(300).constData());
}

QTEST_GUILESS_MAIN(tst_EventText)

#include "tst_eventtext.moc"
