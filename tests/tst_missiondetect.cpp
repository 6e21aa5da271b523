#include "deviceidentity.h"
#include "modulecatalog.h"

#include "module_mission.h"

#include "MissionModule.pb.h"

#include <QRandomGenerator>
#include <QTest>

#include <google/protobuf/util/message_differencer.h>

#include <bit>
#include <cmath>
#include <cstring>

// Mission payload detection (docs/modules.md#mission-module): the flavour of a payload is decided
// by strict parses, so every command and status the codec writes reads back in its own flavour,
// whatever its first bytes happen to be.

using fleet::MissionEncoding;
using fleet::ModuleCatalog;
using MissionModule::AutonomyCommand;
using MissionModule::AutonomyStatus;
using MissionModule::Position;
using MissionModule::Station;
namespace mission = fleet::detail::mission;

Q_DECLARE_METATYPE(std::optional<MissionEncoding>)

namespace {

constexpr quint32 kMission = fleet::ModuleNumber::Mission;
constexpr int kRandomCases = 1000; // per message kind and flavour
// Fixed so that a failure repeats; FLEET_MISSIONDETECT_SEED picks another run.
constexpr quint32 kDefaultSeed = 20240909;

QByteArray serialized(const google::protobuf::MessageLite& message)
{
    return QByteArray::fromStdString(message.SerializeAsString());
}

Station stationNamed(const std::string& name, bool withPosition = true)
{
    Station station;
    station.set_name(name);
    if (withPosition) {
        station.mutable_position()->set_latitude(45.815011);
        station.mutable_position()->set_longitude(15.981919);
        station.mutable_position()->set_altitude(125.3);
    }
    return station;
}

// A station whose serialized form is exactly `size` bytes, so that the message holding it first
// starts with the tag 0x0a and the length byte `size`: 123 gives "\n{", the start of JSON.
Station stationOfSize(size_t size)
{
    Station station = stationNamed({});
    if (station.ByteSizeLong() > size)
        station.clear_position();
    station.set_name(std::string(size - station.ByteSizeLong(), 'A'));
    // Then shorter by the name's own tag and length bytes.
    while (station.ByteSizeLong() > size)
        station.mutable_name()->pop_back();
    return station;
}

AutonomyCommand commandWithFirstStop(const Station& first)
{
    AutonomyCommand command;
    command.set_action(AutonomyCommand::START);
    command.set_route("City loop");
    *command.add_stops() = first;
    *command.add_stops() = stationNamed("Main Square");
    return command;
}

AutonomyStatus inStopAt(const Station& stop)
{
    AutonomyStatus status;
    status.set_state(AutonomyStatus::IN_STOP);
    *status.mutable_nextstop() = stop;
    return status;
}

// --- random messages -------------------------------------------------------------------------

class RandomMissions {
public:
    explicit RandomMissions(quint32 seed)
        : m_random(seed)
    {
    }

    AutonomyStatus status()
    {
        AutonomyStatus status;
        status.set_state(AutonomyStatus::State(m_random.bounded(5)));
        if (chance(90)) {
            auto* telemetry = status.mutable_telemetry();
            telemetry->set_speed(number());
            telemetry->set_fuel(number());
            if (chance(80))
                *telemetry->mutable_position() = position();
        }
        if (chance(85))
            *status.mutable_nextstop() = station();
        // Now and then a telemetry that is only a speed: nine bytes, so the status starts with
        // "\n\t" (LF, TAB), and its speed's first byte may well be '{'. No telemetry can be
        // longer than 47 bytes, so this is the only JSON-looking start a status can have.
        if (chance(10)) {
            status.mutable_telemetry()->Clear();
            status.mutable_telemetry()->set_speed(number() + 1e-3);
            if (status.telemetry().ByteSizeLong() == 9)
                ++m_jsonLikeStarts;
        }
        return status;
    }

    AutonomyCommand command()
    {
        AutonomyCommand command;
        command.set_action(AutonomyCommand::Action(m_random.bounded(3)));
        command.set_route(text(m_random.bounded(40)));
        const int stops = m_random.bounded(6);
        for (int i = 0; i < stops; ++i)
            *command.add_stops() = station();
        if (stops > 0 && chance(20)) {
            *command.mutable_stops(0) = stationOfSize(size_t(jsonLikeLength()));
            ++m_jsonLikeStarts;
        }
        return command;
    }

    // How many messages were made to start with a tag and a JSON-looking length byte.
    int jsonLikeStarts() const { return m_jsonLikeStarts; }

private:
    bool chance(int percent) { return int(m_random.bounded(100)) < percent; }

    int jsonLikeLength()
    {
        static constexpr int lengths[] = {9, 10, 13, 32, 123};
        return lengths[m_random.bounded(int(std::size(lengths)))];
    }

    // Any finite double: round values, coordinates, and raw bit patterns (tiny, huge,
    // subnormal, negative zero).
    double number()
    {
        switch (m_random.bounded(4)) {
        case 0:
            return double(m_random.bounded(200)) - 50;
        case 1:
            return m_random.generateDouble() * 360 - 180;
        default:
            for (;;) {
                const quint64 bits = m_random.generate64();
                double value;
                std::memcpy(&value, &bits, sizeof value);
                if (std::isfinite(value))
                    return value;
            }
        }
    }

    Position position()
    {
        Position position;
        position.set_latitude(number());
        position.set_longitude(number());
        if (chance(90))
            position.set_altitude(number());
        return position;
    }

    Station station()
    {
        Station station;
        station.set_name(text(m_random.bounded(chance(10) ? 200 : 30)));
        if (chance(85))
            *station.mutable_position() = position();
        return station;
    }

    // Valid UTF-8 of `length` characters from alphabets that stress both encodings: JSON
    // punctuation and escapes, control characters, multi-byte characters, emoji.
    std::string text(int length)
    {
        static const char32_t special[] = {
            U'"',  U'\\', U'{',    U'}',    U'[',    U':',    U',',      U'\n',     U'\r',
            U'\t', U'\0', U'\x1b', U'\x7f', U'\x85', U'\xe9', U'\u4e2d', U'\u2028', U'\U0001F68C'};
        QString result;
        for (int i = 0; i < length; ++i) {
            char32_t c;
            if (chance(75))
                c = char32_t(0x20 + m_random.bounded(0x5f));
            else
                c = special[m_random.bounded(int(std::size(special)))];
            result += QString::fromUcs4(&c, 1);
        }
        return result.toStdString();
    }

    QRandomGenerator m_random;
    int m_jsonLikeStarts = 0;
};

// What a message looks like after a trip through JSON: the decoder always fills the telemetry,
// the next stop and every position, because the encoder always writes them.
template <typename Message> Message asJsonDecodes(Message message)
{
    if constexpr (std::is_same_v<Message, AutonomyStatus>) {
        message.mutable_telemetry()->mutable_position();
        message.mutable_nextstop()->mutable_position();
    } else {
        for (Station& stop : *message.mutable_stops())
            stop.mutable_position();
    }
    return message;
}

template <typename Message>
bool sameMessage(const Message& expected, const Message& actual, QString* why)
{
    google::protobuf::util::MessageDifferencer differencer;
    std::string report;
    differencer.ReportDifferencesToString(&report);
    if (differencer.Compare(expected, actual))
        return true;
    *why = QString::fromStdString(report);
    return false;
}

} // namespace

class tst_MissionDetect : public QObject {
    Q_OBJECT
private slots:
    void detect_data();
    void detect();
    void randomRoundTrip_data();
    void randomRoundTrip();
    void emulatorRemovesReachedStop_data();
    void emulatorRemovesReachedStop();
};

void tst_MissionDetect::detect_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("isStatus");
    // nullopt: neither flavour reads it, and the validator says why.
    QTest::addColumn<std::optional<MissionEncoding>>("encoding");
    QTest::addColumn<QString>("message"); // a fragment of the validator's message, if invalid

    const auto json = std::optional(MissionEncoding::Json);
    const auto protobuf = std::optional(MissionEncoding::Protobuf);
    const auto neither = std::optional<MissionEncoding>();

    const QByteArray firstStop123 = serialized(commandWithFirstStop(stationOfSize(123)));
    QTest::newRow("protobuf command whose first stop serializes to 123 bytes (\\n{)")
        << firstStop123 << false << protobuf << QString();
    AutonomyStatus speedOnly;
    speedOnly.mutable_telemetry()->set_speed(std::bit_cast<double>(quint64(0x3ff000000000207b)));
    QTest::newRow("protobuf status starting \\n\\t\\t{ (a speed-only telemetry)")
        << serialized(speedOnly) << true << protobuf << QString();
    QTest::newRow("empty is protobuf (every field at its default)")
        << QByteArray() << true << protobuf << QString();
    QTest::newRow("json command after a newline")
        << QByteArray("\n{\"action\":\"STOP\",\"route\":\"\",\"stops\":[]}") << false << json
        << QString();
    QTest::newRow("json status the rules reject stays json")
        << QByteArray(R"({"state":"PARKED","telemetry":{"speed":1},"nextStop":null})") << true
        << json << QString("\"state\" is the string \"PARKED\"");
    // An empty JSON object that is also a telemetry with a speed: the JSON rules reject it, the
    // protobuf parse re-encodes it exactly, so it is protobuf.
    QTest::newRow("both: \\n\\t\\t{} and six spaces")
        << QByteArray("\n\t\t{}      ") << true << protobuf << QString();
    QTest::newRow("protobuf with an explicit default (not canonical, still complete)")
        << QByteArray("\x10\x00", 2) << true << protobuf << QString();
    QTest::newRow("protobuf with a field the schema lacks")
        << QByteArray("\x10\x01\x20\x05", 4) << true << neither
        << QString("only with fields that message does not have");
    QTest::newRow("broken json") << QByteArray(" {\"state\":") << true << neither
                                 << QString("JSON syntax error at line 1");
    QTest::newRow("json array") << QByteArray("[1]") << false << neither
                                << QString("does not parse as MissionModule.AutonomyCommand");
    QTest::newRow("garbage") << QByteArray("\xff\xff\xff", 3) << true << neither
                             << QString("3 bytes (binary)");
}

void tst_MissionDetect::detect()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, isStatus);
    QFETCH(std::optional<MissionEncoding>, encoding);
    QFETCH(QString, message);

    const mission::Reading reading =
        isStatus ? mission::readStatus(payload, nullptr) : mission::readCommand(payload, nullptr);
    QCOMPARE(reading.encoding, encoding);
    const fleet::ValidationResult result =
        isStatus ? ModuleCatalog::validateStatus(kMission, 1, payload)
                 : ModuleCatalog::validateCommand(kMission, 1, payload);
    QCOMPARE(result.ok, message.isEmpty());
    QVERIFY2(result.message.contains(message), qPrintable(result.message));
    if (encoding)
        QCOMPARE(ModuleCatalog::missionEncoding(payload), *encoding);
    if (result.ok) {
        const QString described = isStatus ? ModuleCatalog::describeStatus(kMission, payload)
                                           : ModuleCatalog::describeCommand(kMission, payload);
        QCOMPARE(described.endsWith(QLatin1String("(protobuf)")) ||
                     described.startsWith(QLatin1String("empty (protobuf")),
                 encoding == std::optional(MissionEncoding::Protobuf));
    }
}

void tst_MissionDetect::randomRoundTrip_data()
{
    QTest::addColumn<bool>("isStatus");
    QTest::addColumn<MissionEncoding>("encoding");
    QTest::newRow("statuses, json") << true << MissionEncoding::Json;
    QTest::newRow("statuses, protobuf") << true << MissionEncoding::Protobuf;
    QTest::newRow("commands, json") << false << MissionEncoding::Json;
    QTest::newRow("commands, protobuf") << false << MissionEncoding::Protobuf;
}

// encode → detect → decode over random messages: the flavour found is the one written, the
// catalog accepts the payload, and the decoded message equals the original.
void tst_MissionDetect::randomRoundTrip()
{
    QFETCH(bool, isStatus);
    QFETCH(MissionEncoding, encoding);
    bool seedSet = false;
    const quint32 seed =
        quint32(qEnvironmentVariableIntValue("FLEET_MISSIONDETECT_SEED", &seedSet));
    RandomMissions random(seedSet ? seed : kDefaultSeed);
    qInfo("seed %u (FLEET_MISSIONDETECT_SEED), %d cases", seedSet ? seed : kDefaultSeed,
          kRandomCases);

    for (int i = 0; i < kRandomCases; ++i) {
        QByteArray payload;
        QString why;
        bool same = false;
        mission::Reading reading;
        if (isStatus) {
            const AutonomyStatus original = random.status();
            payload = mission::encodeStatus(original, encoding);
            AutonomyStatus decoded;
            reading = mission::readStatus(payload, &decoded);
            same =
                sameMessage(encoding == MissionEncoding::Json ? asJsonDecodes(original) : original,
                            decoded, &why);
        } else {
            const AutonomyCommand original = random.command();
            payload = mission::encodeCommand(original, encoding);
            AutonomyCommand decoded;
            reading = mission::readCommand(payload, &decoded);
            same =
                sameMessage(encoding == MissionEncoding::Json ? asJsonDecodes(original) : original,
                            decoded, &why);
        }
        const QByteArray where = "case " + QByteArray::number(i) + ": " + payload.left(64).toHex();
        QVERIFY2(reading.encoding == encoding, where.constData());
        QVERIFY2(reading.decoded(),
                 (where + ": " + reading.validation.message.toUtf8()).constData());
        QVERIFY2(ModuleCatalog::missionEncoding(payload) == encoding, where.constData());
        const fleet::ValidationResult valid =
            isStatus ? ModuleCatalog::validateStatus(kMission, 1, payload)
                     : ModuleCatalog::validateCommand(kMission, 1, payload);
        QVERIFY2(valid.ok, (where + ": " + valid.message.toUtf8()).constData());
        QVERIFY2(same, (where + ": " + why.toUtf8()).constData());
    }
    // The property is only worth something if the tricky starts were among the cases.
    qInfo("%d of them started with a tag and a JSON-looking length byte", random.jsonLikeStarts());
    QVERIFY2(random.jsonLikeStarts() > 0, "no message started with a JSON-looking length byte");
}

void tst_MissionDetect::emulatorRemovesReachedStop_data()
{
    QTest::addColumn<int>("firstStopSize");
    QTest::newRow("first stop of 123 bytes (\\n{)") << 123;
    QTest::newRow("first stop of 32 bytes (\\n and a space)") << 32;
    QTest::newRow("first stop of 50 bytes") << 50;
}

// The module drops a reached stop (docs/modules.md#mission-module) whatever bytes the command
// begins with.
void tst_MissionDetect::emulatorRemovesReachedStop()
{
    QFETCH(int, firstStopSize);
    const Station first = stationOfSize(size_t(firstStopSize));
    QCOMPARE(int(first.ByteSizeLong()), firstStopSize);
    const AutonomyCommand command = commandWithFirstStop(first);
    const QByteArray commandBytes = serialized(command);
    QCOMPARE(quint8(commandBytes.at(1)), quint8(firstStopSize));

    const auto emulator = ModuleCatalog::createEmulator(kMission, 1);
    QVERIFY(emulator);
    const QByteArray answer =
        emulator->answerCloudCommand(serialized(inStopAt(first)), commandBytes);

    AutonomyCommand expected = command;
    expected.mutable_stops()->DeleteSubrange(0, 1);
    QCOMPARE(answer.toHex(), serialized(expected).toHex());
    // A status while driving on keeps the command as it now is.
    AutonomyStatus driving;
    driving.set_state(AutonomyStatus::DRIVE);
    QCOMPARE(emulator->answerStatus(serialized(driving)).toHex(), answer.toHex());
}

QTEST_GUILESS_MAIN(tst_MissionDetect)

#include "tst_missiondetect.moc"
