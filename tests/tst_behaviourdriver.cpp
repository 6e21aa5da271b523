// BehaviourDriver against the embedded gateway with the real module rules, over TCP on
// loopback port 0, on a simulated clock: statuses go out on change and on heartbeat, every
// answer reaches the behaviour, and a vehicle drives a queued two-stop mission to the end while
// the gateway's mission module removes each reached stop (docs/modules.md#device-behaviour).
#include "behaviourbutton.h"
#include "behaviourdriver.h"
#include "behaviourio.h"
#include "behaviourvehicle.h"
#include "devicesession.h"
#include "gatewayserver.h"
#include "identities.h"
#include "modulecatalog.h"
#include "timing.h"

#include "MissionModule.pb.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace fleet;

namespace {

// A gateway, one device session on it and a driver with a clock the test moves.
struct Rig {
    GatewayServer gateway;
    DeviceSession session;
    BehaviourDriver driver{&session};
    qint64 clock = 0;

    Rig()
    {
        driver.setClock([this] { return clock; });
    }

    bool start(const DeviceIdentity& identity, Behaviour* behaviour)
    {
        if (!gateway.listen(QHostAddress::LocalHost, 0))
            return false;
        if (!session.connectToServer(QStringLiteral("127.0.0.1"), gateway.serverPort(), identity,
                                     ClientSettings{}))
            return false;
        driver.setBehaviour(behaviour);
        return true;
    }

    // Moves the clock, lets the driver act and waits until the exchange it started (if any)
    // is answered: a status is never left in flight between two steps.
    bool step(qint64 ms)
    {
        clock += ms;
        driver.poll();
        QElapsedTimer waited;
        waited.start();
        while (!session.canSend() && waited.elapsed() < test::kWaitMs)
            QTest::qWait(1);
        QCoreApplication::processEvents(); // the queued poll after an answer
        return session.canSend();
    }
};

} // namespace

class tst_BehaviourDriver : public QObject {
    Q_OBJECT
private slots:
    void buttonLampFollowsTheModule();
    void ioBoardAppliesQueuedCommandOnce();
    void statusesWaitForTheAnswer();
    void vehicleDrivesAQueuedMission_data();
    void vehicleDrivesAQueuedMission();
};

void tst_BehaviourDriver::buttonLampFollowsTheModule()
{
    Rig rig;
    ButtonBehaviour button;
    QSignalSpy sent(&rig.driver, &BehaviourDriver::statusSent);
    QSignalSpy handled(&rig.driver, &BehaviourDriver::commandHandled);
    QVERIFY(rig.start(test::button(), &button));
    // Connected: the first status goes out at once and gets the module's first command.
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 1, test::kWaitMs);
    QCOMPARE(sent.first().first().toByteArray(), QByteArray("{\"pressed\": false}"));
    QCOMPARE(handled.first().first().toByteArray(), QByteArray("{\"lit_up\": false}"));
    QVERIFY(!button.isLit());
    // Nothing more before the 5 s heartbeat.
    QVERIFY(rig.step(4900));
    QCOMPARE(sent.count(), 1);
    // The heartbeat: released, so the module lights the lamp.
    QVERIFY(rig.step(100));
    QCOMPARE(sent.count(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(button.isLit(), test::kWaitMs);
    // A press goes out at once (no heartbeat due) and the module darkens the lamp.
    button.setPressed(true);
    QVERIFY(rig.step(150));
    QCOMPARE(sent.count(), 3);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": true}"));
    QTRY_VERIFY_WITH_TIMEOUT(!button.isLit(), test::kWaitMs);
    QCOMPARE(rig.session.status(), SessionStatus::Connected);
}

void tst_BehaviourDriver::ioBoardAppliesQueuedCommandOnce()
{
    Rig rig;
    IoBehaviour board(1);
    QSignalSpy handled(&rig.driver, &BehaviourDriver::commandHandled);
    const DeviceIdentity identity = test::device(2, 1, QStringLiteral("plc"));
    QVERIFY(rig.start(identity, &board));
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 1, test::kWaitMs); // the first command
    QVERIFY(rig.gateway.queueCommand(identity, "[{\"outNum\":2,\"actType\":2}]"));
    QVERIFY(rig.step(1000));
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 2, test::kWaitMs);
    QVERIFY(board.output(2));
    QCOMPARE(handled.last().at(2).toString(), QStringLiteral("output 2 toggle"));
    // The gateway repeats the toggle after every status; the board applies it once.
    for (int i = 0; i < 3; ++i)
        QVERIFY(rig.step(1000));
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 5, test::kWaitMs);
    QVERIFY(board.output(2));
    QCOMPARE(handled.last().at(1).toBool(), false);
    // An input the operator flips goes out without waiting for the heartbeat.
    board.setInput(3, false);
    QVERIFY(rig.step(150));
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 6, test::kWaitMs);
    QCOMPARE(rig.session.status(), SessionStatus::Connected);
}

// Never two statuses in flight: a change while the previous status awaits its answer goes
// out after the answer.
void tst_BehaviourDriver::statusesWaitForTheAnswer()
{
    Rig rig;
    GatewayPolicy policy;
    policy.answerDelayMs = 100;
    rig.gateway.setPolicy(policy);
    ButtonBehaviour button;
    QSignalSpy sent(&rig.driver, &BehaviourDriver::statusSent);
    QSignalSpy handled(&rig.driver, &BehaviourDriver::commandHandled);
    QVERIFY(rig.start(test::button(), &button));
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 1, test::kWaitMs);
    rig.clock += 200;
    button.setPressed(true);
    rig.driver.poll();
    QCOMPARE(sent.count(), 1); // still awaiting the first answer
    QTRY_COMPARE_WITH_TIMEOUT(handled.count(), 1, test::kWaitMs);
    // The answer frees the slot and the pending press goes out.
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 2, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": true}"));
}

void tst_BehaviourDriver::vehicleDrivesAQueuedMission_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::newRow("json") << "json";
    QTest::newRow("protobuf") << "protobuf";
}

void tst_BehaviourDriver::vehicleDrivesAQueuedMission()
{
    QFETCH(QString, encoding);
    const bool json = encoding == QLatin1String("json");
    QElapsedTimer testTime;
    testTime.start();
    Rig rig;
    VehicleBehaviour vehicle; // on the demo map's Yard loop
    QVERIFY(vehicle.setSetting(QStringLiteral("encoding"), encoding));
    QVERIFY(vehicle.setSetting(QStringLiteral("waitAtStop"), QStringLiteral("3")));
    // Two stops of the loop, as a fleet manager would send them.
    const QStringList names{QStringLiteral("Gatehouse"), QStringLiteral("Paint Shop")};
    MissionModule::AutonomyCommand start;
    start.set_action(MissionModule::AutonomyCommand::START);
    start.set_route("Yard loop");
    QByteArrayList stopsJson;
    for (const QString& name : names) {
        const MapNode* found = nullptr;
        for (const MapNode& node : vehicle.map().nodes()) {
            if (node.stop && node.name == name)
                found = &node;
        }
        QVERIFY(found);
        auto* station = start.add_stops();
        station->set_name(name.toStdString());
        station->mutable_position()->set_latitude(found->latitude);
        station->mutable_position()->set_longitude(found->longitude);
        stopsJson.append("{\"name\":\"" + name.toUtf8() + "\",\"position\":{\"latitude\":" +
                         QByteArray::number(found->latitude, 'g', 10) + ",\"longitude\":" +
                         QByteArray::number(found->longitude, 'g', 10) + ",\"altitude\":0}}");
    }
    const QByteArray command = json ? "{\"action\":\"START\",\"route\":\"Yard loop\",\"stops\":[" +
                                          stopsJson.join(',') + "]}"
                                    : QByteArray::fromStdString(start.SerializeAsString());

    QStringList states;     // each new state the gateway saw
    QStringList stopCounts; // stops in each new command the vehicle got
    connect(&rig.driver, &BehaviourDriver::statusSent, this, [&](const QByteArray& status) {
        QVERIFY2(ModuleCatalog::validateStatus(1, 1, status).ok, status.constData());
        const QString state = VehicleBehaviour::stateName(vehicle.state());
        if (states.isEmpty() || states.last() != state)
            states.append(state);
    });
    connect(&rig.driver, &BehaviourDriver::commandHandled, this, [&](const QByteArray& data) {
        MissionModule::AutonomyCommand decoded;
        int stops = 0;
        if (json)
            stops = int(QJsonDocument::fromJson(data).object().value("stops").toArray().size());
        else if (decoded.ParseFromArray(data.constData(), int(data.size())))
            stops = decoded.stops_size();
        const QString count = QString::number(stops);
        if (stopCounts.isEmpty() || stopCounts.last() != count)
            stopCounts.append(count);
    });
    const DeviceIdentity identity = test::device(1, 1, QStringLiteral("autonomy"));
    QVERIFY(rig.start(identity, &vehicle));
    QTRY_VERIFY_WITH_TIMEOUT(rig.driver.commandsApplied() == 1, test::kWaitMs); // NO_ACTION
    QVERIFY(rig.gateway.queueCommand(identity, command));
    // Up to five simulated minutes in 200 ms steps; the mission takes about one.
    for (int i = 0; i < 1500 && !(states.size() > 2 && states.last() == QLatin1String("IDLE")); ++i)
        QVERIFY(rig.step(200));
    QCOMPARE(states, (QStringList{"IDLE", "DRIVE", "IN_STOP", "DRIVE", "IN_STOP", "IDLE"}));
    // The module removed each reached stop: 2, then 1, then none.
    QCOMPARE(stopCounts, (QStringList{"0", "2", "1", "0"}));
    QCOMPARE(vehicle.state(), VehicleBehaviour::State::Idle);
    QCOMPARE(rig.session.status(), SessionStatus::Connected);
    QCOMPARE(rig.session.statusesSent(), rig.session.commandsReceived());
    qInfo("mission of %s driven in %lld ms of test time (%llu statuses)", qPrintable(encoding),
          testTime.elapsed(), rig.driver.statusesSent());
    QVERIFY2(testTime.elapsed() < 20000, "the simulated clock should make this fast");
}

QTEST_GUILESS_MAIN(tst_BehaviourDriver)
#include "tst_behaviourdriver.moc"
