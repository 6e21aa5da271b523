// HostPort: the one "host:port" parser and formatter of the console, fleet-gateway and
// fleet-device. What each accepts, what each mistake is called, and that toString() reads back.

#include "hostport.h"

#include <QTest>

using namespace fleet;
using Use = HostPort::Use;

Q_DECLARE_METATYPE(fleet::HostPort::Use)

class tst_HostPort : public QObject {
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void toStringBracketsIpv6_data();
    void toStringBracketsIpv6();
    void addressKinds_data();
    void addressKinds();
    void portAlone_data();
    void portAlone();
};

namespace {
constexpr int kNoDefault = -1;
}

void tst_HostPort::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("defaultPort"); // kNoDefault: the port is required
    QTest::addColumn<Use>("use");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error"); // part of the message

    const int none = kNoDefault;
    const Use connect = Use::Connect;
    const Use listen = Use::Listen;
    // Accepted.
    QTest::newRow("IPv4") << "127.0.0.1:8888" << none << connect << true << "127.0.0.1" << 8888
                          << "";
    QTest::newRow("host name") << "gateway.local:1636" << none << connect << true << "gateway.local"
                               << 1636 << "";
    QTest::newRow("IPv6 in brackets")
        << "[::1]:8888" << none << connect << true << "::1" << 8888 << "";
    QTest::newRow("IPv6 with a zone")
        << "[fe80::1%eth0]:80" << none << connect << true << "fe80::1%eth0" << 80 << "";
    QTest::newRow("spaces around")
        << "  localhost:1 " << none << connect << true << "localhost" << 1 << "";
    QTest::newRow("highest port") << "h:65535" << none << connect << true << "h" << 65535 << "";
    QTest::newRow("bare host takes the default")
        << "gateway.local" << 8888 << connect << true << "gateway.local" << 8888 << "";
    QTest::newRow("bare IPv4 takes the default")
        << "10.0.0.5" << 1636 << connect << true << "10.0.0.5" << 1636 << "";
    QTest::newRow("bare IPv6 takes the default")
        << "::1" << 8888 << connect << true << "::1" << 8888 << "";
    QTest::newRow("bracketed IPv6 without port takes the default")
        << "[::1]" << 8888 << connect << true << "::1" << 8888 << "";
    QTest::newRow("a given port beats the default")
        << "gateway.local:9000" << 8888 << connect << true << "gateway.local" << 9000 << "";
    QTest::newRow("listen: port 0 picks a free one")
        << "127.0.0.1:0" << none << listen << true << "127.0.0.1" << 0 << "";
    QTest::newRow("listen: * is every interface")
        << "*:8888" << none << listen << true << "*" << 8888 << "";
    QTest::newRow("listen: no host is every interface")
        << ":8888" << none << listen << true << "" << 8888 << "";
    QTest::newRow("listen: IPv6 any") << "[::]:0" << none << listen << true << "::" << 0 << "";

    // Refused, each with what is wrong.
    QTest::newRow("empty") << "" << none << connect << false << "" << 0 << "no address";
    QTest::newRow("blank") << "   " << 8888 << connect << false << "" << 0 << "no address";
    QTest::newRow("no port") << "localhost" << none << connect << false << "" << 0 << "no port";
    QTest::newRow("no port after the colon")
        << "localhost:" << none << connect << false << "" << 0 << "no port after ':'";
    QTest::newRow("bracketed IPv6 without port or default")
        << "[::1]" << none << connect << false << "" << 0 << "no port";
    QTest::newRow("port zero for a connect") << "localhost:0" << none << connect << false << "" << 0
                                             << "'0' is not a port number from 1 to 65535";
    QTest::newRow("port too large")
        << "localhost:65536" << none << connect << false << "" << 0 << "from 1 to 65535";
    QTest::newRow("port too large to listen")
        << "127.0.0.1:70000" << none << listen << false << "" << 0
        << "'70000' is not a port number from 0 to 65535 (0 picks a free port)";
    QTest::newRow("port far too large")
        << "h:123456789012" << none << connect << false << "" << 0 << "'123456789012' is not";
    QTest::newRow("port not a number")
        << "localhost:http" << none << connect << false << "" << 0 << "'http' is not a port";
    QTest::newRow("signed port") << "h:+80" << none << connect << false << "" << 0
                                 << "'+80' is not a port";
    QTest::newRow("IPv6 without brackets")
        << "::1:8888" << none << connect << false << "" << 0 << "write an IPv6 address in brackets";
    QTest::newRow("not IPv6, not bracketed, with a default")
        << "a:b:c" << 8888 << connect << false << "" << 0 << "in brackets";
    QTest::newRow("bracket not closed")
        << "[::1:8888" << none << connect << false << "" << 0 << "no closing ']'";
    QTest::newRow("brackets around a name") << "[gateway]:80" << none << connect << false << "" << 0
                                            << "'gateway' in brackets is not an IPv6 address";
    QTest::newRow("junk after the brackets")
        << "[::1]8888" << none << connect << false << "" << 0 << "'8888' after ']' is not ':PORT'";
    QTest::newRow("empty zone") << "[fe80::1%]:80" << none << connect << false << "" << 0
                                << "not an IPv6 address";
    QTest::newRow("no host for a connect")
        << ":8888" << none << connect << false << "" << 0 << "no host before ':'";
    QTest::newRow("* for a connect")
        << "*:8888" << none << connect << false << "" << 0 << "'*' is not a host name";
    QTest::newRow("space in the host")
        << "my host:80" << none << connect << false << "" << 0 << "'my host' is not a host name";
    QTest::newRow("URL") << "tcp://gw:8888" << none << connect << false << "" << 0
                         << "not a URL: leave out the scheme";
}

void tst_HostPort::parse()
{
    QFETCH(QString, text);
    QFETCH(int, defaultPort);
    QFETCH(Use, use);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, error);

    const std::optional<quint16> fallback =
        defaultPort == kNoDefault ? std::nullopt : std::optional<quint16>(quint16(defaultPort));
    QString why = QStringLiteral("untouched");
    const std::optional<HostPort> parsed = HostPort::parse(text, &why, fallback, use);
    QCOMPARE(parsed.has_value(), ok);
    if (ok) {
        QCOMPARE(parsed->host, host);
        QCOMPARE(int(parsed->port), port);
        QCOMPARE(why, QStringLiteral("untouched"));
        return;
    }
    QVERIFY2(why.contains(error), qPrintable(why));
    // Every message quotes what was typed and shows the expected form.
    QVERIFY2(why.startsWith(QStringLiteral("'%1': ").arg(text)), qPrintable(why));
    QVERIFY2(why.contains(fallback ? QStringLiteral("expected HOST or HOST:PORT, e.g.")
                                   : QStringLiteral("expected HOST:PORT, e.g.")),
             qPrintable(why));
    // Without an error pointer it still refuses.
    QVERIFY(!HostPort::parse(text, nullptr, fallback, use));
}

void tst_HostPort::toStringBracketsIpv6_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("expected");
    QTest::newRow("IPv4") << "127.0.0.1" << 8888 << "127.0.0.1:8888";
    QTest::newRow("host name") << "gateway.local" << 1636 << "gateway.local:1636";
    QTest::newRow("IPv6") << "::1" << 8888 << "[::1]:8888";
    QTest::newRow("IPv6 with a zone") << "fe80::1%eth0" << 80 << "[fe80::1%eth0]:80";
    QTest::newRow("IPv4-mapped IPv6") << "::ffff:10.0.0.1" << 1 << "[::ffff:10.0.0.1]:1";
    QTest::newRow("port 0") << "0.0.0.0" << 0 << "0.0.0.0:0";
}

void tst_HostPort::toStringBracketsIpv6()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, expected);
    const HostPort address{host, quint16(port)};
    QCOMPARE(address.toString(), expected);
    // What toString() writes, parse() reads back to the same value.
    const std::optional<HostPort> back =
        HostPort::parse(address.toString(), nullptr, std::nullopt, HostPort::Use::Listen);
    QVERIFY(back);
    QCOMPARE(*back, address);
}

void tst_HostPort::addressKinds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ipv4");
    QTest::addColumn<bool>("ipv6");
    QTest::newRow("IPv4") << "192.168.1.20" << true << false;
    QTest::newRow("IPv4 out of range") << "192.168.1.256" << false << false;
    QTest::newRow("IPv4 too short") << "10.1" << false << false;
    QTest::newRow("loopback IPv6") << "::1" << false << true;
    QTest::newRow("full IPv6") << "2001:db8:0:0:0:0:0:1" << false << true;
    QTest::newRow("IPv6 with zone") << "fe80::1%2" << false << true;
    QTest::newRow("two double colons") << "1::2::3" << false << false;
    QTest::newRow("host name") << "gateway.local" << false << false;
    QTest::newRow("empty") << "" << false << false;
}

void tst_HostPort::addressKinds()
{
    QFETCH(QString, text);
    QFETCH(bool, ipv4);
    QFETCH(bool, ipv6);
    QCOMPARE(HostPort::isIpv4Address(text), ipv4);
    QCOMPARE(HostPort::isIpv6Address(text), ipv6);
}

void tst_HostPort::portAlone_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<HostPort::Use>("use");
    QTest::addColumn<int>("port"); // -1: refused
    QTest::addColumn<QString>("error");
    QTest::newRow("a port") << "8888" << HostPort::Use::Connect << 8888 << "";
    QTest::newRow("spaces around") << " 1636 " << HostPort::Use::Connect << 1636 << "";
    QTest::newRow("0 to listen") << "0" << HostPort::Use::Listen << 0 << "";
    QTest::newRow("0 to connect") << "0" << HostPort::Use::Connect << -1
                                  << "'0' is not a port number from 1 to 65535";
    QTest::newRow("too large to listen")
        << "65536" << HostPort::Use::Listen << -1
        << "'65536' is not a port number from 0 to 65535 (0 picks a free port)";
    QTest::newRow("a word") << "eighty" << HostPort::Use::Listen << -1 << "'eighty' is not";
    QTest::newRow("negative") << "-1" << HostPort::Use::Listen << -1 << "'-1' is not";
    QTest::newRow("empty") << "" << HostPort::Use::Connect << -1 << "'' is not a port number";
}

void tst_HostPort::portAlone()
{
    QFETCH(QString, text);
    QFETCH(HostPort::Use, use);
    QFETCH(int, port);
    QFETCH(QString, error);
    QString why;
    const std::optional<quint16> parsed = HostPort::parsePort(text, &why, use);
    QCOMPARE(parsed.has_value(), port >= 0);
    if (parsed)
        QCOMPARE(int(*parsed), port);
    else
        QVERIFY2(why.startsWith(error), qPrintable(why));
}

QTEST_APPLESS_MAIN(tst_HostPort)
#include "tst_hostport.moc"
