#include "framecodec.h"
#include "modulecatalog.h"
#include "trafficlogdetail.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include "frames.h"
#include "identities.h"

#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;
using namespace fleet::test; // shared identities and frame builders

namespace {

// A status and its answer per device, `rounds` times.
void fill(TrafficLogModel& model, const QStringList& roles, int rounds)
{
    for (int round = 0; round < rounds; ++round) {
        for (const QString& role : roles) {
            const DeviceIdentity identity = button(role);
            model.appendFrame(role, TrafficSide::Device, TrafficDirection::DeviceToGateway,
                              statusFrame(identity, "{\"pressed\": true}"));
            model.appendFrame(role, TrafficSide::Device, TrafficDirection::GatewayToDevice,
                              commandFrame(identity, "{\"lit_up\": false}"));
        }
    }
    model.flush();
}

void selectRow(TrafficLogView& view, int row)
{
    view.table()->setCurrentIndex(view.filter()->index(row, 0));
}

} // namespace

class tst_TrafficLogView : public QObject {
    Q_OBJECT
private slots:
    void deviceComboFilters();
    void textFilterAppliesAfterTyping();
    void detailShowsEnvelopePayloadAndWire_data();
    void detailShowsEnvelopePayloadAndWire();
    void malformedFrameDetail();
    void copyPayloadToComposer_data();
    void copyPayloadToComposer();
    void autoScrollFollowsUnlessPaused();
    void droppedFramesAreAnnounced();
    void droppedSelectionKeepsDetail();
    void exportWritesWhatIsShown();
    void exportErrorIsShown();
    void oneRowPerFrameByDefault();
    void deviceColumnIsReadable();
    void viewConfigRoundTrips();
};

void tst_TrafficLogView::deviceComboFilters()
{
    TrafficLogModel model;
    fill(model, {"alpha", "beta"}, 3);
    TrafficLogView view(&model);
    auto* combo = view.findChild<QComboBox*>();
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3); // all devices, alpha, beta
    QCOMPARE(view.filter()->rowCount(), 12);
    combo->setCurrentIndex(combo->findData("beta"));
    QCOMPARE(view.filter()->rowCount(), 6);
    for (int row = 0; row < 6; ++row)
        QCOMPARE(model.deviceName(view.filter()->frameAt(row)), QStringLiteral("beta"));

    // A device that appears later becomes selectable.
    fill(model, {"gamma"}, 1);
    QCOMPARE(combo->findData("gamma"), 3);
    combo->setCurrentIndex(0);
    QCOMPARE(view.filter()->rowCount(), 14);
}

void tst_TrafficLogView::textFilterAppliesAfterTyping()
{
    TrafficLogModel model;
    fill(model, {"alpha", "beta"}, 2);
    TrafficLogView view(&model);
    auto* text = view.findChild<QLineEdit*>();
    QVERIFY(text);
    QTest::keyClicks(text, "beta pushed");
    QCOMPARE(view.filter()->rowCount(), 8); // not per keystroke
    QTRY_COMPARE(view.filter()->rowCount(), 0);
    text->setText("beta");
    view.applyTextFilter();
    QCOMPARE(view.filter()->rowCount(), 4);
}

void tst_TrafficLogView::detailShowsEnvelopePayloadAndWire_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("textView");
    QTest::addColumn<QString>("jsonView");

    QTest::newRow("json status") << QByteArray("{\"pressed\":true}")
                                 << QStringLiteral("{\"pressed\":true}")
                                 << QStringLiteral("\"pressed\": true");
    QTest::newRow("plain text") << QByteArray("Status 7") << QStringLiteral("Status 7")
                                << QStringLiteral("no JSON");
    QTest::newRow("binary") << QByteArray("\x01\xff\x00", 3) << QStringLiteral("no UTF-8")
                            << QStringLiteral("no JSON");
}

void tst_TrafficLogView::detailShowsEnvelopePayloadAndWire()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, textView);
    QFETCH(QString, jsonView);

    TrafficLogModel model;
    const QByteArray wire = statusFrame(button("button"), payload);
    model.appendFrame("button", TrafficSide::Device, TrafficDirection::DeviceToGateway, wire);
    model.flush();
    TrafficLogView view(&model);
    selectRow(view, 0);
    TrafficLogDetail* detail = view.detail();
    QVERIFY(detail->hasFrame());
    QVERIFY2(detail->headline().contains("button"), qPrintable(detail->headline()));
    QVERIFY2(detail->headline().contains("status"), qPrintable(detail->headline()));

    const QString envelope = detail->envelopeText();
    QVERIFY2(envelope.contains("deviceStatus {"), qPrintable(envelope));
    QVERIFY2(envelope.contains("module: EXAMPLE_MODULE"), qPrintable(envelope));
    QVERIFY2(envelope.contains("deviceRole: \"button\""), qPrintable(envelope));
    QVERIFY2(envelope.contains("statusData:"), qPrintable(envelope));

    QCOMPARE(detail->payload(), payload);
    detail->setPayloadView(TrafficLogDetail::PayloadView::Text);
    QVERIFY2(detail->payloadText().contains(textView), qPrintable(detail->payloadText()));
    detail->setPayloadView(TrafficLogDetail::PayloadView::Json);
    QVERIFY2(detail->payloadText().contains(jsonView), qPrintable(detail->payloadText()));
    detail->setPayloadView(TrafficLogDetail::PayloadView::Hex);
    const QString firstHex = QStringLiteral("%1 ").arg(quint8(payload[0]), 2, 16, QLatin1Char('0'));
    QVERIFY2(detail->payloadText().startsWith(QStringLiteral("00000000  ") + firstHex),
             qPrintable(detail->payloadText()));

    // The wire pane starts with the length header: the exact bytes, not the message alone.
    const QString header =
        QStringLiteral("00000000  %1 00 00 00").arg(wire.size() - 4, 2, 16, QLatin1Char('0'));
    QVERIFY2(detail->wireText().startsWith(header), qPrintable(detail->wireText()));
}

void tst_TrafficLogView::malformedFrameDetail()
{
    TrafficLogModel model;
    model.appendFrame("x", TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                      frameAround(QByteArray("\xff\xff", 2)));
    model.appendProtocolError("x", TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                              "a status before a successful connect");
    model.flush();
    TrafficLogView view(&model);
    selectRow(view, 0);
    QVERIFY2(view.detail()->envelopeText().startsWith("Not a valid envelope"),
             qPrintable(view.detail()->envelopeText()));
    QVERIFY(!view.detail()->hasPayload());
    QVERIFY(!view.detail()->toComposerButton()->isEnabled());
    QVERIFY(view.detail()->wireText().startsWith("00000000  02 00 00 00 ff ff"));
    selectRow(view, 1);
    QCOMPARE(view.detail()->envelopeText(), QStringLiteral("a status before a successful connect"));
    QCOMPARE(view.detail()->wireText(), QStringLiteral("(no bytes)"));
}

void tst_TrafficLogView::copyPayloadToComposer_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("isCommand");
    QTest::newRow("status text") << QByteArray("{\"pressed\": false}") << false;
    QTest::newRow("binary command") << QByteArray("\x00\x01\x02\xff", 4) << true;
}

void tst_TrafficLogView::copyPayloadToComposer()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, isCommand);
    TrafficLogModel model;
    const DeviceIdentity identity = button("b");
    model.appendFrame("b", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      connectFrame(identity));
    model.appendFrame("b", TrafficSide::Device,
                      isCommand ? TrafficDirection::GatewayToDevice
                                : TrafficDirection::DeviceToGateway,
                      isCommand ? commandFrame(identity, payload) : statusFrame(identity, payload));
    model.flush();
    TrafficLogView view(&model);
    QSignalSpy spy(&view, &TrafficLogView::payloadToComposer);
    QPushButton* button = view.detail()->toComposerButton();

    selectRow(view, 0); // a connect carries no payload
    QVERIFY(!button->isEnabled());
    selectRow(view, 1);
    QVERIFY(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.first().first().toByteArray(), payload);
}

void tst_TrafficLogView::autoScrollFollowsUnlessPaused()
{
    TrafficLogModel model;
    TrafficLogView view(&model);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar* bar = view.table()->verticalScrollBar();

    fill(model, {"a"}, 200);
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    view.setAutoScroll(false);
    bar->setValue(0);
    // The view decides whether to scroll when the model announces a flush; this spy is
    // connected after the view, so once it saw the flush that completed the rows, a (wrong)
    // scroll would already have happened.
    QSignalSpy flushed(&model, &TrafficLogModel::rowsFlushed);
    fill(model, {"a"}, 200);
    QTRY_VERIFY(!flushed.isEmpty() && view.filter()->rowCount() == 800);
    QCOMPARE(bar->value(), 0);

    view.setAutoScroll(true); // resuming jumps to the newest frame
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void tst_TrafficLogView::droppedFramesAreAnnounced()
{
    TrafficLogModel model;
    model.setCapacity(10);
    TrafficLogView view(&model);
    QVERIFY(view.droppedText().isEmpty());
    fill(model, {"a"}, 10); // 20 frames into 10 rows
    QCOMPARE(model.droppedCount(), 10);
    QVERIFY2(view.droppedText().startsWith("10 older frames dropped"),
             qPrintable(view.droppedText()));
    model.clear();
    QVERIFY(view.droppedText().isEmpty());
}

void tst_TrafficLogView::droppedSelectionKeepsDetail()
{
    TrafficLogModel model;
    model.setCapacity(4);
    const DeviceIdentity identity = button("d");
    model.appendFrame("d", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(identity, "first"));
    model.flush();
    TrafficLogView view(&model);
    selectRow(view, 0);
    QCOMPARE(view.detail()->payload(), QByteArray("first"));
    for (int i = 0; i < 6; ++i)
        model.appendFrame("d", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                          statusFrame(identity, "later " + QByteArray::number(i)));
    model.flush();
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(view.detail()->payload(), QByteArray("first"));
}

void tst_TrafficLogView::exportWritesWhatIsShown()
{
    TrafficLogModel model;
    fill(model, {"alpha", "beta"}, 5);
    TrafficLogView view(&model);
    view.filter()->setDeviceFilter("alpha");
    // A frame that arrived a moment ago (not flushed yet) is part of the export.
    model.appendFrame("alpha", TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(button("alpha"), "fresh"));
    QTemporaryDir dir;
    const QString path = dir.filePath("alpha.jsonl");
    QSignalSpy finished(&view, &TrafficLogView::exportFinished);
    QVERIFY(view.exportTo(path));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30'000);
    const auto result = finished.first().first().value<TrafficExportResult>();
    QVERIFY2(result.ok, qPrintable(result.error));
    QCOMPARE(result.rows, 11);
    QVERIFY2(view.messageText().contains(path), qPrintable(view.messageText()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArrayList lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 11);
    QVERIFY(lines.last().contains("\"text\":\"fresh\""));
}

void tst_TrafficLogView::exportErrorIsShown()
{
    TrafficLogModel model;
    fill(model, {"a"}, 1);
    TrafficLogView view(&model);
    QTemporaryDir dir;
    const QString path = dir.filePath("missing/dir/log.csv");
    QSignalSpy finished(&view, &TrafficLogView::exportFinished);
    QVERIFY(view.exportTo(path));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30'000);
    QVERIFY(!finished.first().first().value<TrafficExportResult>().ok);
    QVERIFY2(view.messageText().contains(path), qPrintable(view.messageText()));
}

// A console device talking to the embedded gateway is logged by both; by default the view
// shows the device's row only, keeps the gateway's rows for devices the console does not run
// and the gateway's errors, and "Both sides' rows" shows everything.
void tst_TrafficLogView::oneRowPerFrameByDefault()
{
    const DeviceIdentity ours = button(QStringLiteral("ours"));
    const DeviceIdentity external = button(QStringLiteral("external"));
    TrafficLogModel model;
    // The gateway logs the connect before the device has logged anything of its own: it is
    // hidden once the device's first row arrives.
    model.appendFrame(ours.toString(), TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                      statusFrame(ours, "{}"));
    model.flush();
    TrafficLogView view(&model);
    QCOMPARE(view.filter()->rowCount(), 1);
    for (TrafficSide side : {TrafficSide::Device, TrafficSide::Gateway}) {
        model.appendFrame(ours.toString(), side, TrafficDirection::DeviceToGateway,
                          statusFrame(ours, "{\"pressed\": true}"));
        model.appendFrame(ours.toString(), side, TrafficDirection::GatewayToDevice,
                          commandFrame(ours, "{\"lit_up\": true}"));
    }
    model.appendFrame(external.toString(), TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                      statusFrame(external, "{}"));
    model.appendProtocolError(ours.toString(), TrafficSide::Gateway,
                              TrafficDirection::GatewayToDevice, QStringLiteral("no answer: late"));
    model.flush();

    QCOMPARE(model.rowCount(), 7);
    QCOMPARE(view.filter()->rowCount(), 4); // ours ×2 (device side), external, the error
    int gatewayRowsOfOurs = 0;
    for (int row = 0; row < view.filter()->rowCount(); ++row) {
        const TrafficFrame& frame = view.filter()->frameAt(row);
        if (frame.side == TrafficSide::Gateway && model.deviceName(frame) == ours.toString()) {
            QVERIFY(frame.isError());
            ++gatewayRowsOfOurs;
        }
    }
    QCOMPARE(gatewayRowsOfOurs, 1);

    auto* rows = view.findChildren<QComboBox*>().value(2);
    QVERIFY(rows);
    rows->setCurrentIndex(rows->findData(QStringLiteral("both")));
    QCOMPARE(view.filter()->rowCount(), 7);
    rows->setCurrentIndex(rows->findData(QStringLiteral("gateway")));
    QCOMPARE(view.filter()->rowCount(), 5);
    rows->setCurrentIndex(rows->findData(QStringLiteral("frame")));
    QCOMPARE(view.filter()->rowCount(), 4);
}

void tst_TrafficLogView::deviceColumnIsReadable()
{
    DeviceIdentity named = button(QStringLiteral("button"));
    named.name = QStringLiteral("lobby button");
    TrafficLogModel model;
    model.appendFrame(named.toString(), TrafficSide::Device, TrafficDirection::DeviceToGateway,
                      statusFrame(named, "{}"));
    model.appendConnectionEvent(QStringLiteral("connection #3 (127.0.0.1:5000)"),
                                QStringLiteral("closed"));
    model.flush();
    const QModelIndex device = model.index(0, TrafficLogModel::DeviceColumn);
    QCOMPARE(model.data(device).toString(),
             QStringLiteral("lobby button · ") + ModuleCatalog::deviceTypeName(1000, 0));
    QCOMPARE(model.data(device, Qt::ToolTipRole).toString(), named.toString());
    QCOMPARE(model.data(model.index(1, TrafficLogModel::DeviceColumn)).toString(),
             QStringLiteral("connection #3 (127.0.0.1:5000)"));
    // The device filter lists the readable name and filters by the exact label.
    TrafficLogView view(&model);
    auto* combo = view.findChildren<QComboBox*>().value(0);
    const int index = combo->findData(named.toString());
    QVERIFY(index > 0);
    QCOMPARE(combo->itemText(index), model.data(device).toString());
}

// What the operator set comes back: filters, switches and column widths.
void tst_TrafficLogView::viewConfigRoundTrips()
{
    TrafficLogModel model;
    fill(model, {"alpha", "beta"}, 1);
    TrafficViewConfig wanted;
    {
        TrafficLogView view(&model);
        QSignalSpy changed(&view, &TrafficLogView::viewConfigChanged);
        QList<QComboBox*> combos = view.findChildren<QComboBox*>();
        combos[0]->setCurrentIndex(combos[0]->findData(QStringLiteral("beta")));
        combos[1]->setCurrentIndex(2);
        combos[2]->setCurrentIndex(combos[2]->findData(QStringLiteral("both")));
        view.findChild<QLineEdit*>()->setText(QStringLiteral("lit_up"));
        view.applyTextFilter();
        view.setAutoScroll(false);
        view.table()->setColumnWidth(TrafficLogModel::DeviceColumn, 333);
        QVERIFY(changed.count() >= 5);
        wanted = view.viewConfig();
    }
    QCOMPARE(wanted.device, QStringLiteral("beta"));
    QCOMPARE(wanted.direction, QStringLiteral("gateway_to_device"));
    QCOMPARE(wanted.rows, QStringLiteral("both"));
    QVERIFY(!wanted.follow);

    TrafficLogView restored(&model);
    restored.applyViewConfig(wanted);
    QCOMPARE(restored.viewConfig(), wanted);
    QCOMPARE(restored.table()->columnWidth(TrafficLogModel::DeviceColumn), 333);
    QCOMPARE(restored.filter()->rowCount(), 1); // beta's command with lit_up
}

QTEST_MAIN(tst_TrafficLogView)
#include "tst_trafficlogview.moc"
