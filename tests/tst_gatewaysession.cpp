// One device's conversation with the gateway (docs/protocol.md#conversation): drop rules, answers
// and their timing, invalid statuses, the operator's queue and pushes, and many devices at once.
#include "tst_gatewayhelpers.h"

#include "gatewayserver.h"
#include "modulecatalog.h"

#include <QElapsedTimer>
#include <QTest>

using namespace fleet;
using namespace fleet::test;
using Kind = GatewayEvent::Kind;
using Reason = GatewayEvent::Reason;
using Source = GatewayEvent::Source;

namespace {

const QByteArray kLitUp("{\"lit_up\": true}");
const QByteArray kDark("{\"lit_up\": false}");

} // namespace

class tst_GatewaySession : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void answersWithTheModulesCommand();
    void dropRule_data();
    void dropRule();
    void peerClosingMidFrameIsReported();
    void statusForAnotherDeviceGetsNoAnswer();
    void answerDelay_data();
    void answerDelay();
    void invalidStatusClosesWithoutAnswer();
    void queueComesFirst();
    void queuedCommandGoesThroughTheModule();
    void queueKeepsTheNewestThree();
    void queuedCommandBecomesTheModulesCurrentCommand();
    void pushReachesTheDevice();
    void pushNeedsAConnectedDevice();
    void emptyAnswers();
    void unknownModuleAnswersWithDefaultCommand_data();
    void unknownModuleAnswersWithDefaultCommand();
    void operatorDisconnect();
    void silentDeviceIsDropped();
    void deviceListShowsTraffic();
    void framesAreReportedWhole();
    void bodiesOfEverySizeArriveWhole_data();
    void bodiesOfEverySizeArriveWhole();
    void coalescedStatusesAreAllAnswered();
    void manyDevicesAtOnce();
    void closeDropsEveryone();
    void handlerMayDisconnectFromAnEvent();
    void eventTimesMatchQtFormatting_data();
    void eventTimesMatchQtFormatting();

private:
    std::unique_ptr<GatewayServer> m_server;
    std::unique_ptr<EventLog> m_log;
};

void tst_GatewaySession::init()
{
    m_server = std::make_unique<GatewayServer>();
    m_log = std::make_unique<EventLog>(m_server.get());
    QVERIFY2(m_server->listen(QHostAddress::LocalHost, 0), qPrintable(m_server->errorString()));
}

void tst_GatewaySession::cleanup()
{
    m_log.reset();
    m_server.reset();
}

void tst_GatewaySession::answersWithTheModulesCommand()
{
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    ModuleModel module;
    const QByteArray first = module.answer(kReleased);
    QCOMPARE(raw.exchange(button(), kReleased).value_or("none"), first);
    QCOMPARE(raw.exchange(button(), kPressed).value_or("none"), module.answer(kPressed));
    // The command carries the connect's device.
    QCOMPARE(DeviceIdentity::fromProto(raw.messages().last().devicecommand().device()), button());
    const QList<GatewayEvent> sent = m_log->of(Kind::CommandSent);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent[0].source, Source::Module);
    QCOMPARE(sent[0].data, first);
    QCOMPARE(sent[0].summary(), ModuleCatalog::describeCommand(1000, first));
    const QList<GatewayEvent> statuses = m_log->of(Kind::StatusReceived);
    QCOMPARE(statuses.size(), 2);
    QCOMPARE(statuses[1].data, kPressed);
    QCOMPARE(statuses[1].device, button());
}

void tst_GatewaySession::dropRule_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<int>("repliesBeforeClose");

    const QByteArray connect = connectFrame(button());
    QTest::newRow("status before connect")
        << statusFrame(button(), kPressed) << "status before a successful connect" << 0;
    QTest::newRow("second connect") << connect + connect << "second connect" << 1;
    QTest::newRow("second connect, other device")
        << connect + connectFrame(button(QStringLiteral("other"))) << "second connect" << 1;
    QTest::newRow("unparsable frame")
        << frameAround(garbageBody()) << "not parse as InternalClient" << 0;
    QTest::newRow("unparsable frame after connect")
        << connect + frameAround(QByteArray("\xff\xff\xff", 3)) << "not parse as InternalClient"
        << 1;
    QTest::newRow("zero-length frame")
        << headerAnnouncing(0) << "neither deviceConnect nor deviceStatus" << 0;
    QTest::newRow("zero-length frame after connect")
        << connect + headerAnnouncing(0) << "neither deviceConnect nor deviceStatus" << 1;
    QTest::newRow("frame above the cap") << headerAnnouncing(4097) << "above the limit" << 0;
    QTest::newRow("4 GiB announced") << QByteArray(4, '\xff') << "above the limit" << 0;
    QTest::newRow("header cut short") << headerAnnouncing(20).left(2) << "header cut short" << 0;
    QTest::newRow("body cut short") << connect.left(connect.size() - 3) << "frame cut short" << 0;
}

void tst_GatewaySession::dropRule()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, detail);
    QFETCH(int, repliesBeforeClose);
    GatewayPolicy policy;
    policy.maxFrameBytes = 4096;
    policy.stallTimeoutMs = 300;
    m_server->setPolicy(policy);

    RawDevice raw(m_server->serverPort());
    QVERIFY(raw.waitConnected());
    raw.send(bytes);
    QVERIFY2(raw.waitForClose(), "the gateway must drop the connection");
    QCOMPARE(raw.messages().size(), repliesBeforeClose);

    const QList<GatewayEvent> errors = m_log->of(Kind::ProtocolError);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].detail.contains(detail), qPrintable(errors[0].detail));
    QTRY_COMPARE_WITH_TIMEOUT(m_log->count(Kind::Disconnected), 1, kWaitMs);
    const GatewayEvent drop = m_log->of(Kind::Disconnected)[0];
    QCOMPARE(drop.reason, Reason::ProtocolError);
    QCOMPARE(drop.detail, errors[0].detail);
    QCOMPARE(m_server->connectedDeviceCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, kWaitMs);
}

void tst_GatewaySession::peerClosingMidFrameIsReported()
{
    RawDevice raw(m_server->serverPort());
    QVERIFY(raw.waitConnected());
    raw.send(headerAnnouncing(100) + "partial");
    raw.socket().disconnectFromHost(); // writes the bytes, then closes
    QVERIFY(m_log->waitFor(Kind::Disconnected));
    QVERIFY2(m_log->of(Kind::ProtocolError).value(0).detail.contains(QStringLiteral("middle")),
             qPrintable(m_log->describe()));
}

void tst_GatewaySession::statusForAnotherDeviceGetsNoAnswer()
{
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    // Same slot, other priority: the reference routes by slot and priority
    // (docs/protocol.md#conversation).
    raw.sendStatus(button(QStringLiteral("button"), 4), kPressed);
    QVERIFY(m_log->waitFor(Kind::StatusUnanswered));
    QVERIFY2(m_log->of(Kind::StatusUnanswered)[0].detail.contains(QStringLiteral("no answer")),
             qPrintable(m_log->describe()));
    // The name is a label: a status with another name is answered, and it is the first
    // answer on the connection, so the skipped status really got nothing.
    DeviceIdentity renamed = button();
    renamed.name = QStringLiteral("renamed");
    QCOMPARE(raw.exchange(renamed, kReleased).value_or("none"), ModuleModel().answer(kReleased));
    QCOMPARE(raw.messages().size(), 2);
    QVERIFY(!raw.isClosed());
}

void tst_GatewaySession::answerDelay_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<bool>("answered");
    QTest::newRow("no delay") << 0 << true;
    QTest::newRow("100 ms, within the 250 ms deadline") << 100 << true;
    QTest::newRow("at the deadline") << 250 << true;
    QTest::newRow("400 ms, beyond the deadline") << 400 << false;
}

void tst_GatewaySession::answerDelay()
{
    QFETCH(int, delayMs);
    QFETCH(bool, answered);
    GatewayPolicy policy;
    policy.answerDelayMs = delayMs;
    m_server->setPolicy(policy);
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);

    QElapsedTimer clock;
    clock.start();
    raw.sendStatus(button(), kReleased);
    if (answered) {
        QVERIFY(raw.waitForMessages(2));
        // Timers may fire a millisecond early; never assert a tight upper bound.
        QVERIFY2(clock.elapsed() >= qMax(0, delayMs - 5),
                 qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(raw.commandData(1), ModuleModel().answer(kReleased));
        QVERIFY(!raw.isClosed());
        return;
    }
    QVERIFY(raw.waitForClose());
    QVERIFY2(clock.elapsed() >= kReferenceAnswerDeadlineMs - 10,
             qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(raw.messages().size(), 1); // the connect response only
    QCOMPARE(m_log->of(Kind::Disconnected).value(0).reason, Reason::AnswerDeadline);
    QVERIFY(m_log->of(Kind::StatusUnanswered).value(0).detail.contains(QStringLiteral("deadline")));
}

void tst_GatewaySession::invalidStatusClosesWithoutAnswer()
{
    const QByteArray invalid("{\"pressed\":true}"); // no space: the example module compares bytes
    const ValidationResult expected = ModuleCatalog::validateStatus(1000, 0, invalid);
    QVERIFY(!expected.ok);
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QElapsedTimer clock;
    clock.start();
    raw.sendStatus(button(), invalid);
    QVERIFY(raw.waitForClose());
    // As the reference: nothing is sent, its wait runs out, then it closes.
    QVERIFY2(clock.elapsed() >= kReferenceAnswerDeadlineMs - 10,
             qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(raw.messages().size(), 1);
    const GatewayEvent unanswered = m_log->of(Kind::StatusUnanswered).value(0);
    QCOMPARE(unanswered.data, invalid);
    QVERIFY2(unanswered.detail.contains(expected.message), qPrintable(unanswered.detail));
    const GatewayEvent drop = m_log->of(Kind::Disconnected).value(0);
    QCOMPARE(drop.reason, Reason::InvalidStatus);
    QVERIFY(drop.detail.contains(expected.message));
}

void tst_GatewaySession::queueComesFirst()
{
    // The transparent module passes queued commands through, so their order shows.
    const DeviceIdentity tester = device(3, 0, QStringLiteral("testing_device"));
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(tester), 0);
    QVERIFY(m_server->queueCommand(tester, "first"));
    QVERIFY(m_server->queueCommand(tester, "second"));
    QCOMPARE(m_server->queuedCommands(tester), (QList<QByteArray>{"first", "second"}));
    QCOMPARE(raw.exchange(tester, "Status 1").value_or("none"), QByteArray("first"));
    QCOMPARE(raw.exchange(tester, "Status 2").value_or("none"), QByteArray("second"));
    // Then the module's current command again, which the last queued one became.
    QCOMPARE(raw.exchange(tester, "Status 3").value_or("none"), QByteArray("second"));
    const QList<GatewayEvent> sent = m_log->of(Kind::CommandSent);
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent[0].source, Source::Queued);
    QCOMPARE(sent[1].source, Source::Queued);
    QCOMPARE(sent[2].source, Source::Module);
    QCOMPARE(m_log->count(Kind::CommandQueued), 2);
}

void tst_GatewaySession::queuedCommandGoesThroughTheModule()
{
    // As in the real gateway, the example module derives every command from the status,
    // a queued one included: lit_up true after a press reaches the device as lit_up false.
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QCOMPARE(raw.exchange(button(), kReleased).value_or("none"), kDark); // first command
    QVERIFY(m_server->queueCommand(button(), kLitUp));
    QCOMPARE(raw.exchange(button(), kPressed).value_or("none"), kDark);
    const GatewayEvent sent = m_log->of(Kind::CommandSent).value(1);
    QCOMPARE(sent.source, Source::Queued);
    QVERIFY2(sent.detail.contains(QStringLiteral("command generation")), qPrintable(sent.detail));
    QVERIFY(m_server->queuedCommands(button()).isEmpty());
    // A push is the operator's way to send the bytes unchanged.
    QVERIFY(m_server->pushCommand(button(), kLitUp));
    QVERIFY(raw.waitForMessages(4));
    QCOMPARE(raw.commandData(3), kLitUp);
}

void tst_GatewaySession::queueKeepsTheNewestThree()
{
    // Queued before the device exists: the queue belongs to the slot.
    const DeviceIdentity tester = device(3, 0, QStringLiteral("testing_device"));
    for (const char* command : {"one", "two", "three", "four"})
        QVERIFY(m_server->queueCommand(tester, command));
    QCOMPARE(m_server->queuedCommands(tester), (QList<QByteArray>{"two", "three", "four"}));
    const QList<GatewayEvent> queued = m_log->of(Kind::CommandQueued);
    QCOMPARE(queued.size(), 4);
    QVERIFY(!queued[2].detail.contains(QStringLiteral("dropped")));
    QVERIFY2(queued[3].detail.contains(QStringLiteral("dropped")), qPrintable(queued[3].detail));

    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(tester), 0);
    ModuleModel module(3, 0);
    for (const char* expected : {"two", "three", "four"}) {
        QCOMPARE(raw.exchange(tester, "Status").value_or("none"), QByteArray(expected));
        QCOMPARE(module.answerQueued("Status", expected), QByteArray(expected));
    }
    QCOMPARE(raw.exchange(tester, "Status").value_or("none"), module.answer("Status"));
    QVERIFY(m_server->queuedCommands(tester).isEmpty());
    // Another slot's queue is its own.
    QVERIFY(m_server->queueCommand(device(3, 0, QStringLiteral("other")), "x"));
    QCOMPARE(raw.exchange(tester, "Status").value_or("none"), QByteArray("four"));
}

void tst_GatewaySession::queuedCommandBecomesTheModulesCurrentCommand()
{
    // The transparent module repeats its current command; an operator's command replaces it.
    const DeviceIdentity tester = device(3, 0, QStringLiteral("testing_device"));
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(tester), 0);
    const QByteArray first = raw.exchange(tester, "Status 1").value_or("none");
    QCOMPARE(first, QByteArray("\"default_command\""));
    QVERIFY(m_server->queueCommand(tester, "from the operator"));
    QCOMPARE(raw.exchange(tester, "Status 2").value_or("none"), QByteArray("from the operator"));
    QCOMPARE(raw.exchange(tester, "Status 3").value_or("none"), QByteArray("from the operator"));
    QCOMPARE(m_log->of(Kind::CommandSent).last().source, Source::Module);
}

void tst_GatewaySession::pushReachesTheDevice()
{
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QString error;
    DeviceIdentity slot = button();
    slot.name = QStringLiteral("names do not matter");
    slot.priority = 9; // nor does priority
    QVERIFY2(m_server->pushCommand(slot, kLitUp, &error), qPrintable(error));
    QVERIFY(raw.waitForMessages(2));
    QVERIFY(raw.messages()[1].has_devicecommand());
    QCOMPARE(raw.commandData(1), kLitUp);
    QCOMPARE(DeviceIdentity::fromProto(raw.messages()[1].devicecommand().device()), button());
    const GatewayEvent sent = m_log->of(Kind::CommandSent).value(0);
    QCOMPARE(sent.source, Source::Pushed);
    QCOMPARE(sent.data, kLitUp);
    // The status/answer pairing goes on as before.
    QCOMPARE(raw.exchange(button(), kPressed).value_or("none"), ModuleModel().answer(kPressed));
    QCOMPARE(raw.messages().size(), 3);
}

void tst_GatewaySession::pushNeedsAConnectedDevice()
{
    QString error;
    QVERIFY(!m_server->pushCommand(button(), "x", &error));
    QVERIFY2(error.contains(QStringLiteral("1000/0/button")), qPrintable(error));
    QVERIFY(!m_server->disconnectDevice(button(), &error));
    QVERIFY2(error.contains(QStringLiteral("no device")), qPrintable(error));
}

void tst_GatewaySession::emptyAnswers()
{
    GatewayPolicy policy;
    policy.emptyAnswers = true;
    m_server->setPolicy(policy);
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QCOMPARE(raw.exchange(button(), kReleased).value_or("none"), QByteArray());
    // A queued command is news: it goes out, through the module's command generation.
    QVERIFY(m_server->queueCommand(button(), kDark));
    QCOMPARE(raw.exchange(button(), kReleased).value_or("none"), kLitUp);
    QCOMPARE(raw.exchange(button(), kReleased).value_or("none"), QByteArray());
    const QList<GatewayEvent> sent = m_log->of(Kind::CommandSent);
    QCOMPARE(sent[0].source, Source::Empty);
    QCOMPARE(sent[0].summary(), QStringLiteral("empty: nothing new"));
    QCOMPARE(sent[1].source, Source::Queued);
}

void tst_GatewaySession::unknownModuleAnswersWithDefaultCommand_data()
{
    QTest::addColumn<QByteArray>("defaultCommand");
    QTest::newRow("empty by default") << QByteArray();
    QTest::newRow("configured") << QByteArray("keep going");
}

void tst_GatewaySession::unknownModuleAnswersWithDefaultCommand()
{
    QFETCH(QByteArray, defaultCommand);
    GatewayPolicy policy;
    policy.supportedModules = {1001};
    policy.acceptUnknownDeviceTypes = true;
    policy.defaultCommand = defaultCommand;
    m_server->setPolicy(policy);
    const DeviceIdentity custom = device(1001, 4, QStringLiteral("custom"));
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(custom), 0);
    QCOMPARE(raw.exchange(custom, "whatever it likes").value_or("none"), defaultCommand);
    QCOMPARE(m_log->of(Kind::CommandSent).value(0).source, Source::Default);
}

void tst_GatewaySession::operatorDisconnect()
{
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QSignalSpy changed(m_server.get(), &GatewayServer::devicesChanged);
    QString error;
    QVERIFY2(m_server->disconnectDevice(button(), &error), qPrintable(error));
    QCOMPARE(m_server->connectedDeviceCount(), 0);
    QVERIFY(raw.waitForClose());
    QCOMPARE(m_log->of(Kind::Disconnected).value(0).reason, Reason::Operator);
    QCOMPARE(changed.size(), 1);
}

void tst_GatewaySession::silentDeviceIsDropped()
{
    GatewayPolicy policy;
    policy.silenceTimeoutMs = 300;
    m_server->setPolicy(policy);
    RawDevice quiet(m_server->serverPort());
    QCOMPARE(quiet.handshake(button(QStringLiteral("quiet"))), 0);
    RawDevice chatty(m_server->serverPort());
    QCOMPARE(chatty.handshake(button(QStringLiteral("chatty"))), 0);
    QElapsedTimer clock;
    clock.start();
    // The chatty device keeps talking (about every 100 ms, less once the quiet one is closed)
    // and stays.
    while (!quiet.isClosed() && clock.elapsed() < kWaitMs) {
        QVERIFY(chatty.exchange(button(QStringLiteral("chatty")), kPressed).has_value());
        quiet.waitForClose(100);
    }
    QVERIFY(quiet.isClosed());
    QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!chatty.isClosed());
    QCOMPARE(m_log->of(Kind::Disconnected).value(0).reason, Reason::Silence);
    QCOMPARE(m_log->of(Kind::Disconnected).value(0).device.role, QStringLiteral("quiet"));
}

void tst_GatewaySession::deviceListShowsTraffic()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    RawDevice raw(m_server->serverPort());
    const DeviceIdentity identity =
        device(1000, 0, QStringLiteral("listed"), 2, QStringLiteral("L"));
    QCOMPARE(raw.handshake(identity), 0);
    QVERIFY(raw.exchange(identity, kReleased).has_value());
    QVERIFY(raw.exchange(identity, kPressed).has_value());
    QVERIFY(m_server->queueCommand(identity, "later"));

    const QList<GatewayDeviceInfo> devices = m_server->connectedDevices();
    QCOMPARE(devices.size(), 1);
    const GatewayDeviceInfo& info = devices[0];
    QCOMPARE(info.device, identity);
    QCOMPARE(info.statusesReceived, quint64(2));
    QCOMPARE(info.commandsSent, quint64(2));
    QCOMPARE(info.lastStatus, kPressed);
    QCOMPARE(info.queuedCommands, 1);
    QVERIFY(info.connectedSinceMs >= before);
    QVERIFY(info.lastStatusMs >= info.connectedSinceMs);
    QCOMPARE(info.peer, QStringLiteral("127.0.0.1:%1").arg(raw.socket().localPort()));
    QCOMPARE(info.connectionId, m_log->of(Kind::Connected).value(0).connectionId);
}

void tst_GatewaySession::bodiesOfEverySizeArriveWhole_data()
{
    // Bodies above 1 MiB are received in 1 MiB segments and joined on the decode worker, or
    // on the loop when offloading is off (docs/architecture.md#limits).
    QTest::addColumn<int>("payloadBytes");
    QTest::addColumn<qint64>("offloadAbove");
    QTest::newRow("empty payload") << 0 << qint64(256 * 1024);
    QTest::newRow("just under one segment") << 1024 * 1024 - 64 << qint64(256 * 1024);
    QTest::newRow("just over one segment") << 1024 * 1024 + 64 << qint64(256 * 1024);
    QTest::newRow("three segments and a bit, on the worker")
        << 3 * 1024 * 1024 + 7 << qint64(256 * 1024);
    QTest::newRow("three segments and a bit, on the loop") << 3 * 1024 * 1024 + 7 << qint64(0);
}

void tst_GatewaySession::bodiesOfEverySizeArriveWhole()
{
    QFETCH(int, payloadBytes);
    QFETCH(qint64, offloadAbove);
    GatewayPolicy policy;
    policy.supportedModules = {1001};
    policy.acceptUnknownDeviceTypes = true;
    policy.defaultCommand = "ok";
    policy.offloadDecodeBytes = offloadAbove;
    m_server->setPolicy(policy);
    QList<GatewayFrame> frames;
    connect(m_server.get(), &GatewayServer::frameTransferred, this,
            [&](const GatewayFrame& frame) { frames.append(frame); });

    const DeviceIdentity device = {1001, 0, QStringLiteral("big"), QStringLiteral("b"), 0};
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(device), 0);
    QByteArray payload(payloadBytes, Qt::Uninitialized);
    for (int i = 0; i < payloadBytes; ++i)
        payload[i] = char(i * 7 + i / 4096); // no two segments alike
    const QByteArray frame = statusFrame(device, payload);
    // In odd pieces, so segment borders and reads fall anywhere.
    for (qsizetype at = 0; at < frame.size(); at += 100003)
        raw.send(frame.mid(at, 100003));
    QVERIFY(raw.waitForMessages(2));
    QCOMPARE(raw.commandData(1), QByteArray("ok"));
    const QList<GatewayEvent> statuses = m_log->of(Kind::StatusReceived);
    QCOMPARE(statuses.size(), 1);
    QVERIFY(statuses[0].data == payload);
    QCOMPARE(frames.size(), 4);
    QVERIFY(frames[2].bytes == frame);
}

void tst_GatewaySession::framesAreReportedWhole()
{
    QList<GatewayFrame> frames;
    connect(m_server.get(), &GatewayServer::frameTransferred, this,
            [&](const GatewayFrame& frame) { frames.append(frame); });
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QVERIFY(raw.exchange(button(), kReleased).has_value());
    QCOMPARE(frames.size(), 4);
    QCOMPARE(frames[0].direction, GatewayFrame::Direction::In);
    QCOMPARE(frames[0].bytes, connectFrame(button()));
    QCOMPARE(frames[1].direction, GatewayFrame::Direction::Out);
    QCOMPARE(frames[1].bytes, raw.frames()[0]);
    QCOMPARE(frames[2].bytes, statusFrame(button(), kReleased));
    QCOMPARE(frames[3].bytes, raw.frames()[1]);
    QVERIFY(frames[3].hasDevice);
    QCOMPARE(frames[3].device, button());
    QCOMPARE(frames[3].connectionId, frames[0].connectionId);
}

void tst_GatewaySession::coalescedStatusesAreAllAnswered()
{
    // Several statuses in one write (pipelining the reference does not expect, but a byte
    // stream allows): each gets exactly one answer, in order, also with a delay.
    GatewayPolicy policy;
    policy.answerDelayMs = 20;
    m_server->setPolicy(policy);
    RawDevice raw(m_server->serverPort());
    QVERIFY(raw.waitConnected());
    raw.send(connectFrame(button()) + statusFrame(button(), kReleased) +
             statusFrame(button(), kPressed) + statusFrame(button(), kReleased));
    QVERIFY(raw.waitForMessages(4));
    ModuleModel module;
    QCOMPARE(raw.commandData(1), module.answer(kReleased));
    QCOMPARE(raw.commandData(2), module.answer(kPressed));
    QCOMPARE(raw.commandData(3), module.answer(kReleased));
}

void tst_GatewaySession::manyDevicesAtOnce()
{
    constexpr int kDevices = 50;
    constexpr int kRounds = 3;
    std::vector<std::unique_ptr<RawDevice>> devices;
    for (int i = 0; i < kDevices; ++i)
        devices.push_back(std::make_unique<RawDevice>(m_server->serverPort()));
    for (int i = 0; i < kDevices; ++i) {
        QVERIFY(devices[i]->waitConnected());
        devices[i]->sendConnect(button(QStringLiteral("b%1").arg(i)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectedDeviceCount(), kDevices, 10000);
    ModuleModel module; // every device's module sees the same statuses
    for (int round = 0; round < kRounds; ++round) {
        const QByteArray expected = module.answer(kReleased);
        for (int i = 0; i < kDevices; ++i)
            devices[i]->sendStatus(button(QStringLiteral("b%1").arg(i)), kReleased);
        for (int i = 0; i < kDevices; ++i) {
            QVERIFY(devices[i]->waitForMessages(2 + round, 10000));
            QCOMPARE(devices[i]->commandData(1 + round), expected);
        }
    }
    QCOMPARE(m_log->count(Kind::CommandSent), kDevices * kRounds);
    for (const GatewayDeviceInfo& info : m_server->connectedDevices())
        QCOMPARE(info.statusesReceived, quint64(kRounds));
}

void tst_GatewaySession::closeDropsEveryone()
{
    RawDevice first(m_server->serverPort());
    QCOMPARE(first.handshake(button(QStringLiteral("a"))), 0);
    RawDevice second(m_server->serverPort());
    QCOMPARE(second.handshake(button(QStringLiteral("b"))), 0);
    m_server->close();
    QVERIFY(!m_server->isListening());
    QVERIFY(first.waitForClose());
    QVERIFY(second.waitForClose());
    QCOMPARE(m_log->count(Kind::Disconnected), 2);
    QCOMPARE(m_log->of(Kind::Disconnected)[0].reason, Reason::ServerStopped);
    QCOMPARE(m_log->count(Kind::Stopped), 1);
    m_server->close(); // idempotent
    QCOMPARE(m_log->count(Kind::Stopped), 1);
}

void tst_GatewaySession::handlerMayDisconnectFromAnEvent()
{
    // Signals are synchronous: an operator's "disconnect" can run inside the status event.
    connect(m_server.get(), &GatewayServer::gatewayEvent, this, [this](const GatewayEvent& event) {
        if (event.kind == Kind::StatusReceived)
            m_server->disconnectDevice(event.device);
    });
    RawDevice raw(m_server->serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    raw.sendStatus(button(), kPressed);
    QVERIFY(raw.waitForClose());
    QCOMPARE(raw.messages().size(), 1); // no answer after the disconnect
    QCOMPARE(m_log->count(Kind::CommandSent), 0);
    QCOMPARE(m_log->count(Kind::Disconnected), 1);
    QCOMPARE(m_log->of(Kind::Disconnected)[0].reason, Reason::Operator);
}

void tst_GatewaySession::eventTimesMatchQtFormatting_data()
{
    QTest::addColumn<QList<qint64>>("times"); // formatted in this order (the cache's path)
    const qint64 base = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 59)).toMSecsSinceEpoch();
    QTest::newRow("same second") << QList<qint64>{base + 1, base + 50, base + 999};
    QTest::newRow("into the next second")
        << QList<qint64>{base + 998, base + 1000, base + 1007, base + 61123};
    QTest::newRow("backwards") << QList<qint64>{base + 5000, base, base + 5000 - 1};
}

void tst_GatewaySession::eventTimesMatchQtFormatting()
{
    QFETCH(QList<qint64>, times);
    for (qint64 ms : times) {
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(ms);
        QCOMPARE(GatewayEvent::clockTime(ms), time.toString(QStringLiteral("HH:mm:ss.zzz")));
    }
}

QTEST_GUILESS_MAIN(tst_GatewaySession)
#include "tst_gatewaysession.moc"
