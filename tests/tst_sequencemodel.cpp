// The sequence diagram's model: logged frames become rows (each message once, with a plain
// label and a role that decides its colour), repetitive pairs fold into a group row, the rows
// stay within the traffic log's cap, and the SVG export holds one arrow per message shown.
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "modulecatalog.h"
#include "sequencelayout.h"
#include "sequencemodel.h"
#include "trafficlogmodel.h"

#include "frames.h"
#include "identities.h"

#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace fleet;
using namespace fleet::test;

namespace {

// One thing the log is told, in the order a live conversation tells it.
struct Step {
    enum Type { Frame, Error, Connection, Source } type = Frame;
    QString device;
    TrafficSide side = TrafficSide::Device;
    TrafficDirection direction = TrafficDirection::DeviceToGateway;
    QByteArray wire;
    QString message;
    GatewayEvent::Source source = GatewayEvent::Source::None;
    DeviceIdentity identity;
};
using Script = QList<Step>;

DeviceIdentity b1()
{
    return button(QStringLiteral("button"), 0, QStringLiteral("b1"));
}

Step out(const DeviceIdentity& who, const QByteArray& wire, TrafficSide side = TrafficSide::Device)
{
    return {Step::Frame, who.toString(), side, TrafficDirection::DeviceToGateway, wire, {}, {},
            who};
}

Step in(const DeviceIdentity& who, const QByteArray& wire, TrafficSide side = TrafficSide::Device)
{
    return {Step::Frame, who.toString(), side, TrafficDirection::GatewayToDevice, wire, {}, {},
            who};
}

Step error(const DeviceIdentity& who, const QString& message,
           TrafficSide side = TrafficSide::Device)
{
    return {Step::Error, who.toString(), side, TrafficDirection::GatewayToDevice,
            {},          message,        {},   who};
}

Step connection(const DeviceIdentity& who, const QString& message)
{
    return {Step::Connection, who.toString(), TrafficSide::Device, {}, {}, message, {}, who};
}

// The embedded gateway saying where the command it just sent came from.
Step source(const DeviceIdentity& who, GatewayEvent::Source from)
{
    return {Step::Source, who.toString(), TrafficSide::Gateway, {}, {}, {}, from, who};
}

// A status and its answer as a console device logs them.
Script pair(const DeviceIdentity& who, const QByteArray& status, const QByteArray& command)
{
    return {out(who, statusFrame(who, status)), in(who, commandFrame(who, command))};
}

Script repeated(const Script& script, int times)
{
    Script all;
    for (int i = 0; i < times; ++i)
        all += script;
    return all;
}

// The same frames as both a console device and the embedded gateway log them.
Script bothSides(const Script& device, const QList<GatewayEvent::Source>& sources = {})
{
    Script all;
    int command = 0;
    for (const Step& step : device) {
        Step gateway = step;
        gateway.side = TrafficSide::Gateway;
        if (step.direction == TrafficDirection::DeviceToGateway) {
            all << step << gateway;
        } else {
            all << gateway;
            if (command < sources.size())
                all << source(step.identity, sources[command++]);
            all << step;
        }
    }
    return all;
}

void play(TrafficLogModel& log, GatewayServer& gateway, const Script& script)
{
    for (const Step& step : script) {
        switch (step.type) {
        case Step::Frame:
            log.appendFrame(step.device, step.side, step.direction, step.wire);
            break;
        case Step::Error:
            log.appendProtocolError(step.device, step.side, step.direction, step.message);
            break;
        case Step::Connection:
            log.appendConnectionEvent(step.device, step.message);
            break;
        case Step::Source: {
            GatewayEvent event;
            event.kind = GatewayEvent::Kind::CommandSent;
            event.hasDevice = true;
            event.device = step.identity;
            event.source = step.source;
            emit gateway.gatewayEvent(event);
            break;
        }
        }
    }
    log.flush();
}

QString roleName(SequenceRole role)
{
    switch (role) {
    case SequenceRole::Request:
        return QStringLiteral("request");
    case SequenceRole::Answer:
        return QStringLiteral("answer");
    case SequenceRole::ModuleAnswer:
        return QStringLiteral("module");
    case SequenceRole::QueuedAnswer:
        return QStringLiteral("queued");
    case SequenceRole::Pushed:
        return QStringLiteral("pushed");
    case SequenceRole::Refusal:
        return QStringLiteral("refusal");
    case SequenceRole::Error:
        return QStringLiteral("error");
    case SequenceRole::OpenMark:
        return QStringLiteral("open");
    case SequenceRole::CloseMark:
        return QStringLiteral("close");
    case SequenceRole::ErrorMark:
        return QStringLiteral("errormark");
    case SequenceRole::Group:
        return QStringLiteral("group");
    }
    return {};
}

// "role: label", with " (rtt)" when the row shows a round trip.
QStringList rowsOf(const SequenceModel& model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const SequenceMessage& message = model.message(row);
        QString text = roleName(message.role) + QStringLiteral(": ") + model.label(message);
        if (!SequenceModel::roundTripText(message).isEmpty())
            text += QStringLiteral(" (rtt)");
        rows << text;
    }
    return rows;
}

// A '*' at the end of an expected row matches any rest.
void compareRows(const QStringList& actual, const QStringList& expected)
{
    const QString both =
        QStringLiteral("\nactual:\n  %1\nexpected:\n  %2")
            .arg(actual.join(QStringLiteral("\n  ")), expected.join(QStringLiteral("\n  ")));
    QVERIFY2(actual.size() == expected.size(), qPrintable(both));
    for (int i = 0; i < expected.size(); ++i) {
        const QString& want = expected[i];
        const bool ok = want.endsWith(QLatin1Char('*')) ? actual[i].startsWith(want.chopped(1))
                                                        : actual[i] == want;
        QVERIFY2(ok, qPrintable(QStringLiteral("row %1").arg(i) + both));
    }
}

const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");
const QByteArray kDark("{\"lit_up\": false}");
const QByteArray kLit("{\"lit_up\": true}");

} // namespace

Q_DECLARE_METATYPE(Script)

class tst_SequenceModel : public QObject {
    Q_OBJECT
private slots:
    void messagesBecomeRows_data();
    void messagesBecomeRows();
    void lanes_data();
    void lanes();
    void groupingRule_data();
    void groupingRule();
    void groupRate_data();
    void groupRate();
    void laterPushIsRedrawn();
    void deviceFilter();
    void memoryStaysWithinTheLogsCap_data();
    void memoryStaysWithinTheLogsCap();
    void svgHasOneArrowPerMessage_data();
    void svgHasOneArrowPerMessage();
};

void tst_SequenceModel::messagesBecomeRows_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<QStringList>("rows");

    const DeviceIdentity b = b1();
    QTest::newRow("connect and OK")
        << Script{out(b, connectFrame(b)), in(b, connectResponseFrame(b))}
        << QStringList{"request: connect as button 'b1', priority 0", "answer: OK (rtt)"};
    QTest::newRow("refused connect in red with the reason")
        << Script{out(b, connectFrame(b)), in(b, connectResponseFrame(b, 1))}
        << QStringList{"request: connect as button 'b1', priority 0",
                       "refusal: ALREADY_CONNECTED — slot taken (rtt)"};
    QTest::newRow("higher priority refusal")
        << Script{out(b, connectFrame(b)), in(b, connectResponseFrame(b, 4))}
        << QStringList{"request: connect as button 'b1', priority 0",
                       "refusal: HIGHER_PRIORITY_ALREADY_CONNECTED — a higher-priority device "
                       "holds the slot (rtt)"};
    QTest::newRow("example status and command")
        << pair(b, kPressed, kDark)
        << QStringList{"request: status: button pressed", "answer: command: lamp off (rtt)"};
    QTest::newRow("example empty answer")
        << pair(b, kReleased, QByteArray())
        << QStringList{"request: status: button released",
                       "answer: command: empty, nothing new (rtt)"};

    const DeviceIdentity io = device(2, 1, QStringLiteral("opta"), 0, QStringLiteral("board"));
    const QByteArray ioStatus = "[[{\"inNum\":1,\"inSt\":true},{\"inNum\":2,\"inSt\":false},"
                                "{\"inNum\":3,\"inSt\":false},{\"inNum\":4,\"inSt\":false},"
                                "{\"inNum\":5,\"inSt\":false},{\"inNum\":6,\"inSt\":false}],"
                                "[{\"outNum\":1,\"outErr\":false,\"outSt\":true},"
                                "{\"outNum\":2,\"outErr\":false,\"outSt\":false},"
                                "{\"outNum\":3,\"outErr\":false,\"outSt\":false},"
                                "{\"outNum\":4,\"outErr\":false,\"outSt\":false}],{\"butPr\":0}]";
    const QByteArray ioCommand = "[{\"outNum\":1,\"actType\":1}]";
    QTest::newRow("io module")
        << pair(io, ioStatus, ioCommand)
        << QStringList{"request: status: inputs on: 1 (of 6); outputs on: 1 (of 4); button "
                       "presses: 0",
                       "answer: command: output 1 on (rtt)"};

    const DeviceIdentity vehicle =
        device(1, 1, QStringLiteral("autonomy"), 0, QStringLiteral("virtual_vehicle"));
    const QByteArray missionStatus = "{\"state\":\"DRIVE\",\"telemetry\":{\"speed\":7.2},"
                                     "\"nextStop\":null}";
    const QByteArray missionCommand = "{\"action\":\"NO_ACTION\",\"route\":\"\",\"stops\":[]}";
    QTest::newRow("mission module")
        << (Script{out(vehicle, connectFrame(vehicle)),
                   in(vehicle, connectResponseFrame(vehicle))} +
            pair(vehicle, missionStatus, missionCommand))
        << QStringList{
               "request: connect as autonomy 'virtual_vehicle', priority 0", "answer: OK (rtt)",
               "request: status: " + ModuleCatalog::describeStatus(1, missionStatus),
               "answer: command: " + ModuleCatalog::describeCommand(1, missionCommand) + " (rtt)"};

    QTest::newRow("pushed command drawn as pushed")
        << Script{in(b, commandFrame(b, kLit))} << QStringList{"pushed: pushed command: lamp on"};
    QTest::newRow("malformed frame in red")
        << Script{in(b, frameAround(garbageBody()))} << QStringList{"error: malformed: *"};
    QTest::newRow("protocol error, timeout and close marks")
        << Script{connection(b, "TCP connection to 127.0.0.1:8888 open"),
                  out(b, statusFrame(b, kPressed)),
                  error(b, "ServerTookTooLong: no answer within 2000 ms"),
                  connection(b, "connection closed by this device")}
        << QStringList{"open: TCP connection to 127.0.0.1:8888 open",
                       "request: status: button pressed",
                       "errormark: ServerTookTooLong: no answer within 2000 ms",
                       "close: connection closed by this device"};
    QTest::newRow("refused TCP connect is a red mark")
        << Script{connection(b, "ConnectionRefused: 127.0.0.1:1 refused the connection")}
        << QStringList{"errormark: ConnectionRefused: 127.0.0.1:1 refused the connection"};

    // A console device talking to the embedded gateway: each frame is logged twice.
    QTest::newRow("same frames from both sides drawn once")
        << bothSides(Script{out(b, connectFrame(b)), in(b, connectResponseFrame(b))} +
                     pair(b, kPressed, kDark))
        << QStringList{"request: connect as button 'b1', priority 0", "answer: OK (rtt)",
                       "request: status: button pressed", "answer: command: lamp off (rtt)"};
    QTest::newRow("gateway's no-answer note is kept")
        << (bothSides(Script{out(b, statusFrame(b, "{\"pressed\":true}"))}) +
            Script{error(b, "no answer: the module rejected the status", TrafficSide::Gateway)})
        << QStringList{"request: status: *",
                       "errormark: no answer: the module rejected the status"};
    const DeviceIdentity external = button(QStringLiteral("remote"), 0, QStringLiteral("far"));
    QTest::newRow("external device drawn from the gateway's rows")
        << Script{out(external, connectFrame(external), TrafficSide::Gateway),
                  in(external, connectResponseFrame(external), TrafficSide::Gateway),
                  out(external, statusFrame(external, kPressed), TrafficSide::Gateway),
                  in(external, commandFrame(external, kDark), TrafficSide::Gateway)}
        << QStringList{"request: connect as remote 'far', priority 0", "answer: OK (rtt)",
                       "request: status: button pressed", "answer: command: lamp off (rtt)"};
    QTest::newRow("embedded module's answer comes from the module")
        << bothSides(pair(b, kPressed, kDark), {GatewayEvent::Source::Module})
        << QStringList{"request: status: button pressed", "module: command: lamp off (rtt)"};
    QTest::newRow("operator's queued answer drawn as queued")
        << bothSides(pair(b, kPressed, kLit), {GatewayEvent::Source::Queued})
        << QStringList{"request: status: button pressed", "queued: command: lamp on (rtt)"};
    QTest::newRow("operator's push drawn as pushed")
        << bothSides(Script{in(b, commandFrame(b, kLit))}, {GatewayEvent::Source::Pushed})
        << QStringList{"pushed: pushed command: lamp on"};
    QTest::newRow("external device's module answer")
        << Script{out(external, statusFrame(external, kPressed), TrafficSide::Gateway),
                  in(external, commandFrame(external, kDark), TrafficSide::Gateway),
                  source(external, GatewayEvent::Source::Module)}
        << QStringList{"request: status: button pressed", "module: command: lamp off (rtt)"};
}

void tst_SequenceModel::messagesBecomeRows()
{
    QFETCH(Script, script);
    QFETCH(QStringList, rows);

    TrafficLogModel log;
    GatewayServer gateway;
    GatewayLink link(&gateway);
    SequenceModel model(&log);
    model.attachGateway(&link);
    play(log, gateway, script);
    compareRows(rowsOf(model), rows);
    // Every row refers to a frame the log still holds.
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(model.logRow(model.message(row).seq) >= 0);
}

void tst_SequenceModel::lanes_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<QStringList>("lanes");
    QTest::addColumn<QList<int>>("arrowLanes"); // from, to of each row

    const DeviceIdentity b = b1();
    const DeviceIdentity other = button(QStringLiteral("other"), 0, QStringLiteral("b2"));
    QTest::newRow("device and gateway")
        << pair(b, kPressed, kDark) << QStringList{"gateway", "b1 · Button device"}
        << QList<int>{1, 0, 0, 1};
    QTest::newRow("module lane once the module answers")
        << bothSides(pair(b, kPressed, kDark), {GatewayEvent::Source::Module})
        << QStringList{"module", "gateway", "b1 · Button device"} << QList<int>{2, 1, 0, 2};
    QTest::newRow("two devices in order of appearance")
        << (pair(other, kPressed, kDark) + pair(b, kReleased, kLit))
        << QStringList{"gateway", "b2 · Button device", "b1 · Button device"}
        << QList<int>{1, 0, 0, 1, 2, 0, 0, 2};
    const DeviceIdentity twin = button(QStringLiteral("lobby-2"), 0, QStringLiteral("b1"));
    QTest::newRow("devices of one name told apart by role")
        << (pair(b, kPressed, kDark) + pair(twin, kPressed, kDark))
        << QStringList{"gateway", "b1 (button) · Button device", "b1 (lobby-2) · Button device"}
        << QList<int>{1, 0, 0, 1, 2, 0, 0, 2};
    QTest::newRow("mark on the device's lifeline")
        << Script{connection(b, "connection closed by this device")}
        << QStringList{"gateway", "b1 · Button device"} << QList<int>{1, 1};
}

void tst_SequenceModel::lanes()
{
    QFETCH(Script, script);
    QFETCH(QStringList, lanes);
    QFETCH(QList<int>, arrowLanes);

    TrafficLogModel log;
    GatewayServer gateway;
    GatewayLink link(&gateway);
    SequenceModel model(&log);
    model.attachGateway(&link);
    play(log, gateway, script);
    QStringList titles;
    for (const SequenceLane& lane : model.lanes())
        titles << lane.title;
    QCOMPARE(titles, lanes);
    QCOMPARE(model.laneCount(), lanes.size());
    QList<int> actual;
    for (int row = 0; row < model.rowCount(); ++row)
        actual << model.laneOf(model.message(row), true) << model.laneOf(model.message(row), false);
    QCOMPARE(actual, arrowLanes);
}

void tst_SequenceModel::groupingRule_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<QStringList>("rows");

    const DeviceIdentity b = b1();
    const DeviceIdentity c = button(QStringLiteral("other"), 0, QStringLiteral("b2"));
    const Script pressed = pair(b, kPressed, kDark);
    const QStringList shown{"request: status: button pressed", "answer: command: lamp off (rtt)"};
    const QStringList three = shown + shown + shown;

    QTest::newRow("three identical pairs stay apart") << repeated(pressed, 3) << three;
    QTest::newRow("the fourth starts a group")
        << repeated(pressed, 4) << three + QStringList{"group: … 1 more status/command pairs*"};
    QTest::newRow("123 pairs: three and a group of 120")
        << repeated(pressed, 123) << three + QStringList{"group: … 120 more status/command pairs*"};
    QTest::newRow("a different status ends the group")
        << (repeated(pressed, 5) + pair(b, kReleased, kLit))
        << three + QStringList{"group: … 2 more status/command pairs*",
                               "request: status: button released",
                               "answer: command: lamp on (rtt)"};
    QTest::newRow("a different answer ends the group")
        << (repeated(pressed, 5) + pair(b, kPressed, kLit))
        << three + QStringList{"group: … 2 more status/command pairs*",
                               "request: status: button pressed", "answer: command: lamp on (rtt)"};
    QTest::newRow("an error ends the run, a new one starts over")
        << (repeated(pressed, 5) + Script{error(b, "CommunicationError: closed")} +
            repeated(pressed, 4))
        << three +
               QStringList{"group: … 2 more status/command pairs*",
                           "errormark: CommunicationError: closed"} +
               three + QStringList{"group: … 1 more status/command pairs*"};
    QTest::newRow("a status without an answer is drawn")
        << (repeated(pressed, 4) +
            Script{out(b, statusFrame(b, kPressed)), error(b, "ServerTookTooLong: no answer")})
        << three + QStringList{"group: … 1 more status/command pairs*",
                               "request: status: button pressed",
                               "errormark: ServerTookTooLong: no answer"};
    QTest::newRow("an unanswered status breaks the run")
        << (repeated(pressed, 2) + Script{out(b, statusFrame(b, kPressed))} + repeated(pressed, 2))
        << shown + shown + QStringList{"request: status: button pressed"} + shown + shown;
    Script interleaved;
    for (int i = 0; i < 5; ++i)
        interleaved += pair(b, kPressed, kDark) + pair(c, kPressed, kDark);
    QStringList both;
    for (int i = 0; i < 3; ++i)
        both += shown + shown;
    QTest::newRow("devices group apart")
        << interleaved
        << both + QStringList{"group: … 2 more status/command pairs*",
                              "group: … 2 more status/command pairs*"};
    QTest::newRow("pushed commands never group")
        << repeated(Script{in(b, commandFrame(b, kLit))}, 5)
        << QStringList(5, QStringLiteral("pushed: pushed command: lamp on"));
}

void tst_SequenceModel::groupingRule()
{
    QFETCH(Script, script);
    QFETCH(QStringList, rows);

    TrafficLogModel log;
    GatewayServer gateway;
    SequenceModel model(&log);
    play(log, gateway, script);
    compareRows(rowsOf(model), rows);
}

void tst_SequenceModel::groupRate_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("spanMs");
    QTest::addColumn<QString>("label");

    QTest::newRow("ten per second")
        << 11 << qint64(1000) << "… 11 more status/command pairs, 10 per second";
    QTest::newRow("one a second") << 4 << qint64(3000)
                                  << "… 4 more status/command pairs, 1.0 per second";
    QTest::newRow("a single pair has no rate") << 1 << qint64(0) << "… 1 more status/command pairs";
    QTest::newRow("120 at 100 per second")
        << 120 << qint64(1190) << "… 120 more status/command pairs, 100 per second";
}

void tst_SequenceModel::groupRate()
{
    QFETCH(int, count);
    QFETCH(qint64, spanMs);
    QFETCH(QString, label);

    TrafficLogModel log;
    SequenceModel model(&log);
    SequenceMessage group;
    group.role = SequenceRole::Group;
    group.count = count;
    group.timeMs = 1'000'000;
    group.lastTimeMs = group.timeMs + spanMs;
    QCOMPARE(model.label(group), label);
}

// The gateway tells the log after the fact that a command it logged was pushed.
void tst_SequenceModel::laterPushIsRedrawn()
{
    TrafficLogModel log;
    SequenceModel model(&log);
    const DeviceIdentity external = button(QStringLiteral("remote"));
    log.appendFrame(external.toString(), TrafficSide::Gateway, TrafficDirection::DeviceToGateway,
                    statusFrame(external, kPressed));
    log.appendFrame(external.toString(), TrafficSide::Gateway, TrafficDirection::GatewayToDevice,
                    commandFrame(external, kLit));
    log.flush();
    QCOMPARE(model.message(1).role, SequenceRole::Answer);
    QSignalSpy changed(&model, &SequenceModel::rowsChanged);
    log.markLastCommandPushed(external.toString(), TrafficSide::Gateway);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.message(1).role, SequenceRole::Pushed);
    QCOMPARE(model.label(model.message(1)), QStringLiteral("pushed command: lamp on"));
}

void tst_SequenceModel::deviceFilter()
{
    TrafficLogModel log;
    GatewayServer gateway;
    SequenceModel model(&log);
    const DeviceIdentity b = b1();
    const DeviceIdentity c = button(QStringLiteral("other"), 0, QStringLiteral("b2"));
    play(log, gateway, pair(b, kPressed, kDark) + pair(c, kReleased, kLit));
    QCOMPARE(model.rowCount(), 4);
    QSignalSpy reset(&model, &SequenceModel::modelReset);
    model.setDeviceFilter(c.toString());
    QCOMPARE(reset.size(), 1);
    compareRows(rowsOf(model),
                {"request: status: button released", "answer: command: lamp on (rtt)"});
    QCOMPARE(model.lanes().size(), 2);
    QCOMPARE(model.laneCount(), 2);
    QCOMPARE(model.laneOf(model.message(0), true), 1);
    // New rows of the filtered device appear, others do not.
    QSignalSpy appended(&model, &SequenceModel::rowsAppended);
    play(log, gateway, pair(b, kReleased, kDark) + pair(c, kPressed, kDark));
    QCOMPARE(appended.size(), 1);
    QCOMPARE(appended.first().at(0).toInt(), 2);
    QCOMPARE(appended.first().at(1).toInt(), 2);
    QCOMPARE(model.rowCount(), 4);
    model.setDeviceFilter(QString());
    QCOMPARE(model.rowCount(), 8);
}

void tst_SequenceModel::memoryStaysWithinTheLogsCap_data()
{
    QTest::addColumn<bool>("identical");
    QTest::addColumn<QString>("filter");
    QTest::newRow("distinct pairs") << false << QString();
    QTest::newRow("identical pairs, grouped") << true << QString();
    QTest::newRow("distinct pairs, filtered") << false << b1().toString();
}

void tst_SequenceModel::memoryStaysWithinTheLogsCap()
{
    QFETCH(bool, identical);
    QFETCH(QString, filter);

    constexpr int kCap = 100;
    TrafficLogModel log;
    log.setCapacity(kCap);
    SequenceModel model(&log);
    model.setDeviceFilter(filter);
    QSignalSpy dropped(&model, &SequenceModel::rowsDropped);
    // The transparent module takes any payload: numbered statuses never look alike.
    const DeviceIdentity who =
        device(3, 0, QStringLiteral("testing_device"), 0, QStringLiteral("t"));
    const DeviceIdentity b = b1();
    for (int i = 0; i < 1000; ++i) {
        const QByteArray status =
            identical ? QByteArray("Status") : "Status " + QByteArray::number(i);
        for (const DeviceIdentity& id : {who, b}) {
            log.appendFrame(id.toString(), TrafficSide::Device, TrafficDirection::DeviceToGateway,
                            statusFrame(id, id.module == 3 ? status : kPressed));
            log.appendFrame(id.toString(), TrafficSide::Device, TrafficDirection::GatewayToDevice,
                            commandFrame(id, "\"default_command\""));
        }
        if (i % 7 == 0)
            log.flush(); // the log drops its oldest rows a few at a time, as when live
    }
    log.flush();
    QCOMPARE(log.rowCount(), kCap);
    QVERIFY(!dropped.isEmpty());
    QVERIFY2(model.messageCount() <= kCap, qPrintable(QString::number(model.messageCount())));
    QVERIFY(model.rowCount() <= model.messageCount());
    QVERIFY(model.rowCount() > 0);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY2(model.logRow(model.message(row).seq) >= 0, qPrintable(QString::number(row)));
    // The newest frame is drawn (as a row of its own or inside its device's group).
    qint64 newest = -1;
    for (int row = 0; row < model.rowCount(); ++row)
        newest = qMax(newest, model.message(row).lastSeq);
    QCOMPARE(model.logRow(newest), kCap - 1);
    if (!identical && filter.isEmpty()) {
        int lastStatus = model.rowCount() - 1;
        while (lastStatus > 0 && model.message(lastStatus).kind != TrafficKind::Status)
            --lastStatus;
        const QString label = model.label(model.message(lastStatus));
        QVERIFY2(label == QStringLiteral("status: ") +
                              ModuleCatalog::describeStatus(3, "Status 999") ||
                     label == QStringLiteral("status: button pressed"),
                 qPrintable(label));
    }
}

void tst_SequenceModel::svgHasOneArrowPerMessage_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("arrows");
    QTest::addColumn<int>("marks");
    QTest::addColumn<int>("groups");

    const DeviceIdentity b = b1();
    const DeviceIdentity c = button(QStringLiteral("other"), 0, QStringLiteral("b<&>\"2"));
    const Script connect{out(b, connectFrame(b)), in(b, connectResponseFrame(b))};
    QTest::newRow("connect and a pair")
        << (connect + pair(b, kPressed, kDark)) << QString() << 4 << 0 << 0;
    QTest::newRow("marks and a group")
        << (Script{connection(b, "TCP connection to x open")} + connect +
            repeated(pair(b, kPressed, kDark), 10) +
            Script{connection(b, "connection closed by this device")})
        << QString() << 2 + 6 << 2 << 1;
    QTest::newRow("text that needs escaping")
        << (pair(c, "<tag> & \"quotes\"", kDark) + pair(b, kPressed, kDark)) << QString() << 4 << 0
        << 0;
    QTest::newRow("filtered: only the device's arrows")
        << (pair(c, kPressed, kDark) + pair(b, kPressed, kDark) + pair(b, kReleased, kLit))
        << b.toString() << 4 << 0 << 0;
}

void tst_SequenceModel::svgHasOneArrowPerMessage()
{
    QFETCH(Script, script);
    QFETCH(QString, filter);
    QFETCH(int, arrows);
    QFETCH(int, marks);
    QFETCH(int, groups);

    TrafficLogModel log;
    GatewayServer gateway;
    SequenceModel model(&log);
    play(log, gateway, script);
    model.setDeviceFilter(filter);
    const SequenceLayout layout = layoutSequence(model, 0, model.rowCount());
    QCOMPARE(layout.items.size(), model.rowCount());
    const QByteArray svg = sequenceSvg(layout);

    QXmlStreamReader xml(svg);
    int seenArrows = 0;
    int seenMarks = 0;
    int seenGroups = 0;
    int lanes = 0;
    QStringList labels;
    bool root = false;
    QString currentClass;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (!root) {
            QCOMPARE(xml.name(), QStringLiteral("svg"));
            QCOMPARE(xml.namespaceUri(), QStringLiteral("http://www.w3.org/2000/svg"));
            root = true;
        }
        const QString cls = xml.attributes().value(QStringLiteral("class")).toString();
        if (xml.name() == QStringLiteral("g")) {
            seenArrows += cls == QLatin1String("arrow");
            seenMarks += cls == QLatin1String("mark");
            seenGroups += cls == QLatin1String("group");
            lanes += cls == QLatin1String("lane");
        } else if (xml.name() == QStringLiteral("text") && cls == QLatin1String("label")) {
            labels << xml.readElementText();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(root);
    QCOMPARE(seenArrows, arrows);
    QCOMPARE(seenMarks, marks);
    QCOMPARE(seenGroups, groups);
    QCOMPARE(lanes, model.lanes().size());
    // The labels are the model's, in row order.
    QStringList expected;
    for (int row = 0; row < model.rowCount(); ++row)
        expected << model.label(model.message(row));
    QCOMPARE(labels, expected);
}

QTEST_MAIN(tst_SequenceModel)
#include "tst_sequencemodel.moc"
