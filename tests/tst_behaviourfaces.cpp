// The behaviours' faces offscreen (docs/modules.md#device-behaviour): pressing the round button
// makes the next status {"pressed": true} and a command lights the lamp; IO switches, LEDs and
// error flags; the vehicle's map, badge and operator controls; the settings form; a device
// tab whose behaviour, once chosen, talks to the embedded gateway on its own; and the composer
// in sync with the behaviour, made manual by an edit and brought back.
#include "autosender.h"
#include "behaviourbutton.h"
#include "behaviourdriver.h"
#include "behaviourio.h"
#include "behaviourmark.h"
#include "behaviourpanel.h"
#include "behavioursettingsview.h"
#include "behaviourvehicle.h"
#include "buttonface.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewayserver.h"
#include "identities.h"
#include "ioboardface.h"
#include "lamp.h"
#include "mapcanvas.h"
#include "roundbutton.h"
#include "statuscomposer.h"
#include "timing.h"
#include "vehicleface.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryFile>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace fleet;

namespace {

const QByteArray kPressed = "{\"pressed\": true}";
const QByteArray kReleased = "{\"pressed\": false}";

} // namespace

class tst_BehaviourFaces : public QObject {
    Q_OBJECT
private slots:
    void buttonFaceHeld();
    void buttonFaceLatched();
    void buttonFaceLamp_data();
    void buttonFaceLamp();
    void ioBoardFace();
    void ioButtonFace();
    void vehicleFace();
    void vehicleFaceRefusesABrokenMap();
    void settingsView();
    void deviceTabWithABehaviour();
    void closingATabWithALivingVehicle();
    void composerFollowsTheBehaviour();
    void composerFormatFitsTheEncoding_data();
    void composerFormatFitsTheEncoding();
    void editingMakesTheDeviceManual();
};

void tst_BehaviourFaces::buttonFaceHeld()
{
    ButtonBehaviour behaviour;
    ButtonFace face(&behaviour);
    face.show();
    QVERIFY(QTest::qWaitForWindowExposed(&face));
    RoundButton* button = face.button();
    const QPoint centre = button->rect().center();
    QSignalSpy pending(&behaviour, &Behaviour::statusPending);
    behaviour.takeStatus();
    QTest::mousePress(button, Qt::LeftButton, {}, centre);
    QCOMPARE(behaviour.status(), kPressed);
    QCOMPARE(pending.count(), 1); // it goes out on the change, not at the next heartbeat
    QTest::mouseRelease(button, Qt::LeftButton, {}, centre);
    QCOMPARE(behaviour.status(), kReleased);
    // A click outside the round cap is no press.
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(1, 1));
    QCOMPARE(behaviour.status(), kReleased);
}

void tst_BehaviourFaces::buttonFaceLatched()
{
    ButtonBehaviour behaviour;
    ButtonFace face(&behaviour);
    face.show();
    QVERIFY(QTest::qWaitForWindowExposed(&face));
    face.latchCheck()->setChecked(true);
    const QPoint centre = face.button()->rect().center();
    QTest::mouseClick(face.button(), Qt::LeftButton, {}, centre);
    QCOMPARE(behaviour.status(), kPressed);
    QTest::mouseClick(face.button(), Qt::LeftButton, {}, centre);
    QCOMPARE(behaviour.status(), kReleased);
}

void tst_BehaviourFaces::buttonFaceLamp_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<bool>("lit");
    QTest::newRow("lit_up true lights the lamp") << QByteArray("{\"lit_up\": true}") << true;
    QTest::newRow("lit_up false keeps it dark") << QByteArray("{\"lit_up\": false}") << false;
}

void tst_BehaviourFaces::buttonFaceLamp()
{
    QFETCH(QByteArray, command);
    QFETCH(bool, lit);
    ButtonBehaviour behaviour;
    ButtonFace face(&behaviour);
    QVERIFY(!face.lamp()->isOn());
    behaviour.applyCommand(command);
    QCOMPARE(face.lamp()->isOn(), lit);
}

void tst_BehaviourFaces::ioBoardFace()
{
    IoBehaviour behaviour(1);
    IoBoardFace face(&behaviour);
    face.show();
    QVERIFY(QTest::qWaitForWindowExposed(&face));
    QVERIFY(face.inputSwitch(6));
    QVERIFY(!face.inputSwitch(7));
    QVERIFY(face.inputSwitch(2)->isChecked()); // pull-up: high
    QTest::mouseClick(face.inputSwitch(2), Qt::LeftButton);
    QVERIFY(!behaviour.input(2));
    QVERIFY(behaviour.status().contains("{\"inNum\":2,\"inSt\":false}"));
    // A command lights output 3.
    QVERIFY(!face.outputLamp(3)->isOn());
    behaviour.applyCommand("[{\"outNum\":3,\"actType\":1}]");
    QVERIFY(face.outputLamp(3)->isOn());
    QVERIFY(!face.outputLamp(2)->isOn());
    // The error flag goes into the status and rings the LED.
    face.errorCheck(4)->setChecked(true);
    QVERIFY(behaviour.outputError(4));
    QVERIFY(face.outputLamp(4)->hasError());
    // The Opta's button counts presses.
    QVERIFY(face.pressButton());
    QTest::mouseClick(face.pressButton(), Qt::LeftButton);
    QTest::mouseClick(face.pressButton(), Qt::LeftButton);
    QCOMPARE(behaviour.pressesSinceStatus(), 2);
    QVERIFY(face.pressButton()->text().contains(QLatin1String("2 since")));
}

void tst_BehaviourFaces::ioButtonFace()
{
    IoBehaviour behaviour(IoBehaviour::kButtonType);
    IoBoardFace face(&behaviour);
    QVERIFY(!face.pressButton());
    QVERIFY(!face.outputLamp(1));
    auto* big = face.findChild<RoundButton*>();
    QVERIFY(big);
    face.show();
    QVERIFY(QTest::qWaitForWindowExposed(&face));
    QTest::mousePress(big, Qt::LeftButton, {}, big->rect().center());
    QVERIFY(!behaviour.input(1)); // pressed reads false
    QTest::mouseRelease(big, Qt::LeftButton, {}, big->rect().center());
    QVERIFY(behaviour.input(1));
}

void tst_BehaviourFaces::vehicleFace()
{
    VehicleBehaviour behaviour; // the demo map
    VehicleFace face(&behaviour);
    face.resize(500, 400);
    face.show();
    QVERIFY(QTest::qWaitForWindowExposed(&face));
    MapCanvas* canvas = face.canvas();
    QVERIFY(canvas->badgeText().startsWith(QStringLiteral("IDLE · 0.0 m/s · no next stop")));
    // Every node lands inside the canvas.
    for (const MapNode& node : behaviour.map().nodes())
        QVERIFY(canvas->rect().contains(canvas->project(node.latitude, node.longitude).toPoint()));
    QCOMPARE(face.routeCombo()->count(), 2);
    QCOMPARE(face.routeCombo()->currentText(), QStringLiteral("Yard loop"));
    // A mission: the badge shows where it goes; the picture changes as it drives.
    behaviour.applyCommand(R"({"action":"START","route":"","stops":[{"name":"Paint Shop",)"
                           R"("position":{"latitude":49.7,"longitude":16.9028,"altitude":0}}]})");
    QVERIFY2(
        canvas->badgeText().startsWith(QStringLiteral("DRIVE · 4.0 m/s · next stop Paint Shop")),
        qPrintable(canvas->badgeText()));
    const QImage before = canvas->grab().toImage();
    behaviour.advanceTo(5000);
    QVERIFY(canvas->grab().toImage() != before);
    // The operator's controls.
    face.obstacleCheck()->setChecked(true);
    QCOMPARE(behaviour.state(), VehicleBehaviour::State::Obstacle);
    face.obstacleCheck()->setChecked(false);
    face.faultCheck()->setChecked(true);
    QCOMPARE(behaviour.state(), VehicleBehaviour::State::Error);
    face.faultCheck()->setChecked(false);
    face.pauseCheck()->setChecked(true);
    QVERIFY(canvas->badgeText().contains(QLatin1String("paused")));
    // Another route puts the vehicle at its start.
    face.routeCombo()->setCurrentIndex(1);
    emit face.routeCombo()->activated(1);
    QCOMPARE(behaviour.route().name, QStringLiteral("Shuttle line"));
    QCOMPARE(behaviour.state(), VehicleBehaviour::State::Idle);
}

void tst_BehaviourFaces::vehicleFaceRefusesABrokenMap()
{
    VehicleBehaviour behaviour;
    VehicleFace face(&behaviour);
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(
        "<osm>\n<node id=\"1\" lat=\"50\" lon=\"14\"/>\n<way id=\"2\"><nd ref=\"5\"/></way>\n"
        "</osm>\n");
    file.close();
    QVERIFY(!face.openMap(file.fileName()));
    QVERIFY2(face.messageLabel()->text().contains(QLatin1String("line 3: way 2 refers to node 5")),
             qPrintable(face.messageLabel()->text()));
    QCOMPARE(behaviour.route().name, QStringLiteral("Yard loop")); // the old map stays
}

void tst_BehaviourFaces::settingsView()
{
    IoBehaviour behaviour(1);
    BehaviourSettingsView view(&behaviour);
    auto* base = qobject_cast<QComboBox*>(view.editor(QStringLiteral("outputBase")));
    auto* repeated = qobject_cast<QComboBox*>(view.editor(QStringLiteral("applyRepeated")));
    auto* period = qobject_cast<QLineEdit*>(view.editor(QStringLiteral("period")));
    QVERIFY(base && repeated && period);
    QCOMPARE(base->currentText(), QStringLiteral("1"));
    QVERIFY(!base->toolTip().isEmpty()); // says why it is a choice
    base->setCurrentIndex(base->findText(QStringLiteral("0")));
    emit base->activated(base->currentIndex());
    QCOMPARE(behaviour.outputBase(), 0);
    repeated->setCurrentIndex(repeated->findText(QStringLiteral("true")));
    emit repeated->activated(repeated->currentIndex());
    QVERIFY(behaviour.applyRepeatedCommands());
    period->setText(QStringLiteral("often"));
    emit period->editingFinished();
    QVERIFY2(view.message().contains(QLatin1String("often")), qPrintable(view.message()));
    QCOMPARE(period->text(), QStringLiteral("1000")); // the behaviour's value again
    period->setText(QStringLiteral("250"));
    emit period->editingFinished();
    QCOMPARE(behaviour.periodMs(), 250);
    QVERIFY(view.message().isEmpty());
}

// A device tab: choosing the behaviour shows the face beside the composer; after Connect the
// behaviour talks to the embedded gateway without a typed payload, and the module's answers
// light the lamp.
void tst_BehaviourFaces::deviceTabWithABehaviour()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    DeviceConfig config = DeviceConfig::exampleButton();
    config.useEmbeddedGateway = false;
    config.port = gateway.serverPort();
    DeviceSessionPage page(config);
    page.resize(1300, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    BehaviourPanel* panel = page.behaviourPanel();
    QComboBox* choice = panel->choiceCombo();
    QCOMPARE(choice->count(), 2);
    QCOMPARE(choice->itemText(1), QStringLiteral("Example button"));
    QVERIFY(!panel->isVisible());
    choice->setCurrentIndex(1);
    emit choice->activated(1);
    QVERIFY(panel->isActive());
    QVERIFY(panel->isVisible());
    auto* face = qobject_cast<ButtonFace*>(panel->face());
    QVERIFY(face);
    QVERIFY(panel->nextStatusText().contains(QLatin1String("{\"pressed\": false}")));

    QSignalSpy sent(panel->driver(), &BehaviourDriver::statusSent);
    QTest::mouseClick(page.connectButton(), Qt::LeftButton);
    // Connected: the first status goes out by itself; the first command keeps the lamp dark.
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 1, test::kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(page.session()->commandsReceived(), quint64(1), test::kWaitMs);
    QVERIFY(!face->lamp()->isOn());
    // Pressing sends {"pressed": true} at once, and the module answers lit_up false.
    const QPoint centre = face->button()->rect().center();
    QTest::mousePress(face->button(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 2, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), kPressed);
    // Releasing: {"pressed": false}, and the module lights the lamp.
    QTest::mouseRelease(face->button(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 3, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), kReleased);
    QTRY_VERIFY_WITH_TIMEOUT(face->lamp()->isOn(), test::kWaitMs);
    // The composer's auto-send stays off while the behaviour sends.
    page.setAutoSend(true);
    QVERIFY(!page.autoSender()->isRunning());
    // None again: the face goes, the page is a payload sender.
    choice->setCurrentIndex(0);
    emit choice->activated(0);
    QVERIFY(!panel->isActive());
    QVERIFY(!panel->isVisible());
    // Another device kind has no behaviour of this kind: the choice follows the device.
    panel->setDevice(3, 0);
    QCOMPARE(choice->count(), 1);
    QVERIFY(!choice->isEnabled());
}

// Closing the tab of a driving vehicle ends its connection cleanly.
void tst_BehaviourFaces::closingATabWithALivingVehicle()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    DeviceConfig config;
    config.identity = test::device(1, 1, QStringLiteral("autonomy"));
    config.useEmbeddedGateway = false;
    config.port = gateway.serverPort();
    auto* page = new DeviceSessionPage(config);
    page->show();
    BehaviourPanel* panel = page->behaviourPanel();
    QCOMPARE(panel->choiceCombo()->itemText(1), QStringLiteral("Autonomous vehicle"));
    panel->setActive(true);
    QVERIFY(qobject_cast<VehicleFace*>(panel->face()));
    auto* vehicle = qobject_cast<VehicleBehaviour*>(panel->behaviour());
    QVERIFY(vehicle);
    vehicle->setSpeedFactor(10);
    QVERIFY(gateway.queueCommand(config.identity,
                                 R"({"action":"START","route":"","stops":[)"
                                 R"({"name":"Canteen","position":{"latitude":)"
                                 R"(49.70135,"longitude":16.9021,"altitude":0}}]})"));
    page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(vehicle->state(), VehicleBehaviour::State::Drive, test::kWaitMs);
    QCOMPARE(gateway.connectedDeviceCount(), 1);
    delete page;
    QTRY_COMPARE_WITH_TIMEOUT(gateway.connectedDeviceCount(), 0, test::kWaitMs);
}

namespace {

struct LivingButtonTab {
    GatewayServer gateway;
    std::unique_ptr<DeviceSessionPage> page;
    BehaviourPanel* panel = nullptr;
    ButtonFace* face = nullptr;
    StatusComposer* composer = nullptr;
};

// A button tab with its behaviour on, against an in-process gateway (connected when asked).
void openButtonTab(LivingButtonTab* tab)
{
    QVERIFY(tab->gateway.listen(QHostAddress::LocalHost, 0));
    DeviceConfig config = DeviceConfig::exampleButton();
    config.useEmbeddedGateway = false;
    config.port = tab->gateway.serverPort();
    tab->page = std::make_unique<DeviceSessionPage>(config);
    tab->page->resize(1300, 600);
    tab->page->show();
    QVERIFY(QTest::qWaitForWindowExposed(tab->page.get()));
    tab->panel = tab->page->behaviourPanel();
    tab->panel->setActive(true);
    tab->face = qobject_cast<ButtonFace*>(tab->panel->face());
    QVERIFY(tab->face);
    tab->composer = tab->page->composer();
}

} // namespace

// The composer shows the status the behaviour sends next and follows the face: press the
// button and it reads {"pressed": true}, without becoming manual.
void tst_BehaviourFaces::composerFollowsTheBehaviour()
{
    LivingButtonTab tab;
    openButtonTab(&tab);
    StatusComposer* composer = tab.composer;
    QCOMPARE(composer->behaviourMode(), StatusComposer::BehaviourMode::Synced);
    QCOMPARE(composer->editor()->toPlainText(), QString::fromUtf8(kReleased));
    QCOMPARE(composer->format(), PayloadFormat::Text); // byte for byte, space included
    QVERIFY(!composer->behaviourMark()->text().isEmpty());
    QVERIFY(!tab.panel->mark()->isVisibleTo(tab.panel)); // in sync the composer says it
    const QPoint centre = tab.face->button()->rect().center();
    QTest::mousePress(tab.face->button(), Qt::LeftButton, {}, centre);
    QCOMPARE(composer->editor()->toPlainText(), QString::fromUtf8(kPressed));
    QCOMPARE(composer->check().bytes, kPressed);
    QTest::mouseRelease(tab.face->button(), Qt::LeftButton, {}, centre);
    QCOMPARE(composer->editor()->toPlainText(), QString::fromUtf8(kReleased));
    QVERIFY(!tab.panel->isManual());
    // The saved draft is still the operator's own, not the last status shown.
    QCOMPARE(tab.page->config().draft.text, QStringLiteral("{\"pressed\": true}"));
    QCOMPARE(tab.page->config().behaviour.name, QStringLiteral("button"));
    // None: a payload sender again, the last status stays in the editor.
    tab.panel->setActive(false);
    QCOMPARE(composer->behaviourMode(), StatusComposer::BehaviourMode::Off);
    QVERIFY(composer->behaviourMark()->text().isEmpty());
    QCOMPARE(composer->editor()->toPlainText(), QString::fromUtf8(kReleased));
}

void tst_BehaviourFaces::composerFormatFitsTheEncoding_data()
{
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<PayloadFormat>("format");
    QTest::newRow("JSON vehicle: compact JSON") << "json" << PayloadFormat::JsonCompact;
    QTest::newRow("protobuf vehicle: Hex") << "protobuf" << PayloadFormat::Hex;
}

void tst_BehaviourFaces::composerFormatFitsTheEncoding()
{
    QFETCH(QString, encoding);
    QFETCH(PayloadFormat, format);
    DeviceConfig config = DeviceConfig::livingDevice(QStringLiteral("vehicle"));
    QCOMPARE(config.behaviour.name, QStringLiteral("vehicle"));
    DeviceSessionPage page(config);
    BehaviourPanel* panel = page.behaviourPanel();
    QVERIFY(panel->isActive());
    auto* vehicle = qobject_cast<VehicleBehaviour*>(panel->behaviour());
    QVERIFY(vehicle);
    QVERIFY(vehicle->setSetting(QStringLiteral("encoding"), encoding));
    QTRY_COMPARE_WITH_TIMEOUT(page.composer()->format(), format, test::kWaitMs);
    QCOMPARE(page.composer()->check().bytes, vehicle->status());
    // Back and forth: the format follows the encoding each time.
    QVERIFY(vehicle->setSetting(QStringLiteral("encoding"),
                                encoding == QLatin1String("json") ? "protobuf" : "json"));
    QTRY_VERIFY_WITH_TIMEOUT(page.composer()->format() != format, test::kWaitMs);
    QCOMPARE(page.composer()->check().bytes, vehicle->status());
    QCOMPARE(page.composer()->behaviourMode(), StatusComposer::BehaviourMode::Synced);
}

// Typing in the composer makes the device manual: a mark says so in the composer and the
// panel, the typed bytes are what Send sends, the behaviour keeps applying commands (the lamp
// lights) but sends nothing of its own; Back to behaviour brings its statuses back.
void tst_BehaviourFaces::editingMakesTheDeviceManual()
{
    LivingButtonTab tab;
    openButtonTab(&tab);
    StatusComposer* composer = tab.composer;
    DeviceSession* session = tab.page->session();
    QSignalSpy sent(session, &DeviceSession::statusSent);
    QSignalSpy behaviourSent(tab.panel->driver(), &BehaviourDriver::statusSent);
    tab.page->connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(session->commandsReceived(), quint64(1), test::kWaitMs);
    QCOMPARE(behaviourSent.count(), 1);

    // Latch the button down: the behaviour wants {"pressed": true}, the operator types
    // otherwise.
    tab.face->latchCheck()->setChecked(true);
    const QPoint centre = tab.face->button()->rect().center();
    QTest::mouseClick(tab.face->button(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE_WITH_TIMEOUT(behaviourSent.count(), 2, test::kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(session->commandsReceived(), quint64(2), test::kWaitMs);
    QVERIFY(!tab.face->lamp()->isOn()); // pressed: the module keeps the lamp dark
    QSignalSpy manual(tab.panel, &BehaviourPanel::manualChanged);
    QPlainTextEdit* editor = composer->editor();
    editor->setFocus();
    editor->selectAll();
    QTest::keyClick(editor, Qt::Key_Delete);
    QCOMPARE(manual.count(), 1);
    QVERIFY(tab.panel->isManual());
    QTest::keyClicks(editor, QStringLiteral("{\"pressed\": false}"));
    QCOMPARE(composer->behaviourMode(), StatusComposer::BehaviourMode::Manual);
    QVERIFY(composer->behaviourMark()->text().startsWith(QStringLiteral("Manual")));
    QVERIFY(tab.panel->mark()->isVisibleTo(tab.panel));
    QVERIFY(tab.panel->mark()->backButton()->isVisibleTo(tab.panel));
    QVERIFY2(tab.panel->nextStatusText().contains(QString::fromUtf8(kPressed)),
             qPrintable(tab.panel->nextStatusText()));
    QCOMPARE(tab.page->config().behaviour.manual, true);

    // Send sends the typed bytes; the module's answer (lamp lit while released) reaches the
    // behaviour, whose own status stays held back.
    const int before = int(sent.count());
    QTRY_VERIFY2_WITH_TIMEOUT(composer->sendButton()->isEnabled(),
                              qPrintable(composer->sendButton()->toolTip()), test::kWaitMs);
    QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(int(sent.count()), before + 1, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": false}"));
    QTRY_VERIFY_WITH_TIMEOUT(tab.face->lamp()->isOn(), test::kWaitMs);
    QCOMPARE(behaviourSent.count(), 2);
    // Auto-send is the operator's again in manual mode.
    tab.page->setAutoSend(true);
    QVERIFY(tab.page->autoSender()->isRunning());
    // Its next status is the typed one again, still not the behaviour's.
    const int running = int(sent.count());
    QTRY_VERIFY_WITH_TIMEOUT(int(sent.count()) > running, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": false}"));
    QCOMPARE(behaviourSent.count(), 2);

    // Back to behaviour: the composer shows the next status and the behaviour sends it.
    tab.panel->mark()->backButton()->click();
    QVERIFY(!tab.panel->isManual());
    QVERIFY(!tab.page->autoSender()->isRunning());
    QCOMPARE(composer->behaviourMode(), StatusComposer::BehaviourMode::Synced);
    QCOMPARE(editor->toPlainText(), QString::fromUtf8(kPressed));
    QTRY_COMPARE_WITH_TIMEOUT(behaviourSent.count(), 3, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), kPressed);
    QVERIFY(!tab.panel->mark()->isVisibleTo(tab.panel));
    // The typed text is one Undo away, and undoing it makes the device manual again.
    composer->undo();
    QCOMPARE(editor->toPlainText(), QStringLiteral("{\"pressed\": false}"));
    QVERIFY(tab.panel->isManual());
}

QTEST_MAIN(tst_BehaviourFaces)
#include "tst_behaviourfaces.moc"
