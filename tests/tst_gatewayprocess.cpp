// fleet-gateway as scripts run it: a real process on port 0, its first stdout line, its
// options, its stdin commands and its exit on SIGTERM / SIGINT.
#include "toolprocess.h"
#include "tst_gatewayhelpers.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

#include <QScopeGuard>
#include <QTemporaryDir>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace fleet;
using namespace fleet::test;

namespace {

constexpr int kProcessWaitMs = 20000; // process start on a loaded 2-core machine

// The shared process fixture, pointed at the fleet-gateway this build made.
class Gateway : public GatewayProcess {
public:
    Gateway()
        : GatewayProcess(QStringLiteral(FLEET_GATEWAY_PATH))
    {
    }
};

} // namespace

class tst_GatewayProcess : public QObject {
    Q_OBJECT
private slots:
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void stdinCommands();
    void stdinEndKeepsServing();
    void jsonEvents();
    void policyOptions_data();
    void policyOptions();
    void badArguments_data();
    void badArguments();
    void helpAndVersion();
    void portInUse();
    void stuckOutputReaderDoesNotStallTheGateway();
};

void tst_GatewayProcess::servesAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("dispatcher"); // FLEET_GATEWAY_DISPATCHER
    QTest::newRow("SIGTERM") << SIGTERM << QString();
    QTest::newRow("SIGINT") << SIGINT << QString();
    QTest::newRow("SIGTERM, Qt's own dispatcher") << SIGTERM << QStringLiteral("qt");
}

void tst_GatewayProcess::servesAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    QFETCH(QString, dispatcher);
    Gateway gateway;
    if (!dispatcher.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("FLEET_GATEWAY_DISPATCHER"), dispatcher);
        gateway.process().setProcessEnvironment(environment);
    }
    QVERIFY2(gateway.startListening(), qPrintable(gateway.describe()));
    RawDevice raw(gateway.port());
    QCOMPARE(raw.handshake(button()), 0);
    for (const QByteArray& status : {kReleased, kPressed, kReleased})
        QVERIFY(raw.exchange(button(), status).has_value());
    QVERIFY2(gateway.waitForOutput("command sent"), qPrintable(gateway.describe()));

    gateway.sendSignal(signalNumber);
    QVERIFY(gateway.waitForExit());
    QCOMPARE(gateway.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(gateway.process().exitCode() == 0, qPrintable(gateway.describe()));
    QVERIFY(raw.waitForClose());
    QVERIFY2(gateway.output().contains("the gateway stopped"), qPrintable(gateway.describe()));
}

void tst_GatewayProcess::stdinCommands()
{
    Gateway gateway;
    QVERIFY2(gateway.startListening(), qPrintable(gateway.describe()));
    RawDevice raw(gateway.port());
    const DeviceIdentity identity = button(QStringLiteral("stdin button"));
    QCOMPARE(raw.handshake(identity), 0);

    gateway.writeLine("push \"1000/0/stdin button\" {\"lit_up\": true}");
    QVERIFY(raw.waitForMessages(2));
    QCOMPARE(raw.commandData(1), QByteArray("{\"lit_up\": true}"));

    // Queued commands pass through the module's command generation, as the cloud's do in
    // the real gateway: the example module derives the lamp from the status alone.
    gateway.writeLine("queue \"1000/0/stdin button\" hex:00ff");
    QVERIFY(gateway.waitForOutput("queued 2 bytes"));
    QCOMPARE(raw.exchange(identity, kPressed).value_or("none"), QByteArray("{\"lit_up\": false}"));

    gateway.writeLine("list");
    QVERIFY2(gateway.waitForOutput("1 device(s) connected"), qPrintable(gateway.describe()));
    QVERIFY(gateway.output().contains("1000/0/stdin button"));

    gateway.writeLine("push 1000/0/nobody x");
    QVERIFY2(gateway.waitForError("no device is connected in slot 1000/0/nobody"),
             qPrintable(gateway.describe()));
    gateway.writeLine("frobnicate");
    QVERIFY(gateway.waitForError("unknown command 'frobnicate'"));
    gateway.writeLine("queue 1000/x/b data");
    QVERIFY(gateway.waitForError("TYPE 'x' is not a number"));

    gateway.writeLine("disconnect \"1000/0/stdin button\"");
    QVERIFY(raw.waitForClose());
    QVERIFY(gateway.waitForOutput("disconnected by the operator"));

    gateway.writeLine("quit");
    QVERIFY(gateway.waitForExit());
    QVERIFY2(gateway.process().exitCode() == 0, qPrintable(gateway.describe()));
}

void tst_GatewayProcess::stdinEndKeepsServing()
{
    Gateway gateway;
    QVERIFY2(gateway.startListening(), qPrintable(gateway.describe()));
    gateway.process().closeWriteChannel();
    RawDevice raw(gateway.port());
    QCOMPARE(raw.handshake(button()), 0);
    QVERIFY(raw.exchange(button(), kPressed).has_value());
    QCOMPARE(gateway.process().state(), QProcess::Running);
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());
    QVERIFY2(gateway.process().exitCode() == 0, qPrintable(gateway.describe()));
}

void tst_GatewayProcess::jsonEvents()
{
    Gateway gateway;
    QVERIFY2(gateway.startListening({QStringLiteral("--json")}), qPrintable(gateway.describe()));
    RawDevice raw(gateway.port());
    const DeviceIdentity identity = device(1000, 0, QStringLiteral("j"), 4, QStringLiteral("json"));
    QCOMPARE(raw.handshake(identity), 0);
    const QByteArray answer = raw.exchange(identity, kReleased).value_or("none");
    gateway.writeLine("list");
    QVERIFY(gateway.waitForOutput("\"command\":\"list\""));
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());

    const ToolRun run = gateway.result();
    QVERIFY2(run.notJson.isEmpty(), qPrintable(run.describe()));
    const QList<QJsonObject>& events = run.events;
    QStringList names;
    for (const QJsonObject& event : events)
        names.append(event.value(QStringLiteral("event")).toString());
    QCOMPARE(names,
             (QStringList{"connected", "status", "command", "reply", "disconnected", "stopped"}));
    const QJsonObject connected = events[0];
    QCOMPARE(connected.value(QStringLiteral("module")).toInt(), 1000);
    QCOMPARE(connected.value(QStringLiteral("role")).toString(), QStringLiteral("j"));
    QCOMPARE(connected.value(QStringLiteral("name")).toString(), QStringLiteral("json"));
    QCOMPARE(connected.value(QStringLiteral("priority")).toInt(), 4);
    QCOMPARE(connected.value(QStringLiteral("response_type")).toString(), QStringLiteral("OK"));
    QCOMPARE(events[1].value(QStringLiteral("data")).toString().toUtf8(), kReleased);
    const QJsonObject command = events[2];
    QCOMPARE(QByteArray::fromHex(command.value(QStringLiteral("hex")).toString().toLatin1()),
             answer);
    QCOMPARE(command.value(QStringLiteral("source")).toString(), QStringLiteral("module"));
    QCOMPARE(command.value(QStringLiteral("summary")).toString(),
             ModuleCatalog::describeCommand(1000, answer));
    const QJsonObject list = events[3];
    QCOMPARE(list.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(list.value(QStringLiteral("devices")).toArray().size(), 1);
    QCOMPARE(events[4].value(QStringLiteral("reason")).toString(),
             QStringLiteral("server-stopped"));
}

void tst_GatewayProcess::policyOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<DeviceIdentity>("identity");
    QTest::addColumn<int>("response");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("expectedAnswer"); // "closed" when the gateway closes instead
    QTest::newRow("--modules without the device's module")
        << QStringList{"--modules", "1,3"} << button() << 2 << QByteArray() << QString();
    QTest::newRow("--modules with a custom module, types refused")
        << QStringList{"--modules", "1001"} << device(1001, 1, QStringLiteral("c")) << 3
        << QByteArray() << QString();
    QTest::newRow("--accept-unknown-types and --default-command")
        << QStringList{"--modules", "1001", "--accept-unknown-types", "--default-command", "go"}
        << device(1001, 1, QStringLiteral("c")) << 0 << QByteArray("s") << QStringLiteral("go");
    QTest::newRow("--empty-answers")
        << QStringList{"--empty-answers"} << button() << 0 << kPressed << QString();
    QTest::newRow("--answer-delay-ms beyond the deadline")
        << QStringList{"--answer-delay-ms", "400"} << button() << 0 << kPressed
        << QStringLiteral("closed");
    QTest::newRow("--answer-deadline-ms raised above the delay")
        << QStringList{"--answer-delay-ms", "300", "--answer-deadline-ms", "1000"} << button() << 0
        << kReleased << QString::fromUtf8(ModuleModel().answer(kReleased));
}

void tst_GatewayProcess::policyOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(DeviceIdentity, identity);
    QFETCH(int, response);
    QFETCH(QByteArray, status);
    QFETCH(QString, expectedAnswer);
    Gateway gateway;
    QVERIFY2(gateway.startListening(arguments), qPrintable(gateway.describe()));
    RawDevice raw(gateway.port());
    QCOMPARE(raw.handshake(identity), response);
    if (status.isNull())
        return;
    raw.sendStatus(identity, status);
    if (expectedAnswer == QLatin1String("closed")) {
        QVERIFY(raw.waitForClose());
        QCOMPARE(raw.messages().size(), 1);
        return;
    }
    QVERIFY(raw.waitForMessages(2));
    QCOMPARE(raw.commandData(1), expectedAnswer.toUtf8());
}

void tst_GatewayProcess::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("--listen without a port")
        << QStringList{"--listen", "127.0.0.1:"} << "--listen: '127.0.0.1:': no port after ':'";
    QTest::newRow("--listen port too large")
        << QStringList{"--listen", "127.0.0.1:70000"} << "'70000' is not a port number";
    QTest::newRow("--listen with a host name")
        << QStringList{"--listen", "gateway.example:1"} << "'gateway.example' is not an IP address";
    QTest::newRow("--listen bare port too large")
        << QStringList{"--listen", "70000"}
        << "--listen: '70000' is not a port number from 0 to 65535 (0 picks a free port)";
    QTest::newRow("--listen bracket not closed")
        << QStringList{"--listen", "[::1:0"} << "the IPv6 address has no closing ']'";
    QTest::newRow("--listen IPv6 without brackets")
        << QStringList{"--listen", "::1:8888"} << "IPv6 address in brackets";
    QTest::newRow("--modules with a word")
        << QStringList{"--modules", "1,io"} << "--modules: 'io' is not a module number";
    QTest::newRow("--answer-delay-ms negative")
        << QStringList{"--answer-delay-ms", "-5"} << "--answer-delay-ms: '-5'";
    QTest::newRow("--max-frame-bytes zero")
        << QStringList{"--max-frame-bytes", "0"} << "--max-frame-bytes: '0'";
    QTest::newRow("unknown option") << QStringList{"--bogus"} << "bogus";
    QTest::newRow("stray argument") << QStringList{"8888"} << "unexpected argument '8888'";
}

void tst_GatewayProcess::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    Gateway gateway;
    gateway.start(arguments);
    QVERIFY(gateway.waitForExit());
    QVERIFY2(gateway.process().exitCode() == 2, qPrintable(gateway.describe()));
    QVERIFY2(gateway.errorOutput().contains(message.toUtf8()), qPrintable(gateway.describe()));
    QVERIFY(gateway.output().isEmpty());
}

void tst_GatewayProcess::helpAndVersion()
{
    Gateway help;
    help.start({QStringLiteral("--help")});
    QVERIFY(help.waitForExit());
    QCOMPARE(help.process().exitCode(), 0);
    for (const char* option : {"--listen", "--modules", "--answer-delay-ms", "--empty-answers",
                               "--json", "--accept-unknown-types"})
        QVERIFY2(help.output().contains(option), option);
    Gateway version;
    version.start({QStringLiteral("--version")});
    QVERIFY(version.waitForExit());
    QCOMPARE(version.process().exitCode(), 0);
    QVERIFY2(version.output().startsWith("fleet-gateway "), version.output().constData());
}

void tst_GatewayProcess::portInUse()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    Gateway gateway;
    gateway.start(
        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort())});
    QVERIFY(gateway.waitForExit());
    QVERIFY2(gateway.process().exitCode() == 1, qPrintable(gateway.describe()));
    QVERIFY2(gateway.errorOutput().contains("cannot listen"), qPrintable(gateway.describe()));
}

void tst_GatewayProcess::stuckOutputReaderDoesNotStallTheGateway()
{
    // stdout is a FIFO whose reader takes the address line and then stops reading: once the
    // pipe is full, the gateway must keep answering devices (and drop output lines instead).
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray fifoPath = dir.filePath(QStringLiteral("stdout")).toLocal8Bit();
    QCOMPARE(::mkfifo(fifoPath.constData(), 0600), 0);
    const int reader = ::open(fifoPath.constData(), O_RDONLY | O_NONBLOCK);
    QVERIFY(reader >= 0);
    auto closeReader = qScopeGuard([reader] { ::close(reader); });

    Gateway gateway;
    gateway.process().setStandardOutputFile(QString::fromLocal8Bit(fifoPath));
    gateway.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                   QStringLiteral("--json"), QStringLiteral("--frames")});
    QByteArray firstLine;
    QVERIFY(QTest::qWaitFor(
        [&] {
            char byte = 0;
            while (::read(reader, &byte, 1) == 1) {
                if (byte == '\n')
                    return true;
                firstLine += byte;
            }
            return false;
        },
        kProcessWaitMs));
    QVERIFY2(firstLine.startsWith("127.0.0.1:"), firstLine.constData());

    RawDevice raw(quint16(firstLine.mid(10).toUInt()));
    QCOMPARE(raw.handshake(button()), 0);
    // Each exchange prints four JSON lines of a few hundred bytes: far beyond a 64 KiB pipe.
    constexpr int kExchanges = 200; // a blocking writer stalls at about 50
    for (int i = 0; i < kExchanges; ++i)
        QVERIFY2(raw.exchange(button(), kReleased).has_value(), qPrintable(QString::number(i)));
    QCOMPARE(gateway.process().state(), QProcess::Running);
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());
    QVERIFY2(gateway.process().exitCode() == 0, qPrintable(gateway.describe()));
}

QTEST_GUILESS_MAIN(tst_GatewayProcess)
#include "tst_gatewayprocess.moc"
