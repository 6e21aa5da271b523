// The Charts dock's model (docs/charts.md): round trips become nearest-rank p50/p99 per
// wall-clock second, statuses and errors are counted per second, a new second closes the last
// one, memory stays within a fixed number of seconds and samples per second, each device has
// its own track beside the total, and changes are told coalesced.
#include "devicesession.h"
#include "percentile.h"
#include "rttseries.h"

#include "timing.h"

#include <QSignalSpy>
#include <QTest>

using namespace fleet;

namespace {

// A line of events, one word each: "<ms>:s" a status, "<ms>:r<rtt>" an answer after rtt ms,
// "<ms>:e" an error. Readable in a row, and in the order a device tells them.
void play(RttTrack& track, const QString& script)
{
    for (const QString& word : script.split(u' ', Qt::SkipEmptyParts)) {
        const qsizetype colon = word.indexOf(u':');
        const qint64 ms = word.left(colon).toLongLong();
        const QChar kind = word.at(colon + 1);
        if (kind == u's')
            track.addStatus(ms);
        else if (kind == u'r')
            track.addRoundTrip(ms, word.mid(colon + 2).toDouble());
        else if (kind == u'e')
            track.addError(ms);
        else
            QFAIL(qPrintable(QStringLiteral("bad word %1").arg(word)));
    }
}

// One second as "second statuses/answers/errors p50/p99", e.g. "1 2/2/0 5/7".
QString describe(const RttSecond& second)
{
    return QStringLiteral("%1 %2/%3/%4 %5/%6")
        .arg(second.second)
        .arg(second.statuses)
        .arg(second.answers)
        .arg(second.errors)
        .arg(second.p50Ms)
        .arg(second.p99Ms);
}

QStringList describe(const QList<RttSecond>& seconds)
{
    QStringList lines;
    for (const RttSecond& second : seconds)
        lines.append(describe(second));
    return lines;
}

} // namespace

class TestRttSeries : public QObject {
    Q_OBJECT
private slots:
    void percentilesPerSecond_data();
    void percentilesPerSecond();
    void secondRollover_data();
    void secondRollover();
    void memoryBound_data();
    void memoryBound();
    void samplesPerSecondCapped();
    void recentRoundTrips();
    void perDeviceAndTotal_data();
    void perDeviceAndTotal();
    void attachedSessionForgottenWhenDestroyed();
    void updatesCoalesced();
};

void TestRttSeries::percentilesPerSecond_data()
{
    QTest::addColumn<QList<double>>("roundTrips");
    QTest::addColumn<double>("p50");
    QTest::addColumn<double>("p99");

    QTest::newRow("one answer is both") << QList<double>{4.5} << 4.5 << 4.5;
    QTest::newRow("two answers: p50 the lower") << QList<double>{9, 3} << 3.0 << 9.0;
    QTest::newRow("ten, unsorted") << QList<double>{7, 1, 10, 3, 5, 2, 9, 4, 8, 6} << 5.0 << 10.0;
    QList<double> hundred;
    for (int i = 100; i >= 1; --i)
        hundred.append(i);
    QTest::newRow("1..100: the 50th and the 99th") << hundred << 50.0 << 99.0;
    QList<double> spike(199, 1.0);
    spike.append(250.0);
    QTest::newRow("one slow answer in 200 stays out of p99") << spike << 1.0 << 1.0;
    QList<double> spikes(98, 1.0);
    spikes.append({300.0, 300.0});
    QTest::newRow("two slow answers in 100 are p99") << spikes << 1.0 << 300.0;
}

void TestRttSeries::percentilesPerSecond()
{
    QFETCH(QList<double>, roundTrips);
    QFETCH(double, p50);
    QFETCH(double, p99);

    RttTrack track;
    qint64 ms = 5000;
    for (const double roundTrip : roundTrips)
        track.addRoundTrip(ms++ % 1000 + 5000, roundTrip); // all in second 5
    // The open second's percentiles so far, then the same once a later second closed it.
    QList<RttSecond> seconds = track.history(5999);
    QCOMPARE(seconds.size(), 1);
    QCOMPARE(seconds[0].second, 5);
    QCOMPARE(seconds[0].answers, roundTrips.size());
    QCOMPARE(seconds[0].p50Ms, p50);
    QCOMPARE(seconds[0].p99Ms, p99);
    track.addStatus(6000);
    seconds = track.history(6000);
    QCOMPARE(seconds.size(), 2);
    QCOMPARE(seconds[0].p50Ms, p50);
    QCOMPARE(seconds[0].p99Ms, p99);
    QCOMPARE(seconds[1].p50Ms, -1.0); // a second without answers has no round trip

    // The helper the Fleet panel's columns use too.
    std::vector<float> sorted(roundTrips.begin(), roundTrips.end());
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(nearestRankPercentile(sorted, 50), p50);
    QCOMPARE(nearestRankPercentile(sorted, 99), p99);
}

void TestRttSeries::secondRollover_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("last ms of a second and first of the next")
        << QStringLiteral("1000:s 1999:r5 2000:s 2000:r7") << qint64(2500)
        << QStringList{QStringLiteral("1 1/1/0 5/5"), QStringLiteral("2 1/1/0 7/7")};
    QTest::newRow("silent seconds are not listed")
        << QStringLiteral("1000:s 1010:r2 5000:s 5020:r3") << qint64(5500)
        << QStringList{QStringLiteral("1 1/1/0 2/2"), QStringLiteral("5 1/1/0 3/3")};
    QTest::newRow("errors counted in their second")
        << QStringLiteral("1000:s 1300:e 2000:s 2100:e 2200:e") << qint64(2999)
        << QStringList{QStringLiteral("1 1/0/1 -1/-1"), QStringLiteral("2 1/0/2 -1/-1")};
    QTest::newRow("a clock stepping back counts in the open second")
        << QStringLiteral("3000:s 3100:r4 2500:s 2600:r6") << qint64(3999)
        << QStringList{QStringLiteral("3 2/2/0 4/6")};
    QTest::newRow("seconds older than the window are left out")
        << QStringLiteral("1000:s 700000:s") << qint64(700000)
        << QStringList{QStringLiteral("700 1/0/0 -1/-1")};
    QTest::newRow("a second after now is not shown yet")
        << QStringLiteral("1000:s 9000:s") << qint64(5000)
        << QStringList{QStringLiteral("1 1/0/0 -1/-1")};
}

void TestRttSeries::secondRollover()
{
    QFETCH(QString, script);
    QFETCH(qint64, nowMs);
    QFETCH(QStringList, expected);

    RttTrack track;
    play(track, script);
    QCOMPARE(describe(track.history(nowMs)), expected);
}

void TestRttSeries::memoryBound_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<int>("perSecond");

    QTest::newRow("a minute") << 60 << 3;
    QTest::newRow("exactly the window") << RttTrack::kSeconds << 2;
    QTest::newRow("an hour, one answer a second") << 3600 << 1;
    QTest::newRow("twenty minutes, 50 answers a second") << 1200 << 50;
}

void TestRttSeries::memoryBound()
{
    QFETCH(int, seconds);
    QFETCH(int, perSecond);

    RttTrack track;
    for (int second = 0; second < seconds; ++second) {
        for (int i = 0; i < perSecond; ++i) {
            const qint64 ms = qint64(second) * 1000 + i;
            track.addStatus(ms);
            track.addRoundTrip(ms, 1 + i);
        }
        QVERIFY2(track.storedSeconds() <= RttTrack::kSeconds + 1,
                 qPrintable(QStringLiteral("%1 seconds held").arg(track.storedSeconds())));
    }
    const qint64 now = qint64(seconds - 1) * 1000 + 999;
    const QList<RttSecond> history = track.history(now);
    QCOMPARE(history.size(), std::min(seconds, RttTrack::kSeconds));
    QCOMPARE(history.last().second, seconds - 1);
    QCOMPARE(history.first().second, std::max(0, seconds - RttTrack::kSeconds));
    QCOMPARE(history.last().statuses, perSecond);
    QCOMPARE(track.recent().size(), std::min(seconds * perSecond, RttTrack::kRecent));
}

void TestRttSeries::samplesPerSecondCapped()
{
    RttTrack track;
    const int answers = RttTrack::kMaxSamplesPerSecond + 500;
    // The first kMaxSamplesPerSecond are fast, the ones over the cap slow: they are counted,
    // not kept, so they cannot move the percentiles.
    for (int i = 0; i < answers; ++i)
        track.addRoundTrip(1000, i < RttTrack::kMaxSamplesPerSecond ? 2.0 : 900.0);
    QCOMPARE(track.openSamples(), RttTrack::kMaxSamplesPerSecond);
    const RttSecond second = track.history(1999).constFirst();
    QCOMPARE(second.answers, answers);
    QVERIFY(second.capped);
    QCOMPARE(second.p99Ms, 2.0);
    track.addRoundTrip(2000, 3.0); // a new second starts uncapped
    QCOMPARE(track.openSamples(), 1);
    QVERIFY(!track.history(2999).constLast().capped);
}

void TestRttSeries::recentRoundTrips()
{
    RttTrack track;
    QCOMPARE(track.lastRoundTripMs(), -1.0);
    QVERIFY(track.recent().isEmpty());
    for (int i = 1; i <= RttTrack::kRecent + 10; ++i)
        track.addRoundTrip(1000 + i, i);
    const QList<double> recent = track.recent();
    QCOMPARE(recent.size(), RttTrack::kRecent);
    QCOMPARE(recent.first(), 11.0); // oldest first
    QCOMPARE(recent.last(), double(RttTrack::kRecent + 10));
    QCOMPARE(track.lastRoundTripMs(), double(RttTrack::kRecent + 10));
}

void TestRttSeries::perDeviceAndTotal_data()
{
    QTest::addColumn<bool>("secondTotalOnly");
    QTest::newRow("two devices with tracks") << false;
    QTest::newRow("second device counted in the total only") << true;
}

void TestRttSeries::perDeviceAndTotal()
{
    QFETCH(bool, secondTotalOnly);

    qint64 clock = 10'000;
    RttSeries series;
    series.setClock([&clock] { return clock; });
    DeviceSession lamp, button;
    series.attach(&lamp);
    series.attach(&button, secondTotalOnly ? RttSeries::Track::TotalOnly : RttSeries::Track::Own);
    series.attach(&lamp, RttSeries::Track::TotalOnly); // a second attach changes nothing
    QVERIFY(series.isAttached(&lamp) && series.isAttached(&button));

    series.recordStatus(&lamp);
    series.recordRoundTrip(&lamp, 2);
    series.recordStatus(&button);
    series.recordRoundTrip(&button, 8);
    series.recordError(&button);
    clock = 11'000;
    series.recordStatus(&lamp);
    series.recordRoundTrip(&lamp, 4);

    QVERIFY(series.track(&lamp));
    QCOMPARE(describe(series.track(&lamp)->history(clock)),
             (QStringList{QStringLiteral("10 1/1/0 2/2"), QStringLiteral("11 1/1/0 4/4")}));
    if (secondTotalOnly) {
        QVERIFY(!series.track(&button));
    } else {
        QCOMPARE(describe(series.track(&button)->history(clock)),
                 QStringList{QStringLiteral("10 1/1/1 8/8")});
    }
    QCOMPARE(describe(series.total().history(clock)),
             (QStringList{QStringLiteral("10 2/2/1 2/8"), QStringLiteral("11 1/1/0 4/4")}));

    series.detach(&lamp);
    QVERIFY(!series.track(&lamp));
    QVERIFY(!series.isAttached(&lamp));
    // The total keeps what the device added while it was there.
    QCOMPARE(series.total().history(clock).size(), 2);
}

void TestRttSeries::attachedSessionForgottenWhenDestroyed()
{
    RttSeries series;
    auto* session = new DeviceSession;
    series.attach(session);
    QVERIFY(series.track(session));
    delete session;
    QVERIFY(!series.isAttached(session));
}

void TestRttSeries::updatesCoalesced()
{
    RttSeries series;
    series.setClock([] { return qint64(42'000); }); // every record in one second
    QSignalSpy updated(&series, &RttSeries::updated);
    DeviceSession device;
    series.attach(&device);
    for (int i = 0; i < 1000; ++i) {
        series.recordStatus(&device);
        series.recordRoundTrip(&device, 1);
    }
    QVERIFY(updated.isEmpty()); // never from inside a record
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, fleet::test::kWaitMs);
    // One more record gives exactly one more signal: the thousand above were told once.
    series.recordError(&device);
    QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 2, fleet::test::kWaitMs);
    QCOMPARE(series.total().history(series.now()).constLast().answers, 1000);
}

QTEST_GUILESS_MAIN(TestRttSeries)
#include "tst_rttseries.moc"
