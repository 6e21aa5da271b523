#include "internalclient.h"

#include "fakeserver.h"
#include "frames.h"
#include "identities.h"

#include <memory>

#include <QElapsedTimer>
#include <QMetaEnum>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using fleet::DeviceIdentity;
using fleet::InternalClient;
using fleet::test::FakeConnection;
using fleet::test::FakeServer;
using fleet::test::frameOf;
using fleet::test::headerAnnouncing;
using Error = fleet::InternalClient::Error;
using State = fleet::InternalClient::State;
using Message = InternalProtocol::InternalClient;
using Response = InternalProtocol::DeviceConnectResponse;

namespace {

// Generous: two cores are shared by many builds. Replies come in well under 5 ms.
constexpr int kConnectTimeoutMs = 1000;
constexpr int kStatusTimeoutMs = 1000;
constexpr int kShortStatusTimeoutMs = 500; // where a test waits for the timeout on purpose
constexpr int kWaitMs = 10000;             // QTRY bound for anything that should happen

DeviceIdentity testDevice()
{
    return fleet::test::button(QStringLiteral("button"), 3, QStringLiteral("tester"));
}

fleet::ClientSettings testSettings()
{
    fleet::ClientSettings settings;
    settings.connectTimeoutMs = kConnectTimeoutMs;
    return settings;
}

// Every signal of one client as a readable line, in emission order.
class SignalLog : public QObject {
public:
    explicit SignalLog(InternalClient* client)
    {
        connect(client, &InternalClient::stateChanged, this, [this](State state) {
            lines << QStringLiteral("state:") + InternalClient::stateName(state);
        });
        connect(client, &InternalClient::connected, this,
                [this] { lines << QStringLiteral("connected"); });
        connect(client, &InternalClient::commandReceived, this,
                [this](const QByteArray& data, bool pushed, bool empty) {
                    lines << QStringLiteral("command:%1:%2%3")
                                 .arg(pushed ? "pushed" : "answer", QString::fromUtf8(data),
                                      empty ? ":empty" : "");
                });
        connect(client, &InternalClient::statusAnswered, this,
                [this](const QByteArray& data) { lines << "answered:" + QString::fromUtf8(data); });
        connect(client, &InternalClient::errorOccurred, this, [this](Error error) {
            lines << QStringLiteral("error:") + InternalClient::errorName(error);
        });
        connect(client, &InternalClient::notice, this,
                [this](const QString& text) { notices << text; });
    }
    // Lines of one kind, e.g. "command:".
    QStringList only(const QString& prefix) const
    {
        return lines.filter(QRegularExpression("^" + prefix));
    }

    QStringList lines;
    QStringList notices;
};

} // namespace

class tst_InternalClient : public QObject {
    Q_OBJECT
private slots:
    void manyStatusesInSequence();
    void connectsByAddressOrName_data();
    void connectsByAddressOrName();
    void connectRejected_data();
    void connectRejected();
    void badConnectReply_data();
    void badConnectReply();
    void badStatusReply_data();
    void badStatusReply();
    void recoversAfterOneFailedExchange_data();
    void recoversAfterOneFailedExchange();
    void silentServerFailsWithinBound();
    void slowServerWithinTimeout();
    void trickledBytes();
    void severalFramesInOneWrite();
    void largeStatusGoesOutWhole();
    void commandsReadBeforeAStatusAreNotItsAnswer_data();
    void commandsReadBeforeAStatusAreNotItsAnswer();
    void reconnectFails();
    void reconnectRejectedByConnectResponse();
    void refusedPort_data();
    void refusedPort();
    void connectAttemptsSucceedLater_data();
    void connectAttemptsSucceedLater();
    void pushedCommandBetweenStatuses();
    void pushedCommandJustBeforeAnswer();
    void lateCommandBeforeConnectResponseIsSkipped();
    void commandForAnotherDeviceIsAccepted();
    void emptyCommand();
    void idleCloseReconnectsOnNextStatus();
    void usageErrors();
    void negativeTimeout();
    void noCommandBeforeAnswer();
    void callsAfterDestroy_data();
    void callsAfterDestroy();
    void noSignalsAfterDestroy();
    void deleteLaterFromOwnSignal_data();
    void deleteLaterFromOwnSignal();
    void framesCarryExactBytes();
    void errorWords();

private:
    // A client connected to `server` (nullptr if it did not connect).
    std::unique_ptr<InternalClient>
    connectedClient(FakeServer& server, fleet::ClientSettings settings = testSettings());
    // Sends one status and waits for its outcome: the answer, or the client's destruction.
    bool exchange(InternalClient& client, const QByteArray& status,
                  int timeoutMs = kStatusTimeoutMs);
};

std::unique_ptr<InternalClient> tst_InternalClient::connectedClient(FakeServer& server,
                                                                    fleet::ClientSettings settings)
{
    auto client = std::make_unique<InternalClient>();
    client->setSettings(settings);
    QSignalSpy connected(client.get(), &InternalClient::connected);
    if (client->connectToServer(QStringLiteral("127.0.0.1"), server.port(), testDevice()) !=
        Error::NoError)
        return nullptr;
    if (!connected.wait(kWaitMs))
        return nullptr;
    return client;
}

bool tst_InternalClient::exchange(InternalClient& client, const QByteArray& status, int timeoutMs)
{
    QSignalSpy answered(&client, &InternalClient::statusAnswered);
    QSignalSpy failed(&client, &InternalClient::errorOccurred);
    if (client.sendStatus(status, timeoutMs) != Error::NoError)
        return false;
    return QTest::qWaitFor([&] { return !answered.isEmpty() || !failed.isEmpty(); }, kWaitMs) &&
           answered.size() == 1;
}

void tst_InternalClient::manyStatusesInSequence()
{
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    QCOMPARE(client->state(), State::Connected);
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QSignalSpy commands(client.get(), &InternalClient::commandReceived);

    QList<QByteArray> sent;
    for (int i = 0; i < 100; ++i) {
        const QByteArray status = "status " + QByteArray::number(i);
        sent << status;
        QVERIFY2(exchange(*client, status), qPrintable(QString::number(i)));
        QByteArray command;
        QCOMPARE(client->command(&command), Error::NoError);
        QCOMPARE(command, "ack:" + status);
    }
    QCOMPARE(server.statusPayloads(), sent);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(answered.size(), 100);
    QVERIFY(answered.last().at(1).toDouble() >= 0.0);
    QCOMPARE(commands.size(), 100);
    QCOMPARE(commands.last().at(1).toBool(), false); // an answer, not pushed
    QCOMPARE(client->state(), State::Connected);
    QCOMPARE(client->error(), Error::NoError);
}

void tst_InternalClient::connectsByAddressOrName_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("listenOn");
    QTest::newRow("IPv4 literal") << "127.0.0.1"
                                  << "127.0.0.1";
    QTest::newRow("IPv6 literal") << "::1"
                                  << "::1";
    QTest::newRow("host name") << "localhost"
                               << "127.0.0.1";
    QTest::newRow("host name with spaces") << "  localhost "
                                           << "127.0.0.1";
}

void tst_InternalClient::connectsByAddressOrName()
{
    QFETCH(QString, host);
    QFETCH(QString, listenOn);
    FakeServer server;
    if (!server.listen(QHostAddress(listenOn)))
        QSKIP("this machine has no such loopback address");
    InternalClient client;
    client.setSettings(testSettings());
    SignalLog log(&client);
    QCOMPARE(client.connectToServer(host, server.port(), testDevice()), Error::NoError);
    QCOMPARE(client.state(), State::Connecting);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kWaitMs);
    QCOMPARE(log.lines, QStringList({"state:Connecting", "state:Handshaking", "state:Connected",
                                     "connected"}));
    QCOMPARE(client.host(), host.trimmed());
    QCOMPARE(client.port(), server.port());
    QCOMPARE(FakeServer::deviceOf(server.connection(0)->messages().first()), testDevice());
    QVERIFY(exchange(client, "hello"));
}

void tst_InternalClient::connectRejected_data()
{
    QTest::addColumn<int>("responseType");
    QTest::addColumn<Error>("expected");
    QTest::newRow("ALREADY_CONNECTED")
        << int(Response::ALREADY_CONNECTED) << Error::AlreadyConnected;
    QTest::newRow("MODULE_NOT_SUPPORTED")
        << int(Response::MODULE_NOT_SUPPORTED) << Error::ModuleNotSupported;
    QTest::newRow("DEVICE_NOT_SUPPORTED")
        << int(Response::DEVICE_NOT_SUPPORTED) << Error::DeviceNotSupported;
    QTest::newRow("HIGHER_PRIORITY_ALREADY_CONNECTED")
        << int(Response::HIGHER_PRIORITY_ALREADY_CONNECTED)
        << Error::HigherPriorityAlreadyConnected;
}

void tst_InternalClient::connectRejected()
{
    QFETCH(int, responseType);
    QFETCH(Error, expected);
    FakeServer server;
    QVERIFY(server.listen());
    // Like the reference after MODULE/DEVICE_NOT_SUPPORTED: answer and leave the socket open.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        connection.sendConnectResponse(responseType, FakeServer::deviceOf(message));
    });
    InternalClient client;
    auto settings = testSettings();
    settings.connectAttempts = 3; // a rejection is final: no further attempt
    client.setSettings(settings);
    SignalLog log(&client);
    QSignalSpy errors(&client, &InternalClient::errorOccurred);
    client.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), expected);
    QCOMPARE(client.error(), expected);
    QCOMPARE(client.state(), State::Destroyed);
    QCOMPARE(InternalClient::errorFamily(expected), InternalClient::ErrorFamily::Connect);
    QVERIFY2(client.errorString().contains(
                 QString::fromStdString(Response::ResponseType_Name(responseType))),
             qPrintable(client.errorString()));
    QCOMPARE(log.lines.last(), "state:Destroyed");
    QVERIFY(!log.lines.contains("connected"));
    // The client closes its side, so the slot is free for others (docs/protocol.md#conversation).
    QTRY_VERIFY_WITH_TIMEOUT(!server.connection(0)->isOpen(), kWaitMs);
    QCOMPARE(server.connectionCount(), 1);
}

void tst_InternalClient::badConnectReply_data()
{
    QTest::addColumn<QByteArray>("wire"); // what the server sends instead of a good response
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<Error>("expected");
    DeviceIdentity otherName = testDevice();
    otherName.name = "someone else";
    DeviceIdentity otherPriority = testDevice();
    otherPriority.priority = 4;
    QTest::newRow("unknown responseType 7") << frameOf(FakeServer::connectResponse(7, testDevice()))
                                            << false << Error::CommunicationError;
    QTest::newRow("OK for a device with another name")
        << frameOf(FakeServer::connectResponse(Response::OK, otherName)) << false
        << Error::DeviceIncorrect;
    QTest::newRow("OK for a device with another priority")
        << frameOf(FakeServer::connectResponse(Response::OK, otherPriority)) << false
        << Error::DeviceIncorrect;
    QTest::newRow("zero-length frame")
        << fleet::encodeFrame(QByteArray()) << false << Error::CommunicationError;
    QTest::newRow("message with no field set")
        << fleet::encodeFrame(QByteArray("\x18\x01", 2)) << false << Error::CommunicationError;
    QTest::newRow("frame that does not parse") << fleet::encodeFrame(QByteArray("\x0a\x05"
                                                                                "ab"))
                                               << false << Error::CommandIncorrect;
    QTest::newRow("frame too large (header only)")
        << headerAnnouncing(64u * 1024u * 1024u) << false << Error::FrameTooLarge;
    QTest::newRow("closed without answering") << QByteArray() << true << Error::CommunicationError;
    QTest::newRow("closed mid-frame")
        << frameOf(FakeServer::connectResponse(0, testDevice())).first(7) << true
        << Error::CommunicationError;
    QTest::newRow("silent") << QByteArray() << false << Error::ServerTookTooLong;
}

void tst_InternalClient::badConnectReply()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, closeAfter);
    QFETCH(Error, expected);
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([&](FakeConnection& connection, const Message&) {
        if (!wire.isEmpty())
            connection.sendRaw(wire);
        if (closeAfter)
            connection.close();
    });
    InternalClient client;
    client.setSettings(testSettings());
    SignalLog log(&client);
    QSignalSpy errors(&client, &InternalClient::errorOccurred);
    QElapsedTimer clock;
    clock.start();
    client.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), expected);
    QCOMPARE(client.state(), State::Destroyed);
    QCOMPARE(InternalClient::errorFamily(expected), InternalClient::ErrorFamily::Communication);
    QVERIFY(!errors.first().at(1).toString().isEmpty());
    QVERIFY(!log.lines.contains("connected"));
    QCOMPARE(log.lines.last(), "state:Destroyed");
    if (expected == Error::ServerTookTooLong)
        QVERIFY(clock.elapsed() >= kConnectTimeoutMs - 1);
    QTRY_VERIFY_WITH_TIMEOUT(!server.connection(0)->isOpen(), kWaitMs);
}

void tst_InternalClient::badStatusReply_data()
{
    QTest::addColumn<QByteArray>("wire"); // what the server sends instead of a command
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<Error>("expected");
    QTest::newRow("connect response instead of a command")
        << frameOf(FakeServer::connectResponse(Response::OK, testDevice())) << false
        << Error::CommunicationError;
    QTest::newRow("zero-length frame")
        << fleet::encodeFrame(QByteArray()) << false << Error::CommunicationError;
    QTest::newRow("frame that does not parse") << fleet::encodeFrame(QByteArray("\x12\x09"
                                                                                "ab"))
                                               << false << Error::CommandIncorrect;
    QTest::newRow("frame too large")
        << frameOf(FakeServer::command(testDevice(), QByteArray(2000, 'x'))) << false
        << Error::FrameTooLarge;
    QTest::newRow("closed without answering") << QByteArray() << true << Error::CommunicationError;
    QTest::newRow("closed mid-frame") << frameOf(FakeServer::command(testDevice(), "half")).first(9)
                                      << true << Error::CommunicationError;
    QTest::newRow("silent") << QByteArray() << false << Error::ServerTookTooLong;
}

void tst_InternalClient::badStatusReply()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, closeAfter);
    QFETCH(Error, expected);
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect()) {
            connection.acceptConnect(message);
            return;
        }
        if (!wire.isEmpty())
            connection.sendRaw(wire);
        if (closeAfter)
            connection.close();
    });
    auto settings = testSettings();
    settings.maxFrameBytes = 1024;
    auto client = connectedClient(server, settings);
    QVERIFY(client);
    SignalLog log(client.get());
    QSignalSpy errors(client.get(), &InternalClient::errorOccurred);
    QCOMPARE(client->sendStatus("status", kShortStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), expected);
    QCOMPARE(client->error(), expected);
    QCOMPARE(client->state(), State::Destroyed);
    // One reconnect-and-resend round (the default), then the last error.
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({"status", "status"}));
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(log.only("answered:").size(), 0);
    QCOMPARE(log.lines,
             QStringList({"state:AwaitingCommand", "state:Reconnecting", "state:AwaitingCommand",
                          "error:" + InternalClient::errorName(expected), "state:Destroyed"}));
    QVERIFY(client->errorString().contains(errors.first().at(1).toString()));
}

void tst_InternalClient::recoversAfterOneFailedExchange_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("closeAfter");
    QTest::newRow("closes without answering") << QByteArray() << true;
    QTest::newRow("closes mid-frame")
        << frameOf(FakeServer::command(testDevice(), "half")).first(6) << true;
    QTest::newRow("answers garbage") << fleet::encodeFrame(QByteArray("\xff\xff\xff", 3)) << false;
    QTest::newRow("stays silent") << QByteArray() << false;
}

void tst_InternalClient::recoversAfterOneFailedExchange()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, closeAfter);
    FakeServer server;
    QVERIFY(server.listen());
    // The first connection misbehaves on the status; the reconnect gets a proper answer.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_devicestatus() && connection.index() == 0) {
            if (!wire.isEmpty())
                connection.sendRaw(wire);
            if (closeAfter)
                connection.close();
            return;
        }
        server.behaveAsGateway(connection, message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QCOMPARE(client->sendStatus("same", kShortStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, kWaitMs);
    QCOMPARE(answered.first().at(0).toByteArray(), "ack:same");
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({"same", "same"}));
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(client->state(), State::Connected);
    QCOMPARE(log.lines,
             QStringList({"state:AwaitingCommand", "state:Reconnecting", "state:AwaitingCommand",
                          "state:Connected", "command:answer:ack:same", "answered:ack:same"}));
    QVERIFY2(log.notices.filter("reconnecting").size() == 1, qPrintable(log.notices.join('\n')));
    if (QByteArray(QTest::currentDataTag()) == "stays silent") // round trip from the first send
        QVERIFY(answered.first().at(1).toDouble() >= kShortStatusTimeoutMs - 1);
    QVERIFY(exchange(*client, "next"));
}

void tst_InternalClient::silentServerFailsWithinBound()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect())
            connection.acceptConnect(message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    QSignalSpy errors(client.get(), &InternalClient::errorOccurred);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(client->sendStatus("anyone?", kShortStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    const qint64 elapsed = clock.elapsed();
    QCOMPARE(errors.first().at(0).value<Error>(), Error::ServerTookTooLong);
    QCOMPARE(client->state(), State::Destroyed);
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({"anyone?", "anyone?"}));
    // Two full waits, and bounded by 2 × timeout + connect timeout (plus scheduling slack).
    QVERIFY2(elapsed >= 2 * kShortStatusTimeoutMs - 2, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < 2 * kShortStatusTimeoutMs + kConnectTimeoutMs + 3000,
             qPrintable(QString::number(elapsed)));
}

void tst_InternalClient::slowServerWithinTimeout()
{
    FakeServer server;
    QVERIFY(server.listen());
    constexpr int delayMs = 150;
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect()) {
            connection.acceptConnect(message);
            return;
        }
        QTimer::singleShot(delayMs, &connection, [&connection, message] {
            connection.answerStatus(message, "late but fine");
        });
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    QSignalSpy answered(client.get(), &InternalClient::statusAnswered);
    QSignalSpy notices(client.get(), &InternalClient::notice);
    QCOMPARE(client->sendStatus("take your time", 3000), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, kWaitMs);
    QCOMPARE(answered.first().at(0).toByteArray(), "late but fine");
    QVERIFY(answered.first().at(1).toDouble() >= delayMs - 1);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(notices.size(), 0);
}

void tst_InternalClient::trickledBytes()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setWriteMode(FakeConnection::WriteMode::Trickle);
    auto client = connectedClient(server);
    QVERIFY(client);
    QSignalSpy received(client.get(), &InternalClient::frameReceived);
    const QByteArray status(60, 's');
    QVERIFY(exchange(*client, status, 5000));
    QVERIFY(exchange(*client, "second", 5000));
    QByteArray command;
    QCOMPARE(client->command(&command), Error::NoError);
    QCOMPARE(command, "ack:second");
    QCOMPARE(received.size(), 2);
    QCOMPARE(server.connectionCount(), 1);
}

void tst_InternalClient::largeStatusGoesOutWhole()
{
    // Far more than a loopback socket's send buffer takes at once: the rest of the frame must
    // follow as the gateway reads it, byte for byte, and the next status after it.
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    QByteArray status(8 * 1024 * 1024, 'x');
    for (qsizetype i = 0; i < status.size(); i += 4096)
        status[i] = char('a' + (i / 4096) % 26);
    // 8 MiB each way is slow under the sanitizers: more than the usual 1 s answer timeout.
    QVERIFY(exchange(*client, status, kWaitMs / 2));
    QVERIFY(exchange(*client, "small after large"));
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({status, "small after large"}));
    QCOMPARE(client->state(), State::Connected);
}

void tst_InternalClient::severalFramesInOneWrite()
{
    FakeServer server;
    QVERIFY(server.listen());
    // Connect response + a pushed command in one write; later an answer + a push in one.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        const DeviceIdentity device = FakeServer::deviceOf(message);
        if (message.has_deviceconnect())
            connection.sendRaw(frameOf(FakeServer::connectResponse(Response::OK, device)) +
                               frameOf(FakeServer::command(device, "push 1")));
        else
            connection.sendRaw(frameOf(FakeServer::command(device, "answer")) +
                               frameOf(FakeServer::command(device, "push 2")));
    });
    InternalClient client;
    client.setSettings(testSettings());
    SignalLog log(&client);
    client.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(log.only("command:").size(), 1, kWaitMs);
    QVERIFY(client.sendStatus("s", kStatusTimeoutMs) == Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(log.only("command:").size(), 3, kWaitMs);
    QCOMPARE(log.lines,
             QStringList({"state:Connecting", "state:Handshaking", "state:Connected", "connected",
                          "command:pushed:push 1", "state:AwaitingCommand", "state:Connected",
                          "command:answer:answer", "answered:answer", "command:pushed:push 2"}));
    QByteArray command;
    QCOMPARE(client.command(&command), Error::NoError);
    QCOMPARE(command, "push 2");
}

// A slot of statusAnswered that sends the next status at once (as fleet-device does): commands
// that came in the same read as the answer were on their way before that status was written,
// so they are pushed, and the next status waits for its own answer.
void tst_InternalClient::commandsReadBeforeAStatusAreNotItsAnswer_data()
{
    QTest::addColumn<int>("pushesBehindAnswer");
    QTest::newRow("one push behind the answer") << 1;
    QTest::newRow("two pushes behind the answer") << 2;
}

void tst_InternalClient::commandsReadBeforeAStatusAreNotItsAnswer()
{
    QFETCH(int, pushesBehindAnswer);
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([&](FakeConnection& connection, const Message& message) {
        const DeviceIdentity device = FakeServer::deviceOf(message);
        if (message.has_deviceconnect()) {
            connection.sendRaw(frameOf(FakeServer::connectResponse(Response::OK, device)));
            return;
        }
        const QByteArray status = QByteArray::fromStdString(message.devicestatus().statusdata());
        QByteArray bytes = frameOf(FakeServer::command(device, "answer:" + status));
        if (status == "first") {
            for (int i = 1; i <= pushesBehindAnswer; ++i)
                bytes += frameOf(FakeServer::command(device, "push " + QByteArray::number(i)));
        }
        connection.sendRaw(bytes);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    connect(client.get(), &InternalClient::statusAnswered, this, [&](const QByteArray& command) {
        if (command == "answer:first")
            QCOMPARE(client->sendStatus("second", kStatusTimeoutMs), Error::NoError);
    });
    QCOMPARE(client->sendStatus("first", kStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(log.only("answered:").size(), 2, kWaitMs);
    QStringList expected = {"state:AwaitingCommand", "state:Connected",
                            "command:answer:answer:first", "answered:answer:first",
                            "state:AwaitingCommand"};
    for (int i = 1; i <= pushesBehindAnswer; ++i)
        expected << QStringLiteral("command:pushed:push %1").arg(i);
    expected << "state:Connected"
             << "command:answer:answer:second"
             << "answered:answer:second";
    QCOMPARE(log.lines, expected);
}

void tst_InternalClient::reconnectFails()
{
    FakeServer server;
    QVERIFY(server.listen());
    // Drops the device after its status and stops listening: the reconnect is refused.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect()) {
            connection.acceptConnect(message);
            return;
        }
        server.stopListening();
        connection.close();
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    QSignalSpy errors(client.get(), &InternalClient::errorOccurred);
    QCOMPARE(client->sendStatus("s", kStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    // The last error is the reconnect's, not the closed connection's.
    QCOMPARE(errors.first().at(0).value<Error>(), Error::ConnectionRefused);
    QCOMPARE(client->state(), State::Destroyed);
    QCOMPARE(server.statusPayloads().size(), 1);
}

void tst_InternalClient::reconnectRejectedByConnectResponse()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect() && connection.index() == 0)
            connection.acceptConnect(message);
        else if (message.has_deviceconnect()) // meanwhile another device took the slot
            connection.sendConnectResponse(Response::HIGHER_PRIORITY_ALREADY_CONNECTED,
                                           FakeServer::deviceOf(message));
        else
            connection.close();
    });
    auto settings = testSettings();
    settings.resendAttempts = 3; // a rejection stops the rounds at once
    auto client = connectedClient(server, settings);
    QVERIFY(client);
    QSignalSpy errors(client.get(), &InternalClient::errorOccurred);
    QCOMPARE(client->sendStatus("s", kStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), Error::HigherPriorityAlreadyConnected);
    QCOMPARE(client->state(), State::Destroyed);
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(server.statusPayloads().size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!server.connection(1)->isOpen(), kWaitMs);
}

void tst_InternalClient::refusedPort_data()
{
    QTest::addColumn<int>("attempts");
    QTest::newRow("one attempt") << 1;
    QTest::newRow("three attempts") << 3;
}

void tst_InternalClient::refusedPort()
{
    QFETCH(int, attempts);
    quint16 port = 0;
    {
        FakeServer closed; // a port that was just free: nothing listens there now
        QVERIFY(closed.listen());
        port = closed.port();
    }
    InternalClient client;
    auto settings = testSettings();
    settings.connectAttempts = attempts;
    client.setSettings(settings);
    QSignalSpy errors(&client, &InternalClient::errorOccurred);
    QSignalSpy notices(&client, &InternalClient::notice);
    client.connectToServer("127.0.0.1", port, testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), Error::ConnectionRefused);
    QCOMPARE(client.state(), State::Destroyed);
    QCOMPARE(notices.size(), attempts - 1); // one line per failed attempt that is retried
    QVERIFY2(client.errorString().contains(QString::number(port)),
             qPrintable(client.errorString()));
}

void tst_InternalClient::connectAttemptsSucceedLater_data()
{
    QTest::addColumn<bool>("silent"); // failed attempts: silent (timeout) or closed at once
    QTest::addColumn<int>("failures");
    QTest::newRow("two closed at once, then accepted") << false << 2;
    QTest::newRow("one silent, then accepted") << true << 1;
}

void tst_InternalClient::connectAttemptsSucceedLater()
{
    QFETCH(bool, silent);
    QFETCH(int, failures);
    FakeServer server;
    QVERIFY(server.listen());
    // Failed attempts: the connect is never answered, and closed at once unless silent.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (connection.index() >= failures)
            server.behaveAsGateway(connection, message);
        else if (!silent)
            connection.close();
    });
    auto settings = testSettings();
    settings.connectTimeoutMs = 700;
    settings.connectAttempts = failures + 1;
    InternalClient client;
    client.setSettings(settings);
    SignalLog log(&client);
    client.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kWaitMs);
    QCOMPARE(server.connectionCount(), failures + 1);
    QCOMPARE(log.notices.filter("connect attempt").size(), failures);
    QCOMPARE(log.only("connected").size(), 1);
    QVERIFY(exchange(client, "finally"));

    // The same server with one attempt too few fails.
    InternalClient impatient;
    settings.connectAttempts = failures;
    impatient.setSettings(settings);
    QSignalSpy errors(&impatient, &InternalClient::errorOccurred);
    server.setScript([&](FakeConnection& connection, const Message&) {
        if (!silent)
            connection.close();
    });
    impatient.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(),
             silent ? Error::ServerTookTooLong : Error::CommunicationError);
}

void tst_InternalClient::pushedCommandBetweenStatuses()
{
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QVERIFY(exchange(*client, "one"));
    server.connection(0)->sendCommand(testDevice(), "pushed!");
    QTRY_COMPARE_WITH_TIMEOUT(log.only("command:").size(), 2, kWaitMs);
    QByteArray command;
    QCOMPARE(client->command(&command), Error::NoError);
    QCOMPARE(command, "pushed!");
    QCOMPARE(client->state(), State::Connected);
    QVERIFY(exchange(*client, "two"));
    QCOMPARE(log.only("command:"), QStringList({"command:answer:ack:one", "command:pushed:pushed!",
                                                "command:answer:ack:two"}));
    QCOMPARE(log.only("answered:"), QStringList({"answered:ack:one", "answered:ack:two"}));
}

void tst_InternalClient::pushedCommandJustBeforeAnswer()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_devicestatus())
            connection.answerStatus(message, "pushed first");
        server.behaveAsGateway(connection, message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QCOMPARE(client->sendStatus("s", kStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(log.only("command:").size(), 2, kWaitMs);
    // Both count; the first completes the status (the protocol cannot tell them apart), the
    // second is reported as pushed and is the latest command.
    QCOMPARE(log.lines,
             QStringList({"state:AwaitingCommand", "state:Connected", "command:answer:pushed first",
                          "answered:pushed first", "command:pushed:ack:s"}));
    QByteArray command;
    QCOMPARE(client->command(&command), Error::NoError);
    QCOMPARE(command, "ack:s");
}

void tst_InternalClient::lateCommandBeforeConnectResponseIsSkipped()
{
    FakeServer server;
    QVERIFY(server.listen());
    // Connection 0 never answers the status in time; the late answer then arrives on
    // connection 1 before its connect response, as the reference gateway routes it.
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (connection.index() == 0 && message.has_devicestatus())
            return;
        if (connection.index() == 1 && message.has_deviceconnect())
            connection.sendCommand(FakeServer::deviceOf(message), "late answer");
        server.behaveAsGateway(connection, message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QSignalSpy received(client.get(), &InternalClient::frameReceived);
    QCOMPARE(client->sendStatus("s", kShortStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(log.only("answered:").size(), 1, kWaitMs);
    QCOMPARE(log.only("command:"), QStringList({"command:answer:ack:s"}));
    QVERIFY2(log.notices.filter("skipped").size() == 1, qPrintable(log.notices.join('\n')));
    QCOMPARE(received.size(), 3); // the skipped frame is still shown
    QCOMPARE(client->state(), State::Connected);
}

void tst_InternalClient::commandForAnotherDeviceIsAccepted()
{
    FakeServer server;
    QVERIFY(server.listen());
    DeviceIdentity other = testDevice();
    other.role = "somebody";
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_devicestatus())
            connection.sendCommand(other, "for you anyway");
        else
            connection.acceptConnect(message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QVERIFY(exchange(*client, "s"));
    QCOMPARE(log.only("answered:"), QStringList({"answered:for you anyway"}));
    QVERIFY2(log.notices.filter("somebody").size() == 1, qPrintable(log.notices.join('\n')));
}

void tst_InternalClient::emptyCommand()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setAnswerFor([](const QByteArray&) { return QByteArray(); });
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QVERIFY(exchange(*client, "anything new?"));
    server.connection(0)->sendCommand(testDevice(), QByteArray());
    QTRY_COMPARE_WITH_TIMEOUT(log.only("command:").size(), 2, kWaitMs);
    QCOMPARE(log.only("command:"), QStringList({"command:answer::empty", "command:pushed::empty"}));
    QByteArray command = "not yet read";
    QCOMPARE(client->command(&command), Error::NoError); // the latest, even when empty
    QVERIFY(command.isEmpty());
}

// Choice (docs/protocol.md#client-contract, the Python reference): a close while idle does not
// destroy the client; the next status reconnects first, and that reconnect is its resend round.
void tst_InternalClient::idleCloseReconnectsOnNextStatus()
{
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    SignalLog log(client.get());
    QVERIFY(exchange(*client, "first"));
    server.connection(0)->close();
    QTRY_COMPARE_WITH_TIMEOUT(log.notices.size(), 1, kWaitMs);
    QVERIFY2(log.notices.first().contains("idle"), qPrintable(log.notices.first()));
    QCOMPARE(client->state(), State::Connected);
    QCOMPARE(log.only("error:").size(), 0);
    QVERIFY(exchange(*client, "second"));
    QCOMPARE(server.connectionCount(), 2);
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({"first", "second"}));
    QCOMPARE(log.only("state:"),
             QStringList({"state:AwaitingCommand", "state:Connected", "state:Reconnecting",
                          "state:AwaitingCommand", "state:Connected"}));

    // Without resend rounds the lazily noticed close fails the next status.
    auto settings = testSettings();
    settings.resendAttempts = 0;
    auto strict = connectedClient(server, settings);
    QVERIFY(strict);
    QSignalSpy errors(strict.get(), &InternalClient::errorOccurred);
    QSignalSpy notices(strict.get(), &InternalClient::notice);
    server.connection(2)->close();
    QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 1, kWaitMs);
    QCOMPARE(strict->sendStatus("x", kStatusTimeoutMs), Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, kWaitMs);
    QCOMPARE(errors.first().at(0).value<Error>(), Error::CommunicationError);
}

void tst_InternalClient::usageErrors()
{
    FakeServer server;
    QVERIFY(server.listen());
    server.setScript([](FakeConnection& connection, const Message& message) {
        if (message.has_deviceconnect())
            connection.acceptConnect(message); // statuses stay unanswered
    });
    InternalClient client;
    client.setSettings(testSettings());
    QCOMPARE(client.sendStatus("too early", 100), Error::NotConnected);
    QCOMPARE(client.connectToServer("127.0.0.1", server.port(), testDevice()), Error::NoError);
    QCOMPARE(client.sendStatus("still early", 100), Error::NotConnected);
    QCOMPARE(client.connectToServer("127.0.0.1", server.port(), testDevice()), Error::NotConnected);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kWaitMs);
    QCOMPARE(client.sendStatus("first", 5000), Error::NoError);
    QCOMPARE(client.sendStatus("pipelined", 5000), Error::StatusPending);
    QCOMPARE(client.state(), State::AwaitingCommand);
    QTRY_COMPARE_WITH_TIMEOUT(server.statusPayloads().size(), 1, kWaitMs);
    QCOMPARE(server.statusPayloads(), QList<QByteArray>({"first"}));
    for (Error usage : {Error::NotConnected, Error::StatusPending, Error::InvalidTimeout})
        QCOMPARE(InternalClient::errorFamily(usage), InternalClient::ErrorFamily::Usage);
}

void tst_InternalClient::negativeTimeout()
{
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    QSignalSpy sent(client.get(), &InternalClient::frameSent);
    QSignalSpy states(client.get(), &InternalClient::stateChanged);
    QCOMPARE(client->sendStatus("s", -1), Error::InvalidTimeout);
    QCOMPARE(client->state(), State::Connected); // a usage error changes nothing
    QCOMPARE(client->error(), Error::NoError);
    QCOMPARE(sent.size(), 0);
    QCOMPARE(states.size(), 0);
    QVERIFY(exchange(*client, "s", 1000));
}

void tst_InternalClient::noCommandBeforeAnswer()
{
    InternalClient fresh;
    QByteArray command = "untouched";
    QCOMPARE(fresh.command(&command), Error::NoCommand);
    QCOMPARE(command, "untouched");
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    QCOMPARE(client->command(&command), Error::NoCommand);
    QCOMPARE(client->sendStatus("s", kStatusTimeoutMs), Error::NoError);
    QCOMPARE(client->command(&command), Error::NoCommand); // sent, not answered yet
    QTRY_COMPARE_WITH_TIMEOUT(client->command(&command), Error::NoError, kWaitMs);
    QCOMPARE(command, "ack:s");
}

void tst_InternalClient::callsAfterDestroy_data()
{
    QTest::addColumn<bool>("byError");
    QTest::newRow("destroyed by the application") << false;
    QTest::newRow("destroyed by an error") << true;
}

void tst_InternalClient::callsAfterDestroy()
{
    QFETCH(bool, byError);
    FakeServer server;
    QVERIFY(server.listen());
    auto client = connectedClient(server);
    QVERIFY(client);
    QVERIFY(exchange(*client, "s"));
    if (byError) {
        server.stopListening();
        server.setScript([](FakeConnection& connection, const Message&) { connection.abort(); });
        QCOMPARE(client->sendStatus("dropped", kStatusTimeoutMs), Error::NoError);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), State::Destroyed, kWaitMs);
        QCOMPARE(client->error(), Error::ConnectionRefused);
    } else {
        client->destroy();
        QCOMPARE(client->error(), Error::NoError);
        QTRY_VERIFY_WITH_TIMEOUT(!server.connection(0)->isOpen(), kWaitMs);
    }
    QSignalSpy states(client.get(), &InternalClient::stateChanged);
    QByteArray command;
    QCOMPARE(client->sendStatus("s", 100), Error::ContextDestroyed);
    QCOMPARE(client->sendStatus("s", -1), Error::ContextDestroyed);
    QCOMPARE(client->command(&command), Error::ContextDestroyed);
    QCOMPARE(client->connectToServer("127.0.0.1", server.port(), testDevice()),
             Error::ContextDestroyed);
    client->destroy(); // idempotent
    QCOMPARE(client->state(), State::Destroyed);
    QCOMPARE(states.size(), 0);
}

void tst_InternalClient::noSignalsAfterDestroy()
{
    FakeServer server;
    QVERIFY(server.listen());
    // A second client is the witness: the server leaves its status unanswered.
    server.setScript([&server](FakeConnection& connection, const Message& message) {
        if (!(message.has_devicestatus() && connection.index() == 1))
            server.behaveAsGateway(connection, message);
    });
    auto client = connectedClient(server);
    QVERIFY(client);
    fleet::ClientSettings witnessSettings = testSettings();
    witnessSettings.resendAttempts = 0; // its timeout is reported at once
    auto witness = connectedClient(server, witnessSettings);
    QVERIFY(witness);
    SignalLog log(client.get());
    QSignalSpy frames(client.get(), &InternalClient::frameReceived);
    constexpr int statusTimeoutMs = 100;
    QCOMPARE(client->sendStatus("s", statusTimeoutMs), Error::NoError);
    client->destroy(); // while the answer is on its way
    QCOMPARE(log.lines, QStringList({"state:AwaitingCommand", "state:Destroyed"}));
    server.connection(0)->sendCommand(testDevice(), "pushed after destroy");
    // Asserting an absence by an event that must come later: the witness's status timeout
    // (twice as long, started after the destroy) fires after the destroyed client's would
    // have, which must have been stopped.
    QSignalSpy witnessFailed(witness.get(), &InternalClient::errorOccurred);
    QCOMPARE(witness->sendStatus("unanswered", 2 * statusTimeoutMs), Error::NoError);
    QVERIFY(witnessFailed.wait(kWaitMs));
    QCOMPARE(witness->error(), Error::ServerTookTooLong);
    QTRY_VERIFY_WITH_TIMEOUT(!server.connection(0)->isOpen(), kWaitMs); // closed by destroy()
    QCOMPARE(log.lines, QStringList({"state:AwaitingCommand", "state:Destroyed"}));
    QCOMPARE(frames.size(), 0);
    QCOMPARE(client->error(), Error::NoError);
}

// The documented lifetime rule: deleteLater() from a slot connected to the client's signals.
void tst_InternalClient::deleteLaterFromOwnSignal_data()
{
    QTest::addColumn<QString>("signal");
    QTest::newRow("connected") << "connected";
    QTest::newRow("frameReceived") << "frameReceived";
    QTest::newRow("commandReceived") << "commandReceived";
    QTest::newRow("statusAnswered") << "statusAnswered";
    QTest::newRow("errorOccurred") << "errorOccurred";
    QTest::newRow("stateChanged to Destroyed") << "destroyedState";
    QTest::newRow("notice of a reconnect") << "notice";
}

void tst_InternalClient::deleteLaterFromOwnSignal()
{
    QFETCH(QString, signal);
    FakeServer server;
    QVERIFY(server.listen());
    const bool failing = signal == "errorOccurred" || signal == "destroyedState";
    server.setScript([&](FakeConnection& connection, const Message& message) {
        if (message.has_devicestatus() && failing)
            server.stopListening(); // the resend's reconnect is refused: the client fails
        if (message.has_devicestatus() &&
            (failing || (signal == "notice" && connection.index() == 0))) {
            connection.close();
            return;
        }
        server.behaveAsGateway(connection, message);
    });
    auto* client = new InternalClient;
    client->setSettings(testSettings());
    QPointer<InternalClient> alive(client);
    auto remove = [client] { client->deleteLater(); };
    if (signal == "connected")
        connect(client, &InternalClient::connected, this, remove);
    else if (signal == "frameReceived")
        connect(client, &InternalClient::frameReceived, this, remove);
    else if (signal == "commandReceived")
        connect(client, &InternalClient::commandReceived, this, remove);
    else if (signal == "statusAnswered")
        connect(client, &InternalClient::statusAnswered, this, remove);
    else if (signal == "errorOccurred")
        connect(client, &InternalClient::errorOccurred, this, remove);
    else if (signal == "notice")
        connect(client, &InternalClient::notice, this, remove);
    else
        connect(client, &InternalClient::stateChanged, this, [client](State state) {
            if (state == State::Destroyed)
                client->deleteLater();
        });
    // The connect response is the first frame received; statuses need a connected client.
    connect(
        client, &InternalClient::connected, client,
        [client] { client->sendStatus("s", kStatusTimeoutMs); }, Qt::QueuedConnection);
    client->connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_VERIFY_WITH_TIMEOUT(alive.isNull(), kWaitMs);
    // Run any deferred deletion of a retired socket: a use-after-free would crash here.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
    QVERIFY(server.connectionCount() >= 1);
}

void tst_InternalClient::framesCarryExactBytes()
{
    FakeServer server;
    QVERIFY(server.listen());
    InternalClient client;
    client.setSettings(testSettings());
    QSignalSpy sent(&client, &InternalClient::frameSent);
    QSignalSpy received(&client, &InternalClient::frameReceived);
    client.connectToServer("127.0.0.1", server.port(), testDevice());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Connected, kWaitMs);
    QVERIFY(exchange(client, QByteArray("\x00\x01 binary \xff", 12)));
    server.connection(0)->sendCommand(testDevice(), "push");
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 3, kWaitMs);

    QList<QByteArray> sentFrames, receivedFrames;
    for (const auto& arguments : sent)
        sentFrames << arguments.at(0).toByteArray();
    for (const auto& arguments : received)
        receivedFrames << arguments.at(0).toByteArray();
    QCOMPARE(sentFrames, server.receivedFrames());
    QCOMPARE(receivedFrames, server.sentFrames());
    // Whole frames with their header, and the status carries exactly the connect's device.
    QCOMPARE(fleet::decodeFrameLength(sentFrames.at(1)), quint32(sentFrames.at(1).size() - 4));
    Message status;
    QVERIFY(
        status.ParseFromArray(sentFrames.at(1).constData() + 4, int(sentFrames.at(1).size() - 4)));
    QCOMPARE(DeviceIdentity::fromProto(status.devicestatus().device()), testDevice());
    QCOMPARE(QByteArray::fromStdString(status.devicestatus().statusdata()),
             QByteArray("\x00\x01 binary \xff", 12));
}

void tst_InternalClient::errorWords()
{
    const QMetaEnum errors = QMetaEnum::fromType<Error>();
    QSet<QString> sentences;
    for (int i = 0; i < errors.keyCount(); ++i) {
        const auto error = Error(errors.value(i));
        QCOMPARE(InternalClient::errorName(error), QString::fromLatin1(errors.key(i)));
        const QString sentence = InternalClient::errorSentence(error);
        QVERIFY2(!sentence.isEmpty(), errors.key(i));
        sentences.insert(sentence);
    }
    QCOMPARE(sentences.size(), errors.keyCount()); // every error has its own sentence
    QCOMPARE(InternalClient::errorName(Error::ServerTookTooLong), "ServerTookTooLong");
    QCOMPARE(InternalClient::familyName(InternalClient::errorFamily(Error::ConnectionRefused)),
             "communication");
    QCOMPARE(InternalClient::familyName(InternalClient::errorFamily(Error::AlreadyConnected)),
             "connect");
    QCOMPARE(InternalClient::familyName(InternalClient::errorFamily(Error::NoCommand)), "usage");
    QCOMPARE(InternalClient::familyName(InternalClient::errorFamily(Error::NoError)), "none");
    QCOMPARE(InternalClient::errorFamily(Error::FrameTooLarge),
             InternalClient::ErrorFamily::Communication);
    QCOMPARE(InternalClient::stateName(State::AwaitingCommand), "AwaitingCommand");
    QVERIFY(InternalClient::errorSentence(Error::CommunicationError)
                .contains("rejected this status payload"));
    QVERIFY(
        InternalClient::errorSentence(Error::AlreadyConnected)
            .contains("same module, type and role is already connected with the same priority"));
}

QTEST_GUILESS_MAIN(tst_InternalClient)
#include "tst_internalclient.moc"
