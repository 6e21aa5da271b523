// The connection state on screen is the truth: when the gateway closes an idle device's
// connection (takeover, operator kick, gateway stopped, an external gateway gone), the tab
// says so at once, and with the embedded gateway it says why.

#include "connectionindicator.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "elidedlabel.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "identityform.h"
#include "mainwindow.h"
#include "statuscomposer.h"
#include "trafficlogmodel.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace fleet;

namespace {

constexpr int kConnectWaitMs = 10000;
constexpr int kNoticeWithinMs = 1000; // what the operator is promised

class Console {
public:
    Console()
    {
        window = std::make_unique<MainWindow>(dir.filePath(QStringLiteral("console.ini")));
        window->startEmbeddedGateway(0); // port 0: never the developer's 8888
        // Asynchronous: the gateway's port arrives from the network thread.
        if (!QTest::qWaitFor([this] { return window->gateway()->isListening(); }, kConnectWaitMs))
            qWarning("the embedded gateway did not start"); // the test's checks then fail
        installConsoleDocks(window.get());
        traffic = window->findChild<TrafficLogModel*>();
        window->show();
    }
    DeviceSessionPage* page(int index = 0) const { return window->pages().value(index); }
    // The summaries of the console devices' local connection events, oldest first.
    QStringList connectionEvents() const
    {
        traffic->flush();
        QStringList events;
        for (int row = 0; row < traffic->rowCount(); ++row) {
            if (traffic->frame(row).kind == TrafficKind::Connection)
                events.append(traffic->summary(row));
        }
        return events;
    }

    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
    TrafficLogModel* traffic = nullptr;
};

} // namespace

class tst_ConnectionTruth : public QObject {
    Q_OBJECT
private slots:
    void closedIdleConnectionIsShown_data();
    void closedIdleConnectionIsShown();
    void connectedSinceCountsFromTheHandshake();
    void refusedConnectIsALocalEvent();
    void missedAnswerDeadlineIsNamed();
    void awaitingIsShownWhenTheAnswerIsSlow_data();
    void awaitingIsShownWhenTheAnswerIsSlow();
    void sinceIsReadableInANarrowIndicator();
};

void tst_ConnectionTruth::closedIdleConnectionIsShown_data()
{
    QTest::addColumn<QString>("cause");
    QTest::addColumn<QString>("sentence"); // part of the note the operator reads
    QTest::newRow("takeover by a higher priority") << "takeover"
                                                   << "taken over by 'rival'";
    QTest::newRow("operator kick in the gateway panel") << "kick"
                                                        << "operator";
    QTest::newRow("embedded gateway stopped") << "stop"
                                              << "gateway stopped";
    QTest::newRow("external gateway gone") << "external"
                                           << "closed the idle connection";
}

void tst_ConnectionTruth::closedIdleConnectionIsShown()
{
    QFETCH(QString, cause);
    QFETCH(QString, sentence);
    Console console;
    DeviceSessionPage* page = console.page();
    std::unique_ptr<GatewayServer> external;
    if (cause == QLatin1String("external")) {
        external = std::make_unique<GatewayServer>();
        QVERIFY(external->listen(QHostAddress::LocalHost, 0));
        page->identityForm()->portSpin()->setValue(external->serverPort());
    }
    page->identityForm()->prioritySpin()->setValue(3);
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kConnectWaitMs);
    const DeviceIdentity identity = page->session()->identity();

    if (cause == QLatin1String("takeover")) {
        InternalClient rival;
        DeviceIdentity better = identity;
        better.name = QStringLiteral("rival");
        better.priority = 0;
        rival.connectToServer(QStringLiteral("127.0.0.1"), console.window->gateway()->port(),
                              better);
        QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::ClosedByGateway,
                                  kNoticeWithinMs + kConnectWaitMs);
        QVERIFY2(page->session()->closeReason().contains(
                     QStringLiteral("taken over by 'rival' with priority 0")),
                 qPrintable(page->session()->closeReason()));
    } else {
        if (cause == QLatin1String("kick")) {
            // The link checks the slot on its mirror of the gateway, which follows the connect.
            QTRY_COMPARE(console.window->gateway()->link()->connectedDeviceCount(), 1);
            QVERIFY(console.window->gateway()->link()->disconnectDevice(identity));
        } else if (cause == QLatin1String("stop"))
            console.window->gateway()->stop();
        else
            external.reset();
        QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::ClosedByGateway,
                                  kNoticeWithinMs);
    }
    QVERIFY2(page->indicator()->stateText().startsWith(QStringLiteral("Closed by gateway")),
             qPrintable(page->indicator()->stateText()));
    QVERIFY2(page->indicator()->noteText().contains(sentence),
             qPrintable(page->indicator()->noteText()));
    QVERIFY2(page->indicator()->noteText().contains(QStringLiteral("next send reconnects")),
             qPrintable(page->indicator()->noteText()));
    // The traffic log has the open and the close as local events of the device.
    const QStringList events = console.connectionEvents();
    QVERIFY2(events.size() >= 2 && events.first().startsWith(QStringLiteral("TCP connection to")) &&
                 events.last().contains(QStringLiteral("reconnects first")),
             qPrintable(events.join(QStringLiteral(" | "))));

    // The library keeps the reference contract: the next send reconnects (where a gateway is
    // still there to take it).
    if (cause == QLatin1String("kick")) {
        QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kConnectWaitMs);
        page->send(false);
        QTRY_COMPARE_WITH_TIMEOUT(page->session()->commandsReceived(), quint64(1), kConnectWaitMs);
        QCOMPARE(page->session()->status(), SessionStatus::Connected);
    }
}

void tst_ConnectionTruth::connectedSinceCountsFromTheHandshake()
{
    Console console;
    DeviceSessionPage* page = console.page();
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kConnectWaitMs);
    const QDateTime since = page->session()->statusSince();
    QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kConnectWaitMs);
    page->send(false);
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->commandsReceived(), quint64(1), kConnectWaitMs);
    QCOMPARE(page->session()->status(), SessionStatus::Connected);
    QCOMPARE(page->session()->statusSince(), since); // a status exchange is not a new connection
}

void tst_ConnectionTruth::refusedConnectIsALocalEvent()
{
    Console console;
    DeviceSessionPage* page = console.page();
    quint16 closedPort = 0;
    { // a port nobody listens on any more
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    page->identityForm()->portSpin()->setValue(closedPort);
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Failed, kConnectWaitMs);
    const QStringList events = console.connectionEvents();
    QVERIFY2(!events.isEmpty() && events.last().startsWith(QStringLiteral("ConnectionRefused")),
             qPrintable(events.join(QStringLiteral(" | "))));
    QCOMPARE(console.traffic->data(console.traffic->index(console.traffic->rowCount() - 1,
                                                          TrafficLogModel::DirectionColumn)),
             QVariant(QStringLiteral("local event")));
}

// The embedded gateway's module answers after its 250 ms deadline: the gateway closes without
// an answer. The device's error names that cause, not the client's generic guess.
void tst_ConnectionTruth::missedAnswerDeadlineIsNamed()
{
    Console console;
    GatewayLink* server = console.window->gateway()->link();
    GatewayPolicy policy = server->policy();
    policy.answerDelayMs = policy.answerDeadlineMs + 50;
    server->setPolicy(policy);
    DeviceSessionPage* page = console.page();
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kConnectWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kConnectWaitMs);
    page->send(false);
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Failed, kConnectWaitMs);
    const QString error = page->indicator()->errorText();
    QVERIFY2(error.contains(QStringLiteral("deadline")), qPrintable(error));
    QVERIFY2(!error.contains(InternalClient::errorSentence(page->session()->lastError())),
             qPrintable(error));
}

// "Awaiting command" is on screen (indicator and tab) exactly when an answer keeps the device
// waiting long enough to be seen; a quick exchange leaves "Connected" there, so a device that
// sends every few milliseconds does not flicker between the two.
void tst_ConnectionTruth::awaitingIsShownWhenTheAnswerIsSlow_data()
{
    QTest::addColumn<int>("answerDelayMs");
    QTest::newRow("answered at once") << 0;
    QTest::newRow("answered after 800 ms") << 800;
}

void tst_ConnectionTruth::awaitingIsShownWhenTheAnswerIsSlow()
{
    QFETCH(int, answerDelayMs);
    Console console;
    GatewayLink* server = console.window->gateway()->link();
    GatewayPolicy policy = server->policy();
    policy.answerDeadlineMs = 5000;
    policy.answerDelayMs = answerDelayMs;
    server->setPolicy(policy);
    DeviceSessionPage* page = console.page();
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page->shownStatus(), SessionStatus::Connected, kConnectWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kConnectWaitMs);
    const QTabBar* tabs = console.window->tabs()->tabBar();
    const auto tabSays = [tabs](SessionStatus status) {
        return tabs->tabData(0) == QVariant(int(status));
    };

    QList<SessionStatus> shown; // what the indicator said each time the page's state changed
    connect(page, &DeviceSessionPage::statusChanged, this,
            [&shown, page] { shown.append(page->indicator()->status()); });
    QElapsedTimer exchange;
    exchange.start();
    page->send(false);
    if (answerDelayMs > 0) {
        // The wait is on screen, indicator and tab, while it lasts.
        QTRY_COMPARE_WITH_TIMEOUT(page->indicator()->status(), SessionStatus::AwaitingCommand,
                                  kConnectWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(tabSays(SessionStatus::AwaitingCommand), kConnectWaitMs);
        QCOMPARE(page->session()->commandsReceived(), quint64(0));
        QVERIFY(exchange.elapsed() >= DeviceSessionPage::kAwaitingShownAfterMs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->commandsReceived(), quint64(1), kConnectWaitMs);
    const qint64 tookMs = exchange.elapsed();
    QTRY_COMPARE_WITH_TIMEOUT(page->indicator()->status(), SessionStatus::Connected,
                              kConnectWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(tabSays(SessionStatus::Connected), kConnectWaitMs);
    QCOMPARE(page->shownStatus(), SessionStatus::Connected);
    // A quick answer never put "Awaiting command" on screen (the answer is the event after
    // which it would have); near the threshold a loaded machine may go either way.
    if (answerDelayMs == 0 && tookMs < DeviceSessionPage::kAwaitingShownAfterMs - 20)
        QVERIFY2(!shown.contains(SessionStatus::AwaitingCommand),
                 qPrintable(QString::number(tookMs)));
}

QTEST_MAIN(tst_ConnectionTruth)
void tst_ConnectionTruth::sinceIsReadableInANarrowIndicator()
{
    // Presentation mode gives the indicator a narrow column: there "since 3 s · host:port" goes
    // below the state instead of being cut to "since …", and back beside it with room.
    ConnectionIndicator indicator;
    indicator.setStatus(SessionStatus::Connected, QDateTime::currentDateTime(),
                        QStringLiteral("127.0.0.1:33533"));
    indicator.resize(700, indicator.sizeHint().height());
    indicator.show();
    QVERIFY(QTest::qWaitForWindowExposed(&indicator));
    auto* since = indicator.findChild<ElidedLabel*>();
    QVERIFY(since);
    QLabel* state = nullptr;
    for (QLabel* label : indicator.findChildren<QLabel*>()) {
        if (label->text() == QStringLiteral("Connected"))
            state = label;
    }
    QVERIFY(state);
    const auto beside = [&] {
        return qAbs(since->geometry().center().y() - state->geometry().center().y()) <
               state->height() / 2;
    };
    const auto below = [&] { return since->y() > state->geometry().bottom(); };
    QTRY_VERIFY(beside());
    QVERIFY(!since->isElided());

    indicator.resize(250, indicator.height());
    QTRY_VERIFY_WITH_TIMEOUT(below(), kNoticeWithinMs);
    QVERIFY2(!since->isElided(), qPrintable(since->text()));
    QVERIFY(since->text().contains(QStringLiteral("127.0.0.1:33533")));

    indicator.resize(700, indicator.height());
    QTRY_VERIFY_WITH_TIMEOUT(beside(), kNoticeWithinMs);
    QVERIFY(!since->isElided());
}

#include "tst_connectiontruth.moc"
