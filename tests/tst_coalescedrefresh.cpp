// CoalescedRefresh: a view refreshed at most once per interval, the first request at once,
// the requests within an interval once at its end, flush() at once.

#include "coalescedrefresh.h"

#include <QTest>

using namespace fleet;

class tst_CoalescedRefresh : public QObject {
    Q_OBJECT
private slots:
    void firstRequestRunsAtOnce();
    void requestsWithinTheIntervalRunOnceAtItsEnd();
    void flushRunsAtOnceAndCancelsTheWait();
    void aRequestFromTheRefreshWaits();
};

void tst_CoalescedRefresh::firstRequestRunsAtOnce()
{
    int runs = 0;
    CoalescedRefresh refresh([&runs] { ++runs; }, nullptr, 60000);
    refresh.request();
    QCOMPARE(runs, 1);
    QVERIFY(!refresh.isPending());
}

void tst_CoalescedRefresh::requestsWithinTheIntervalRunOnceAtItsEnd()
{
    int runs = 0;
    CoalescedRefresh refresh([&runs] { ++runs; }, nullptr, 20);
    refresh.request();
    for (int i = 0; i < 100; ++i)
        refresh.request();
    QCOMPARE(runs, 1); // the 100 wait for the interval's end
    QVERIFY(refresh.isPending());
    QTRY_COMPARE(runs, 2);
    // Nothing else was waiting: the end of the interval ran them all at once.
    QVERIFY(!refresh.isPending());
    QCOMPARE(runs, 2);
}

void tst_CoalescedRefresh::flushRunsAtOnceAndCancelsTheWait()
{
    int runs = 0;
    CoalescedRefresh refresh([&runs] { ++runs; }, nullptr, 60000);
    refresh.request();
    refresh.request();
    QVERIFY(refresh.isPending());
    refresh.flush();
    QCOMPARE(runs, 2);
    QVERIFY(!refresh.isPending());
}

void tst_CoalescedRefresh::aRequestFromTheRefreshWaits()
{
    int runs = 0;
    CoalescedRefresh* self = nullptr;
    CoalescedRefresh refresh(
        [&] {
            ++runs;
            if (runs == 1)
                self->request(); // e.g. a signal the refresh causes
        },
        nullptr, 60000);
    self = &refresh;
    refresh.request();
    QCOMPARE(runs, 1);
    QVERIFY(refresh.isPending());
}

QTEST_GUILESS_MAIN(tst_CoalescedRefresh)
#include "tst_coalescedrefresh.moc"
