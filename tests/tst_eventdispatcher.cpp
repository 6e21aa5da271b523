// The event-dispatcher contract the headless tools rely on (docs/architecture.md#layers: the
// tools layer installs fleet::EpollDispatcher in fleet-gateway and fleet-device): every case
// runs twice, on Qt's own UNIX dispatcher and on the epoll one, each time in a fresh thread
// whose event dispatcher is the one under test. Qt's row shows the case itself is right; the
// epoll row that the replacement keeps it.
#include "epolldispatcher.h"
#include "gatewayserver.h"
#include "identities.h"
#include "rawdevice.h"
#include "timing.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace fleet;
using namespace fleet::test;

namespace {

const QString kQt = QStringLiteral("qt");
const QString kEpoll = QStringLiteral("epoll");

// Example-module button payloads (docs/modules.md#example-module).
const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");

// Runs body in a new thread whose event loop runs on the named dispatcher. QTest's checks
// inside body record their failures as usual (the test thread just waits meanwhile); body
// must use context objects of its own thread, since the test object's thread is blocked.
bool runOn(const QString& dispatcher, std::function<void()> body)
{
    std::unique_ptr<QThread> thread(QThread::create(std::move(body)));
    if (dispatcher == kEpoll) {
        auto* epoll = new EpollDispatcher;
        if (!epoll->isValid()) {
            delete epoll;
            return false;
        }
        thread->setEventDispatcher(epoll);
    }
    thread->start();
    // Far beyond any case's own QTRY limits: reaching it means the dispatcher hung.
    if (!thread->wait(QDeadlineTimer(12 * kWaitMs))) {
        thread->terminate();
        thread->wait();
        return false;
    }
    return true;
}

QAbstractEventDispatcher* threadDispatcher()
{
    return QAbstractEventDispatcher::instance(QThread::currentThread());
}

// Records which timers fired, in order, each once.
class TimerRecorder : public QObject {
public:
    QList<int> fired;

protected:
    void timerEvent(QTimerEvent* event) override
    {
        fired.append(event->timerId());
        killTimer(event->timerId());
    }
};

} // namespace

class tst_EventDispatcher : public QObject {
    Q_OBJECT
private slots:
    void threadRunsOnTheDispatcherUnderTest_data() { dispatcherRows(); }
    void threadRunsOnTheDispatcherUnderTest();
    void singleShotTimer_data();
    void singleShotTimer();
    void repeatingTimerStopsFromItsOwnTimeout_data() { dispatcherRows(); }
    void repeatingTimerStopsFromItsOwnTimeout();
    void timersFireInDueOrderNotIdOrder_data() { dispatcherRows(); }
    void timersFireInDueOrderNotIdOrder();
    void zeroTimerWithNestedLoopDoesNotReenter_data() { dispatcherRows(); }
    void zeroTimerWithNestedLoopDoesNotReenter();
    void remainingTimeAndRegisteredTimers_data() { dispatcherRows(); }
    void remainingTimeAndRegisteredTimers();
    void postedEventsAndDeferredDelete_data() { dispatcherRows(); }
    void postedEventsAndDeferredDelete();
    void postedEventsWakeTheWait_data();
    void postedEventsWakeTheWait();
    void interruptEndsTheWait_data() { dispatcherRows(); }
    void interruptEndsTheWait();
    void excludedSocketNotifiersDoNotSpin_data() { dispatcherRows(); }
    void excludedSocketNotifiersDoNotSpin();
    void regularFileCountsAsReadable_data() { dispatcherRows(); }
    void regularFileCountsAsReadable();
    void gatewayServesDevicesThatComeAndGo_data() { dispatcherRows(); }
    void gatewayServesDevicesThatComeAndGo();
    void delayedAnswersUseTimers_data() { dispatcherRows(); }
    void delayedAnswersUseTimers();

private:
    static void dispatcherRows()
    {
        QTest::addColumn<QString>("dispatcher");
        QTest::newRow("qt") << kQt;
        QTest::newRow("epoll") << kEpoll;
    }
};

void tst_EventDispatcher::threadRunsOnTheDispatcherUnderTest()
{
    QFETCH(QString, dispatcher);
    bool isEpoll = false;
    QVERIFY(runOn(dispatcher, [&] {
        isEpoll = qobject_cast<EpollDispatcher*>(threadDispatcher()) != nullptr;
    }));
    QCOMPARE(isEpoll, dispatcher == kEpoll);
}

void tst_EventDispatcher::singleShotTimer_data()
{
    QTest::addColumn<QString>("dispatcher");
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<Qt::TimerType>("type");
    for (const QString& name : {kQt, kEpoll}) {
        const auto row = [&](const char* what) -> QTestData& {
            return QTest::newRow(qPrintable(name + QStringLiteral(": ") + QLatin1String(what)))
                   << name;
        };
        row("0 ms") << 0 << Qt::PreciseTimer;
        row("1 ms") << 1 << Qt::PreciseTimer;
        row("30 ms") << 30 << Qt::PreciseTimer;
        row("120 ms") << 120 << Qt::PreciseTimer;
        row("120 ms coarse") << 120 << Qt::CoarseTimer;
    }
}

void tst_EventDispatcher::singleShotTimer()
{
    QFETCH(QString, dispatcher);
    QFETCH(int, intervalMs);
    QFETCH(Qt::TimerType, type);
    QVERIFY(runOn(dispatcher, [=] {
        QTimer timer;
        timer.setSingleShot(true);
        timer.setTimerType(type);
        QSignalSpy fired(&timer, &QTimer::timeout);
        QElapsedTimer clock;
        clock.start();
        timer.start(intervalMs);
        QVERIFY(fired.wait(kWaitMs));
        // A coarse timer may come up to 5 % early in Qt's dispatcher.
        const qint64 earliest = type == Qt::PreciseTimer ? intervalMs : intervalMs * 95 / 100;
        QVERIFY2(clock.elapsed() >= earliest, qPrintable(QString::number(clock.elapsed())));
        // Once only: a later timer fires first.
        QTimer later;
        later.setSingleShot(true);
        QSignalSpy laterFired(&later, &QTimer::timeout);
        later.start(intervalMs + 50);
        QVERIFY(laterFired.wait(kWaitMs));
        QCOMPARE(fired.size(), 1);
    }));
}

void tst_EventDispatcher::repeatingTimerStopsFromItsOwnTimeout()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        QTimer afterwards; // proves the silence: fires six periods after the fifth timeout
        afterwards.setSingleShot(true);
        QSignalSpy afterwardsFired(&afterwards, &QTimer::timeout);
        int count = 0;
        QObject::connect(&timer, &QTimer::timeout, &timer, [&] {
            if (++count == 5) {
                timer.stop();
                afterwards.start(30);
            }
        });
        timer.start(5);
        QVERIFY(afterwardsFired.wait(kWaitMs));
        QCOMPARE(count, 5);
    }));
}

void tst_EventDispatcher::timersFireInDueOrderNotIdOrder()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        // Three ids, then armed so that the highest id is due first: in one pass that finds
        // all three due, a dispatcher walking its timers by id would fire them backwards.
        TimerRecorder recorder;
        QList<int> ids;
        for (int i = 0; i < 3; ++i)
            ids.append(recorder.startTimer(60'000, Qt::PreciseTimer));
        std::sort(ids.begin(), ids.end());
        for (int id : ids)
            QVERIFY(threadDispatcher()->unregisterTimer(id));
        const QList<int> intervalsMs{30, 20, 10}; // for ids in ascending order
        for (int i = 2; i >= 0; --i)
            threadDispatcher()->registerTimer(ids[i], intervalsMs[i], Qt::PreciseTimer, &recorder);
        // Blocks the loop past every due time, as a long handler would.
        QThread::msleep(60);
        QTRY_COMPARE_WITH_TIMEOUT(recorder.fired.size(), 3, kWaitMs);
        QCOMPARE(recorder.fired, (QList<int>{ids[2], ids[1], ids[0]}));
    }));
}

void tst_EventDispatcher::zeroTimerWithNestedLoopDoesNotReenter()
{
    QFETCH(QString, dispatcher);
    // Each firing runs a nested loop for kNestedMs. A timer that does not fire again while its
    // own activation is on the stack therefore fires at most once per kNestedMs; one that
    // re-enters fires inside its own nested loop, again and again.
    constexpr int kNestedMs = 10;
    constexpr int kWindowMs = 100;
    int firings = 0;
    int reentries = 0;
    QVERIFY(runOn(dispatcher, [&] {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        bool inSlot = false;
        QElapsedTimer clock;
        QObject::connect(&timer, &QTimer::timeout, &timer, [&] {
            if (inSlot) {
                ++reentries;
                return;
            }
            ++firings;
            if (clock.elapsed() >= kWindowMs) {
                timer.stop();
                return;
            }
            inSlot = true;
            QEventLoop nested;
            QTimer::singleShot(kNestedMs, Qt::PreciseTimer, &nested, &QEventLoop::quit);
            nested.exec();
            inSlot = false;
        });
        clock.start();
        timer.start(0);
        QTRY_VERIFY_WITH_TIMEOUT(!timer.isActive(), kWaitMs);
    }));
    qInfo("%s: %d firings in %d ms with a %d ms nested loop each, %d re-entries",
          qPrintable(dispatcher), firings, kWindowMs, kNestedMs, reentries);
    QCOMPARE(reentries, 0);
    QVERIFY2(firings <= kWindowMs / kNestedMs + 1, qPrintable(QString::number(firings)));
}

void tst_EventDispatcher::remainingTimeAndRegisteredTimers()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.start(500);
        const int left = timer.remainingTime();
        QVERIFY2(left > 300 && left <= 500, qPrintable(QString::number(left)));

        QObject owner;
        const int precise = owner.startTimer(250, Qt::PreciseTimer);
        const int coarse = owner.startTimer(400, Qt::CoarseTimer);
        QList<QAbstractEventDispatcher::TimerInfo> timers =
            threadDispatcher()->registeredTimers(&owner);
        std::sort(timers.begin(), timers.end(),
                  [](const auto& a, const auto& b) { return a.timerId < b.timerId; });
        QCOMPARE(timers.size(), 2);
        QCOMPARE(timers[0].timerId, std::min(precise, coarse));
        const auto& preciseInfo = timers[0].timerId == precise ? timers[0] : timers[1];
        const auto& coarseInfo = timers[0].timerId == coarse ? timers[0] : timers[1];
        QCOMPARE(preciseInfo.interval, 250);
        QCOMPARE(preciseInfo.timerType, Qt::PreciseTimer);
        QCOMPARE(coarseInfo.interval, 400);
        QCOMPARE(coarseInfo.timerType, Qt::CoarseTimer);

        QVERIFY(threadDispatcher()->unregisterTimers(&owner));
        QVERIFY(threadDispatcher()->registeredTimers(&owner).isEmpty());
        QCOMPARE(threadDispatcher()->remainingTime(precise), -1);
        // The other object's timer is untouched.
        QVERIFY(timer.remainingTime() > 0);
        timer.stop();
        QCOMPARE(timer.remainingTime(), -1);
    }));
}

void tst_EventDispatcher::postedEventsAndDeferredDelete()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        QObject context;
        bool invoked = false;
        QMetaObject::invokeMethod(
            &context, [&] { invoked = true; }, Qt::QueuedConnection);
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
    }));
}

void tst_EventDispatcher::postedEventsWakeTheWait_data()
{
    QTest::addColumn<QString>("dispatcher");
    QTest::addColumn<int>("events");
    QTest::addColumn<bool>("fromOtherThread");
    for (const QString& name : {kQt, kEpoll}) {
        const QString prefix = name + QStringLiteral(": ");
        QTest::newRow(qPrintable(prefix + QStringLiteral("posted before the wait")))
            << name << 1 << false;
        QTest::newRow(qPrintable(prefix + QStringLiteral("one from another thread")))
            << name << 1 << true;
        QTest::newRow(qPrintable(prefix + QStringLiteral("burst from another thread")))
            << name << 20'000 << true;
    }
}

void tst_EventDispatcher::postedEventsWakeTheWait()
{
    QFETCH(QString, dispatcher);
    QFETCH(int, events);
    QFETCH(bool, fromOtherThread);
    QVERIFY(runOn(dispatcher, [=] {
        // The loop sleeps with nothing due but the deadline timer; only the posts' wake-ups
        // can end the wait before it.
        QEventLoop loop;
        int delivered = 0;
        bool deadlinePassed = false;
        QTimer::singleShot(kWaitMs, &loop, [&] {
            deadlinePassed = true;
            loop.quit();
        });
        const auto post = [&loop, &delivered, events] {
            for (int i = 0; i < events; ++i) {
                QMetaObject::invokeMethod(
                    &loop,
                    [&loop, &delivered, events] {
                        if (++delivered == events)
                            loop.quit();
                    },
                    Qt::QueuedConnection);
            }
        };
        std::atomic<bool> blocking{false};
        std::unique_ptr<QThread> poster;
        if (fromOtherThread) {
            QObject::connect(
                threadDispatcher(), &QAbstractEventDispatcher::aboutToBlock, &loop,
                [&blocking] { blocking = true; }, Qt::DirectConnection);
            poster.reset(QThread::create([&blocking, post] {
                while (!blocking)
                    QThread::yieldCurrentThread();
                post();
            }));
            poster->start();
        } else {
            post();
        }
        loop.exec();
        QCOMPARE(delivered, events);
        QVERIFY(!deadlinePassed);
        if (poster)
            QVERIFY(poster->wait(kWaitMs));
    }));
}

void tst_EventDispatcher::interruptEndsTheWait()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        QAbstractEventDispatcher* const loop = threadDispatcher();
        QObject context;
        bool deadlinePassed = false;
        QTimer::singleShot(kWaitMs, &context, [&] { deadlinePassed = true; });
        std::atomic<bool> blocking{false};
        QObject::connect(
            loop, &QAbstractEventDispatcher::aboutToBlock, &context,
            [&blocking] { blocking = true; }, Qt::DirectConnection);
        std::unique_ptr<QThread> interrupter(QThread::create([&blocking, loop] {
            while (!blocking)
                QThread::yieldCurrentThread();
            loop->interrupt();
        }));
        interrupter->start();
        // Nothing else will happen before the deadline: the one pass returns because of
        // interrupt() or not at all.
        loop->processEvents(QEventLoop::WaitForMoreEvents);
        QVERIFY(!deadlinePassed);
        QVERIFY(interrupter->wait(kWaitMs));
    }));
}

void tst_EventDispatcher::excludedSocketNotifiersDoNotSpin()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        int pair[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
        const auto closePair = qScopeGuard([&] {
            ::close(pair[0]);
            ::close(pair[1]);
        });
        QCOMPARE(::write(pair[1], "x", 1), ssize_t(1)); // pair[0] stays readable
        QSocketNotifier notifier(pair[0], QSocketNotifier::Read);
        int activations = 0;
        QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&] { ++activations; });

        // A loop that excludes socket notifiers, waiting for a timer. Every pass that ends
        // having done nothing is a wake-up for the excluded socket: a spinning dispatcher
        // makes thousands before the timer is due, a correct one sleeps until it.
        bool timerFired = false;
        QTimer::singleShot(50, Qt::PreciseTimer, &notifier, [&] { timerFired = true; });
        int idlePasses = 0;
        while (!timerFired) {
            const QEventLoop::ProcessEventsFlags flags =
                QEventLoop::ExcludeSocketNotifiers | QEventLoop::WaitForMoreEvents;
            if (!threadDispatcher()->processEvents(flags))
                ++idlePasses;
            QVERIFY2(idlePasses <= 1, "the loop spins on an excluded socket notifier");
        }
        QCOMPARE(activations, 0);
        // The notifier is still armed for passes that include it.
        QTRY_VERIFY_WITH_TIMEOUT(activations > 0, kWaitMs);
    }));
}

void tst_EventDispatcher::regularFileCountsAsReadable()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        // poll() calls a regular file (stdin redirected from one) always readable; epoll
        // refuses such descriptors, so the epoll dispatcher must say the same as poll().
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("line\n");
        file.flush();
        QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
        int activations = 0;
        QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&] {
            if (++activations == 3)
                notifier.setEnabled(false);
        });
        QTRY_COMPARE_WITH_TIMEOUT(activations, 3, kWaitMs);
        // Disabled means silent: ten more passes (a 0 ms timer fires once per pass) and
        // still three.
        QTimer passes;
        QSignalSpy passed(&passes, &QTimer::timeout);
        passes.start(0);
        QTRY_VERIFY_WITH_TIMEOUT(passed.size() >= 10, kWaitMs);
        QCOMPARE(activations, 3);
    }));
}

void tst_EventDispatcher::gatewayServesDevicesThatComeAndGo()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
        GatewayServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        constexpr int kSteady = 20;
        std::vector<std::unique_ptr<RawDevice>> steady;
        for (int i = 0; i < kSteady; ++i) {
            steady.push_back(std::make_unique<RawDevice>(server.serverPort()));
            QCOMPARE(steady.back()->handshake(button(QStringLiteral("s%1").arg(i))), 0);
        }
        // Devices that connect, talk and leave: the kernel hands their descriptor numbers to
        // the next ones, often within one dispatcher pass (the old connection's close and the
        // new one's accept reported together), and the dispatcher must watch the new socket
        // afresh.
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
    }));
}

void tst_EventDispatcher::delayedAnswersUseTimers()
{
    QFETCH(QString, dispatcher);
    QVERIFY(runOn(dispatcher, [] {
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
    }));
}

int main(int argc, char** argv)
{
    // Qt's UNIX dispatcher, not GLib's, is the one the tools would otherwise run on (and the
    // one a QThread gets by default once this is set).
    qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    tst_EventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_eventdispatcher.moc"
