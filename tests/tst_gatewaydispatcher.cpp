// fleet-gateway's epoll event dispatcher: the Qt contract it must keep (timers, posted events,
// deferred deletes, socket notifiers, wake-ups from other threads), and the gateway running
// on it with devices coming and going (descriptor numbers are reused).
#include "tst_gatewayhelpers.h"

#include "epolldispatcher.h"
#include "gatewayserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QSocketNotifier>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace fleet;
using namespace fleet::test;

class tst_GatewayDispatcher : public QObject {
    Q_OBJECT
private slots:
    void isInstalled();
    void singleShotTimer_data();
    void singleShotTimer();
    void repeatingTimerStopsFromItsOwnTimeout();
    void remainingTime();
    void postedEventsAndDeferredDelete();
    void wakeUpFromAnotherThread();
    void regularFileCountsAsReadable();
    void gatewayServesDevicesThatComeAndGo();
    void delayedAnswersUseTimers();
};

void tst_GatewayDispatcher::isInstalled()
{
    QVERIFY(qobject_cast<EpollDispatcher*>(QAbstractEventDispatcher::instance()));
}

void tst_GatewayDispatcher::singleShotTimer_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::newRow("0 ms") << 0;
    QTest::newRow("1 ms") << 1;
    QTest::newRow("30 ms") << 30;
    QTest::newRow("120 ms") << 120;
}

void tst_GatewayDispatcher::singleShotTimer()
{
    QFETCH(int, intervalMs);
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    QSignalSpy fired(&timer, &QTimer::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start(intervalMs);
    QVERIFY(fired.wait(kWaitMs));
    QVERIFY2(clock.elapsed() >= intervalMs, qPrintable(QString::number(clock.elapsed())));
    QTest::qWait(intervalMs + 50);
    QCOMPARE(fired.size(), 1);
}

void tst_GatewayDispatcher::repeatingTimerStopsFromItsOwnTimeout()
{
    QTimer timer;
    int count = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++count == 5)
            timer.stop();
    });
    timer.start(5);
    QTRY_COMPARE_WITH_TIMEOUT(count, 5, kWaitMs);
    QTest::qWait(60);
    QCOMPARE(count, 5);
}

void tst_GatewayDispatcher::remainingTime()
{
    QTimer timer;
    timer.start(500);
    const int left = timer.remainingTime();
    QVERIFY2(left > 300 && left <= 500, qPrintable(QString::number(left)));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
}

void tst_GatewayDispatcher::postedEventsAndDeferredDelete()
{
    bool invoked = false;
    QMetaObject::invokeMethod(
        this, [&] { invoked = true; }, Qt::QueuedConnection);
    QTRY_VERIFY_WITH_TIMEOUT(invoked, kWaitMs);
    // deleteLater() from inside a running event loop, as a session finishing does: the
    // object goes once that loop returns to the dispatcher.
    QPointer<QObject> doomed = new QObject;
    QEventLoop loop;
    QTimer::singleShot(0, &loop, [&] {
        doomed->deleteLater();
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
    });
    loop.exec();
    QVERIFY(doomed.isNull());
}

void tst_GatewayDispatcher::wakeUpFromAnotherThread()
{
    // The main thread sleeps in epoll_wait with no timer due; only wakeUp() can end that.
    bool delivered = false;
    QThread* thread = QThread::create([this, &delivered] {
        QThread::msleep(50);
        QMetaObject::invokeMethod(
            this, [&delivered] { delivered = true; }, Qt::QueuedConnection);
    });
    thread->start();
    QElapsedTimer clock;
    clock.start();
    while (!delivered && clock.elapsed() < kWaitMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    QVERIFY(delivered);
    QVERIFY(thread->wait(kWaitMs));
    delete thread;
}

void tst_GatewayDispatcher::regularFileCountsAsReadable()
{
    // poll() calls a regular file (stdin redirected from one) always readable; epoll refuses
    // such descriptors, so the dispatcher must say the same as poll().
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("line\n");
    file.flush();
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        if (++activations == 3)
            notifier.setEnabled(false);
    });
    QTRY_COMPARE_WITH_TIMEOUT(activations, 3, kWaitMs);
    QTest::qWait(30);
    QCOMPARE(activations, 3); // disabled means silent
}

void tst_GatewayDispatcher::gatewayServesDevicesThatComeAndGo()
{
    GatewayServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    constexpr int kSteady = 20;
    std::vector<std::unique_ptr<RawDevice>> steady;
    for (int i = 0; i < kSteady; ++i) {
        steady.push_back(std::make_unique<RawDevice>(server.serverPort()));
        QCOMPARE(steady.back()->handshake(button(QStringLiteral("s%1").arg(i))), 0);
    }
    // Devices that connect, talk and leave: the kernel hands their descriptor numbers to the
    // next ones, often within one dispatcher pass (the old connection's close and the new
    // one's accept reported together), and the dispatcher must watch the new socket afresh.
    const DeviceIdentity identity = button(QStringLiteral("passing"));
    auto passing = std::make_unique<RawDevice>(server.serverPort());
    QCOMPARE(passing->handshake(identity), 0);
    for (int round = 0; round < 40; ++round) {
        QVERIFY(passing->exchange(identity, kPressed).has_value());
        passing->socket().abort();
        passing = std::make_unique<RawDevice>(server.serverPort());
        QTRY_COMPARE_WITH_TIMEOUT(server.connectedDeviceCount(), kSteady, kWaitMs);
        QVERIFY2(passing->handshake(identity) == 0, qPrintable(QString::number(round)));
        const int index = round % kSteady;
        QVERIFY(steady[index]
                    ->exchange(button(QStringLiteral("s%1").arg(index)), kReleased)
                    .has_value());
    }
}

void tst_GatewayDispatcher::delayedAnswersUseTimers()
{
    GatewayServer server;
    GatewayPolicy policy;
    policy.answerDelayMs = 40;
    server.setPolicy(policy);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    RawDevice raw(server.serverPort());
    QCOMPARE(raw.handshake(button()), 0);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(raw.exchange(button(), kPressed).has_value());
    QVERIFY2(clock.elapsed() >= 35, qPrintable(QString::number(clock.elapsed())));
    policy.answerDelayMs = 400; // beyond the deadline: closed when the 250 ms run out
    server.setPolicy(policy);
    raw.sendStatus(button(), kPressed);
    QVERIFY(raw.waitForClose());
}

int main(int argc, char** argv)
{
    // Installed before the application exists, exactly as fleet-gateway's main() does.
    QCoreApplication::setEventDispatcher(new EpollDispatcher);
    QCoreApplication app(argc, argv);
    tst_GatewayDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_gatewaydispatcher.moc"
