// The console's network thread (docs/performance.md#console-round-trips): the embedded gateway
// behind GatewayLink and the console's device clients live there, while the GUI thread reads
// mirrors and posts actions without waiting.
#include "devicesession.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "networkthread.h"
#include "trafficlogmodel.h"

#include "identities.h"
#include "timing.h"

#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace fleet;
using fleet::test::button;
using fleet::test::kWaitMs;

namespace {

// A console in small: the network thread, the embedded gateway on it, one device session.
struct Rig {
    std::shared_ptr<NetworkThread> network = NetworkThread::acquire();
    GatewayController gateway;
    DeviceSession session;

    bool start()
    {
        QSignalSpy started(&gateway, &GatewayController::started);
        gateway.start(0);
        return started.wait(kWaitMs) && gateway.isListening() && gateway.port() != 0;
    }
    bool connectDevice(const DeviceIdentity& identity)
    {
        QString error;
        if (!session.connectToServer(gateway.host(), gateway.port(), identity, ClientSettings{},
                                     &error))
            return false;
        return QTest::qWaitFor([this] { return session.status() == SessionStatus::Connected; },
                               kWaitMs);
    }
    // The log names the session's client as the console's docks do.
    void logInto(TrafficLogModel* log)
    {
        QObject::connect(&session, &DeviceSession::clientCreated, log,
                         [log](InternalClient* client) { log->attachClient(client); });
    }
    // Released on the network thread as each frame of `signal` crosses the socket.
    void releaseOnFrame(void (InternalClient::*signal)(const QByteArray&), QSemaphore* semaphore)
    {
        QObject::connect(
            session.client(), signal, session.client(),
            [semaphore](const QByteArray&) { semaphore->release(); }, Qt::DirectConnection);
    }
};

} // namespace

class tst_NetworkThread : public QObject {
    Q_OBJECT
private slots:
    void sharedWhileHeld();
    void gatewayAndClientLiveOnTheNetworkThread();
    void mirrorRefusesAtOnce_data();
    void mirrorRefusesAtOnce();
    void sendsAreCheckedOnTheSessionsCopy();
    void logTimesFramesAtTheSocket();
    void logGoesFirstWhileFramesStillCome();
    void actionsReachTheGateway();
};

// One thread for the console: what is created while it runs shares it; the last holder ends it.
void tst_NetworkThread::sharedWhileHeld()
{
    QVERIFY(!NetworkThread::current());
    std::shared_ptr<NetworkThread> first = NetworkThread::acquire();
    QVERIFY(first->thread()->isRunning());
    QCOMPARE(NetworkThread::acquire(), first);
    QCOMPARE(NetworkThread::current(), first);
    first.reset();
    QVERIFY(!NetworkThread::current());
}

void tst_NetworkThread::gatewayAndClientLiveOnTheNetworkThread()
{
    Rig rig;
    QVERIFY(rig.start());
    QSignalSpy created(&rig.session, &DeviceSession::clientCreated);
    QVERIFY(rig.connectDevice(button()));
    QCOMPARE(created.size(), 1);
    QCOMPARE(rig.session.client()->thread(), rig.network->thread());
    QVERIFY(rig.session.client()->thread() != QThread::currentThread());
    // The gateway's mirror follows: the device holds its slot.
    QTRY_COMPARE_WITH_TIMEOUT(rig.gateway.link()->connectedDeviceCount(), 1, kWaitMs);
    QCOMPARE(rig.gateway.link()->connectedDevices().first().device.role, button().role);

    // A round trip, timed by the client on the network thread, arrives with its time.
    QSignalSpy answers(&rig.session, &DeviceSession::commandReceived);
    QString error;
    QVERIFY2(rig.session.sendStatus("{\"pressed\": true}", kWaitMs, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, kWaitMs);
    QVERIFY(!answers.first().at(1).toBool()); // the answer, not a push
    QVERIFY(answers.first().at(3).toDouble() >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(rig.session.status(), SessionStatus::Connected, kWaitMs);
}

void tst_NetworkThread::mirrorRefusesAtOnce_data()
{
    QTest::addColumn<QString>("action");
    QTest::newRow("push to an empty slot") << QStringLiteral("push");
    QTest::newRow("disconnect an empty slot") << QStringLiteral("disconnect");
}

// What the mirror can tell is told before any event loop runs: no device in that slot.
void tst_NetworkThread::mirrorRefusesAtOnce()
{
    QFETCH(QString, action);
    Rig rig;
    QVERIFY(rig.start());
    const DeviceIdentity nobody = button(QStringLiteral("nobody"));
    QString error;
    const bool ok = action == QLatin1String("push")
                        ? rig.gateway.link()->pushCommand(nobody, "{}", &error)
                        : rig.gateway.link()->disconnectDevice(nobody, &error);
    QVERIFY(!ok);
    QCOMPARE(error, QStringLiteral("no device is connected in slot 1000/0/nobody"));
}

// The session checks a send against its copy of the client's state, as the client would.
void tst_NetworkThread::sendsAreCheckedOnTheSessionsCopy()
{
    Rig rig;
    QString error;
    QVERIFY(!rig.session.sendStatus("{}", kWaitMs, &error));
    QVERIFY2(error.contains(QStringLiteral("Connect")), qPrintable(error));
    QVERIFY(rig.start());
    QVERIFY(rig.connectDevice(button()));
    QVERIFY(rig.session.canSend());
    QVERIFY2(rig.session.sendStatus("{\"pressed\": true}", kWaitMs, &error), qPrintable(error));
    QVERIFY(!rig.session.canSend()); // awaiting the answer, at once
    QCOMPARE(rig.session.status(), SessionStatus::AwaitingCommand);
    QVERIFY(!rig.session.sendStatus("{\"pressed\": false}", kWaitMs, &error));
    QVERIFY2(error.startsWith(InternalClient::errorName(InternalClient::Error::StatusPending)),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(rig.session.canSend(), kWaitMs);
}

// The traffic log times a console device's frames where they cross its socket, on the network
// thread, not when the GUI thread gets to them: held away from its events for the whole
// exchange, the GUI thread then logs both frames in one go, yet the row keeps the gateway's
// answer delay as its round trip.
void tst_NetworkThread::logTimesFramesAtTheSocket()
{
    Rig rig;
    QVERIFY(rig.start());
    constexpr int kAnswerDelayMs = 200;
    GatewayPolicy policy = rig.gateway.link()->policy();
    policy.answerDelayMs = kAnswerDelayMs;
    rig.gateway.link()->setPolicy(policy);
    TrafficLogModel log;
    rig.logInto(&log);
    QVERIFY(rig.connectDevice(button()));

    QSemaphore answerRead;
    rig.releaseOnFrame(&InternalClient::frameReceived, &answerRead);
    QSignalSpy answers(&rig.session, &DeviceSession::commandReceived);
    QString error;
    QVERIFY2(rig.session.sendStatus("{\"pressed\": true}", kWaitMs, &error), qPrintable(error));
    QVERIFY(answerRead.tryAcquire(1, kWaitMs)); // no event of this exchange was handled here
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, kWaitMs);
    const double clientMs = answers.first().at(3).toDouble();

    log.flush();
    int answerRow = -1;
    for (int row = 0; row < log.rowCount(); ++row) {
        if (log.frame(row).side == TrafficSide::Device &&
            log.frame(row).kind == TrafficKind::Command)
            answerRow = row;
    }
    QVERIFY(answerRow >= 0);
    const double loggedMs = double(log.frame(answerRow).roundTripMs);
    // Timers may fire a little early (coarse timers: up to 5 %); the GUI's batch would be ~0.
    QVERIFY2(loggedMs >= kAnswerDelayMs * 0.9, qPrintable(QString::number(loggedMs)));
    // Inside the client's own interval (it starts before the write and stops after the read).
    QVERIFY2(loggedMs <= clientMs + 0.01,
             qPrintable(QStringLiteral("%1 > %2").arg(loggedMs).arg(clientMs)));
}

// The log may go while a device on the network thread still sends: what it posted is dropped
// with it (run under the sanitizers by CI).
void tst_NetworkThread::logGoesFirstWhileFramesStillCome()
{
    Rig rig;
    QVERIFY(rig.start());
    auto log = std::make_unique<TrafficLogModel>();
    rig.logInto(log.get());
    QVERIFY(rig.connectDevice(button()));
    QSemaphore sent;
    rig.releaseOnFrame(&InternalClient::frameSent, &sent);
    QSignalSpy answers(&rig.session, &DeviceSession::commandReceived);
    QString error;
    QVERIFY2(rig.session.sendStatus("{\"pressed\": true}", kWaitMs, &error), qPrintable(error));
    QVERIFY(sent.tryAcquire(1, kWaitMs)); // posted to the log, not yet handled
    log.reset();
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, kWaitMs); // its answer comes with no log
    QVERIFY2(rig.session.sendStatus("{\"pressed\": false}", kWaitMs, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 2, kWaitMs);
}

// Queue, push, disconnect: posted to the gateway's thread; their effects come back.
void tst_NetworkThread::actionsReachTheGateway()
{
    Rig rig;
    QVERIFY(rig.start());
    const DeviceIdentity device = button();
    QVERIFY(rig.connectDevice(device));
    QTRY_COMPARE_WITH_TIMEOUT(rig.gateway.link()->connectedDeviceCount(), 1, kWaitMs);

    GatewayLink* link = rig.gateway.link();
    QVERIFY(link->queueCommand(device, "{\"lit_up\": true}"));
    QTRY_COMPARE_WITH_TIMEOUT(link->queuedCommands(device), QList<QByteArray>{"{\"lit_up\": true}"},
                              kWaitMs);
    link->clearQueue(device);
    QTRY_VERIFY_WITH_TIMEOUT(link->queuedCommands(device).isEmpty(), kWaitMs);

    QSignalSpy commands(&rig.session, &DeviceSession::commandReceived);
    QVERIFY(link->pushCommand(device, "{\"lit_up\": false}"));
    QTRY_COMPARE_WITH_TIMEOUT(commands.size(), 1, kWaitMs);
    QVERIFY(commands.first().at(1).toBool()); // pushed
    QCOMPARE(commands.first().at(0).toByteArray(), QByteArray("{\"lit_up\": false}"));

    GatewayPolicy policy = link->policy();
    policy.answerDelayMs = 7;
    link->setPolicy(policy);
    QCOMPARE(link->policy().answerDelayMs, 7); // at once, for the panel that set it

    QString error;
    QVERIFY2(link->disconnectDevice(device, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(rig.session.status(), SessionStatus::ClosedByGateway, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(link->connectedDeviceCount(), 0, kWaitMs);
    QCOMPARE(link->policy().answerDelayMs, 7); // the gateway's copy agrees
}

QTEST_MAIN(tst_NetworkThread)
#include "tst_networkthread.moc"
