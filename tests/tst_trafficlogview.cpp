#include "framecodec.h"
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

QTEST_MAIN(tst_TrafficLogView)
#include "tst_trafficlogview.moc"
