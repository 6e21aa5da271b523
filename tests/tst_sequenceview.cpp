// The Sequence dock against a live conversation: an in-process gateway on port 0 and a real
// device client. Arrows appear as frames are logged, the view follows unless paused, a click
// selects the frame in the traffic log, and the exports write what is in view.
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "internalclient.h"
#include "modulecatalog.h"
#include "sequencedock.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include "frames.h"
#include "identities.h"
#include "timing.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <memory>

using namespace fleet;
using namespace fleet::test;

namespace {

const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");

// The console's wiring in small: the log fed by the gateway and the device, the diagram on it.
struct Rig {
    GatewayServer gateway;
    GatewayLink link{&gateway};
    TrafficLogModel log;
    SequenceModel model{&log};
    InternalClient client;
    std::unique_ptr<TrafficLogView> traffic;
    std::unique_ptr<SequenceDock> dock;
    DeviceIdentity identity = button(QStringLiteral("button"), 0, QStringLiteral("b1"));
    int answered = 0;

    bool start()
    {
        if (!gateway.listen(QHostAddress::LocalHost, 0))
            return false;
        log.attachGateway(&link);
        log.attachClient(&client);
        model.attachGateway(&link);
        traffic = std::make_unique<TrafficLogView>(&log);
        dock = std::make_unique<SequenceDock>(&model, traffic.get());
        dock->resize(900, 320);
        dock->show();
        QObject::connect(&client, &InternalClient::statusAnswered, &client, [this] { ++answered; });
        return QTest::qWaitForWindowExposed(dock.get());
    }
    SequenceView* view() const { return dock->view(); }
    QScrollBar* scroll() const { return view()->verticalScrollBar(); }
};

// Statuses that alternate, so that no two pairs look alike and nothing folds into a group.
bool sendStatuses(Rig& rig, int count)
{
    for (int i = 0; i < count; ++i) {
        const int before = rig.answered;
        if (rig.client.sendStatus(i % 2 ? kReleased : kPressed, kWaitMs) !=
            InternalClient::Error::NoError)
            return false;
        if (!QTest::qWaitFor([&] { return rig.answered > before; }, kWaitMs))
            return false;
    }
    return true;
}

bool connectDevice(Rig& rig)
{
    QSignalSpy connected(&rig.client, &InternalClient::connected);
    if (rig.client.connectToServer(QStringLiteral("127.0.0.1"), rig.gateway.serverPort(),
                                   rig.identity) != InternalClient::Error::NoError)
        return false;
    return QTest::qWaitFor([&] { return connected.size() == 1; }, kWaitMs);
}

} // namespace

class tst_SequenceView : public QObject {
    Q_OBJECT
private slots:
    void arrowsAppear();
    void pauseStopsFollowing_data();
    void pauseStopsFollowing();
    void clickSelectsTheFrameInTheLog();
    void trafficDeviceFilterApplies();
    void exportsWriteWhatIsInView();
    void aHundredThousandRowsPaintOnlyWhatIsInView();
};

void tst_SequenceView::arrowsAppear()
{
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(connectDevice(rig));
    QVERIFY(sendStatuses(rig, 1));
    // Open mark, connect, OK, status, the module's answer: each frame once, though both the
    // device and the gateway logged it.
    QTRY_COMPARE_WITH_TIMEOUT(rig.model.rowCount(), 5, kWaitMs);
    QList<SequenceRole> roles;
    for (int row = 0; row < rig.model.rowCount(); ++row)
        roles << rig.model.message(row).role;
    QCOMPARE(roles, (QList<SequenceRole>{SequenceRole::OpenMark, SequenceRole::Request,
                                         SequenceRole::Answer, SequenceRole::Request,
                                         SequenceRole::ModuleAnswer}));
    QCOMPARE(rig.model.label(rig.model.message(3)), QStringLiteral("status: button pressed"));
    QCOMPARE(rig.model.lanes().size(), 3); // module, gateway, the device
    // Laid out in view: the answer's arrow runs from the module's lifeline to the device's.
    const SequenceLayout layout = rig.view()->layoutInView();
    QCOMPARE(layout.items.size(), 5);
    QCOMPARE(layout.items[4].x1, layout.lanes[0].x);
    QCOMPARE(layout.items[4].x2, layout.lanes[2].x);
    QVERIFY(!layout.items[4].roundTrip.isEmpty());
}

void tst_SequenceView::pauseStopsFollowing_data()
{
    QTest::addColumn<bool>("byScrolling");
    QTest::newRow("Pause button") << false;
    QTest::newRow("scrolling up") << true;
}

void tst_SequenceView::pauseStopsFollowing()
{
    QFETCH(bool, byScrolling);
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(connectDevice(rig));
    QVERIFY(sendStatuses(rig, 20));
    QTRY_VERIFY_WITH_TIMEOUT(rig.model.rowCount() >= 43, kWaitMs);
    QVERIFY(rig.scroll()->maximum() > 0);
    QTRY_COMPARE_WITH_TIMEOUT(rig.scroll()->value(), rig.scroll()->maximum(), kWaitMs);
    QVERIFY(rig.view()->isFollowing());

    auto* pause = rig.dock->findChild<QToolButton*>(QStringLiteral("pauseSequence"));
    auto* follow = rig.dock->findChild<QToolButton*>(QStringLiteral("followSequence"));
    QVERIFY(pause && follow);
    QVERIFY(!follow->isEnabled());
    if (byScrolling)
        rig.scroll()->setValue(rig.scroll()->maximum() / 2);
    else
        QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!rig.view()->isFollowing());
    QVERIFY(follow->isEnabled());
    const int held = rig.scroll()->value();
    const int firstInView = rig.view()->firstRowInView();
    const int rowsBefore = rig.model.rowCount();

    QVERIFY(sendStatuses(rig, 4));
    QTRY_VERIFY_WITH_TIMEOUT(rig.model.rowCount() >= rowsBefore + 8, kWaitMs);
    QCOMPARE(rig.scroll()->value(), held);
    QCOMPARE(rig.view()->firstRowInView(), firstInView);
    QVERIFY(rig.scroll()->maximum() > held);

    QTest::mouseClick(follow, Qt::LeftButton);
    QVERIFY(rig.view()->isFollowing());
    QCOMPARE(rig.scroll()->value(), rig.scroll()->maximum());
    QCOMPARE(rig.view()->firstRowInView() + rig.view()->rowCountInView(), rig.model.rowCount());
}

void tst_SequenceView::clickSelectsTheFrameInTheLog()
{
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(connectDevice(rig));
    QVERIFY(sendStatuses(rig, 2));
    QTRY_COMPARE_WITH_TIMEOUT(rig.model.rowCount(), 7, kWaitMs);
    const int statusRow = 5; // the second status
    const SequenceMessage message = rig.model.message(statusRow);
    QCOMPARE(message.role, SequenceRole::Request);
    const QRect rect = rig.view()->rowRect(statusRow);
    QVERIFY(rig.view()->viewport()->rect().contains(rect.center()));

    QSignalSpy clicked(rig.view(), &SequenceView::frameClicked);
    QTest::mouseClick(rig.view()->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(clicked.size(), 1);
    QCOMPARE(clicked.first().first().toLongLong(), message.seq);
    const QModelIndex current = rig.traffic->table()->currentIndex();
    QVERIFY(current.isValid());
    const QModelIndex source = rig.traffic->filter()->mapToSource(current);
    QCOMPARE(source.row(), rig.model.logRow(message.seq));
    const TrafficFrame& frame = rig.traffic->filter()->frameAt(current.row());
    QCOMPARE(frame.kind, TrafficKind::Status);
    QCOMPARE(frame.side, TrafficSide::Device);
    QVERIFY(!rig.traffic->autoScroll()); // the log holds still on the chosen frame
    QCOMPARE(rig.view()->selectedSeq(), message.seq);
}

void tst_SequenceView::trafficDeviceFilterApplies()
{
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(connectDevice(rig));
    QVERIFY(sendStatuses(rig, 1));
    // A second device that talks to the same gateway.
    InternalClient other;
    rig.log.attachClient(&other);
    const DeviceIdentity otherIdentity = button(QStringLiteral("other"), 0, QStringLiteral("b2"));
    QSignalSpy connected(&other, &InternalClient::connected);
    QCOMPARE(other.connectToServer("127.0.0.1", rig.gateway.serverPort(), otherIdentity),
             InternalClient::Error::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(rig.model.rowCount(), 8, kWaitMs);

    auto* combo = rig.traffic->findChild<QComboBox*>();
    QVERIFY(combo);
    combo->setCurrentIndex(combo->findData(otherIdentity.toString()));
    QCOMPARE(rig.model.deviceFilter(), otherIdentity.toString());
    QCOMPARE(rig.model.rowCount(), 3); // open, connect, OK
    QCOMPARE(rig.view()->layoutInView().lanes.size(), 3);
    combo->setCurrentIndex(0);
    QCOMPARE(rig.model.rowCount(), 8);
}

void tst_SequenceView::exportsWriteWhatIsInView()
{
    Rig rig;
    QVERIFY(rig.start());
    QVERIFY(connectDevice(rig));
    QVERIFY(sendStatuses(rig, 2));
    QTRY_COMPARE_WITH_TIMEOUT(rig.model.rowCount(), 7, kWaitMs);
    const SequenceLayout shown = rig.view()->layoutInView();
    QVERIFY(!shown.items.isEmpty());

    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("sequence.png"));
    QVERIFY2(rig.dock->exportPng(png), qPrintable(rig.dock->messageText()));
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), int(std::ceil(shown.width * rig.dock->devicePixelRatioF())));
    QCOMPARE(image.height(), int(std::ceil(shown.height * rig.dock->devicePixelRatioF())));
    // Not a blank page: the arrows' colours are in it.
    const QColor request = sequenceStroke(SequenceRole::Request).color;
    bool found = false;
    for (int y = 0; y < image.height() && !found; ++y) {
        for (int x = 0; x < image.width() && !found; ++x)
            found = image.pixelColor(x, y) == request;
    }
    QVERIFY(found);

    const QString svg = dir.filePath(QStringLiteral("sequence.svg"));
    QVERIFY2(rig.dock->exportSvg(svg), qPrintable(rig.dock->messageText()));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QCOMPARE(int(text.count("<g class=\"arrow\"")), 6); // connect, OK, two pairs
    QCOMPARE(int(text.count("<g class=\"mark\"")), 1);  // the TCP open

    QVERIFY(!rig.dock->exportPng(dir.filePath(QStringLiteral("missing/dir/x.png"))));
    QVERIFY(rig.dock->messageText().contains(QStringLiteral("Could not write")));
}

// The log's default cap of rows, none alike (nothing folds): the view lays out and paints the
// rows in view only.
void tst_SequenceView::aHundredThousandRowsPaintOnlyWhatIsInView()
{
    TrafficLogModel log;
    SequenceModel model(&log);
    const DeviceIdentity who =
        device(3, 0, QStringLiteral("testing_device"), 0, QStringLiteral("t"));
    const QString label = who.toString();
    for (int i = 0; i < TrafficLogModel::kDefaultCapacity / 2; ++i) {
        log.appendFrame(label, TrafficSide::Device, TrafficDirection::DeviceToGateway,
                        statusFrame(who, "Status " + QByteArray::number(i)));
        log.appendFrame(label, TrafficSide::Device, TrafficDirection::GatewayToDevice,
                        commandFrame(who, "\"default_command\""));
    }
    log.flush();
    QCOMPARE(model.rowCount(), TrafficLogModel::kDefaultCapacity);

    SequenceView view(&model);
    view.resize(1000, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.firstRowInView() + view.rowCountInView(), model.rowCount());
    const SequenceLayout shown = view.layoutInView();
    QVERIFY(shown.items.size() <= view.rowCountInView());
    QCOMPARE(shown.items.last().label, QStringLiteral("command: ") + ModuleCatalog::describeCommand(
                                                                         3, "\"default_command\""));

    // A repaint lays out the same rows again, not the hundred thousand (no timing asserted:
    // speed belongs to fleet-bench, not to a test).
    view.viewport()->repaint();
    QCOMPARE(view.layoutInView().items.size(), shown.items.size());
}

QTEST_MAIN(tst_SequenceView)
#include "tst_sequenceview.moc"
