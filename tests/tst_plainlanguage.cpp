// Plain language (issue 13, item 4): each known module's statuses and commands read as
// sentences, answers say where they came from, and the traffic log's jargon has tooltips that
// explain it — in the model, in the log's filter bar and in its detail pane.
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "plainlanguage.h"
#include "sequencemodel.h"
#include "trafficlogdetail.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include "frames.h"
#include "identities.h"

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace fleet;
using namespace fleet::test;

namespace {

const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");
const QByteArray kLit("{\"lit_up\": true}");
const QByteArray kDark("{\"lit_up\": false}");

const QByteArray kButtonStatus("[[{\"inNum\":1,\"inSt\":true}],[],{\"butPr\":0}]");
const QByteArray kMissionDrive("{\"state\":\"DRIVE\",\"telemetry\":{\"speed\":7.2},"
                               "\"nextStop\":{\"name\":\"Train Station\",\"position\":"
                               "{\"latitude\":45.8,\"longitude\":15.9,\"altitude\":125.3}}}");
const QByteArray kMissionInStop("{\"state\":\"IN_STOP\",\"telemetry\":{\"speed\":0},"
                                "\"nextStop\":null}");
const QByteArray kMissionStart("{\"action\":\"START\",\"route\":\"R1\",\"stops\":[{\"name\":\"A\","
                               "\"position\":{\"latitude\":1,\"longitude\":2,\"altitude\":3}}]}");
const QByteArray kMissionStop("{\"action\":\"STOP\",\"route\":\"R1\",\"stops\":[]}");
const QByteArray kMissionFirst("{\"action\":\"NO_ACTION\",\"route\":\"\",\"stops\":[]}");

TrafficFrame frameOf(TrafficKind kind, int responseType = -1)
{
    TrafficFrame frame;
    frame.kind = kind;
    frame.responseType = qint8(responseType);
    frame.direction = kind == TrafficKind::Connect || kind == TrafficKind::Status
                          ? TrafficDirection::DeviceToGateway
                          : TrafficDirection::GatewayToDevice;
    return frame;
}

} // namespace

Q_DECLARE_METATYPE(fleet::TrafficFrame)

class tst_PlainLanguage : public QObject {
    Q_OBJECT
private slots:
    void moduleSentences_data();
    void moduleSentences();
    void frameSentences_data();
    void frameSentences();
    void jargonTooltipsInTheModel_data();
    void jargonTooltipsInTheModel();
    void columnHeadersExplainThemselves_data();
    void columnHeadersExplainThemselves();
    void filterBarExplainsKindsAndDirections();
    void answersSayWhereTheyCameFrom_data();
    void answersSayWhereTheyCameFrom();
};

void tst_PlainLanguage::moduleSentences_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<bool>("isStatus");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("sentence");

    // docs/modules.md#example-module: the lamp is the inverse of the button.
    QTest::newRow("example: button pressed")
        << 1000u << 0u << true << kPressed
        << "button pressed — the example module answers a pressed button by switching the "
           "lamp off";
    QTest::newRow("example: button released")
        << 1000u << 0u << true << kReleased
        << "button released — the example module answers a released button by lighting the lamp";
    QTest::newRow("example: lamp off")
        << 1000u << 0u << false << kDark
        << "lamp off — the example module lights the lamp when the button is released";
    QTest::newRow("example: lamp on")
        << 1000u << 0u << false << kLit
        << "lamp on — the example module lights the lamp when the button is released";
    QTest::newRow("example: status without the space is refused")
        << 1000u << 0u << true << QByteArray("{\"pressed\":true}")
        << "16 bytes: {\"pressed\":true} — the example module refuses this status (*";
    QTest::newRow("example: unknown command")
        << 1000u << 0u << false << QByteArray("{\"lit_up\":1}")
        << "12 bytes: {\"lit_up\":1} — not a command of the example module: its buttons know "
           "only {\"lit_up\": true} and {\"lit_up\": false}";

    // docs/modules.md#io-module
    QTest::newRow("io: button status")
        << 2u << 4u << true << kButtonStatus
        << "inputs on: 1 (of 1); outputs on: none (of 0); button presses: 0 — the board tells "
           "the IO module which of its inputs and outputs are on and how often its button was "
           "pressed";
    QTest::newRow("io: opta status with too few inputs is refused")
        << 2u << 1u << true << kButtonStatus
        << "inputs on: 1 (of 1); outputs on: none (of 0); button presses: 0 — the IO module "
           "refuses this status (*";
    QTest::newRow("io: outputs switched")
        << 2u << 1u << false
        << QByteArray("[{\"outNum\":1,\"actType\":1},{\"outNum\":2,"
                      "\"actType\":2}]")
        << "output 1 on, output 2 toggle — the IO module tells the board to switch these "
           "outputs off, on or over (toggle); it repeats the command after every status";
    QTest::newRow("io: the button's null command")
        << 2u << 4u << false << QByteArray("null")
        << "null: no action — an empty command: nothing to switch (a Button has no outputs and "
           "always gets null)";

    // docs/modules.md#mission-module
    QTest::newRow("mission: driving")
        << 1u << 1u << true << kMissionDrive
        << "DRIVE at 7.2 m/s, next stop 'Train Station' — the vehicle tells the mission module "
           "it is driving, with its speed and next stop";
    QTest::newRow("mission: at a stop")
        << 1u << 1u << true << kMissionInStop
        << "IN_STOP at 0 m/s, no next stop — the vehicle tells the mission module it stands at "
           "a stop; when that is the first stop of the command, the module drops it from the "
           "next command";
    QTest::newRow("mission: start")
        << 1u << 1u << false << kMissionStart
        << "START, route 'R1', 1 stop: A — the mission module tells the vehicle to drive its "
           "route to these stops, in order";
    QTest::newRow("mission: stop")
        << 1u << 1u << false << kMissionStop
        << "STOP, route 'R1', no stops — the mission module tells the vehicle to stop";
    QTest::newRow("mission: first command")
        << 1u << 1u << false << kMissionFirst
        << "NO_ACTION, no route, no stops — nothing to do yet: the mission module's first "
           "command to a vehicle";

    // docs/modules.md#transparent-module
    QTest::newRow("transparent: any status")
        << 3u << 0u << true << QByteArray("Status 1")
        << "8 bytes: Status 1 — the transparent module accepts any status and passes it on as "
           "it is";
    QTest::newRow("transparent: default command")
        << 3u << 0u << false << QByteArray("\"default_command\"")
        << "default_command — what the transparent module sends before any other command "
           "exists; it passes every command through unchanged";
    QTest::newRow("transparent: other command")
        << 3u << 0u << false << QByteArray("go")
        << "2 bytes: go — the transparent module passes commands through unchanged";

    // docs/protocol.md#conversation: an empty command is a valid answer.
    QTest::newRow("any module: empty command")
        << 1000u << 0u << false << QByteArray()
        << "empty, nothing new — the gateway has no new command for the device; an empty "
           "command is a valid answer";
    QTest::newRow("unknown module")
        << 77u << 0u << true << QByteArray("hi")
        << "2 bytes: hi — module 77 is not one the console knows, so the bytes are shown as "
           "they are";
}

void tst_PlainLanguage::moduleSentences()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(bool, isStatus);
    QFETCH(QByteArray, payload);
    QFETCH(QString, sentence);
    const QString actual = isStatus ? plainStatusSentence(module, type, payload)
                                    : plainCommandSentence(module, type, payload);
    // A '*' at the end of a row matches any rest (the module's own wording of a refusal).
    const bool ok = sentence.endsWith(QLatin1Char('*')) ? actual.startsWith(sentence.chopped(1))
                                                        : actual == sentence;
    QVERIFY2(ok, qPrintable(QStringLiteral("\nactual:   %1\nexpected: %2").arg(actual, sentence)));
}

void tst_PlainLanguage::frameSentences_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("toDevice");
    QTest::addColumn<QString>("sentence");

    const DeviceIdentity b1 = button(QStringLiteral("button"), 0, QStringLiteral("b1"));
    QTest::newRow("connect") << connectFrame(b1) << false
                             << "connect as button 'b1', priority 0 — the device introduces "
                                "itself and asks for the slot of Example module, Button device, "
                                "role 'button'; a lower priority number wins the slot";
    QTest::newRow("OK") << connectResponseFrame(b1, 0) << true
                        << "OK — OK: the device has its slot and may send statuses.";
    QTest::newRow("slot taken")
        << connectResponseFrame(b1, 1) << true
        << "ALREADY_CONNECTED — ALREADY_CONNECTED: a device with the same module, type and role "
           "and the same priority holds the slot.";
    QTest::newRow("higher priority holds the slot")
        << connectResponseFrame(b1, 4) << true
        << "HIGHER_PRIORITY_ALREADY_CONNECTED — HIGHER_PRIORITY_ALREADY_CONNECTED: a device with "
           "a lower priority number (a stronger one) holds the slot.";
    QTest::newRow("status") << statusFrame(b1, kPressed) << false
                            << "status: button pressed — the example module answers a pressed "
                               "button by switching the lamp off";
    QTest::newRow("command") << commandFrame(b1, kLit) << true
                             << "command: lamp on — the example module lights the lamp when the "
                                "button is released";
}

void tst_PlainLanguage::frameSentences()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, toDevice);
    QFETCH(QString, sentence);
    TrafficLogModel log;
    // A command logged as the answer it is here (alone, the log would take it as pushed).
    log.appendFrame(QStringLiteral("b1"), TrafficSide::Device,
                    toDevice ? TrafficDirection::GatewayToDevice
                             : TrafficDirection::DeviceToGateway,
                    wire, TrafficLogModel::CommandHint::Answer);
    log.flush();
    QCOMPARE(plainFrameSentence(log.frame(0)), sentence);
    // The Summary column's tooltip: the terse summary, then the sentence.
    const QString tip =
        log.index(0, TrafficLogModel::SummaryColumn).data(Qt::ToolTipRole).toString();
    QCOMPARE(tip, log.summary(0) + QLatin1Char('\n') + sentence);
}

void tst_PlainLanguage::jargonTooltipsInTheModel_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<TrafficFrame>("frame");
    QTest::addColumn<QString>("explained");

    const int kind = TrafficLogModel::KindColumn;
    QTest::newRow("kind: connect")
        << kind << frameOf(TrafficKind::Connect) << "The device introduces itself";
    QTest::newRow("kind: connect response, refused")
        << kind << frameOf(TrafficKind::ConnectResponse, 1) << "ALREADY_CONNECTED: a device";
    QTest::newRow("kind: status") << kind << frameOf(TrafficKind::Status)
                                  << "The device reports its state (statusData)";
    QTest::newRow("kind: commandData") << kind << frameOf(TrafficKind::Command)
                                       << "The gateway's answer to a status (commandData)";
    QTest::newRow("kind: pushed command")
        << kind << frameOf(TrafficKind::PushedCommand) << "not as the answer to a status";
    QTest::newRow("kind: malformed")
        << kind << frameOf(TrafficKind::Malformed) << "Bytes that are no valid message";
    QTest::newRow("kind: protocol error") << kind << frameOf(TrafficKind::ProtocolError)
                                          << "Something went wrong without a whole message to show";
    QTest::newRow("kind: connection") << kind << frameOf(TrafficKind::Connection)
                                      << "network connection (opened, closed, refused)";
    const int direction = TrafficLogModel::DirectionColumn;
    QTest::newRow("direction: device → gateway")
        << direction << frameOf(TrafficKind::Status) << "Sent by the device to the gateway";
    QTest::newRow("direction: gateway → device")
        << direction << frameOf(TrafficKind::Command) << "Sent by the gateway to the device";
    QTest::newRow("direction: local event")
        << direction << frameOf(TrafficKind::Connection) << "A local event";
    TrafficFrame gateway = frameOf(TrafficKind::Status);
    gateway.side = TrafficSide::Gateway;
    QTest::newRow("logged by: device")
        << int(TrafficLogModel::SideColumn) << frameOf(TrafficKind::Status)
        << "Logged by a device the console runs";
    QTest::newRow("logged by: gateway")
        << int(TrafficLogModel::SideColumn) << gateway << "Logged by the embedded gateway";
    QTest::newRow("byte counts") << int(TrafficLogModel::SizeColumn) << frameOf(TrafficKind::Status)
                                 << "including the 4-byte length";
}

void tst_PlainLanguage::jargonTooltipsInTheModel()
{
    QFETCH(int, column);
    QFETCH(TrafficFrame, frame);
    QFETCH(QString, explained);
    // Through the model's own insert path: a frame of the row's kind and direction.
    TrafficLogModel log;
    const DeviceIdentity b1 = button();
    const QString device = b1.toString();
    switch (frame.kind) {
    case TrafficKind::Connect:
        log.appendFrame(device, frame.side, frame.direction, connectFrame(b1));
        break;
    case TrafficKind::ConnectResponse:
        log.appendFrame(device, frame.side, frame.direction,
                        connectResponseFrame(b1, frame.responseType));
        break;
    case TrafficKind::Status:
        log.appendFrame(device, frame.side, frame.direction, statusFrame(b1, kPressed));
        break;
    case TrafficKind::Command:
        log.appendFrame(device, frame.side, frame.direction, commandFrame(b1, kDark),
                        TrafficLogModel::CommandHint::Answer);
        break;
    case TrafficKind::PushedCommand:
        log.appendFrame(device, frame.side, frame.direction, commandFrame(b1, kDark),
                        TrafficLogModel::CommandHint::Pushed);
        break;
    case TrafficKind::Malformed:
        log.appendFrame(device, frame.side, frame.direction, frameAround(garbageBody()));
        break;
    case TrafficKind::ProtocolError:
        log.appendProtocolError(device, frame.side, frame.direction,
                                QStringLiteral("connection closed mid-frame"));
        break;
    case TrafficKind::Connection:
        log.appendConnectionEvent(device, QStringLiteral("connection refused"));
        break;
    }
    log.flush();
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(TrafficKind(log.index(0, 0).data(TrafficLogModel::KindRole).toInt()), frame.kind);
    const QString tip = log.index(0, column).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(explained), qPrintable(tip));
}

void tst_PlainLanguage::columnHeadersExplainThemselves_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("explained");
    QTest::newRow("Time") << int(TrafficLogModel::TimeColumn) << "in local time";
    QTest::newRow("Logged by") << int(TrafficLogModel::SideColumn) << "Who logged the row";
    QTest::newRow("Device") << int(TrafficLogModel::DeviceColumn) << "The device the frame";
    QTest::newRow("Direction") << int(TrafficLogModel::DirectionColumn) << "Which way the frame";
    QTest::newRow("Kind") << int(TrafficLogModel::KindColumn) << "What sort of message";
    QTest::newRow("Bytes") << int(TrafficLogModel::SizeColumn) << "How many bytes went over";
    QTest::newRow("Round trip") << int(TrafficLogModel::RoundTripColumn)
                                << "from the request to this answer";
    QTest::newRow("Summary") << int(TrafficLogModel::SummaryColumn) << "What the message says";
}

void tst_PlainLanguage::columnHeadersExplainThemselves()
{
    QFETCH(int, column);
    QFETCH(QString, explained);
    TrafficLogModel log;
    const QString tip = log.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(explained), qPrintable(tip));
    // The header's title stays the short word.
    QVERIFY(!log.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
}

void tst_PlainLanguage::filterBarExplainsKindsAndDirections()
{
    TrafficLogModel log;
    TrafficLogView view(&log);
    // Every kind in the Kinds menu explains itself, as the Kind column does.
    QToolButton* kinds = nullptr;
    for (QToolButton* button : view.findChildren<QToolButton*>()) {
        if (button->menu())
            kinds = button;
    }
    QVERIFY(kinds);
    QVERIFY(kinds->menu()->toolTipsVisible());
    const QList<QAction*> actions = kinds->menu()->actions();
    QCOMPARE(actions.size(), kTrafficKindCount);
    for (const QAction* action : actions)
        QCOMPARE(action->toolTip(), trafficKindExplanation(TrafficKind(action->data().toInt())));
    // Both directions in the direction filter.
    bool found = false;
    for (QComboBox* combo : view.findChildren<QComboBox*>()) {
        const int index = combo->findData(int(TrafficDirection::GatewayToDevice));
        if (index < 0 || combo->itemText(index) != QStringLiteral("gateway → device"))
            continue;
        found = true;
        QCOMPARE(combo->itemData(index, Qt::ToolTipRole).toString(),
                 trafficDirectionExplanation(TrafficDirection::GatewayToDevice));
    }
    QVERIFY(found);
}

void tst_PlainLanguage::answersSayWhereTheyCameFrom_data()
{
    QTest::addColumn<GatewayEvent::Source>("source");
    QTest::addColumn<QString>("origin");
    QTest::newRow("module") << GatewayEvent::Source::Module << "Answered by the module";
    QTest::newRow("operator queue")
        << GatewayEvent::Source::Queued << "Answered from the operator's queue";
    QTest::newRow("pushed") << GatewayEvent::Source::Pushed << "Pushed: the operator sent";
    QTest::newRow("external gateway: nobody says") << GatewayEvent::Source::None << "";
}

void tst_PlainLanguage::answersSayWhereTheyCameFrom()
{
    QFETCH(GatewayEvent::Source, source);
    QFETCH(QString, origin);
    TrafficLogModel log;
    GatewayServer gateway;
    GatewayLink link(&gateway); // the server's signals come through the link
    SequenceModel sequence(&log);
    sequence.attachGateway(&link);
    TrafficLogView view(&log);
    view.setAnswerSources(&sequence);

    // A console device's status and answer, each logged by both sides; the embedded gateway
    // announces the answer's source as it sends it (docs/sequence.md#colours).
    const DeviceIdentity b1 = button(QStringLiteral("button"), 0, QStringLiteral("b1"));
    const QString device = b1.toString();
    for (const TrafficSide side : {TrafficSide::Device, TrafficSide::Gateway})
        log.appendFrame(device, side, TrafficDirection::DeviceToGateway, statusFrame(b1, kPressed));
    log.appendFrame(device, TrafficSide::Gateway, TrafficDirection::GatewayToDevice,
                    commandFrame(b1, kDark));
    if (source != GatewayEvent::Source::None) {
        GatewayEvent event;
        event.kind = GatewayEvent::Kind::CommandSent;
        event.hasDevice = true;
        event.device = b1;
        event.source = source;
        emit gateway.gatewayEvent(event);
    }
    log.appendFrame(device, TrafficSide::Device, TrafficDirection::GatewayToDevice,
                    commandFrame(b1, kDark));
    log.flush();

    // The one-row view shows the device's rows: the status, then its answer.
    QCOMPARE(view.filter()->rowCount(), 2);
    const int answer = 1;
    QCOMPARE(view.filter()->frameAt(answer).kind, TrafficKind::Command);
    QCOMPARE(
        sequence.answerSource(view.filter()->mapToSource(view.filter()->index(answer, 0)).row()),
        source);
    view.table()->setCurrentIndex(view.filter()->index(answer, TrafficLogModel::SummaryColumn));
    const QString meaning = view.detail()->meaning();
    QVERIFY2(meaning.startsWith(QStringLiteral("command: lamp off — the example module")),
             qPrintable(meaning));
    const QString tip = view.cellToolTip(answer, TrafficLogModel::SummaryColumn);
    if (origin.isEmpty()) {
        QCOMPARE(meaning.count(QLatin1Char('\n')), 0);
        QCOMPARE(tip.count(QLatin1Char('\n')), 1); // summary, sentence: no origin
    } else {
        QVERIFY2(meaning.contains(origin), qPrintable(meaning));
        QVERIFY2(tip.contains(origin), qPrintable(tip));
        QVERIFY2(view.cellToolTip(answer, TrafficLogModel::KindColumn).contains(origin),
                 qPrintable(view.cellToolTip(answer, TrafficLogModel::KindColumn)));
    }
    // A status is no answer: no origin however the gateway answered it.
    QVERIFY(!view.cellToolTip(0, TrafficLogModel::SummaryColumn).contains(QLatin1String("Answer")));
}

QTEST_MAIN(tst_PlainLanguage)
#include "tst_plainlanguage.moc"
