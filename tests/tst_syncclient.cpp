#include "syncclient.h"

#include "fakeserver.h"
#include "frames.h"
#include "identities.h"

#include <limits>

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

using fleet::DeviceIdentity;
using namespace fleet::test; // the shared fake server, frame builders and identities
using Message = InternalProtocol::InternalClient;
using Error = fleet::InternalClient::Error;
namespace syncapi = fleet::sync; // plain "sync" would clash with POSIX sync()

namespace {

// Generous against a loaded 2-core machine: the fake server answers in well under 5 ms.
constexpr double kStatusTimeoutS = 0.4;
constexpr int kConnectTimeoutMs = 600;

// What the scripted server does with one DeviceConnect or one DeviceStatus.
enum class Reply {
    Default,          // connect: OK; status: command "cmd:<status>"
    AlreadyConnected, // connect response types 1..4
    ModuleNotSupported,
    DeviceNotSupported,
    HigherPriorityAlreadyConnected,
    UnknownResponseType, // responseType 9
    OtherDevice,         // OK / command naming another device
    OtherPriority,       // OK naming the device with another priority
    WrongMessage,        // status answered by a DeviceConnectResponse
    EmptyCommand,        // command with empty commandData ("nothing new")
    EmptyFrame,          // a zero-length frame: neither field set
    Garbage,             // a frame that does not parse as InternalServer
    HugeFrame,           // a header announcing 4 GiB - 1
    Silent,              // nothing at all
    Close,               // close the connection without answering
    HalfFrameThenClose,  // the first 9 bytes of the default answer, then close
    Late,                // the default answer, 150 ms later
    AnswerThenPush,      // the default answer, then an unasked command "pushed"
};

DeviceIdentity testDevice()
{
    return fleet::test::button(QStringLiteral("button"), 3, QStringLiteral("sync-test"));
}

fleet::ClientSettings testSettings()
{
    fleet::ClientSettings settings;
    settings.connectTimeoutMs = kConnectTimeoutMs;
    return settings;
}

// The shared fake server, scripted per connect and per status in order: the sync client's
// local event loop serves it while a blocking call waits. When a script runs out the server
// behaves like a healthy gateway (answers "cmd:<status>").
class ScriptedServer {
public:
    ScriptedServer()
    {
        QVERIFY(m_server.listen());
        m_server.setWriteMode(FakeConnection::WriteMode::SingleWrite);
        m_server.setScript([this](FakeConnection& connection, const Message& message) {
            reply(connection, message);
        });
    }

    quint16 port() const { return m_server.port(); }
    int connections() const { return m_server.connectionCount(); }
    QList<QByteArray> statuses() const { return m_server.statusPayloads(); }

    QList<Reply> connectReplies;
    QList<Reply> statusReplies;

private:
    static Reply takeNext(QList<Reply>& script)
    {
        return script.isEmpty() ? Reply::Default : script.takeFirst();
    }

    static DeviceIdentity otherDevice(DeviceIdentity device)
    {
        device.role += QStringLiteral("-other");
        return device;
    }

    void reply(FakeConnection& connection, const Message& message)
    {
        const bool isConnect = message.has_deviceconnect();
        const Reply what = takeNext(isConnect ? connectReplies : statusReplies);
        const DeviceIdentity device = deviceOf(message);
        const QByteArray status = QByteArray::fromStdString(message.devicestatus().statusdata());
        const auto defaultReply =
            isConnect ? connectResponseMessage(device) : commandMessage(device, "cmd:" + status);
        switch (what) {
        case Reply::Default:
            connection.sendMessage(defaultReply);
            break;
        case Reply::AlreadyConnected:
            connection.sendMessage(connectResponseMessage(device, 1));
            break;
        case Reply::ModuleNotSupported:
            connection.sendMessage(connectResponseMessage(device, 2));
            break;
        case Reply::DeviceNotSupported:
            connection.sendMessage(connectResponseMessage(device, 3));
            break;
        case Reply::HigherPriorityAlreadyConnected:
            connection.sendMessage(connectResponseMessage(device, 4));
            break;
        case Reply::UnknownResponseType:
            connection.sendMessage(connectResponseMessage(device, 9));
            break;
        case Reply::OtherDevice:
            connection.sendMessage(isConnect
                                       ? connectResponseMessage(otherDevice(device))
                                       : commandMessage(otherDevice(device), "cmd:" + status));
            break;
        case Reply::OtherPriority: {
            DeviceIdentity other = device;
            other.priority += 1;
            connection.sendMessage(connectResponseMessage(other));
            break;
        }
        case Reply::HalfFrameThenClose:
            connection.sendRaw(frameOf(defaultReply).first(9));
            connection.close();
            break;
        case Reply::WrongMessage:
            connection.sendMessage(connectResponseMessage(device));
            break;
        case Reply::EmptyCommand:
            connection.sendMessage(commandMessage(device, {}));
            break;
        case Reply::EmptyFrame:
            connection.sendBody(QByteArray());
            break;
        case Reply::Garbage:
            connection.sendBody(garbageBody());
            break;
        case Reply::HugeFrame:
            connection.sendRaw(headerAnnouncing(0xffffffffu));
            break;
        case Reply::Silent:
            break;
        case Reply::Close:
            connection.close();
            break;
        case Reply::AnswerThenPush:
            connection.sendRaw(frameOf(defaultReply) + frameOf(commandMessage(device, "pushed")));
            break;
        case Reply::Late:
            connection.sendMessageAfter(150, defaultReply);
            break;
        }
    }

    FakeServer m_server;
};

// What a blocking call threw, seen the ways a caller can catch it.
struct Outcome {
    bool thrown = false;
    Error error = Error::NoError;
    QString what;
    QString family; // "connect", "communication", "other" (by the catching base class)
    bool exactClass = false;
};

// The class each error must arrive as, checked independently of throwError()'s switch.
bool hasClassFor(const syncapi::Exception& e, Error error)
{
    switch (error) {
    case Error::AlreadyConnected:
        return dynamic_cast<const syncapi::AlreadyConnected*>(&e);
    case Error::ModuleNotSupported:
        return dynamic_cast<const syncapi::ModuleNotSupported*>(&e);
    case Error::DeviceNotSupported:
        return dynamic_cast<const syncapi::DeviceNotSupported*>(&e);
    case Error::HigherPriorityAlreadyConnected:
        return dynamic_cast<const syncapi::HigherPriorityAlreadyConnected*>(&e);
    case Error::ConnectionRefused:
        return dynamic_cast<const syncapi::ConnectionRefused*>(&e);
    case Error::CommunicationError:
        return dynamic_cast<const syncapi::CommunicationError*>(&e);
    case Error::ServerTookTooLong:
        return dynamic_cast<const syncapi::ServerTookTooLong*>(&e);
    case Error::DeviceIncorrect:
        return dynamic_cast<const syncapi::DeviceIncorrect*>(&e);
    case Error::CommandIncorrect:
        return dynamic_cast<const syncapi::CommandIncorrect*>(&e);
    case Error::FrameTooLarge:
        return dynamic_cast<const syncapi::FrameTooLarge*>(&e);
    case Error::NoCommand:
        return dynamic_cast<const syncapi::NoCommand*>(&e);
    case Error::ContextDestroyed:
        return dynamic_cast<const syncapi::ContextDestroyed*>(&e);
    case Error::InvalidTimeout:
        return dynamic_cast<const syncapi::InvalidTimeout*>(&e);
    case Error::NoError:
    case Error::NotConnected:
    case Error::StatusPending:
        return typeid(e) == typeid(syncapi::Exception);
    }
    return false;
}

template <typename Call> Outcome run(Call&& call)
{
    Outcome outcome;
    const auto record = [&outcome](const syncapi::Exception& e, const char* family) {
        outcome.thrown = true;
        outcome.error = e.error();
        outcome.what = QString::fromUtf8(e.what());
        outcome.family = QString::fromLatin1(family);
        outcome.exactClass = hasClassFor(e, e.error());
    };
    try {
        call();
    } catch (const syncapi::ConnectException& e) {
        record(e, "connect");
    } catch (const syncapi::CommunicationException& e) {
        record(e, "communication");
    } catch (const syncapi::Exception& e) {
        record(e, "other");
    }
    return outcome;
}

QString familyOf(Error error)
{
    switch (fleet::InternalClient::errorFamily(error)) {
    case fleet::InternalClient::ErrorFamily::Connect:
        return QStringLiteral("connect");
    case fleet::InternalClient::ErrorFamily::Communication:
        return QStringLiteral("communication");
    default:
        return QStringLiteral("other");
    }
}

// Evaluates `outcome` once: it may be a run(...) call.
#define VERIFY_OUTCOME(outcome, expected)                                                          \
    do {                                                                                           \
        const Outcome got = (outcome);                                                             \
        QVERIFY2(got.thrown, "no exception was thrown");                                           \
        QCOMPARE(got.error, expected);                                                             \
        QVERIFY2(got.exactClass, qPrintable("wrong class for " + got.what));                       \
        QCOMPARE(got.family, familyOf(expected));                                                  \
        QVERIFY2(got.what.startsWith(fleet::InternalClient::errorName(expected) + ": "),           \
                 qPrintable(got.what));                                                            \
    } while (false)

} // namespace

Q_DECLARE_METATYPE(Reply)

class tst_SyncClient : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();

    void everyErrorHasItsClass_data();
    void everyErrorHasItsClass();

    void connectFails_data();
    void connectFails();
    void refusedPort();

    void normalExchange();
    void emptyCommandIsAnAnswer();
    void pushedCommandBecomesLatest();
    void commandBeforeAnswer();
    void statusFails_data();
    void statusFails();
    void failingCallIsBounded();
    void reconnectAndResendSucceeds();

    void invalidTimeout_data();
    void invalidTimeout();
    void afterDestroy();
    void destroyDuringWait();
    void reentrantCallIsRefused();
};

void tst_SyncClient::initTestCase()
{
    qRegisterMetaType<Reply>();
}

void tst_SyncClient::everyErrorHasItsClass_data()
{
    QTest::addColumn<Error>("error");
    const QMetaEnum errors = QMetaEnum::fromType<Error>();
    for (int i = 0; i < errors.keyCount(); ++i) {
        const auto error = Error(errors.value(i));
        if (error != Error::NoError)
            QTest::newRow(errors.key(i)) << error;
    }
}

void tst_SyncClient::everyErrorHasItsClass()
{
    QFETCH(Error, error);
    const Outcome outcome =
        run([error] { syncapi::throwError(error, QStringLiteral("the detail")); });
    VERIFY_OUTCOME(outcome, error);
    QVERIFY2(outcome.what.endsWith(QStringLiteral("the detail")), qPrintable(outcome.what));
}

void tst_SyncClient::connectFails_data()
{
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<Error>("expected");
    QTest::newRow("already connected") << Reply::AlreadyConnected << Error::AlreadyConnected;
    QTest::newRow("module not supported") << Reply::ModuleNotSupported << Error::ModuleNotSupported;
    QTest::newRow("device not supported") << Reply::DeviceNotSupported << Error::DeviceNotSupported;
    QTest::newRow("higher priority connected")
        << Reply::HigherPriorityAlreadyConnected << Error::HigherPriorityAlreadyConnected;
    QTest::newRow("unknown response type")
        << Reply::UnknownResponseType << Error::CommunicationError;
    QTest::newRow("OK for another device") << Reply::OtherDevice << Error::DeviceIncorrect;
    QTest::newRow("OK for another priority") << Reply::OtherPriority << Error::DeviceIncorrect;
    QTest::newRow("empty frame") << Reply::EmptyFrame << Error::CommunicationError;
    QTest::newRow("garbage") << Reply::Garbage << Error::CommandIncorrect;
    QTest::newRow("frame above the cap") << Reply::HugeFrame << Error::FrameTooLarge;
    QTest::newRow("server silent") << Reply::Silent << Error::ServerTookTooLong;
    QTest::newRow("server closes") << Reply::Close << Error::CommunicationError;
    QTest::newRow("server closes mid-frame")
        << Reply::HalfFrameThenClose << Error::CommunicationError;
}

void tst_SyncClient::connectFails()
{
    QFETCH(Reply, reply);
    QFETCH(Error, expected);
    ScriptedServer server;
    server.connectReplies = {reply};
    const Outcome outcome = run([&server] {
        syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                       testSettings());
    });
    VERIFY_OUTCOME(outcome, expected);
    QCOMPARE(server.connections(), 1); // one attempt by default, no retry after a connect error
}

void tst_SyncClient::refusedPort()
{
    quint16 port = 0;
    {
        QTcpServer closed; // a port that was free a moment ago and has no listener now
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        port = closed.serverPort();
    }
    const Outcome outcome = run([port] {
        syncapi::InternalClient client(QStringLiteral("127.0.0.1"), port, testDevice(),
                                       testSettings());
    });
    VERIFY_OUTCOME(outcome, Error::ConnectionRefused);
}

void tst_SyncClient::normalExchange()
{
    ScriptedServer server;
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    QCOMPARE(server.connections(), 1);
    QCOMPARE(client.device(), testDevice());
    for (const QByteArray& status : {QByteArray("{\"pressed\": true}"), QByteArray("second")}) {
        client.sendStatus(status, kStatusTimeoutS);
        QCOMPARE(client.command(), "cmd:" + status);
        QVERIFY(client.lastRoundTripMs() > 0.0);
    }
    QCOMPARE(server.statuses(), QList<QByteArray>({"{\"pressed\": true}", "second"}));
    QCOMPARE(server.connections(), 1);
    QVERIFY(!client.isDestroyed());
}

void tst_SyncClient::emptyCommandIsAnAnswer()
{
    ScriptedServer server;
    server.statusReplies = {Reply::Default, Reply::EmptyCommand};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    client.sendStatus("one", kStatusTimeoutS);
    QCOMPARE(client.command(), QByteArray("cmd:one"));
    // The seed's contract: the latest answer's bytes, even when empty
    // (docs/protocol.md#conversation).
    client.sendStatus("two", kStatusTimeoutS);
    QCOMPARE(client.command(), QByteArray());
}

void tst_SyncClient::pushedCommandBecomesLatest()
{
    ScriptedServer server;
    server.statusReplies = {Reply::AnswerThenPush};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    client.sendStatus("status", kStatusTimeoutS);
    // A command nobody asked for is the latest one as soon as the thread's events ran
    // (docs/protocol.md#conversation).
    QTRY_COMPARE(client.command(), QByteArray("pushed"));
    client.sendStatus("next", kStatusTimeoutS); // the pairing stays right after a push
    QCOMPARE(client.command(), QByteArray("cmd:next"));
}

void tst_SyncClient::commandBeforeAnswer()
{
    ScriptedServer server;
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    const Outcome outcome = run([&client] { client.command(); });
    VERIFY_OUTCOME(outcome, Error::NoCommand);
    QVERIFY(!client.isDestroyed()); // a usage error leaves the client as it was
    client.sendStatus("now", kStatusTimeoutS);
    QCOMPARE(client.command(), QByteArray("cmd:now"));
}

void tst_SyncClient::statusFails_data()
{
    QTest::addColumn<QList<Reply>>("statusReplies");
    QTest::addColumn<QList<Reply>>("connectReplies");
    QTest::addColumn<Error>("expected");
    QTest::addColumn<int>("statusesSent");
    // Each failure is followed by one reconnect-and-resend that fails the same way.
    const QList<Reply> ok;
    QTest::newRow("server silent")
        << QList{Reply::Silent, Reply::Silent} << ok << Error::ServerTookTooLong << 2;
    QTest::newRow("server closes")
        << QList{Reply::Close, Reply::Close} << ok << Error::CommunicationError << 2;
    QTest::newRow("connect response instead of command")
        << QList{Reply::WrongMessage, Reply::WrongMessage} << ok << Error::CommunicationError << 2;
    QTest::newRow("empty frame") << QList{Reply::EmptyFrame, Reply::EmptyFrame} << ok
                                 << Error::CommunicationError << 2;
    QTest::newRow("garbage") << QList{Reply::Garbage, Reply::Garbage} << ok
                             << Error::CommandIncorrect << 2;
    QTest::newRow("frame above the cap")
        << QList{Reply::HugeFrame, Reply::HugeFrame} << ok << Error::FrameTooLarge << 2;
    QTest::newRow("closes mid-frame") << QList{Reply::HalfFrameThenClose, Reply::HalfFrameThenClose}
                                      << ok << Error::CommunicationError << 2;
    QTest::newRow("silent, then closes")
        << QList{Reply::Silent, Reply::Close} << ok << Error::CommunicationError << 2;
    // A non-OK answer to the reconnect ends it at once with that connect error
    // (docs/protocol.md#client-contract).
    QTest::newRow("reconnect: already connected")
        << QList{Reply::Close} << QList{Reply::Default, Reply::AlreadyConnected}
        << Error::AlreadyConnected << 1;
    QTest::newRow("reconnect: higher priority connected")
        << QList{Reply::Silent} << QList{Reply::Default, Reply::HigherPriorityAlreadyConnected}
        << Error::HigherPriorityAlreadyConnected << 1;
    QTest::newRow("reconnect: module not supported")
        << QList{Reply::Close} << QList{Reply::Default, Reply::ModuleNotSupported}
        << Error::ModuleNotSupported << 1;
}

void tst_SyncClient::statusFails()
{
    QFETCH(QList<Reply>, statusReplies);
    QFETCH(QList<Reply>, connectReplies);
    QFETCH(Error, expected);
    QFETCH(int, statusesSent);
    ScriptedServer server;
    server.statusReplies = statusReplies;
    server.connectReplies = connectReplies;
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    const Outcome outcome = run([&client] { client.sendStatus("status", kStatusTimeoutS); });
    VERIFY_OUTCOME(outcome, expected);
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.statuses().size(), statusesSent);
    QVERIFY(client.isDestroyed()); // a client destroyed by an error must be created anew
    VERIFY_OUTCOME(run([&client] { client.command(); }), Error::ContextDestroyed);
    VERIFY_OUTCOME(run([&client] { client.sendStatus("again", 1); }), Error::ContextDestroyed);
}

void tst_SyncClient::failingCallIsBounded()
{
    // Silent server: answer wait, reconnect, answer wait again — then it must give up
    // (docs/protocol.md#client-contract: about 2 × timeout + connect timeout), never wait for the
    // socket to close.
    ScriptedServer server;
    server.statusReplies = {Reply::Silent, Reply::Silent};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    QElapsedTimer elapsed;
    elapsed.start();
    const Outcome outcome = run([&client] { client.sendStatus("status", kStatusTimeoutS); });
    const qint64 ms = elapsed.elapsed();
    VERIFY_OUTCOME(outcome, Error::ServerTookTooLong);
    const qint64 twoTimeouts = qint64(2 * kStatusTimeoutS * 1000);
    QVERIFY2(ms >= twoTimeouts - 100, qPrintable(QString::number(ms)));
    QVERIFY2(ms < twoTimeouts + kConnectTimeoutMs + 4000, qPrintable(QString::number(ms)));
}

void tst_SyncClient::reconnectAndResendSucceeds()
{
    ScriptedServer server;
    server.statusReplies = {Reply::Close};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    client.sendStatus("resent", kStatusTimeoutS);
    QCOMPARE(client.command(), QByteArray("cmd:resent"));
    QCOMPARE(server.connections(), 2);
    QCOMPARE(server.statuses(), QList<QByteArray>({"resent", "resent"}));
    QVERIFY(!client.isDestroyed());
    client.sendStatus("after", kStatusTimeoutS); // the new connection carries on
    QCOMPARE(client.command(), QByteArray("cmd:after"));
    QCOMPARE(server.connections(), 2);
}

void tst_SyncClient::invalidTimeout_data()
{
    QTest::addColumn<double>("timeout");
    QTest::newRow("negative") << -1.0;
    QTest::newRow("slightly negative") << -0.001;
    QTest::newRow("not a number") << std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("infinite") << std::numeric_limits<double>::infinity();
    QTest::newRow("beyond int milliseconds") << syncapi::kMaxTimeoutSeconds + 1;
}

void tst_SyncClient::invalidTimeout()
{
    QFETCH(double, timeout);
    ScriptedServer server;
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    const Outcome outcome = run([&client, timeout] { client.sendStatus("never sent", timeout); });
    VERIFY_OUTCOME(outcome, Error::InvalidTimeout);
    QVERIFY2(outcome.what.contains(QStringLiteral("timeout")), qPrintable(outcome.what));
    QVERIFY(!client.isDestroyed());
    QCOMPARE(server.statuses().size(), 0);
    client.sendStatus("valid", kStatusTimeoutS);
    QCOMPARE(client.command(), QByteArray("cmd:valid"));
}

void tst_SyncClient::afterDestroy()
{
    ScriptedServer server;
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    client.sendStatus("before", kStatusTimeoutS);
    client.destroy();
    client.destroy(); // idempotent
    QVERIFY(client.isDestroyed());
    VERIFY_OUTCOME(run([&client] { client.command(); }), Error::ContextDestroyed);
    VERIFY_OUTCOME(run([&client] { client.sendStatus("after", kStatusTimeoutS); }),
                   Error::ContextDestroyed);
    // A destroyed context is reported before a bad argument, as in the reference.
    VERIFY_OUTCOME(run([&client] { client.sendStatus("after", -1); }), Error::ContextDestroyed);
    QCOMPARE(server.statuses(), QList<QByteArray>({"before"}));
}

void tst_SyncClient::destroyDuringWait()
{
    ScriptedServer server;
    server.statusReplies = {Reply::Silent};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    QTimer::singleShot(50, [&client] { client.destroy(); });
    QElapsedTimer elapsed;
    elapsed.start();
    const Outcome outcome = run([&client] { client.sendStatus("status", 30.0); });
    VERIFY_OUTCOME(outcome, Error::ContextDestroyed);
    QVERIFY2(elapsed.elapsed() < 10000, "destroy() did not end the wait");
    QVERIFY(client.isDestroyed());
}

void tst_SyncClient::reentrantCallIsRefused()
{
    ScriptedServer server;
    server.statusReplies = {Reply::Late};
    syncapi::InternalClient client(QStringLiteral("127.0.0.1"), server.port(), testDevice(),
                                   testSettings());
    Outcome inner;
    QTimer::singleShot(20, [&client, &inner] {
        inner = run([&client] { client.sendStatus("inner", kStatusTimeoutS); });
    });
    client.sendStatus("outer", 2.0);
    VERIFY_OUTCOME(inner, Error::StatusPending);
    QCOMPARE(client.command(), QByteArray("cmd:outer"));
    QCOMPARE(server.statuses(), QList<QByteArray>({"outer"}));
}

QTEST_GUILESS_MAIN(tst_SyncClient)
#include "tst_syncclient.moc"
