#include "commandinspector.h"
#include "deviceconfig.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewaypanel.h"
#include "gatewaypanelcommand.h"
#include "gatewaypaneldevices.h"
#include "gatewaypanelpolicy.h"
#include "gatewayserver.h"
#include "internalclient.h"
#include "modulecatalog.h"

#include "identities.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace fleet;
using fleet::test::button;

namespace {

// Generous: the machine is shared; answers on loopback take well under 5 ms.
constexpr int kWaitMs = 5000;

const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kLitUp("{\"lit_up\": true}");

// A panel over a running embedded gateway on a free loopback port.
struct Fixture {
    GatewayController controller;
    GatewayPanel panel{&controller};

    bool start()
    {
        panel.portBox()->setValue(0);
        return panel.start();
    }
    quint16 port() const { return controller.port(); }

    // A real device connected to the gateway; nullptr (and a test failure) if it cannot.
    std::unique_ptr<InternalClient> connectDevice(const DeviceIdentity& identity = button())
    {
        auto client = std::make_unique<InternalClient>();
        QSignalSpy connected(client.get(), &InternalClient::connected);
        if (client->connectToServer("127.0.0.1", port(), identity) !=
                InternalClient::Error::NoError ||
            !connected.wait(kWaitMs))
            return nullptr;
        return client;
    }
};

} // namespace

class tst_GatewayPanel : public QObject {
    Q_OBJECT
private slots:
    void startAndStop();
    void startFailureIsShown();
    void moduleChoiceReachesThePolicy();
    void badModuleNumberKeepsPolicy();
    void delayAndModeReachThePolicy();
    void connectedDevicesAreListed();
    void actionsNeedASelection();
    void queuedCommandAnswersNextStatus();
    void queueAndPushSayWhatTheyDo();
    void pushReachesTheDevice_data();
    void pushReachesTheDevice();
    void pushShowsInDevicePage();
    void disconnectClosesTheDevice();
    void silentDropIsExplainedOrNot_data();
    void silentDropIsExplainedOrNot();
    void presetsFollowTheSelectedDevice();
    void formatSwitchKeepsBytes();
};

void tst_GatewayPanel::startAndStop()
{
    Fixture f;
    QVERIFY(f.start());
    QVERIFY(f.controller.isListening());
    QVERIFY2(f.panel.addressText().contains(QStringLiteral("127.0.0.1:%1").arg(f.port())),
             qPrintable(f.panel.addressText()));
    QVERIFY(!f.panel.startButton()->isEnabled());
    QVERIFY(f.panel.stopButton()->isEnabled());
    QTest::mouseClick(f.panel.stopButton(), Qt::LeftButton);
    QVERIFY(!f.controller.isListening());
    QCOMPARE(f.panel.addressText(), QStringLiteral("Stopped"));
    QVERIFY(f.panel.startButton()->isEnabled());
}

void tst_GatewayPanel::startFailureIsShown()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    Fixture f;
    f.panel.portBox()->setValue(taken.serverPort());
    QVERIFY(!f.panel.start());
    QVERIFY2(f.panel.messageText().contains(QString::number(taken.serverPort())),
             qPrintable(f.panel.messageText()));
    QCOMPARE(f.panel.addressText(), QStringLiteral("Stopped"));
}

void tst_GatewayPanel::moduleChoiceReachesThePolicy()
{
    Fixture f;
    QVERIFY(f.start());
    QCheckBox* example = f.panel.policyBox()->moduleCheck(ModuleNumber::Example);
    QVERIFY(example);
    QVERIFY(example->isChecked());
    example->setChecked(false);
    QVERIFY(!f.controller.link()->policy().supportedModules.contains(ModuleNumber::Example));

    // The gateway now turns an example device away.
    InternalClient client;
    QSignalSpy failed(&client, &InternalClient::errorOccurred);
    client.connectToServer("127.0.0.1", f.port(), button());
    QVERIFY(failed.wait(kWaitMs));
    QCOMPARE(failed.first().first().value<InternalClient::Error>(),
             InternalClient::Error::ModuleNotSupported);
}

void tst_GatewayPanel::badModuleNumberKeepsPolicy()
{
    Fixture f;
    QLineEdit* extra = f.panel.policyBox()->extraModulesEdit();
    extra->setText("1001, abc");
    emit extra->editingFinished();
    QVERIFY2(f.panel.messageText().contains("'abc'"), qPrintable(f.panel.messageText()));
    QVERIFY(!f.controller.link()->policy().supportedModules.contains(1001));
    QCOMPARE(extra->text(), QStringLiteral("1001, abc")); // nothing typed is lost
    extra->setText("1001 1002");
    emit extra->editingFinished();
    QVERIFY(f.panel.messageText().isEmpty());
    QVERIFY(f.controller.link()->policy().supportedModules.contains(1001));
    QVERIFY(f.controller.link()->policy().supportedModules.contains(1002));
}

void tst_GatewayPanel::delayAndModeReachThePolicy()
{
    Fixture f;
    GatewayPanelPolicyBox* policy = f.panel.policyBox();
    QVERIFY(f.controller.link()->policy().explainSilentDrops);
    policy->answerDelayBox()->setValue(120);
    QCOMPARE(f.controller.link()->policy().answerDelayMs, 120);
    policy->modeCombo()->setCurrentIndex(policy->modeCombo()->findData(false));
    QVERIFY(!f.controller.link()->policy().explainSilentDrops);
    QTest::mouseClick(policy->emptyAnswersCheck(), Qt::LeftButton);
    QVERIFY(f.controller.link()->policy().emptyAnswers);
}

void tst_GatewayPanel::connectedDevicesAreListed()
{
    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice(button("lister"));
    QVERIFY(client);
    GatewayPanelDeviceModel* model = f.panel.deviceModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kWaitMs);
    auto cell = [&](int column) { return model->data(model->index(0, column)).toString(); };
    QVERIFY2(cell(GatewayPanelDeviceModel::DeviceColumn).contains("lister"),
             qPrintable(cell(GatewayPanelDeviceModel::DeviceColumn)));
    QCOMPARE(cell(GatewayPanelDeviceModel::StatusesColumn), QStringLiteral("0"));

    QSignalSpy answered(client.get(), &InternalClient::commandReceived);
    client->sendStatus(kPressed, kWaitMs);
    QVERIFY(answered.wait(kWaitMs));
    QTRY_COMPARE_WITH_TIMEOUT(cell(GatewayPanelDeviceModel::StatusesColumn), QStringLiteral("1"),
                              kWaitMs);
    QCOMPARE(cell(GatewayPanelDeviceModel::LastStatusColumn),
             ModuleCatalog::describeStatus(ModuleNumber::Example, kPressed));
}

void tst_GatewayPanel::actionsNeedASelection()
{
    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    QVERIFY(!f.panel.pushButton()->isEnabled());
    QString error;
    QVERIFY(!f.panel.pushCommand(&error));
    QCOMPARE(error, QStringLiteral("no device selected"));
    f.panel.selectDevice(0);
    QVERIFY(f.panel.pushButton()->isEnabled());
    QVERIFY(f.panel.queueButton()->isEnabled());
    QVERIFY(f.panel.disconnectButton()->isEnabled());
}

void tst_GatewayPanel::queuedCommandAnswersNextStatus()
{
    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    f.panel.selectDevice(0);
    // A queued command goes through the module's command generation, as the cloud's do in
    // the real gateway: the example module answers a press with lit_up false whatever the
    // queued command says.
    f.panel.commandEditor()->setCommand(kLitUp);
    QTest::mouseClick(f.panel.queueButton(), Qt::LeftButton);
    QVERIFY2(f.panel.messageText().startsWith("Queued"), qPrintable(f.panel.messageText()));
    QCOMPARE(f.controller.link()->queuedCommands(button()), QList<QByteArray>{kLitUp});

    QSignalSpy commands(client.get(), &InternalClient::commandReceived);
    client->sendStatus(kPressed, kWaitMs);
    QVERIFY(commands.wait(kWaitMs));
    QCOMPARE(commands.first().at(0).toByteArray(), QByteArray("{\"lit_up\": false}"));
    QCOMPARE(commands.first().at(1).toBool(), false); // an answer, not a push
    QVERIFY(f.controller.link()->queuedCommands(button()).isEmpty());
}

void tst_GatewayPanel::queueAndPushSayWhatTheyDo()
{
    Fixture f;
    const QString note = f.panel.commandNoteLabel()->text();
    QVERIFY2(note.contains(QStringLiteral("Queue: the module's command generation sees it, as "
                                          "the cloud's commands in the real gateway")),
             qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("Push now: sent as is, at once")), qPrintable(note));
    QVERIFY(f.panel.commandNoteLabel()->isVisibleTo(&f.panel));
    QVERIFY2(f.panel.queueButton()->toolTip().contains(QStringLiteral("command generation")),
             qPrintable(f.panel.queueButton()->toolTip()));
    QVERIFY2(f.panel.pushButton()->toolTip().contains(QStringLiteral("exact bytes")),
             qPrintable(f.panel.pushButton()->toolTip()));
    QVERIFY(f.panel.queueButton()->text().startsWith(QStringLiteral("Queue")));
    QVERIFY(f.panel.pushButton()->text().startsWith(QStringLiteral("Push now")));
}

void tst_GatewayPanel::pushReachesTheDevice_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("text") << int(PayloadFormat::Text) << QString::fromUtf8(kLitUp) << kLitUp;
    QTest::newRow("binary via hex")
        << int(PayloadFormat::Hex) << QStringLiteral("00 ff 10") << QByteArray("\x00\xff\x10", 3);
    QTest::newRow("empty: nothing new") << int(PayloadFormat::Text) << QString() << QByteArray();
}

void tst_GatewayPanel::pushReachesTheDevice()
{
    QFETCH(int, format);
    QFETCH(QString, text);
    QFETCH(QByteArray, expected);

    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    f.panel.selectDevice(0);
    QVERIFY(f.panel.commandEditor()->setFormat(PayloadFormat(format)));
    f.panel.commandEditor()->editor()->setPlainText(text);

    QSignalSpy commands(client.get(), &InternalClient::commandReceived);
    QTest::mouseClick(f.panel.pushButton(), Qt::LeftButton);
    QVERIFY2(f.panel.messageText().startsWith("Pushed"), qPrintable(f.panel.messageText()));
    QVERIFY(commands.wait(kWaitMs));
    QCOMPARE(commands.first().at(0).toByteArray(), expected);
    QCOMPARE(commands.first().at(1).toBool(), true); // pushed
    QCOMPARE(commands.first().at(2).toBool(), expected.isEmpty());
}

void tst_GatewayPanel::pushShowsInDevicePage()
{
    Fixture f;
    QVERIFY(f.start());
    DeviceSessionPage page(DeviceConfig::exampleButton());
    page.setEmbeddedGateway(f.controller.host(), f.port());
    page.connectToServer();
    QTRY_COMPARE_WITH_TIMEOUT(page.session()->status(), SessionStatus::Connected, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    f.panel.selectDevice(0);
    f.panel.commandEditor()->setCommand(kLitUp);
    QVERIFY(f.panel.pushCommand());
    QTRY_COMPARE_WITH_TIMEOUT(page.inspector()->shownCommand(), kLitUp, kWaitMs);
    QVERIFY2(page.inspector()->markText().contains("pushed"),
             qPrintable(page.inspector()->markText()));
}

void tst_GatewayPanel::disconnectClosesTheDevice()
{
    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    f.panel.selectDevice(0);
    QSignalSpy notices(client.get(), &InternalClient::notice);
    QTest::mouseClick(f.panel.disconnectButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 0, kWaitMs);
    QVERIFY(!f.panel.selectedDevice());
    QVERIFY(!f.panel.pushButton()->isEnabled());
    // An idle client hears of the close at once (and reconnects with its next status).
    QTRY_VERIFY_WITH_TIMEOUT(!notices.isEmpty(), kWaitMs);
    QVERIFY2(notices.first().first().toString().contains("closed the idle connection"),
             qPrintable(notices.first().first().toString()));
    QTRY_VERIFY2_WITH_TIMEOUT(f.panel.eventLogText().contains("disconnected"),
                              qPrintable(f.panel.eventLogText()), kWaitMs);
}

void tst_GatewayPanel::silentDropIsExplainedOrNot_data()
{
    QTest::addColumn<bool>("explain");
    QTest::newRow("explaining") << true;
    QTest::newRow("reference-strict") << false;
}

void tst_GatewayPanel::silentDropIsExplainedOrNot()
{
    QFETCH(bool, explain);
    Fixture f;
    QVERIFY(f.start());
    QComboBox* mode = f.panel.policyBox()->modeCombo();
    mode->setCurrentIndex(mode->findData(explain));
    auto client = f.connectDevice();
    QVERIFY(client);
    QSignalSpy failed(client.get(), &InternalClient::errorOccurred);
    // Right meaning, wrong bytes: the example module compares them exactly
    // (docs/modules.md#example-module).
    client->sendStatus("{\"pressed\":true}", 2000);
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 15'000);
    f.panel.flushNow();
    const QString log = f.panel.eventLogText();
    QVERIFY2(log.contains("status not answered"), qPrintable(log));
    const ValidationResult why =
        ModuleCatalog::validateStatus(ModuleNumber::Example, 0, "{\"pressed\":true}");
    QVERIFY(!why.ok);
    QCOMPARE(log.contains("no answer: "), explain);
    QCOMPARE(log.contains(why.message), explain);
}

void tst_GatewayPanel::presetsFollowTheSelectedDevice()
{
    Fixture f;
    QVERIFY(f.start());
    auto client = f.connectDevice();
    QVERIFY(client);
    QTRY_COMPARE_WITH_TIMEOUT(f.panel.deviceModel()->rowCount(), 1, kWaitMs);
    f.panel.selectDevice(0);
    const QList<PayloadPreset> presets = ModuleCatalog::commandPresets(ModuleNumber::Example, 0);
    QVERIFY(!presets.isEmpty());
    QComboBox* combo = f.panel.commandEditor()->presetCombo();
    QCOMPARE(combo->count(), presets.size() + 1); // the prompt, then the presets
    combo->setCurrentIndex(1);
    emit combo->activated(1);
    QCOMPARE(f.panel.commandEditor()->command(), std::optional(presets.first().payload));
}

void tst_GatewayPanel::formatSwitchKeepsBytes()
{
    GatewayPanelCommandEditor editor;
    editor.setCommand(QByteArray("\x00\x01\xfe", 3));
    QCOMPARE(editor.format(), PayloadFormat::Hex); // no text can hold these bytes
    QString error;
    QVERIFY(!editor.setFormat(PayloadFormat::Text, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(editor.format(), PayloadFormat::Hex);
    QCOMPARE(editor.command(), std::optional(QByteArray("\x00\x01\xfe", 3)));
    QVERIFY(editor.setFormat(PayloadFormat::Base64));
    QCOMPARE(editor.command(), std::optional(QByteArray("\x00\x01\xfe", 3)));

    editor.editor()->setPlainText("!!");
    QVERIFY(!editor.command(&error));
    QVERIFY2(error.contains("Base64"), qPrintable(error));
    QCOMPARE(editor.adviceText(), error);
}

QTEST_MAIN(tst_GatewayPanel)
#include "tst_gatewaypanel.moc"
