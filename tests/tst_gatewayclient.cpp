// The project's own client library against its own gateway, end to end: what an application
// using fleet::InternalClient sees of each gateway behaviour.
#include "tst_gatewayhelpers.h"

#include "gatewayserver.h"
#include "internalclient.h"
#include "modulecatalog.h"

#include <QSignalSpy>
#include <QTest>

using namespace fleet;
using namespace fleet::test;
using Error = InternalClient::Error;

namespace {

constexpr int kStatusTimeoutMs = 2000;

ClientSettings noRetries()
{
    ClientSettings settings;
    settings.resendAttempts = 0; // one attempt: the gateway's verdict, not the retry's
    return settings;
}

} // namespace

class tst_GatewayClient : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void exchangesStatusesAndCommands();
    void pushedCommandIsReportedAsPushed();
    void emptyAnswerIsReportedAsEmpty();
    void connectRefusal_data();
    void connectRefusal();
    void takeoverEndsTheOldClient();
    void answerProblem_data();
    void answerProblem();
    void answerWithinTheDeadline();
    void manyClients();

private:
    // A connected client for `identity`, or nullptr (and a test failure message in *why).
    std::unique_ptr<InternalClient> connectClient(const DeviceIdentity& identity,
                                                  const ClientSettings& settings = {});

    std::unique_ptr<GatewayServer> m_server;
};

void tst_GatewayClient::init()
{
    m_server = std::make_unique<GatewayServer>();
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

void tst_GatewayClient::cleanup()
{
    m_server.reset();
}

std::unique_ptr<InternalClient> tst_GatewayClient::connectClient(const DeviceIdentity& identity,
                                                                 const ClientSettings& settings)
{
    auto client = std::make_unique<InternalClient>();
    client->setSettings(settings);
    QSignalSpy connected(client.get(), &InternalClient::connected);
    if (client->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), identity) !=
            Error::NoError ||
        !connected.wait(kWaitMs))
        return nullptr;
    return client;
}

void tst_GatewayClient::exchangesStatusesAndCommands()
{
    const std::unique_ptr<InternalClient> client = connectClient(button());
    QVERIFY(client);
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QSignalSpy received(client.get(), &InternalClient::commandReceived);
    ModuleModel module;
    for (const QByteArray& status : {kReleased, kPressed, kReleased}) {
        const QByteArray expected = module.answer(status);
        QCOMPARE(client->sendStatus(status, kStatusTimeoutMs), Error::NoError);
        QVERIFY(answered.wait(kWaitMs));
        QCOMPARE(answered.last().at(0).toByteArray(), expected);
        QCOMPARE(received.last().at(1).toBool(), false); // not pushed
        QByteArray latest;
        QCOMPARE(client->command(&latest), Error::NoError);
        QCOMPARE(latest, expected);
    }
    QCOMPARE(m_server->connectedDevices().value(0).statusesReceived, quint64(3));
}

void tst_GatewayClient::pushedCommandIsReportedAsPushed()
{
    const std::unique_ptr<InternalClient> client = connectClient(button());
    QVERIFY(client);
    QSignalSpy received(client.get(), &InternalClient::commandReceived);
    QVERIFY(m_server->pushCommand(button(), "{\"lit_up\": true}"));
    QVERIFY(received.wait(kWaitMs));
    QCOMPARE(received[0].at(0).toByteArray(), QByteArray("{\"lit_up\": true}"));
    QCOMPARE(received[0].at(1).toBool(), true);
    // The pairing is intact: the next status still gets its own answer.
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QCOMPARE(client->sendStatus(kPressed, kStatusTimeoutMs), Error::NoError);
    QVERIFY(answered.wait(kWaitMs));
    QCOMPARE(answered[0].at(0).toByteArray(), ModuleModel().answer(kPressed));
}

void tst_GatewayClient::emptyAnswerIsReportedAsEmpty()
{
    GatewayPolicy policy;
    policy.emptyAnswers = true;
    m_server->setPolicy(policy);
    const std::unique_ptr<InternalClient> client = connectClient(button());
    QVERIFY(client);
    QSignalSpy received(client.get(), &InternalClient::commandReceived);
    QCOMPARE(client->sendStatus(kPressed, kStatusTimeoutMs), Error::NoError);
    QVERIFY(received.wait(kWaitMs));
    QCOMPARE(received[0].at(0).toByteArray(), QByteArray());
    QCOMPARE(received[0].at(2).toBool(), true); // empty
}

void tst_GatewayClient::connectRefusal_data()
{
    QTest::addColumn<DeviceIdentity>("holder"); // connected first (module 0: nobody)
    QTest::addColumn<DeviceIdentity>("identity");
    QTest::addColumn<Error>("error");
    const DeviceIdentity nobody = device(0, 0, QString());
    QTest::newRow("same slot and priority")
        << button(QStringLiteral("b"), 2) << button(QStringLiteral("b"), 2)
        << Error::AlreadyConnected;
    QTest::newRow("lower priority")
        << button(QStringLiteral("b"), 2) << button(QStringLiteral("b"), 3)
        << Error::HigherPriorityAlreadyConnected;
    QTest::newRow("module not served")
        << nobody << device(1001, 0, QStringLiteral("x")) << Error::ModuleNotSupported;
    QTest::newRow("device type unknown to the module")
        << nobody << device(2, 9, QStringLiteral("x")) << Error::DeviceNotSupported;
}

void tst_GatewayClient::connectRefusal()
{
    QFETCH(DeviceIdentity, holder);
    QFETCH(DeviceIdentity, identity);
    QFETCH(Error, error);
    std::unique_ptr<InternalClient> first;
    if (holder.module != 0) {
        first = connectClient(holder);
        QVERIFY(first);
    }
    InternalClient client;
    QSignalSpy failed(&client, &InternalClient::errorOccurred);
    QCOMPARE(client.connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), identity),
             Error::NoError);
    QVERIFY(failed.wait(kWaitMs));
    QCOMPARE(failed[0].at(0).value<Error>(), error);
    QCOMPARE(client.state(), InternalClient::State::Destroyed);
    QCOMPARE(m_server->connectedDeviceCount(), first ? 1 : 0);
}

void tst_GatewayClient::takeoverEndsTheOldClient()
{
    const std::unique_ptr<InternalClient> low = connectClient(button(QStringLiteral("b"), 5));
    QVERIFY(low);
    QSignalSpy lowNotice(low.get(), &InternalClient::notice);
    QSignalSpy lowFailed(low.get(), &InternalClient::errorOccurred);
    const std::unique_ptr<InternalClient> high = connectClient(button(QStringLiteral("b"), 1));
    QVERIFY2(high, "a higher-priority device takes the slot");
    // The idle client hears that its connection was closed; its next status reconnects and
    // meets the new holder.
    QTRY_VERIFY_WITH_TIMEOUT(!lowNotice.isEmpty(), kWaitMs);
    QCOMPARE(low->sendStatus(kPressed, kStatusTimeoutMs), Error::NoError);
    QVERIFY(lowFailed.wait(kWaitMs));
    QCOMPARE(lowFailed[0].at(0).value<Error>(), Error::HigherPriorityAlreadyConnected);
    const QList<GatewayDeviceInfo> devices = m_server->connectedDevices();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices[0].device.priority, 1u);
}

void tst_GatewayClient::answerProblem_data()
{
    QTest::addColumn<int>("answerDelayMs");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("gatewayDetail");
    QTest::newRow("module rejects the status")
        << 0 << QByteArray("{\"pressed\":true}") << QStringLiteral("rejected the status");
    QTest::newRow("answer delay beyond the deadline")
        << 400 << kPressed << QStringLiteral("deadline");
}

void tst_GatewayClient::answerProblem()
{
    QFETCH(int, answerDelayMs);
    QFETCH(QByteArray, status);
    QFETCH(QString, gatewayDetail);
    GatewayPolicy policy;
    policy.answerDelayMs = answerDelayMs;
    m_server->setPolicy(policy);
    EventLog log(m_server.get());
    const std::unique_ptr<InternalClient> client = connectClient(button(), noRetries());
    QVERIFY(client);
    QSignalSpy failed(client.get(), &InternalClient::errorOccurred);
    QCOMPARE(client->sendStatus(status, kStatusTimeoutMs), Error::NoError);
    QVERIFY(failed.wait(kWaitMs));
    // "Closed without an answer" (docs/protocol.md#conversation), not a timeout: the gateway closed
    // it.
    QCOMPARE(failed[0].at(0).value<Error>(), Error::CommunicationError);
    const GatewayEvent drop = log.of(GatewayEvent::Kind::Disconnected).value(0);
    QVERIFY2(drop.detail.contains(gatewayDetail), qPrintable(log.describe()));
}

void tst_GatewayClient::answerWithinTheDeadline()
{
    GatewayPolicy policy;
    policy.answerDelayMs = 120;
    m_server->setPolicy(policy);
    const std::unique_ptr<InternalClient> client = connectClient(button(), noRetries());
    QVERIFY(client);
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QCOMPARE(client->sendStatus(kReleased, kStatusTimeoutMs), Error::NoError);
    QVERIFY(answered.wait(kWaitMs));
    QVERIFY2(answered[0].at(1).toDouble() >= 110.0, qPrintable(answered[0].at(1).toString()));
}

void tst_GatewayClient::manyClients()
{
    constexpr int kClients = 50;
    std::vector<std::unique_ptr<InternalClient>> clients;
    std::vector<std::unique_ptr<QSignalSpy>> answers;
    for (int i = 0; i < kClients; ++i) {
        auto client = std::make_unique<InternalClient>();
        QCOMPARE(client->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                         button(QStringLiteral("c%1").arg(i))),
                 Error::NoError);
        answers.push_back(
            std::make_unique<QSignalSpy>(client.get(), &InternalClient::statusAnswered));
        clients.push_back(std::move(client));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectedDeviceCount(), kClients, 10000);
    for (const auto& client : clients)
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), InternalClient::State::Connected, kWaitMs);
    for (const auto& client : clients)
        QCOMPARE(client->sendStatus(kReleased, kStatusTimeoutMs), Error::NoError);
    const QByteArray expected = ModuleModel().answer(kReleased);
    for (int i = 0; i < kClients; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(answers[i]->size(), 1, 10000);
        QCOMPARE(answers[i]->at(0).at(0).toByteArray(), expected);
    }
}

QTEST_GUILESS_MAIN(tst_GatewayClient)
#include "tst_gatewayclient.moc"
