// The console driven like an operator would: real widgets offscreen, mouse clicks and key
// presses, against the embedded gateway on a free loopback port.

#include "autosender.h"
#include "commandhistorymodel.h"
#include "commandinspector.h"
#include "connectionindicator.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "identityform.h"
#include "mainwindow.h"
#include "statuscomposer.h"

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace fleet;

namespace {

// Generous: two cores shared with other builds; replies take < 5 ms when the machine is idle.
constexpr int kWaitMs = 10000;

class Console {
public:
    Console()
    {
        window = std::make_unique<MainWindow>(dir.filePath(QStringLiteral("console.ini")));
        // Port 0: tests never take 8888 from a console the developer may be running.
        window->startEmbeddedGateway(0);
        // Asynchronous: the gateway's port arrives from the network thread.
        if (!QTest::qWaitFor([this] { return window->gateway()->isListening(); }, kWaitMs))
            qWarning("the embedded gateway did not start"); // the test's checks then fail
        window->show();
    }
    DeviceSessionPage* page(int index = 0) const { return window->pages().value(index); }

    QTemporaryDir dir;
    std::unique_ptr<MainWindow> window;
};

void click(QWidget* widget)
{
    QVERIFY2(widget->isEnabled(), qPrintable(widget->objectName() + " is disabled"));
    QTest::mouseClick(widget, Qt::LeftButton);
}

void typeInto(QLineEdit* edit, const QString& text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

void replaceDraft(StatusComposer* composer, const QString& text)
{
    composer->editor()->setFocus();
    composer->editor()->selectAll();
    QTest::keyClick(composer->editor(), Qt::Key_Delete);
    QTest::keyClicks(composer->editor(), text);
}

} // namespace

class tst_ConsoleFlow : public QObject {
    Q_OBJECT
private slots:
    void init();
    void newUserFlow();
    void keyboardOnlyFlow();
    void arbitration_data();
    void arbitration();
    void autoSendKeepsCounting();
    void autoSendStopsOnErrorAndSaysWhy();
    void sendAnywayShowsGatewayRejection();
    void pushedAndEmptyCommandsAreMarked();
    void connectOptionPrefillsAndConnects();
    void gatewayMovesToNextFreePort();
    void formatShortcutsConvertTheDraft();
    void closingTheLastDeviceShowsTheEmptyState();
    void indicatorSaysSinceWhen_data();
    void indicatorSaysSinceWhen();
};

void tst_ConsoleFlow::init()
{
    QCoreApplication::setApplicationVersion(QStringLiteral("test"));
}

void tst_ConsoleFlow::newUserFlow()
{
    Console console;
    QVERIFY(QTest::qWaitForWindowExposed(console.window.get()));
    QVERIFY(console.window->gateway()->isListening());
    const QString gatewayAddress =
        QStringLiteral("127.0.0.1:%1").arg(console.window->gateway()->port());
    auto* gatewayLabel =
        console.window->statusBar()->findChild<QLabel*>(QStringLiteral("gatewayStatus"));
    QVERIFY(gatewayLabel);
    QVERIFY2(gatewayLabel->text().contains(QStringLiteral("Embedded gateway on ") + gatewayAddress),
             qPrintable(gatewayLabel->text()));

    // One ready device: the example module's button, pointed at the embedded gateway.
    QCOMPARE(console.window->pages().size(), 1);
    DeviceSessionPage* page = console.page();
    QCOMPARE(page->identityForm()->module(), 1000u);
    QCOMPARE(page->identityForm()->roleEdit()->text(), QStringLiteral("button"));
    QCOMPARE(page->identityForm()->hostEdit()->text(), QStringLiteral("127.0.0.1"));
    QCOMPARE(quint16(page->identityForm()->portSpin()->value()), console.window->gateway()->port());
    QCOMPARE(page->composer()->editor()->toPlainText(), QStringLiteral("{\"pressed\": true}"));
    QVERIFY(!page->composer()->sendButton()->isEnabled()); // not connected yet
    QVERIFY(page->inspector()->viewText(CommandInspector::View::Text).contains("No command yet"));

    QSignalSpy clients(console.window.get(), &MainWindow::clientCreated);
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    QCOMPARE(clients.count(), 1); // a traffic log hooks every client through this
    QCOMPARE(clients.first().at(0).value<InternalClient*>(), page->session()->client());
    QVERIFY2(page->indicator()->stateText().startsWith(QStringLiteral("Connected")),
             qPrintable(page->indicator()->stateText()));
    QVERIFY(page->indicator()->stateText().contains(gatewayAddress));
    QVERIFY(!page->identityForm()->roleEdit()->isEnabled()); // identity is fixed while connected

    click(page->composer()->sendButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->viewText(CommandInspector::View::Text),
                              QStringLiteral("{\"lit_up\": false}"), kWaitMs);
    QVERIFY(page->inspector()->viewText(CommandInspector::View::Decoded).contains("lit_up: false"));
    QVERIFY(page->inspector()
                ->viewText(CommandInspector::View::HexDump)
                .startsWith(QStringLiteral("00000000  7b 22 6c 69")));
    QCOMPARE(page->inspector()->history()->rowCount(), 1);
    QVERIFY(page->inspector()->headline().contains(QStringLiteral("round trip")));
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
}

void tst_ConsoleFlow::keyboardOnlyFlow()
{
    Console console;
    QVERIFY(QTest::qWaitForWindowActive(console.window.get())); // shortcuts need it
    DeviceSessionPage* page = console.page();
    QTest::keyClick(console.window.get(), Qt::Key_K, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);

    // The other status, then Ctrl+Return from inside the editor, twice: the module's first
    // answer is always its first command, {"lit_up": false} (docs/modules.md#example-module).
    replaceDraft(page->composer(), QStringLiteral("{\"pressed\": false}"));
    for (int sent = 1; sent <= 2; ++sent) {
        QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kWaitMs);
        QTest::keyClick(page->composer()->editor(), Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->history()->rowCount(), sent, kWaitMs);
    }
    QCOMPARE(page->inspector()->viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": true}"));
    // The editor did not get a newline from the shortcut.
    QCOMPARE(page->composer()->editor()->toPlainText(), QStringLiteral("{\"pressed\": false}"));

    QTest::keyClick(console.window.get(), Qt::Key_K, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(page->session()->status(), SessionStatus::Disconnected);
    QVERIFY(page->identityForm()->roleEdit()->isEnabled());
}

void tst_ConsoleFlow::arbitration_data()
{
    QTest::addColumn<int>("firstPriority");
    QTest::addColumn<int>("secondPriority");
    QTest::addColumn<bool>("takeover");
    QTest::addColumn<QString>("errorName");

    QTest::newRow("same priority: newcomer refused") << 0 << 0 << false << "AlreadyConnected";
    QTest::newRow("lower priority: newcomer refused")
        << 2 << 7 << false << "HigherPriorityAlreadyConnected";
    QTest::newRow("higher priority: takes over, old one told on its next status")
        << 5 << 1 << true << "HigherPriorityAlreadyConnected";
}

void tst_ConsoleFlow::arbitration()
{
    QFETCH(int, firstPriority);
    QFETCH(int, secondPriority);
    QFETCH(bool, takeover);
    QFETCH(QString, errorName);

    Console console;
    DeviceSessionPage* first = console.page();
    first->identityForm()->prioritySpin()->setValue(firstPriority);
    click(first->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(first->session()->status(), SessionStatus::Connected, kWaitMs);

    // New device (a copy with its own role), then the operator gives it the same slot.
    QVERIFY(QTest::qWaitForWindowActive(console.window.get()));
    QTest::keyClick(console.window.get(), Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(console.window->pages().size(), 2);
    DeviceSessionPage* second = console.page(1);
    QCOMPARE(console.window->currentPage(), second);
    QVERIFY(second->identityForm()->roleEdit()->text() != QStringLiteral("button"));
    typeInto(second->identityForm()->roleEdit(), QStringLiteral("button"));
    typeInto(second->identityForm()->nameEdit(), QStringLiteral("rival"));
    second->identityForm()->prioritySpin()->setValue(secondPriority);
    click(second->connectButton());

    DeviceSessionPage* loser = takeover ? first : second;
    DeviceSessionPage* winner = takeover ? second : first;
    if (takeover) {
        QTRY_COMPARE_WITH_TIMEOUT(second->session()->status(), SessionStatus::Connected, kWaitMs);
        // The gateway dropped the old device; its client notices now and reports on its next
        // status (the reference client's behaviour), which the reconnect then explains.
        QTRY_VERIFY2_WITH_TIMEOUT(!first->indicator()->noteText().isEmpty(),
                                  "the old device shows no note about its lost connection",
                                  kWaitMs);
        QVERIFY2(first->indicator()->noteText().contains("closed"),
                 qPrintable(first->indicator()->noteText()));
        click(first->composer()->sendButton());
    }
    QTRY_COMPARE_WITH_TIMEOUT(loser->session()->status(), SessionStatus::Failed, kWaitMs);
    const QString error = loser->indicator()->errorText();
    QVERIFY2(error.startsWith(errorName + " (connect error)"), qPrintable(error));
    const InternalClient::Error expected =
        errorName == QLatin1String("AlreadyConnected")
            ? InternalClient::Error::AlreadyConnected
            : InternalClient::Error::HigherPriorityAlreadyConnected;
    QVERIFY2(error.contains(InternalClient::errorSentence(expected)), qPrintable(error));
    QVERIFY(loser->indicator()->stateText().startsWith(QStringLiteral("Failed")));
    QCOMPARE(winner->session()->status(), SessionStatus::Connected);
    // The failed device can be corrected and connected again: Connect is back.
    QVERIFY(loser->connectButton()->isEnabled());
    QVERIFY(loser->identityForm()->roleEdit()->isEnabled());
}

void tst_ConsoleFlow::autoSendKeepsCounting()
{
    Console console;
    DeviceSessionPage* page = console.page();
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);

    QSignalSpy commands(page->session(), &DeviceSession::commandReceived);
    page->composer()->setAutoSendIntervalMs(50);
    click(page->composer()->autoSendCheck());
    QVERIFY(page->autoSender()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(page->autoSender()->answered() >= 3, kWaitMs);
    // The tab shows what came at its refresh's pace (docs/performance.md#repaints).
    QTRY_VERIFY_WITH_TIMEOUT(page->composer()->autoSendInfo().contains(QStringLiteral("answered")),
                             kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(page->inspector()->history()->rowCount() >= 3, kWaitMs);
    QVERIFY(console.window->actions().autoSend->isChecked());

    click(page->composer()->autoSendCheck()); // off again
    QVERIFY(!page->autoSender()->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    const int sent = page->autoSender()->sent();
    const int answered = page->autoSender()->answered();
    // Every command the session got reaches the history, the last ones at the next refresh.
    QTRY_COMPARE_WITH_TIMEOUT(qsizetype(page->inspector()->history()->totalCount()),
                              commands.size(), kWaitMs);
    const int rows = page->inspector()->history()->rowCount();
    // Nothing more may go out. Proved by a later status: the operator's own, whose answer
    // must be the very next one the client gets, with the auto-sender's counts unchanged.
    QSignalSpy answers(page->session(), &DeviceSession::commandReceived);
    QTRY_VERIFY_WITH_TIMEOUT(page->composer()->sendButton()->isEnabled(), kWaitMs);
    click(page->composer()->sendButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->history()->rowCount(), rows + 1, kWaitMs);
    QCOMPARE(answers.size(), 1);
    QCOMPARE(page->autoSender()->sent(), sent);
    QCOMPARE(page->autoSender()->answered(), answered);
}

void tst_ConsoleFlow::autoSendStopsOnErrorAndSaysWhy()
{
    Console console;
    DeviceSessionPage* page = console.page();
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    page->composer()->setAutoSendIntervalMs(50);
    click(page->composer()->autoSendCheck());
    QTRY_VERIFY_WITH_TIMEOUT(page->autoSender()->answered() >= 1, kWaitMs);

    // The gateway goes away: the resend round's reconnect is refused and the device fails.
    console.window->stopEmbeddedGateway();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Failed, kWaitMs);
    QVERIFY(!page->autoSender()->isRunning());
    QVERIFY(!page->composer()->autoSendCheck()->isChecked());
    const QString info = page->composer()->autoSendInfo();
    QVERIFY2(info.startsWith(QStringLiteral("stopped after")), qPrintable(info));
    QVERIFY2(info.contains(InternalClient::errorName(page->session()->lastError())),
             qPrintable(info));
}

void tst_ConsoleFlow::sendAnywayShowsGatewayRejection()
{
    Console console;
    DeviceSessionPage* page = console.page();
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);

    // Valid JSON the example module rejects (it compares bytes: no space after the colon).
    replaceDraft(page->composer(), QStringLiteral("{\"pressed\":true}"));
    QVERIFY(!page->composer()->sendButton()->isEnabled());
    QVERIFY(page->composer()->sendAnywayButton()->isVisible());
    QVERIFY2(page->composer()->validationText().contains(QStringLiteral("rejects this status")),
             qPrintable(page->composer()->validationText()));
    click(page->composer()->sendAnywayButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Failed, kWaitMs);
    const QString error = page->indicator()->errorText();
    QVERIFY2(error.startsWith(QStringLiteral("CommunicationError")), qPrintable(error));
    // The embedded gateway knows the cause and says it, instead of the client's guess.
    QVERIFY2(error.contains(QStringLiteral("the module rejected a status")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("Example module rejected the status")),
             qPrintable(error));
    QCOMPARE(page->composer()->editor()->toPlainText(), QStringLiteral("{\"pressed\":true}"));
}

void tst_ConsoleFlow::pushedAndEmptyCommandsAreMarked()
{
    Console console;
    DeviceSessionPage* page = console.page();
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    click(page->composer()->sendButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->history()->rowCount(), 1, kWaitMs);
    QCOMPARE(page->inspector()->markText(), QString());

    QString error;
    // The link checks the slot on its mirror of the gateway, which follows the connect.
    QTRY_COMPARE_WITH_TIMEOUT(console.window->gateway()->link()->connectedDeviceCount(), 1,
                              kWaitMs);
    QVERIFY2(console.window->gateway()->link()->pushCommand(page->session()->identity(),
                                                            "{\"lit_up\": true}", &error),
             qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->history()->rowCount(), 2, kWaitMs);
    QCOMPARE(page->inspector()->markText(), QStringLiteral("pushed"));
    QCOMPARE(page->inspector()->viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": true}"));

    GatewayPolicy policy = console.window->gateway()->link()->policy();
    policy.emptyAnswers = true;
    console.window->gateway()->link()->setPolicy(policy);
    QTRY_VERIFY(page->composer()->sendButton()->isEnabled());
    click(page->composer()->sendButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->inspector()->history()->rowCount(), 3, kWaitMs);
    QCOMPARE(page->inspector()->markText(), QStringLiteral("empty: nothing new"));
    // The last non-empty command stays in view.
    QCOMPARE(page->inspector()->viewText(CommandInspector::View::Text),
             QStringLiteral("{\"lit_up\": true}"));
    QCOMPARE(
        page->inspector()->history()->data(page->inspector()->history()->index(0, 4)).toString(),
        QStringLiteral("nothing new"));
}

void tst_ConsoleFlow::connectOptionPrefillsAndConnects()
{
    Console console;
    const quint16 port = console.window->gateway()->port();
    console.window->connectCurrentDeviceTo(QStringLiteral("127.0.0.1"), port);
    DeviceSessionPage* page = console.page();
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    QCOMPARE(quint16(page->identityForm()->portSpin()->value()), port);
    QVERIFY(!page->identityForm()->followsEmbeddedGateway());
}

void tst_ConsoleFlow::gatewayMovesToNextFreePort()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    GatewayController controller;
    QSignalSpy started(&controller, &GatewayController::started);
    controller.start(squatter.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kWaitMs);
    QVERIFY(controller.isListening());
    QVERIFY(controller.port() != squatter.serverPort());
    QVERIFY2(controller.fallbackNote().contains(QString::number(squatter.serverPort())),
             qPrintable(controller.fallbackNote()));
    QVERIFY2(controller.statusText().startsWith(QStringLiteral("Embedded gateway on 127.0.0.1:")),
             qPrintable(controller.statusText()));
}

void tst_ConsoleFlow::formatShortcutsConvertTheDraft()
{
    Console console;
    QVERIFY(QTest::qWaitForWindowActive(console.window.get()));
    StatusComposer* composer = console.page()->composer();
    QTest::keyClick(console.window.get(), Qt::Key_4, Qt::ControlModifier); // Hex
    QCOMPARE(composer->format(), PayloadFormat::Hex);
    QCOMPARE(composer->editor()->toPlainText(),
             QStringLiteral("7b 22 70 72 65 73 73 65 64 22 3a 20 74 72 75 65\n7d"));
    QTest::keyClick(console.window.get(), Qt::Key_5, Qt::ControlModifier); // Base64
    QCOMPARE(composer->editor()->toPlainText(), QStringLiteral("eyJwcmVzc2VkIjogdHJ1ZX0="));
    QTest::keyClick(console.window.get(), Qt::Key_1, Qt::ControlModifier); // Text
    QCOMPARE(composer->editor()->toPlainText(), QStringLiteral("{\"pressed\": true}"));
    QVERIFY(!composer->check().hasErrors());
}

void tst_ConsoleFlow::closingTheLastDeviceShowsTheEmptyState()
{
    Console console;
    QVERIFY(QTest::qWaitForWindowActive(console.window.get()));
    DeviceSessionPage* page = console.page();
    click(page->connectButton());
    QTRY_COMPARE_WITH_TIMEOUT(page->session()->status(), SessionStatus::Connected, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(console.window->gateway()->link()->connectedDeviceCount(), 1,
                              kWaitMs);

    // A connected device asks first; Cancel keeps it, connected.
    QTest::keyClick(console.window.get(), Qt::Key_W, Qt::ControlModifier);
    auto* question =
        console.window->findChild<QMessageBox*>(QStringLiteral("closeConnectedDevice"));
    QVERIFY(question);
    QTRY_VERIFY(question->isVisible());
    QVERIFY2(question->text().contains(page->title()), qPrintable(question->text()));
    question->button(QMessageBox::Cancel)->click();
    QCOMPARE(console.window->pages().size(), 1);
    QVERIFY(page->session()->isActive());
    QTRY_VERIFY(!console.window->findChild<QMessageBox*>(QStringLiteral("closeConnectedDevice")));

    // "Close device" with "Don't ask again": closed, and the menu's switch is off from now on.
    console.window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(console.window.get()));
    QTest::keyClick(console.window.get(), Qt::Key_W, Qt::ControlModifier);
    question = console.window->findChild<QMessageBox*>(QStringLiteral("closeConnectedDevice"));
    QVERIFY(question);
    question->checkBox()->setChecked(true);
    QAbstractButton* closeButton = nullptr;
    for (QAbstractButton* button : question->buttons()) {
        if (question->buttonRole(button) == QMessageBox::AcceptRole)
            closeButton = button;
    }
    QVERIFY(closeButton);
    closeButton->click();
    QVERIFY(console.window->pages().isEmpty());
    QVERIFY(!console.window->actions().askBeforeClosing->isChecked());
    QVERIFY(!console.window->currentSettings().askBeforeClosingConnected);
    // Closing a connected device disconnects it.
    QTRY_COMPARE_WITH_TIMEOUT(console.window->gateway()->link()->connectedDeviceCount(), 0,
                              kWaitMs);
    QWidget* empty = console.window->findChild<QWidget*>(QStringLiteral("noDevicesPage"));
    QVERIFY(empty);
    QVERIFY(empty->isVisible());
    QVERIFY(!console.window->actions().connectDevice->isEnabled());

    auto* add = empty->findChild<QPushButton*>();
    QVERIFY(add);
    click(add);
    QCOMPARE(console.window->pages().size(), 1);
    QVERIFY(!empty->isVisible());
    QCOMPARE(console.page()->config().identity, DeviceConfig::exampleButton().identity);
}

void tst_ConsoleFlow::indicatorSaysSinceWhen_data()
{
    QTest::addColumn<int>("secondsAgo");
    QTest::addColumn<QString>("since");
    QTest::newRow("seconds") << 12 << "since 12 s";
    QTest::newRow("minutes") << 65 << "since 1 min 5 s";
    QTest::newRow("hours") << 2 * 3600 + 5 * 60 << "since 2 h 5 min";
}

void tst_ConsoleFlow::indicatorSaysSinceWhen()
{
    QFETCH(int, secondsAgo);
    QFETCH(QString, since);
    ConnectionIndicator indicator;
    indicator.setStatus(SessionStatus::Connected, QDateTime::currentDateTime().addSecs(-secondsAgo),
                        QStringLiteral("127.0.0.1:8888"));
    QCOMPARE(indicator.stateText(), QStringLiteral("Connected · %1 · 127.0.0.1:8888").arg(since));
    QCOMPARE(indicator.errorText(), QString());

    indicator.setStatus(SessionStatus::Failed, QDateTime::currentDateTime(), QString());
    indicator.setError(InternalClient::Error::ServerTookTooLong,
                       QStringLiteral("no command in 500 ms"));
    QVERIFY2(indicator.errorText().startsWith(QStringLiteral("ServerTookTooLong (communication "
                                                             "error): the gateway did not answer")),
             qPrintable(indicator.errorText()));
    QVERIFY(indicator.errorText().endsWith(QStringLiteral("Detail: no command in 500 ms")));
    // The error goes with the next state that is not a failure.
    indicator.setStatus(SessionStatus::Connecting, QDateTime::currentDateTime(), QString());
    QCOMPARE(indicator.errorText(), QString());
}

QTEST_MAIN(tst_ConsoleFlow)
#include "tst_consoleflow.moc"
