// Who gets a device slot (docs/protocol.md#identity-and-arbitration): the arbitration matrix and
// the policy's MODULE_NOT_SUPPORTED / DEVICE_NOT_SUPPORTED, seen from raw sockets.
#include "tst_gatewayhelpers.h"

#include "gatewayserver.h"
#include "modulecatalog.h"

#include <QTest>

using namespace fleet;
using namespace fleet::test;
using Kind = GatewayEvent::Kind;
using Reason = GatewayEvent::Reason;

namespace {

constexpr int kOk = 0;
constexpr int kAlreadyConnected = 1;
constexpr int kModuleNotSupported = 2;
constexpr int kDeviceNotSupported = 3;
constexpr int kHigherPriorityAlreadyConnected = 4;

bool holds(const GatewayServer& server, const DeviceIdentity& identity)
{
    for (const GatewayDeviceInfo& info : server.connectedDevices()) {
        if (info.device == identity)
            return true;
    }
    return false;
}

} // namespace

class tst_GatewayArbitration : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void secondDevice_data();
    void secondDevice();
    void responseEchoesTheDevice();
    void policyRejection_data();
    void policyRejection();
    void rejectedDeviceTakesNoSlot();
    void takeoverKeepsQueueForTheSlot();
    void freedSlotCanBeTakenAgain();

private:
    std::unique_ptr<GatewayServer> m_server;
};

void tst_GatewayArbitration::init()
{
    m_server = std::make_unique<GatewayServer>();
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

void tst_GatewayArbitration::cleanup()
{
    m_server.reset();
}

void tst_GatewayArbitration::secondDevice_data()
{
    QTest::addColumn<DeviceIdentity>("first");
    QTest::addColumn<DeviceIdentity>("second");
    QTest::addColumn<int>("response");
    QTest::addColumn<bool>("firstKeepsSlot");

    const DeviceIdentity base = device(2, 1, QStringLiteral("board"), 5, QStringLiteral("a"));
    auto with = [&](auto change) {
        DeviceIdentity identity = base;
        change(identity);
        return identity;
    };
    QTest::newRow("same slot, same priority") << base << base << kAlreadyConnected << true;
    QTest::newRow("same slot, same priority, other name (name ignored)")
        << base << with([](auto& d) { d.name = QStringLiteral("b"); }) << kAlreadyConnected << true;
    QTest::newRow("same slot, lower priority (larger number)")
        << base << with([](auto& d) { d.priority = 6; }) << kHigherPriorityAlreadyConnected << true;
    QTest::newRow("same slot, lowest priority")
        << base << with([](auto& d) { d.priority = 0xffffffffu; })
        << kHigherPriorityAlreadyConnected << true;
    QTest::newRow("same slot, higher priority takes over")
        << base << with([](auto& d) { d.priority = 4; }) << kOk << false;
    QTest::newRow("same slot, priority 0 takes over, other name") << base << with([](auto& d) {
        d.priority = 0;
        d.name = QStringLiteral("z");
    }) << kOk << false;
    QTest::newRow("other role") << base << with([](auto& d) { d.role = QStringLiteral("b2"); })
                                << kOk << true;
    QTest::newRow("role differs only in case")
        << base << with([](auto& d) { d.role = QStringLiteral("Board"); }) << kOk << true;
    QTest::newRow("other type") << base << with([](auto& d) { d.deviceType = 3; }) << kOk << true;
    QTest::newRow("other module, same type and role")
        << device(3, 1, QStringLiteral("board"), 5) << base << kOk << true;
}

void tst_GatewayArbitration::secondDevice()
{
    QFETCH(DeviceIdentity, first);
    QFETCH(DeviceIdentity, second);
    QFETCH(int, response);
    QFETCH(bool, firstKeepsSlot);
    EventLog log(m_server.get());

    RawDevice firstDevice(m_server->serverPort());
    QCOMPARE(firstDevice.handshake(first), kOk);
    RawDevice secondDevice(m_server->serverPort());
    QCOMPARE(secondDevice.handshake(second), response);

    if (response == kOk) {
        QVERIFY(holds(*m_server, second));
        QVERIFY2(!secondDevice.isClosed(), "the accepted device must stay connected");
    } else {
        // ALREADY_CONNECTED and HIGHER_PRIORITY_ALREADY_CONNECTED: the server closes
        // (docs/protocol.md#identity-and-arbitration).
        QVERIFY2(secondDevice.waitForClose(), "the rejected connection must be closed");
        QVERIFY(!holds(*m_server, second) || second == first);
        const QList<GatewayEvent> rejected = log.of(Kind::Rejected);
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected[0].responseType, response);
        QCOMPARE(rejected[0].device, second);
        QVERIFY2(!rejected[0].detail.isEmpty(), "a rejection says why");
        QTRY_VERIFY(!log.of(Kind::Disconnected).isEmpty());
        QCOMPARE(log.of(Kind::Disconnected).last().reason, Reason::ConnectRejected);
    }

    if (firstKeepsSlot) {
        QVERIFY(holds(*m_server, first));
        // Still served: a valid status gets its answer.
        const QList<PayloadPreset> presets =
            ModuleCatalog::statusPresets(first.module, first.deviceType);
        const QByteArray status = presets.isEmpty() ? QByteArray("any") : presets[0].payload;
        QVERIFY(firstDevice.exchange(first, status).has_value());
    } else {
        QVERIFY2(firstDevice.waitForClose(), "the displaced device must be dropped");
        QVERIFY(!holds(*m_server, first));
        QCOMPARE(m_server->connectedDeviceCount(), 1);
        const QList<GatewayEvent> drops = log.of(Kind::Disconnected);
        QCOMPARE(drops.size(), 1);
        QCOMPARE(drops[0].reason, Reason::Takeover);
        QCOMPARE(drops[0].device, first);
    }
}

void tst_GatewayArbitration::responseEchoesTheDevice()
{
    const DeviceIdentity identity =
        device(1, 1, QStringLiteral("autonomy"), 7, QStringLiteral("virtual_vehicle"));
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(identity), kOk);
    QCOMPARE(DeviceIdentity::fromProto(raw.messages()[0].deviceconnectresponse().device()),
             identity);
}

void tst_GatewayArbitration::policyRejection_data()
{
    QTest::addColumn<QList<quint32>>("modules");
    QTest::addColumn<bool>("acceptUnknownTypes");
    QTest::addColumn<DeviceIdentity>("identity");
    QTest::addColumn<int>("response");

    const QList<quint32> known{1, 2, 3, 1000};
    QTest::newRow("module not served") << QList<quint32>{1000} << false
                                       << device(2, 1, QStringLiteral("r")) << kModuleNotSupported;
    QTest::newRow("module unknown and not served")
        << known << false << device(1001, 0, QStringLiteral("r")) << kModuleNotSupported;
    QTest::newRow("example module, unknown type")
        << known << false << device(1000, 5, QStringLiteral("r")) << kDeviceNotSupported;
    QTest::newRow("mission module, type 0 (its README's, not its code's)")
        << known << false << device(1, 0, QStringLiteral("r")) << kDeviceNotSupported;
    QTest::newRow("IO module, type 5")
        << known << false << device(2, 5, QStringLiteral("r")) << kDeviceNotSupported;
    QTest::newRow("IO module, button type 4")
        << known << false << device(2, 4, QStringLiteral("r")) << kOk;
    QTest::newRow("transparent module, any type")
        << known << false << device(3, 77, QStringLiteral("r")) << kOk;
    QTest::newRow("served unknown module, unknown types refused")
        << QList<quint32>{1001} << false << device(1001, 0, QStringLiteral("r"))
        << kDeviceNotSupported;
    QTest::newRow("served unknown module, unknown types accepted")
        << QList<quint32>{1001} << true << device(1001, 9, QStringLiteral("r")) << kOk;
    QTest::newRow("accepting unknown types does not widen known modules")
        << known << true << device(1000, 5, QStringLiteral("r")) << kDeviceNotSupported;
}

void tst_GatewayArbitration::policyRejection()
{
    QFETCH(QList<quint32>, modules);
    QFETCH(bool, acceptUnknownTypes);
    QFETCH(DeviceIdentity, identity);
    QFETCH(int, response);
    GatewayPolicy policy;
    policy.supportedModules = modules;
    policy.acceptUnknownDeviceTypes = acceptUnknownTypes;
    m_server->setPolicy(policy);
    EventLog log(m_server.get());

    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(identity), response);
    QCOMPARE(DeviceIdentity::fromProto(raw.messages()[0].deviceconnectresponse().device()),
             identity);
    if (response == kOk) {
        QCOMPARE(m_server->connectedDeviceCount(), 1);
        return;
    }
    const QList<GatewayEvent> rejected = log.of(Kind::Rejected);
    QCOMPARE(rejected.size(), 1);
    QCOMPARE(rejected[0].responseType, response);
    QVERIFY2(rejected[0].detail.contains(QString::number(
                 response == kModuleNotSupported ? identity.module : identity.deviceType)),
             qPrintable(rejected[0].detail));
    QCOMPARE(m_server->connectedDeviceCount(), 0);
    // The reference leaves this socket open for the client to close
    // (docs/protocol.md#identity-and-arbitration). Proved by the gateway's answer to a later frame:
    // a status on the refused connection is read and judged a protocol error, and that is the first
    // thing the gateway did after the refusal. Had it closed the socket itself, a Disconnected (and
    // no such error) would come first.
    QCOMPARE(m_server->connectionCount(), 1);
    const qsizetype afterRefusal = log.all().size();
    raw.sendStatus(identity, kPressed);
    QVERIFY2(raw.waitForClose(), "a status after a refused connect is a protocol error");
    QVERIFY2(log.all().size() > afterRefusal, qPrintable(log.describe()));
    const GatewayEvent next = log.all().at(afterRefusal);
    QVERIFY2(next.kind == Kind::ProtocolError, qPrintable(log.describe()));
    QVERIFY2(next.detail.contains(QStringLiteral("before")), qPrintable(next.detail));
    QCOMPARE(raw.messages().size(), 1); // the connect response, nothing after it
}

void tst_GatewayArbitration::rejectedDeviceTakesNoSlot()
{
    // DEVICE_NOT_SUPPORTED for an unknown-module device: the lingering socket must not block
    // the slot once the policy accepts such devices (the reference would keep it registered).
    GatewayPolicy policy;
    policy.supportedModules = {1001};
    m_server->setPolicy(policy);
    const DeviceIdentity identity = device(1001, 2, QStringLiteral("custom"));
    RawDevice refused(m_server->serverPort());
    QCOMPARE(refused.handshake(identity), kDeviceNotSupported);

    policy.acceptUnknownDeviceTypes = true;
    m_server->setPolicy(policy);
    RawDevice accepted(m_server->serverPort());
    QCOMPARE(accepted.handshake(identity), kOk);
    QVERIFY(!refused.isClosed());
    QCOMPARE(m_server->connectedDeviceCount(), 1);
}

void tst_GatewayArbitration::takeoverKeepsQueueForTheSlot()
{
    // The transparent module passes queued commands through unchanged.
    const DeviceIdentity low = device(3, 0, QStringLiteral("b"), 3);
    const DeviceIdentity high = device(3, 0, QStringLiteral("b"), 1);
    RawDevice first(m_server->serverPort());
    QCOMPARE(first.handshake(low), kOk);
    QVERIFY(m_server->queueCommand(low, "queued for the slot"));
    RawDevice second(m_server->serverPort());
    QCOMPARE(second.handshake(high), kOk);
    QVERIFY(first.waitForClose());
    // The queue belongs to the slot, not to the displaced connection.
    QCOMPARE(second.exchange(high, "Status 1").value_or("no answer"),
             QByteArray("queued for the slot"));
}

void tst_GatewayArbitration::freedSlotCanBeTakenAgain()
{
    const DeviceIdentity identity = button();
    {
        RawDevice first(m_server->serverPort());
        QCOMPARE(first.handshake(identity), kOk);
        first.socket().disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->connectedDeviceCount(), 0, kWaitMs);
    }
    RawDevice again(m_server->serverPort());
    QCOMPARE(again.handshake(identity), kOk);
    QCOMPARE(m_server->connectedDeviceCount(), 1);
}

QTEST_GUILESS_MAIN(tst_GatewayArbitration)
#include "tst_gatewayarbitration.moc"
