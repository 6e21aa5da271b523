// fleet-console's command line: every option, and a clear message for each kind of mistake
// (the HOST:PORT forms themselves are tst_hostport's).

#include "consoleoptions.h"
#include "trafficlogmodel.h"

#include <QCoreApplication>
#include <QTest>

using namespace fleet;
using Action = ConsoleOptionsResult::Action;

Q_DECLARE_METATYPE(fleet::ConsoleOptionsResult::Action)

class tst_ConsoleOptions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void options_data();
    void options();
    void defaultsStartGatewayWithoutConnecting();
};

void tst_ConsoleOptions::initTestCase()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
}

void tst_ConsoleOptions::options_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Action>("action");
    QTest::addColumn<QString>("text"); // part of the printed text
    QTest::newRow("help") << QStringList{"--help"} << Action::ShowHelp << "--gateway-port <N>";
    QTest::newRow("version") << QStringList{"--version"} << Action::ShowVersion
                             << "fleet-console 9.8.7";
    QTest::newRow("unknown option")
        << QStringList{"--colour"} << Action::Error << "Unknown option 'colour'";
    QTest::newRow("port not a number") << QStringList{"--gateway-port", "eighty"} << Action::Error
                                       << "--gateway-port: 'eighty' is not a port number";
    QTest::newRow("port too large")
        << QStringList{"--gateway-port=70000"} << Action::Error << "from 0 to 65535";
    QTest::newRow("contradiction")
        << QStringList{"--no-gateway", "--gateway-port", "1"} << Action::Error << "contradict";
    QTest::newRow("bad connect") << QStringList{"--connect", "nowhere"} << Action::Error
                                 << "--connect: 'nowhere': no port";
    QTest::newRow("stray argument")
        << QStringList{"ws.json", "extra"} << Action::Error << "unexpected argument 'extra'";
    QTest::newRow("log budget not a number")
        << QStringList{"--traffic-log-mib", "lots"} << Action::Error
        << "--traffic-log-mib: \"lots\" is not a whole number from 1 to 65536";
    QTest::newRow("log rows too few")
        << QStringList{"--traffic-log-frames", "5"} << Action::Error << "from 100 to 10000000";
    QTest::newRow("everything")
        << QStringList{"--gateway-port",       "0",          "--connect",         "[::1]:1636",
                       "--settings",           "/tmp/x.ini", "--traffic-log-mib", "64",
                       "--traffic-log-frames", "5000"}
        << Action::Run << "";
}

void tst_ConsoleOptions::options()
{
    QFETCH(QStringList, arguments);
    QFETCH(Action, action);
    QFETCH(QString, text);
    arguments.prepend(QStringLiteral("fleet-console"));
    const ConsoleOptionsResult result = parseConsoleOptions(arguments);
    QCOMPARE(result.action, action);
    QVERIFY2(result.text.contains(text), qPrintable(result.text));
    if (action == Action::Error)
        QVERIFY(result.text.contains(QStringLiteral("fleet-console --help")));
    if (action == Action::Run) {
        QVERIFY(result.options.gateway);
        QCOMPARE(result.options.gatewayPort, std::optional<quint16>(0));
        QVERIFY(result.options.connectTo);
        QCOMPARE(result.options.connectTo->host, QStringLiteral("::1"));
        QCOMPARE(result.options.connectTo->port, quint16(1636));
        QCOMPARE(result.options.settingsFile, QStringLiteral("/tmp/x.ini"));
        QCOMPARE(result.options.trafficLogMib, 64);
        QCOMPARE(result.options.trafficLogFrames, 5000);
    }
}

void tst_ConsoleOptions::defaultsStartGatewayWithoutConnecting()
{
    const ConsoleOptionsResult result = parseConsoleOptions({QStringLiteral("fleet-console")});
    QCOMPARE(result.action, Action::Run);
    QVERIFY(result.options.gateway);
    QVERIFY(!result.options.gatewayPort); // 8888 or the next free port
    QVERIFY(!result.options.connectTo);
    QVERIFY(result.options.settingsFile.isEmpty());
    QVERIFY(result.options.screenshotDir.isEmpty());
    QVERIFY(result.options.workspaceFile.isEmpty()); // the last session, from the settings
    QCOMPARE(qint64(result.options.trafficLogMib) * 1024 * 1024,
             TrafficLogModel::kDefaultByteBudget);
    QCOMPARE(result.options.trafficLogFrames, TrafficLogModel::kDefaultCapacity);
    const ConsoleOptionsResult off =
        parseConsoleOptions({QStringLiteral("fleet-console"), QStringLiteral("--no-gateway")});
    QVERIFY(!off.options.gateway);
}

QTEST_GUILESS_MAIN(tst_ConsoleOptions)
#include "tst_consoleoptions.moc"
