#include "framecodec.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "internalclient.h"
#include "modulecatalog.h"
#include "trafficlogexport.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"

#include "frames.h"
#include "identities.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;
using namespace fleet::test; // shared identities and frame builders

namespace {

// The payload the n-th test status carries, so that a row tells which append it came from.
QByteArray numbered(int n)
{
    return QByteArray("status ") + QByteArray::number(n);
}

int numberOf(const TrafficFrame& frame)
{
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    return decoded.payload.mid(7).toInt();
}

void appendStatus(TrafficLogModel& model, int n, const QString& device = QStringLiteral("d"))
{
    model.appendFrame(device, TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(button(), numbered(n)));
}

// RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks.
QList<QByteArrayList> parseCsv(const QByteArray& text)
{
    QList<QByteArrayList> rows;
    QByteArrayList row;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.append(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty()) {
        row.append(field);
        rows.append(row);
    }
    return rows;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class tst_TrafficLog : public QObject {
    Q_OBJECT
private slots:
    void classify_data();
    void classify();
    void summaryUsesModuleCatalog();
    void roundTripsPairRequestsAndAnswers();
    void pushedCommandAfterTheFact();
    void protocolErrorIsARow();
    void appendsAreCoalesced();
    void capDropsOldest_data();
    void capDropsOldest();
    void shrinkingCapacityDrops();
    void clearForgetsRowsAndDrops();
    void byteBudgetCutsLargeFramesThenDrops();
    void filters_data();
    void filters();
    void filterFollowsLiveAppends();
    void filterChangeIsOneLayoutChange();
    void hexDumpShowsTheHeader();
    void exportRoundTrip_data();
    void exportRoundTrip();
    void exportOfFilteredRows();
    void exportErrorNamesTheFile();
    void asyncExportKeepsTheLogLive();
    void liveClientAndGatewayAreLogged();
};

void tst_TrafficLog::classify_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("responseType");
    QTest::addColumn<QString>("noteContains");

    const auto up = int(TrafficDirection::DeviceToGateway);
    const auto down = int(TrafficDirection::GatewayToDevice);
    const DeviceIdentity device = button();
    QTest::newRow("connect") << up << connectFrame(device) << int(TrafficKind::Connect) << -1
                             << QString();
    QTest::newRow("connect response OK") << down << connectResponseFrame(device)
                                         << int(TrafficKind::ConnectResponse) << 0 << QString();
    QTest::newRow("connect response MODULE_NOT_SUPPORTED")
        << down << connectResponseFrame(device, 2) << int(TrafficKind::ConnectResponse) << 2
        << QString();
    QTest::newRow("status") << up << statusFrame(device, "{\"pressed\": true}")
                            << int(TrafficKind::Status) << -1 << QString();
    // Without a status waiting for it, a command is one nobody asked for.
    QTest::newRow("unasked command") << down << commandFrame(device, "{\"lit_up\": true}")
                                     << int(TrafficKind::PushedCommand) << -1 << QString();
    QTest::newRow("zero-length frame to gateway")
        << up << QByteArray(4, '\0') << int(TrafficKind::Malformed) << -1
        << QStringLiteral("neither deviceConnect nor deviceStatus");
    QTest::newRow("zero-length frame to device")
        << down << QByteArray(4, '\0') << int(TrafficKind::Malformed) << -1
        << QStringLiteral("neither deviceConnectResponse nor deviceCommand");
    QTest::newRow("garbage body") << down << frameAround(garbageBody())
                                  << int(TrafficKind::Malformed) << -1
                                  << QStringLiteral("do not parse as InternalServer");
    QTest::newRow("header announces more than the frame holds")
        << up << statusFrame(device, "x").chopped(1) << int(TrafficKind::Malformed) << -1
        << QStringLiteral("announces");
    QTest::newRow("shorter than a header")
        << up << QByteArray("\x01\x00", 2) << int(TrafficKind::Malformed) << -1
        << QStringLiteral("4-byte length header");
}

void tst_TrafficLog::classify()
{
    QFETCH(int, direction);
    QFETCH(QByteArray, wire);
    QFETCH(int, kind);
    QFETCH(int, responseType);
    QFETCH(QString, noteContains);

    TrafficLogModel model;
    model.appendFrame(QStringLiteral("dev"), TrafficSide::Device, TrafficDirection(direction),
                      wire);
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    const TrafficFrame& frame = model.frame(0);
    QCOMPARE(int(frame.kind), kind);
    QCOMPARE(int(frame.responseType), responseType);
    QCOMPARE(frame.wire, wire); // the exact bytes, header included
    QCOMPARE(model.data(model.index(0, TrafficLogModel::SizeColumn)).toInt(), wire.size());
    const QString summary = model.summary(0);
    QVERIFY(!summary.isEmpty());
    if (!noteContains.isEmpty())
        QVERIFY2(summary.contains(noteContains), qPrintable(summary));
    if (responseType > 0) {
        const QString kindText = model.data(model.index(0, TrafficLogModel::KindColumn)).toString();
        QVERIFY2(kindText.contains(responseTypeName(responseType)), qPrintable(kindText));
    }
}

void tst_TrafficLog::summaryUsesModuleCatalog()
{
    const DeviceIdentity device = button();
    TrafficLogModel model;
    model.appendFrame("d", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(device, "{\"pressed\": true}"));
    model.appendFrame("d", TrafficSide::Device, TrafficDirection::GatewayToDevice,
                      commandFrame(device, "{\"lit_up\": false}"));
    model.appendFrame("d", TrafficSide::Device, TrafficDirection::GatewayToDevice,
                      commandFrame(device, ""));
    model.appendFrame("d", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      connectFrame(device));
    model.flush();
    QCOMPARE(model.summary(0),
             ModuleCatalog::describeStatus(ModuleNumber::Example, "{\"pressed\": true}"));
    QCOMPARE(model.summary(1),
             ModuleCatalog::describeCommand(ModuleNumber::Example, "{\"lit_up\": false}"));
    QCOMPARE(model.summary(2), QStringLiteral("empty: nothing new"));
    QVERIFY2(model.summary(3).contains(ModuleCatalog::moduleName(ModuleNumber::Example)),
             qPrintable(model.summary(3)));
    QCOMPARE(model.data(model.index(0, TrafficLogModel::SummaryColumn)).toString(),
             model.summary(0));
}

void tst_TrafficLog::roundTripsPairRequestsAndAnswers()
{
    const DeviceIdentity device = button();
    TrafficLogModel model;
    const auto up = TrafficDirection::DeviceToGateway;
    const auto down = TrafficDirection::GatewayToDevice;
    model.appendFrame("a", TrafficSide::Device, up, connectFrame(device));
    model.appendFrame("a", TrafficSide::Device, down, connectResponseFrame(device));
    model.appendFrame("a", TrafficSide::Device, up, statusFrame(device, "{\"pressed\": true}"));
    // Another device and the other side do not answer device a's status.
    model.appendFrame("b", TrafficSide::Device, down, commandFrame(device, "x"));
    model.appendFrame("a", TrafficSide::Gateway, down, commandFrame(device, "x"));
    model.appendFrame("a", TrafficSide::Device, down, commandFrame(device, "{\"lit_up\": false}"));
    model.appendFrame("a", TrafficSide::Device, down, commandFrame(device, "{\"lit_up\": true}"));
    model.flush();

    QCOMPARE(model.rowCount(), 7);
    QVERIFY(!model.frame(0).isAnswer());
    QVERIFY(model.frame(1).isAnswer());
    QCOMPARE(model.frame(3).kind, TrafficKind::PushedCommand);
    QCOMPARE(model.frame(4).kind, TrafficKind::PushedCommand);
    QCOMPARE(model.frame(5).kind, TrafficKind::Command);
    QVERIFY(model.frame(5).isAnswer());
    QVERIFY(model.frame(5).roundTripMs >= 0.f);
    QVERIFY(model.data(model.index(5, TrafficLogModel::RoundTripColumn))
                .toString()
                .endsWith(QStringLiteral(" ms")));
    QCOMPARE(model.frame(6).kind, TrafficKind::PushedCommand); // nothing was pending any more
    QVERIFY(!model.data(model.index(6, TrafficLogModel::RoundTripColumn)).isValid());
}

void tst_TrafficLog::pushedCommandAfterTheFact()
{
    const DeviceIdentity device = button();
    TrafficLogModel model;
    const auto up = TrafficDirection::DeviceToGateway;
    const auto down = TrafficDirection::GatewayToDevice;
    model.appendFrame("a", TrafficSide::Gateway, up, statusFrame(device, "s"));
    model.appendFrame("a", TrafficSide::Gateway, down, commandFrame(device, "pushed"));
    model.markLastCommandPushed("a", TrafficSide::Gateway);
    model.appendFrame("a", TrafficSide::Gateway, down, commandFrame(device, "answer"));
    model.flush();
    QCOMPARE(model.frame(1).kind, TrafficKind::PushedCommand);
    QVERIFY(!model.frame(1).isAnswer());
    QCOMPARE(model.frame(2).kind, TrafficKind::Command); // the status still waited for it
    QVERIFY(model.frame(2).isAnswer());
}

void tst_TrafficLog::protocolErrorIsARow()
{
    TrafficLogModel model;
    const DeviceIdentity device = button();
    model.appendFrame("a", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(device, "s"));
    model.appendProtocolError("a", TrafficSide::Device, TrafficDirection::GatewayToDevice,
                              "ServerTookTooLong: no answer within 250 ms",
                              QByteArray("\xff\xff\xff\x7f", 4));
    // The status was given up on: a later command is no answer to it.
    model.appendFrame("a", TrafficSide::Device, TrafficDirection::GatewayToDevice,
                      commandFrame(device, "late"));
    model.flush();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.frame(1).kind, TrafficKind::ProtocolError);
    QCOMPARE(model.summary(1), QStringLiteral("ServerTookTooLong: no answer within 250 ms"));
    QCOMPARE(model.frame(1).wire, QByteArray("\xff\xff\xff\x7f", 4));
    QVERIFY(model.data(model.index(1, 0), Qt::ForegroundRole).isValid());
    QCOMPARE(model.frame(2).kind, TrafficKind::PushedCommand);
}

void tst_TrafficLog::appendsAreCoalesced()
{
    TrafficLogModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy flushed(&model, &TrafficLogModel::rowsFlushed);
    for (int i = 0; i < 500; ++i)
        appendStatus(model, i);
    QCOMPARE(model.rowCount(), 0); // nothing reaches the views per frame
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 500, 5000);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 499);
    QCOMPARE(flushed.size(), 1);
    QCOMPARE(flushed.first().first().toInt(), 500);
    QCOMPARE(numberOf(model.frame(0)), 0);
    QCOMPARE(numberOf(model.frame(499)), 499);
}

void tst_TrafficLog::capDropsOldest_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("flushEvery"); // appends between flushes (bursts)

    QTest::newRow("under the cap") << 100 << 60 << 7;
    QTest::newRow("exactly the cap") << 100 << 100 << 100;
    QTest::newRow("one over the cap") << 100 << 101 << 1;
    QTest::newRow("many times over, small bursts") << 100 << 1234 << 13;
    QTest::newRow("many times over, one burst") << 100 << 1234 << 1234;
    QTest::newRow("burst larger than the cap after a partial fill") << 50 << 180 << 45;
    QTest::newRow("cap of one") << 1 << 10 << 3;
}

void tst_TrafficLog::capDropsOldest()
{
    QFETCH(int, capacity);
    QFETCH(int, frames);
    QFETCH(int, flushEvery);

    TrafficLogModel model;
    model.setCapacity(capacity);
    QSignalSpy droppedSpy(&model, &TrafficLogModel::droppedCountChanged);
    for (int i = 0; i < frames; ++i) {
        appendStatus(model, i);
        if ((i + 1) % flushEvery == 0)
            model.flush();
    }
    model.flush();

    const int expectedRows = qMin(capacity, frames);
    const int expectedDropped = frames - expectedRows;
    QCOMPARE(model.rowCount(), expectedRows);
    QCOMPARE(model.droppedCount(), qint64(expectedDropped));
    for (int row = 0; row < expectedRows; ++row)
        QCOMPARE(numberOf(model.frame(row)), expectedDropped + row);
    if (expectedDropped > 0) {
        QVERIFY(!droppedSpy.isEmpty());
        QCOMPARE(droppedSpy.last().first().toLongLong(), qint64(expectedDropped));
        QVERIFY2(model.droppedText().contains(QLocale().toString(expectedDropped)),
                 qPrintable(model.droppedText()));
    } else {
        QVERIFY(droppedSpy.isEmpty());
        QVERIFY(model.droppedText().isEmpty());
    }
}

void tst_TrafficLog::shrinkingCapacityDrops()
{
    TrafficLogModel model;
    for (int i = 0; i < 100; ++i)
        appendStatus(model, i);
    model.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setCapacity(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.droppedCount(), 90);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(numberOf(model.frame(0)), 90);

    model.setCapacity(50);
    for (int i = 100; i < 160; ++i)
        appendStatus(model, i);
    model.flush();
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(model.droppedCount(), 90 + 20);
    QCOMPARE(numberOf(model.frame(0)), 110);
    QCOMPARE(numberOf(model.frame(49)), 159);
}

void tst_TrafficLog::clearForgetsRowsAndDrops()
{
    TrafficLogModel model;
    model.setCapacity(5);
    for (int i = 0; i < 8; ++i)
        appendStatus(model, i);
    model.flush();
    appendStatus(model, 8); // pending, not flushed yet: cleared too
    QCOMPARE(model.droppedCount(), 3);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.droppedCount(), 0);
    QVERIFY(model.droppedText().isEmpty());
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    appendStatus(model, 9);
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(numberOf(model.frame(0)), 9);
}

// 100 statuses of 8 MiB must not hold 800 MiB: over the budget, the oldest large frames keep
// their head (row, size and summary stay), and when that is not enough the oldest rows go.
void tst_TrafficLog::byteBudgetCutsLargeFramesThenDrops()
{
    constexpr qint64 budget = 4 * 1024 * 1024;
    TrafficLogModel model;
    model.setByteBudget(budget);
    QSignalSpy announced(&model, &TrafficLogModel::droppedCountChanged);
    const QByteArray big(1024 * 1024, 'x'); // 1 MiB, a Text status the example module rejects
    for (int i = 0; i < 10; ++i) {
        model.appendFrame(QStringLiteral("d"), TrafficSide::Device,
                          TrafficDirection::DeviceToGateway,
                          statusFrame(button(), numbered(i) + ' ' + big));
        QVERIFY2(model.bytesHeld() <= budget + big.size() + 64,
                 qPrintable(QString::number(model.bytesHeld())));
    }
    model.flush();
    QCOMPARE(model.rowCount(), 10); // nothing dropped: cutting was enough
    QVERIFY(model.bytesHeld() <= budget);
    QVERIFY(model.cutCount() >= 6);
    QVERIFY(!announced.isEmpty());
    QVERIFY2(model.droppedText().contains(QStringLiteral("keep only their first")),
             qPrintable(model.droppedText()));
    const TrafficFrame& oldest = model.frame(0);
    QVERIFY(oldest.isCut());
    QCOMPARE(oldest.wire.size(), TrafficLogModel::kLargeFrameBytes);
    QVERIFY(oldest.size() > 1024 * 1024);
    QCOMPARE(model.data(model.index(0, TrafficLogModel::SizeColumn)).toLongLong(), oldest.size());
    QVERIFY(!model.summary(0).isEmpty());
    QCOMPARE(model.summary(0), model.summary(0)); // cached, stable
    QVERIFY(!model.frame(9).isCut());             // the newest keeps every byte

    // Small frames cannot be cut: the oldest rows go.
    for (int i = 0; i < 5000; ++i)
        appendStatus(model, 100 + i);
    model.setByteBudget(TrafficLogModel::kLargeFrameBytes);
    QVERIFY(model.bytesHeld() <= TrafficLogModel::kLargeFrameBytes);
    QVERIFY(model.droppedCount() > 0);
    QCOMPARE(numberOf(model.frame(model.rowCount() - 1)), 5099);
    QVERIFY2(model.droppedText().contains(QStringLiteral("older frames dropped")),
             qPrintable(model.droppedText()));
    model.clear();
    QCOMPARE(model.bytesHeld(), 0);
}

void tst_TrafficLog::filters_data()
{
    QTest::addColumn<QString>("device");
    QTest::addColumn<int>("direction"); // -1: any
    QTest::addColumn<int>("side");      // -1: any
    QTest::addColumn<quint32>("kinds");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expectedRows");

    const quint32 all = TrafficLogFilter::kAllKinds;
    const quint32 errors = TrafficLogFilter::kindBit(TrafficKind::Malformed) |
                           TrafficLogFilter::kindBit(TrafficKind::ProtocolError);
    const quint32 commands = TrafficLogFilter::kindBit(TrafficKind::Command) |
                             TrafficLogFilter::kindBit(TrafficKind::PushedCommand);
    // The fixture: per device "alpha" and "beta", each side logs connect, response, status,
    // command (8 rows per device); then a malformed frame and a protocol error for alpha.
    QTest::newRow("no filter") << QString() << -1 << -1 << all << QString() << 18;
    QTest::newRow("device alpha") << "alpha" << -1 << -1 << all << QString() << 10;
    QTest::newRow("device to gateway")
        << QString() << int(TrafficDirection::DeviceToGateway) << -1 << all << QString() << 9;
    QTest::newRow("gateway side") << QString() << -1 << int(TrafficSide::Gateway) << all
                                  << QString() << 9;
    QTest::newRow("errors only") << QString() << -1 << -1 << errors << QString() << 2;
    QTest::newRow("commands of beta from the device side")
        << "beta" << -1 << int(TrafficSide::Device) << commands << QString() << 1;
    QTest::newRow("text in the decoded summary, any case")
        << QString() << -1 << -1 << all << "LIT_UP" << 4;
    QTest::newRow("text in the kind") << QString() << -1 << -1 << all << "protocol error" << 1;
    QTest::newRow("two words must both match")
        << QString() << -1 << -1 << all << "lit_up beta" << 2;
    QTest::newRow("no such text") << QString() << -1 << -1 << all << "no-such-word" << 0;
    QTest::newRow("nothing shown") << QString() << -1 << -1 << 0u << QString() << 0;
}

void tst_TrafficLog::filters()
{
    QFETCH(QString, device);
    QFETCH(int, direction);
    QFETCH(int, side);
    QFETCH(quint32, kinds);
    QFETCH(QString, text);
    QFETCH(int, expectedRows);

    TrafficLogModel model;
    for (const QString& label : {QStringLiteral("alpha"), QStringLiteral("beta")}) {
        const DeviceIdentity identity = button(label);
        for (TrafficSide s : {TrafficSide::Device, TrafficSide::Gateway}) {
            model.appendFrame(label, s, TrafficDirection::DeviceToGateway, connectFrame(identity));
            model.appendFrame(label, s, TrafficDirection::GatewayToDevice,
                              connectResponseFrame(identity));
            model.appendFrame(label, s, TrafficDirection::DeviceToGateway,
                              statusFrame(identity, "{\"pressed\": true}"));
            model.appendFrame(label, s, TrafficDirection::GatewayToDevice,
                              commandFrame(identity, "{\"lit_up\": false}"));
        }
    }
    model.appendFrame("alpha", TrafficSide::Device, TrafficDirection::GatewayToDevice,
                      frameAround(QByteArray("\xff\xff", 2)));
    model.appendProtocolError("alpha", TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                              "a status before a successful connect");
    model.flush();

    TrafficLogFilter filter;
    filter.setSourceModel(&model);
    // By default the gateway's copies of frames a device logged itself are hidden: the 8 rows
    // of the devices plus the two error rows.
    QCOMPARE(filter.rowCount(), 10);
    filter.setOneRowPerFrame(false); // the rows below count both sides
    QCOMPARE(filter.rowCount(), 18);
    filter.setDeviceFilter(device);
    if (direction >= 0)
        filter.setDirectionFilter(TrafficDirection(direction));
    if (side >= 0)
        filter.setSideFilter(TrafficSide(side));
    filter.setShownKinds(kinds);
    filter.setTextFilter(text);
    QCOMPARE(filter.rowCount(), expectedRows);
    for (int row = 0; row < filter.rowCount(); ++row) {
        const TrafficFrame& frame = filter.frameAt(row);
        if (!device.isEmpty())
            QCOMPARE(model.deviceName(frame), device);
        if (direction >= 0)
            QCOMPARE(int(frame.direction), direction);
        if (side >= 0)
            QCOMPARE(int(frame.side), side);
        QVERIFY(kinds & TrafficLogFilter::kindBit(frame.kind));
    }
    // Every criterion off again: everything is back.
    filter.setDeviceFilter({});
    filter.setDirectionFilter(std::nullopt);
    filter.setSideFilter(std::nullopt);
    filter.setShownKinds(TrafficLogFilter::kAllKinds);
    filter.setTextFilter({});
    QCOMPARE(filter.rowCount(), 18);
}

void tst_TrafficLog::filterFollowsLiveAppends()
{
    TrafficLogModel model;
    model.setCapacity(10);
    TrafficLogFilter filter;
    filter.setSourceModel(&model);
    filter.setDeviceFilter("even");
    for (int i = 0; i < 30; ++i)
        appendStatus(model, i, i % 2 ? QStringLiteral("odd") : QStringLiteral("even"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 10, 5000);
    QCOMPARE(filter.rowCount(), 5);
    QCOMPARE(numberOf(filter.frameAt(0)), 20);
    QCOMPARE(numberOf(filter.frameAt(4)), 28);
}

// Clearing a filter that showed every other row makes 500 runs of rows appear: announced run by
// run, a view re-lays out 500 times (seconds over a full log); as one layout change, once.
void tst_TrafficLog::filterChangeIsOneLayoutChange()
{
    TrafficLogModel model;
    TrafficLogFilter filter;
    filter.setSourceModel(&model);
    for (int i = 0; i < 1000; ++i)
        appendStatus(model, i, i % 2 ? QStringLiteral("odd") : QStringLiteral("even"));
    model.flush();
    filter.setDeviceFilter("even");
    QCOMPARE(filter.rowCount(), 500);

    QSignalSpy inserted(&filter, &QAbstractItemModel::rowsInserted);
    QSignalSpy layout(&filter, &QAbstractItemModel::layoutChanged);
    filter.setDeviceFilter(QString());
    QCOMPARE(filter.rowCount(), 1000);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(layout.count(), 1);
    QCOMPARE(numberOf(filter.frameAt(999)), 999);

    // The text filter finds words of the decoded summary, from the cache the second time.
    // Every word somewhere: 99, 199, …, 999 and 990…998.
    filter.setTextFilter(QStringLiteral("STATUS 99"));
    QCOMPARE(filter.rowCount(), 19);
    filter.setTextFilter(QStringLiteral("odd 99")); // 99, 199, …, 999 and 991, 993, 995, 997
    QCOMPARE(filter.rowCount(), 14);
    filter.setTextFilter(QStringLiteral("STATUS 99"));
    QCOMPARE(filter.rowCount(), 19);
}

void tst_TrafficLog::hexDumpShowsTheHeader()
{
    // Name "b": the payload then starts 8 bytes into the second dump line.
    const DeviceIdentity shortName = button(QStringLiteral("button"), 0, QStringLiteral("b"));
    const QByteArray wire = statusFrame(shortName, "{\"pressed\": true}");
    const QString dump = trafficHexDump(wire);
    // The first line starts at offset 0 with the little-endian length.
    const QString header =
        QStringLiteral("%1 00 00 00").arg(wire.size() - 4, 2, 16, QLatin1Char('0'));
    QVERIFY2(dump.startsWith(QStringLiteral("00000000  ") + header), qPrintable(dump));
    QVERIFY2(dump.contains(QStringLiteral("{\"presse|")), qPrintable(dump));

    const QString capped = trafficHexDump(QByteArray(100, 'a'), 32);
    QVERIFY2(capped.contains(QStringLiteral("68 more bytes")), qPrintable(capped));
}

void tst_TrafficLog::exportRoundTrip_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("utf8");

    const QList<std::tuple<const char*, QByteArray, bool>> payloads{
        {"json text", QByteArray("{\"pressed\": true}"), true},
        {"binary with NUL and 0xff", QByteArray("\x00\x01\xff\xfe\x80 bin", 9), false},
        {"quotes, commas, CR LF", QByteArray("a,\"b\"\r\nc\n,\"\"", 13), true},
        {"leading BOM", QByteArray("\xef\xbb\xbfhi", 5), true},
        {"non-ASCII UTF-8", QByteArray("Zagreb – Čakovec ✓"), true},
        {"cut UTF-8 sequence", QByteArray("ok \xe2\x9c", 5), false},
        {"empty", QByteArray(), true},
    };
    for (const auto& [name, payload, utf8] : payloads) {
        QTest::addRow("jsonl: %s", name) << int(TrafficExportFormat::JsonLines) << payload << utf8;
        QTest::addRow("csv: %s", name) << int(TrafficExportFormat::Csv) << payload << utf8;
    }
}

void tst_TrafficLog::exportRoundTrip()
{
    QFETCH(int, format);
    QFETCH(QByteArray, payload);
    QFETCH(bool, utf8);

    const DeviceIdentity device = button(QStringLiteral("role, with \"quotes\""));
    TrafficLogModel model;
    const QString label = device.toString();
    model.appendFrame(label, TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(device, payload));
    model.appendFrame(label, TrafficSide::Gateway, TrafficDirection::GatewayToDevice,
                      commandFrame(device, payload));
    model.appendFrame(label, TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      connectFrame(device));
    model.appendProtocolError(label, TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                              "cut, \"header\"\nsecond line", QByteArray("\x05\x00", 2));
    model.flush();
    const TrafficSnapshot snapshot = model.snapshot();

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path =
        dir.filePath(format == int(TrafficExportFormat::Csv) ? "log.csv" : "log.jsonl");
    const TrafficExportResult result = writeTrafficLog(snapshot, path, TrafficExportFormat(format));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.rows, 4);
    const QByteArray written = readAll(path);

    struct Row {
        QString time, device, kind, summary;
        QByteArray frame, payloadBase64;
        bool hasPayload = false, hasText = false;
        QByteArray textBytes;
    };
    QList<Row> rows;
    if (format == int(TrafficExportFormat::JsonLines)) {
        QVERIFY(written.endsWith('\n'));
        for (const QByteArray& line : written.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error;
            const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
            Row row;
            row.time = object["time"].toString();
            row.device = object["device"].toString();
            row.kind = object["kind"].toString();
            row.summary = object["summary"].toString();
            row.frame = QByteArray::fromBase64(object["frame_base64"].toString().toLatin1());
            row.hasPayload = object["payload"].isObject();
            const QJsonObject payloadObject = object["payload"].toObject();
            row.payloadBase64 =
                QByteArray::fromBase64(payloadObject["base64"].toString().toLatin1());
            row.hasText = payloadObject.contains("text");
            row.textBytes = payloadObject["text"].toString().toUtf8();
            rows.append(row);
        }
    } else {
        const QList<QByteArrayList> csv = parseCsv(written);
        QCOMPARE(csv.size(), 5);
        QCOMPARE(csv[0].join(','), trafficCsvHeader().trimmed());
        const QByteArrayList header = csv[0];
        for (qsizetype i = 1; i < csv.size(); ++i) {
            QCOMPARE(csv[i].size(), header.size());
            auto field = [&](const char* name) { return csv[i][header.indexOf(name)]; };
            Row row;
            row.time = QString::fromUtf8(field("time"));
            row.device = QString::fromUtf8(field("device"));
            row.kind = QString::fromUtf8(field("kind"));
            row.summary = QString::fromUtf8(field("summary"));
            row.frame = QByteArray::fromBase64(field("frame_base64"));
            row.payloadBase64 = QByteArray::fromBase64(field("payload_base64"));
            row.hasPayload = row.kind == "status" || row.kind.contains("command");
            // CSV has no "absent": an empty text column with a non-empty payload means "no text".
            row.hasText = !field("payload_text").isEmpty() || row.payloadBase64.isEmpty();
            row.textBytes = field("payload_text");
            rows.append(row);
        }
    }

    QCOMPARE(rows.size(), 4);
    for (int i = 0; i < 4; ++i) {
        const TrafficFrame& frame = snapshot.frames[i];
        QCOMPARE(rows[i].frame, frame.wire); // byte-exact, header included
        QCOMPARE(rows[i].device, label);
        QCOMPARE(rows[i].summary, summarizeFrame(frame));
        QCOMPARE(rows[i].kind, trafficKindKey(frame.kind));
        QCOMPARE(QDateTime::fromString(rows[i].time, Qt::ISODateWithMs).toMSecsSinceEpoch(),
                 frame.timeMs);
    }
    for (int i : {0, 1}) {
        QVERIFY(rows[i].hasPayload);
        QCOMPARE(rows[i].payloadBase64, payload);
        QCOMPARE(rows[i].hasText, utf8);
        if (utf8)
            QCOMPARE(rows[i].textBytes, payload);
    }
    QVERIFY(!rows[2].hasPayload);
    QCOMPARE(rows[3].kind, QStringLiteral("protocol_error"));
    QCOMPARE(rows[3].summary, QStringLiteral("cut, \"header\"\nsecond line"));
}

void tst_TrafficLog::exportOfFilteredRows()
{
    TrafficLogModel model;
    for (int i = 0; i < 10; ++i)
        appendStatus(model, i, i < 3 ? QStringLiteral("few") : QStringLiteral("many"));
    model.flush();
    TrafficLogFilter filter;
    filter.setSourceModel(&model);
    filter.setDeviceFilter("few");
    QTemporaryDir dir;
    const QString path = dir.filePath("few.jsonl");
    const TrafficExportResult result =
        writeTrafficLog(filter.snapshot(), path, trafficExportFormatFor(path));
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.rows, 3);
    const QByteArrayList lines = readAll(path).trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    for (const QByteArray& line : lines)
        QCOMPARE(QJsonDocument::fromJson(line).object()["device"].toString(),
                 QStringLiteral("few"));
    QCOMPARE(trafficExportFormatFor("x.CSV"), TrafficExportFormat::Csv);
    // Export offers a name that says what and when, and is JSON Lines.
    const QString offered =
        defaultTrafficExportName(QDateTime(QDate(2026, 12, 1), QTime(10, 30, 12)));
    QCOMPARE(offered, QStringLiteral("fleet-traffic-2026-12-01-103012.jsonl"));
    QCOMPARE(trafficExportFormatFor(offered), TrafficExportFormat::JsonLines);
}

void tst_TrafficLog::exportErrorNamesTheFile()
{
    TrafficLogModel model;
    appendStatus(model, 1);
    model.flush();
    QTemporaryDir dir;
    const QString path = dir.filePath("no-such-folder/log.csv");
    const TrafficExportResult result =
        writeTrafficLog(model.snapshot(), path, TrafficExportFormat::Csv);
    QVERIFY(!result.ok);
    QVERIFY2(result.error.contains(path), qPrintable(result.error));
    QVERIFY(!QFile::exists(path));
}

void tst_TrafficLog::asyncExportKeepsTheLogLive()
{
    TrafficLogModel model;
    model.setCapacity(20'000);
    for (int i = 0; i < 20'000; ++i)
        appendStatus(model, i);
    model.flush();
    QTemporaryDir dir;
    const QString path = dir.filePath("big.csv");
    TrafficLogExporter exporter;
    QSignalSpy finished(&exporter, &TrafficLogExporter::finished);
    QVERIFY(exporter.start(model.snapshot(), path, TrafficExportFormat::Csv));
    QVERIFY(exporter.isRunning());
    QVERIFY(!exporter.start(model.snapshot(), path, TrafficExportFormat::Csv));
    // The live log keeps taking frames (and dropping old ones) while the export runs.
    for (int i = 20'000; i < 25'000; ++i)
        appendStatus(model, i);
    model.flush();
    QCOMPARE(model.rowCount(), 20'000);
    QCOMPARE(numberOf(model.frame(0)), 5'000);

    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60'000);
    const auto result = finished.first().first().value<TrafficExportResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.fileName, path);
    QCOMPARE(result.rows, 20'000);
    QVERIFY(!exporter.isRunning());
    const QList<QByteArrayList> csv = parseCsv(readAll(path));
    QCOMPARE(csv.size(), 20'001);
    const qsizetype frameColumn = csv[0].indexOf("frame_base64");
    QCOMPARE(QByteArray::fromBase64(csv[1][frameColumn]), statusFrame(button(), numbered(0)));
    QCOMPARE(QByteArray::fromBase64(csv.last()[frameColumn]),
             statusFrame(button(), numbered(19'999)));
}

void tst_TrafficLog::liveClientAndGatewayAreLogged()
{
    GatewayServer gateway;
    QVERIFY2(gateway.listen(QHostAddress::LocalHost, 0), qPrintable(gateway.errorString()));
    TrafficLogModel model;
    GatewayLink link(&gateway);
    model.attachGateway(&link);
    InternalClient client;
    model.attachClient(&client);

    const DeviceIdentity identity = button();
    QSignalSpy connected(&client, &InternalClient::connected);
    QCOMPARE(client.connectToServer("127.0.0.1", gateway.serverPort(), identity),
             InternalClient::Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 5000);
    QSignalSpy commands(&client, &InternalClient::commandReceived);
    QCOMPARE(client.sendStatus("{\"pressed\": true}", 2000), InternalClient::Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(commands.size(), 1, 5000);
    QString error;
    QVERIFY2(gateway.pushCommand(identity, "{\"lit_up\": true}", &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(commands.size(), 2, 5000);
    // The example module rejects this status: the gateway drops it without a word on the
    // wire, and only the log can say why.
    QSignalSpy failed(&client, &InternalClient::errorOccurred);
    QCOMPARE(client.sendStatus("{\"pressed\":true}", 2000), InternalClient::Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 15'000);
    model.flush();

    // Both sides logged the same device under the same label.
    QCOMPARE(model.devices(), QStringList{identity.toString()});
    auto rowsOf = [&](TrafficSide side, TrafficKind kind) {
        QList<int> rows;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.frame(row).side == side && model.frame(row).kind == kind)
                rows.append(row);
        }
        return rows;
    };
    for (TrafficSide side : {TrafficSide::Device, TrafficSide::Gateway}) {
        const QString sideName = trafficSideName(side);
        QVERIFY2(!rowsOf(side, TrafficKind::Connect).isEmpty(), qPrintable(sideName));
        const QList<int> responses = rowsOf(side, TrafficKind::ConnectResponse);
        QVERIFY2(!responses.isEmpty(), qPrintable(sideName));
        QCOMPARE(int(model.frame(responses.first()).responseType), 0);
        QVERIFY(model.frame(responses.first()).isAnswer());
        const QList<int> answers = rowsOf(side, TrafficKind::Command);
        QCOMPARE(answers.size(), 1);
        QVERIFY(model.frame(answers.first()).isAnswer());
        const QList<int> pushed = rowsOf(side, TrafficKind::PushedCommand);
        QCOMPARE(pushed.size(), 1);
        QCOMPARE(model.summary(pushed.first()),
                 ModuleCatalog::describeCommand(ModuleNumber::Example, "{\"lit_up\": true}"));
        const QList<int> errors = rowsOf(side, TrafficKind::ProtocolError);
        QVERIFY2(!errors.isEmpty(), qPrintable(sideName));
    }
    const QList<int> gatewayErrors = rowsOf(TrafficSide::Gateway, TrafficKind::ProtocolError);
    QVERIFY2(model.summary(gatewayErrors.first()).startsWith("no answer: "),
             qPrintable(model.summary(gatewayErrors.first())));
    const QList<int> deviceErrors = rowsOf(TrafficSide::Device, TrafficKind::ProtocolError);
    QVERIFY2(model.summary(deviceErrors.last())
                 .startsWith(InternalClient::errorName(
                     failed.first().first().value<InternalClient::Error>())),
             qPrintable(model.summary(deviceErrors.last())));
}

QTEST_MAIN(tst_TrafficLog)
#include "tst_trafficlog.moc"
