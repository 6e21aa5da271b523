// Golden answers of the real module libraries: for each known module and device type, status
// scripts with the exact commands the real modules answer inside the real gateway (the first
// command, command generation over queued cloud commands, stop removal, silence on an invalid
// status), as docs/modules.md describes them. Every row runs twice: straight through the
// catalog's emulator, and through the gateway emulator over TCP on loopback port 0.
#include "deviceidentity.h"
#include "framecodec.h"
#include "gatewayserver.h"
#include "modulecatalog.h"

#include "InternalProtocol.pb.h"
#include "MissionModule.pb.h"

#include <optional>

#include <QList>
#include <QTcpSocket>
#include <QTest>

using namespace fleet;

namespace {

// Generous: the machine is shared; answers on loopback take well under 5 ms.
constexpr int kWaitMs = 5000;

// One line of a device script.
struct Step {
    enum class Kind {
        Status, // a status; `answer` is the command it gets, or nullopt: no answer, dropped
        Queue,  // the operator (standing in for the cloud) queues `bytes`
        Push,   // the operator pushes `bytes`: they reach the device unchanged, at once
    };
    Kind kind = Kind::Status;
    QByteArray bytes;
    std::optional<QByteArray> answer;
};
using Script = QList<Step>;

Step status(const QByteArray& bytes, const QByteArray& answer)
{
    return {Step::Kind::Status, bytes, answer};
}
Step rejected(const QByteArray& bytes)
{
    return {Step::Kind::Status, bytes, std::nullopt};
}
Step queue(const QByteArray& bytes)
{
    return {Step::Kind::Queue, bytes, std::nullopt};
}
Step push(const QByteArray& bytes)
{
    return {Step::Kind::Push, bytes, bytes};
}

// --- Example module (docs/modules.md#example-module) -------------------------------------
const QByteArray kPressed = "{\"pressed\": true}";
const QByteArray kReleased = "{\"pressed\": false}";
const QByteArray kLitUp = "{\"lit_up\": true}";
const QByteArray kDark = "{\"lit_up\": false}";

// --- IO module (docs/modules.md#io-module) -------------------------------------------------
// A status with `inputs` and `outputs` entries, numbered from 1 as devices number them.
QByteArray ioStatus(int inputs, int outputs, int presses = 0)
{
    QByteArray json = "[[";
    for (int i = 1; i <= inputs; ++i)
        json += (i > 1 ? "," : "") + QByteArray("{\"inNum\":") + QByteArray::number(i) +
                ",\"inSt\":true}";
    json += "],[";
    for (int i = 1; i <= outputs; ++i)
        json += (i > 1 ? "," : "") + QByteArray("{\"outNum\":") + QByteArray::number(i) +
                ",\"outErr\":false,\"outSt\":false}";
    return json + "],{\"butPr\":" + QByteArray::number(presses) + "}]";
}
// The boards' first command: outputs 0–3 off, four entries for Opta, Mega and Uno alike.
const QByteArray kIoFirst = "[{\"outNum\":0,\"actType\":0},{\"outNum\":1,\"actType\":0},"
                            "{\"outNum\":2,\"actType\":0},{\"outNum\":3,\"actType\":0}]";
const QByteArray kIoToggle1 = "[{\"outNum\":1,\"actType\":2}]";

// --- Mission module, JSON (docs/modules.md#mission-module) ---------------------------------
const QByteArray kStopA =
    R"({"name":"A","position":{"latitude":49.1951,"longitude":16.6068,"altitude":0}})";
const QByteArray kStopB =
    R"({"name":"B","position":{"latitude":49.1962,"longitude":16.6081,"altitude":0}})";
const QByteArray kMissionFirst = R"({"action":"NO_ACTION","route":"","stops":[]})";

QByteArray missionStatus(const char* state, const QByteArray& nextStop)
{
    return R"({"state":")" + QByteArray(state) +
           R"(","telemetry":{"speed":0,"fuel":0.42,"position":{"latitude":49.1951,)"
           R"("longitude":16.6068,"altitude":0}},"nextStop":)" +
           nextStop + "}";
}
QByteArray missionStart(const QByteArrayList& stops)
{
    return R"({"action":"START","route":"lap","stops":[)" + stops.join(',') + "]}";
}

// --- Mission module, protobuf (modules up to 1.2.x) ----------------------------------------
MissionModule::Station protoStation(const std::string& name, double latitude)
{
    MissionModule::Station station;
    station.set_name(name);
    station.mutable_position()->set_latitude(latitude);
    station.mutable_position()->set_longitude(16.6);
    return station;
}
QByteArray protoStatus(MissionModule::AutonomyStatus::State state, const std::string& stop,
                       double latitude)
{
    MissionModule::AutonomyStatus message;
    message.set_state(state);
    message.mutable_telemetry()->set_fuel(0.42);
    *message.mutable_nextstop() = protoStation(stop, latitude);
    return QByteArray::fromStdString(message.SerializeAsString());
}
QByteArray protoStart(const std::vector<std::string>& stops)
{
    MissionModule::AutonomyCommand message;
    message.set_action(MissionModule::AutonomyCommand::START);
    message.set_route("lap");
    for (const std::string& name : stops)
        *message.add_stops() = protoStation(name, name == "A" ? 49.1951 : 49.1962);
    return QByteArray::fromStdString(message.SerializeAsString());
}

// A device on a plain socket, so the test sees exactly what the gateway sends.
class WireDevice {
public:
    explicit WireDevice(quint16 port)
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
            m_reader.append(m_socket.readAll());
            while (std::optional<QByteArray> body = m_reader.nextFrame()) {
                InternalProtocol::InternalServer message;
                m_parseError |= !message.ParseFromArray(body->constData(), int(body->size()));
                m_messages.append(message);
            }
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool connectAs(const DeviceIdentity& identity)
    {
        InternalProtocol::InternalClient message;
        identity.toProto(message.mutable_deviceconnect()->mutable_device());
        if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                             kWaitMs))
            return false;
        m_socket.write(encodeFrame(message));
        return waitForMessages(1) && m_messages.first().has_deviceconnectresponse() &&
               m_messages.first().deviceconnectresponse().responsetype() ==
                   InternalProtocol::DeviceConnectResponse::OK;
    }
    void sendStatus(const DeviceIdentity& identity, const QByteArray& payload)
    {
        InternalProtocol::InternalClient message;
        identity.toProto(message.mutable_devicestatus()->mutable_device());
        message.mutable_devicestatus()->set_statusdata(payload.constData(), size_t(payload.size()));
        m_socket.write(encodeFrame(message));
    }
    bool waitForMessages(qsizetype count)
    {
        return QTest::qWaitFor([&] { return m_messages.size() >= count || m_closed; }, kWaitMs) &&
               m_messages.size() >= count;
    }
    bool waitForClose()
    {
        return QTest::qWaitFor([this] { return m_closed; }, kWaitMs);
    }
    qsizetype messageCount() const { return m_messages.size(); }
    // The commandData of message `index`, or nullopt when it is no deviceCommand.
    std::optional<QByteArray> command(qsizetype index) const
    {
        if (index >= m_messages.size() || !m_messages.at(index).has_devicecommand())
            return std::nullopt;
        return QByteArray::fromStdString(m_messages.at(index).devicecommand().commanddata());
    }
    bool parseError() const { return m_parseError; }

private:
    QTcpSocket m_socket;
    FrameReader m_reader;
    QList<InternalProtocol::InternalServer> m_messages;
    bool m_closed = false;
    bool m_parseError = false;
};

QString printable(const std::optional<QByteArray>& bytes)
{
    if (!bytes)
        return QStringLiteral("<no answer>");
    return QString::fromUtf8(*bytes) + QStringLiteral(" (hex ") +
           QString::fromLatin1(bytes->toHex(' ')) + QLatin1Char(')');
}

} // namespace

Q_DECLARE_METATYPE(Script)

class tst_ModuleGolden : public QObject {
    Q_OBJECT
private slots:
    void throughCatalog_data() { goldenRows(); }
    void throughCatalog();
    void throughGateway_data() { goldenRows(); }
    void throughGateway();

private:
    void goldenRows();
};

void tst_ModuleGolden::goldenRows()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<Script>("script");

    // Example module 1000/0: byte-exact statuses; the first command, then the LED derived
    // from the status alone, for every command it emits.
    QTest::newRow("example: first command, then the inverse of the button")
        << 1000u << 0u
        << Script{status(kReleased, kDark), status(kReleased, kLitUp), status(kPressed, kDark),
                  status(kReleased, kLitUp)};
    QTest::newRow("example: pressed first")
        << 1000u << 0u << Script{status(kPressed, kDark), status(kPressed, kDark)};
    QTest::newRow("example: queued lit_up true after a press reaches the device as false")
        << 1000u << 0u
        << Script{status(kPressed, kDark), queue(kLitUp), status(kPressed, kDark),
                  status(kReleased, kLitUp)};
    QTest::newRow("example: queued bytes of any kind are overwritten")
        << 1000u << 0u
        << Script{status(kPressed, kDark), queue("hello"), queue(kDark), status(kReleased, kLitUp),
                  status(kReleased, kLitUp)};
    QTest::newRow("example: a push goes out as is, the next answer is the module's")
        << 1000u << 0u << Script{status(kReleased, kDark), push(kLitUp), status(kPressed, kDark)};
    QTest::newRow("example: no space after the colon is invalid")
        << 1000u << 0u << Script{status(kReleased, kDark), rejected("{\"pressed\":true}")};
    QTest::newRow("example: trailing newline is invalid")
        << 1000u << 0u << Script{rejected(kPressed + '\n')};

    // IO module 2/x: the first command switches off outputs 0–3 (four entries for every
    // board), then the current command is repeated; a queued one becomes the current one.
    QTest::newRow("io opta 2/1: first command repeated")
        << 2u << 1u
        << Script{status(ioStatus(6, 4), kIoFirst), status(ioStatus(6, 4, 2), kIoFirst)};
    QTest::newRow("io mega 2/2: first command")
        << 2u << 2u << Script{status(ioStatus(4, 4), kIoFirst)};
    QTest::newRow("io uno 2/3: four entries although seven outputs")
        << 2u << 3u << Script{status(ioStatus(6, 7), kIoFirst), status(ioStatus(6, 7), kIoFirst)};
    QTest::newRow("io button 2/4: null")
        << 2u << 4u
        << Script{status(ioStatus(1, 0), "null"), status("[[{\"inNum\":1,\"inSt\":false}],[],"
                                                         "{\"butPr\":0}]",
                                                         "null")};
    QTest::newRow("io opta 2/1: queued command passes through and stays")
        << 2u << 1u
        << Script{status(ioStatus(6, 4), kIoFirst), queue(kIoToggle1),
                  status(ioStatus(6, 4), kIoToggle1), status(ioStatus(6, 4), kIoToggle1)};
    QTest::newRow("io uno 2/3: push then the pushed command repeats")
        << 2u << 3u
        << Script{status(ioStatus(6, 7), kIoFirst), push(kIoToggle1),
                  status(ioStatus(6, 7), kIoToggle1)};
    QTest::newRow("io opta 2/1: five inputs are too few")
        << 2u << 1u << Script{rejected(ioStatus(5, 4))};
    QTest::newRow("io uno 2/3: four outputs are too few")
        << 2u << 3u << Script{status(ioStatus(6, 7), kIoFirst), rejected(ioStatus(6, 4))};
    QTest::newRow("io mega 2/2: inSt as a number is invalid")
        << 2u << 2u
        << Script{rejected(QByteArray(ioStatus(4, 4)).replace("\"inSt\":true", "\"inSt\":1"))};
    QTest::newRow("io button 2/4: trailing comma is invalid")
        << 2u << 4u << Script{rejected("[[{\"inNum\":1,\"inSt\":false},],[],{\"butPr\":0}]")};

    // Transparent module 3/x: every type and payload; "default_command", then pass-through.
    QTest::newRow("transparent 3/0: default command")
        << 3u << 0u
        << Script{status("Status 0", "\"default_command\""),
                  status("Status 1", "\"default_command\"")};
    QTest::newRow("transparent 3/7: binary status, any type")
        << 3u << 7u << Script{status(QByteArray("\x00\xff", 2), "\"default_command\"")};
    QTest::newRow("transparent 3/0: queued command passes through and stays")
        << 3u << 0u
        << Script{status("Status 0", "\"default_command\""), queue("go"), status("Status 1", "go"),
                  status("Status 2", "go")};

    // Mission module 1/1, JSON (1.3.0 and later).
    QTest::newRow("mission json: first command repeated")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", kStopA), kMissionFirst),
                  status(missionStatus("DRIVE", kStopA), kMissionFirst)};
    QTest::newRow("mission json: nextStop null is accepted")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", "null"), kMissionFirst),
                  status(missionStatus("IDLE", "{}"), kMissionFirst)};
    QTest::newRow("mission json: nextStop missing is invalid")
        << 1u << 1u << Script{rejected(R"({"state":"IDLE","telemetry":{"speed":0}})")};
    QTest::newRow("mission json: lowercase state is invalid")
        << 1u << 1u << Script{rejected(missionStatus("idle", kStopA))};
    QTest::newRow("mission json: speed as text is invalid")
        << 1u << 1u
        << Script{rejected(R"({"state":"IDLE","telemetry":{"speed":"0"},"nextStop":null})")};
    QTest::newRow("mission json: stops removed at exact nextStop equality")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", "null"), kMissionFirst),
                  queue(missionStart({kStopA, kStopB})),
                  status(missionStatus("DRIVE", kStopA), missionStart({kStopA, kStopB})),
                  status(missionStatus("IN_STOP", kStopA), missionStart({kStopB})),
                  status(missionStatus("IN_STOP", kStopA), missionStart({kStopB})),
                  status(missionStatus("DRIVE", kStopB), missionStart({kStopB})),
                  status(missionStatus("IN_STOP", kStopB), missionStart({})),
                  status(missionStatus("IDLE", "null"), missionStart({}))};
    QTest::newRow("mission json: in stop at the second stop removes nothing")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", "null"), kMissionFirst),
                  queue(missionStart({kStopA, kStopB})),
                  status(missionStatus("IN_STOP", kStopB), missionStart({kStopA, kStopB}))};
    QByteArray stopANoAltitude = kStopA;
    stopANoAltitude.replace(",\"altitude\":0", "");
    QByteArray stopAMoved = kStopA;
    stopAMoved.replace("49.1951", "49.19510001");
    QTest::newRow("mission json: same name, other station: no removal")
        << 1u << 1u
        << Script{
               status(missionStatus("IDLE", "null"), kMissionFirst),
               queue(missionStart({kStopA, kStopB})),
               status(missionStatus("IN_STOP", stopANoAltitude), missionStart({kStopA, kStopB})),
               status(missionStatus("IN_STOP", stopAMoved), missionStart({kStopA, kStopB})),
               status(missionStatus("IN_STOP", R"({"name":"A"})"), missionStart({kStopA, kStopB}))};
    QTest::newRow("mission json: a queued command goes through stop removal at once")
        << 1u << 1u
        << Script{status(missionStatus("IN_STOP", kStopA), kMissionFirst),
                  queue(missionStart({kStopA, kStopB})),
                  status(missionStatus("IN_STOP", kStopA), missionStart({kStopB}))};
    const QByteArray typed = "{ \"route\": \"lap\", \"action\": \"START\", \"stops\": [ " + kStopA +
                             ", " + kStopB + " ] }";
    QTest::newRow("mission json: a queued command's bytes stay until a stop is removed")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", "null"), kMissionFirst), queue(typed),
                  status(missionStatus("DRIVE", kStopA), typed),
                  status(missionStatus("IN_STOP", kStopA),
                         R"({"route":"lap","action":"START","stops":[)" + kStopB + "]}")};
    QTest::newRow("mission json: a push goes out as is and becomes the current command")
        << 1u << 1u
        << Script{status(missionStatus("IDLE", "null"), kMissionFirst),
                  push(missionStart({kStopA})),
                  status(missionStatus("IN_STOP", kStopA), missionStart({}))};

    // Mission module 1/1, protobuf (up to 1.2.x): stops compared by name.
    using State = MissionModule::AutonomyStatus;
    QTest::newRow("mission protobuf: first command is 0 bytes")
        << 1u << 1u
        << Script{status(protoStatus(State::IDLE, "", 0), ""),
                  status(protoStatus(State::DRIVE, "A", 49.1951), "")};
    QTest::newRow("mission protobuf: stops removed by name")
        << 1u << 1u
        << Script{status(protoStatus(State::IDLE, "", 0), ""), queue(protoStart({"A", "B"})),
                  status(protoStatus(State::DRIVE, "A", 49.1951), protoStart({"A", "B"})),
                  status(protoStatus(State::IN_STOP, "B", 49.1962), protoStart({"A", "B"})),
                  // Another position, the same name: removed.
                  status(protoStatus(State::IN_STOP, "A", 1.0), protoStart({"B"})),
                  status(protoStatus(State::IN_STOP, "B", 49.1962), protoStart({}))};
}

// The gateway's rules for one connection, with the catalog's emulator as the module: what a
// gateway built on the catalog must answer (docs/modules.md#device-behaviour).
void tst_ModuleGolden::throughCatalog()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(Script, script);
    const std::unique_ptr<ModuleEmulator> emulator = ModuleCatalog::createEmulator(module, type);
    QVERIFY(emulator);
    QList<QByteArray> queued;
    for (qsizetype i = 0; i < script.size(); ++i) {
        const Step& step = script.at(i);
        if (step.kind == Step::Kind::Queue) {
            queued.append(step.bytes);
            continue;
        }
        if (step.kind == Step::Kind::Push) {
            emulator->setCurrentCommand(step.bytes);
            continue;
        }
        const ValidationResult validation = ModuleCatalog::validateStatus(module, type, step.bytes);
        QVERIFY2(validation.ok == step.answer.has_value(),
                 qPrintable(QStringLiteral("step %1: %2").arg(i).arg(validation.message)));
        if (!validation.ok) {
            QVERIFY2(i == script.size() - 1, "a rejected status ends the connection");
            return;
        }
        const QByteArray answer =
            queued.isEmpty() ? emulator->answerStatus(step.bytes)
                             : emulator->answerCloudCommand(step.bytes, queued.takeFirst());
        QVERIFY2(answer == *step.answer,
                 qPrintable(QStringLiteral("step %1: got %2, want %3")
                                .arg(i)
                                .arg(printable(answer), printable(step.answer))));
    }
}

void tst_ModuleGolden::throughGateway()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(Script, script);
    GatewayServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    DeviceIdentity identity;
    identity.module = module;
    identity.deviceType = type;
    identity.role = QStringLiteral("golden");
    identity.name = QStringLiteral("golden_device");
    WireDevice device(server.serverPort());
    QVERIFY(device.connectAs(identity));

    for (qsizetype i = 0; i < script.size(); ++i) {
        const Step& step = script.at(i);
        const qsizetype before = device.messageCount();
        QString error;
        switch (step.kind) {
        case Step::Kind::Queue:
            QVERIFY2(server.queueCommand(identity, step.bytes, &error), qPrintable(error));
            continue;
        case Step::Kind::Push:
            QVERIFY2(server.pushCommand(identity, step.bytes, &error), qPrintable(error));
            break;
        case Step::Kind::Status:
            device.sendStatus(identity, step.bytes);
            break;
        }
        if (!step.answer) {
            // No answer: the connection closes with no message before it.
            QVERIFY2(device.waitForClose(), qPrintable(QStringLiteral("step %1").arg(i)));
            QCOMPARE(device.messageCount(), before);
            QCOMPARE(i, script.size() - 1);
            return;
        }
        QVERIFY2(device.waitForMessages(before + 1),
                 qPrintable(QStringLiteral("step %1: no answer").arg(i)));
        const std::optional<QByteArray> answer = device.command(before);
        QVERIFY2(answer == step.answer,
                 qPrintable(QStringLiteral("step %1: got %2, want %3")
                                .arg(i)
                                .arg(printable(answer), printable(step.answer))));
    }
    QVERIFY(!device.parseError());
    QCOMPARE(server.connectedDeviceCount(), 1);
}

QTEST_GUILESS_MAIN(tst_ModuleGolden)
#include "tst_modulegolden.moc"
