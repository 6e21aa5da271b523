#include "deviceidentity.h"
#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using fleet::MissionEncoding;
using fleet::ModuleCatalog;
using fleet::PayloadPreset;
namespace ModuleNumber = fleet::ModuleNumber;

namespace {

constexpr quint32 kMission = ModuleNumber::Mission;
constexpr quint32 kIo = ModuleNumber::Io;
constexpr quint32 kTransparent = ModuleNumber::Transparent;
constexpr quint32 kExample = ModuleNumber::Example;

// The JSON status example of docs/modules.md#mission-module, byte for byte.
const QByteArray kMissionDrive = QByteArrayLiteral(
    R"({"state":"DRIVE","telemetry":{"speed":7.2,"fuel":0.62,"position":{"latitude":45.8137528,)"
    R"("longitude":15.9870608,"altitude":120.7}},"nextStop":{"name":"Train Station","position":)"
    R"({"latitude":45.815011,"longitude":15.981919,"altitude":125.3}}})");

const QByteArray kFirstMissionCommand =
    QByteArrayLiteral(R"({"action":"NO_ACTION","route":"","stops":[]})");

// A status with `inputs` and `outputs` well-formed entries, numbered from 1.
QByteArray ioStatus(int inputs, int outputs, const QByteArray& presses = "{\"butPr\":0}")
{
    QByteArray json = "[[";
    for (int i = 1; i <= inputs; ++i)
        json += (i > 1 ? "," : "") + QByteArray("{\"inNum\":") + QByteArray::number(i) +
                ",\"inSt\":false}";
    json += "],[";
    for (int i = 1; i <= outputs; ++i)
        json += (i > 1 ? "," : "") + QByteArray("{\"outNum\":") + QByteArray::number(i) +
                ",\"outErr\":false,\"outSt\":true}";
    return json + "]," + presses + "]";
}

// A mission JSON status with one key replaced (or removed with an undefined value).
QByteArray missionStatusWith(const QString& key, const QJsonValue& value)
{
    QJsonObject status = QJsonDocument::fromJson(kMissionDrive).object();
    if (value.isUndefined())
        status.remove(key);
    else
        status.insert(key, value);
    return QJsonDocument(status).toJson(QJsonDocument::Compact);
}

MissionModule::Station station(const std::string& name)
{
    MissionModule::Station result;
    result.set_name(name);
    result.mutable_position()->set_latitude(45.8);
    result.mutable_position()->set_longitude(15.9);
    result.mutable_position()->set_altitude(120);
    return result;
}

QByteArray protoStatus(MissionModule::AutonomyStatus::State state, const std::string& stop,
                       double speed = 0)
{
    MissionModule::AutonomyStatus status;
    status.set_state(state);
    status.mutable_telemetry()->set_speed(speed);
    *status.mutable_nextstop() = station(stop);
    return QByteArray::fromStdString(status.SerializeAsString());
}

QByteArray protoCommand(MissionModule::AutonomyCommand::Action action, const std::string& route,
                        const std::vector<std::string>& stops)
{
    MissionModule::AutonomyCommand command;
    command.set_action(action);
    command.set_route(route);
    for (const std::string& name : stops)
        *command.add_stops() = station(name);
    return QByteArray::fromStdString(command.SerializeAsString());
}

QByteArray jsonInStop(const QString& stop)
{
    return missionStatusWith(QStringLiteral("state"), QStringLiteral("IN_STOP"))
        .replace("Train Station", stop.toUtf8());
}

QByteArray jsonStart(const QStringList& stops)
{
    QJsonArray array;
    for (const QString& name : stops)
        array.append(QJsonObject{
            {QStringLiteral("name"), name},
            {QStringLiteral("position"), QJsonObject{{QStringLiteral("latitude"), 45.8},
                                                     {QStringLiteral("longitude"), 15.9},
                                                     {QStringLiteral("altitude"), 120}}}});
    return QJsonDocument(QJsonObject{{QStringLiteral("action"), QStringLiteral("START")},
                                     {QStringLiteral("route"), QStringLiteral("City loop")},
                                     {QStringLiteral("stops"), array}})
        .toJson(QJsonDocument::Compact);
}

QStringList stopNames(const QByteArray& command)
{
    const QJsonArray stops = QJsonDocument::fromJson(command).object().value("stops").toArray();
    QStringList names;
    for (const QJsonValue& stop : stops)
        names.append(stop.toObject().value("name").toString());
    return names;
}

// Device types to exercise per module: every known one, and two for the transparent module.
QList<quint32> typesOf(quint32 module)
{
    const fleet::ModuleInfo* info = ModuleCatalog::module(module);
    if (info->acceptsAnyDeviceType)
        return {0, 5};
    QList<quint32> types;
    for (const fleet::DeviceTypeInfo& type : info->deviceTypes)
        types.append(type.number);
    return types;
}

} // namespace

class tst_ModuleCatalog : public QObject {
    Q_OBJECT
private slots:
    void names_data();
    void names();
    void deviceTypes_data();
    void deviceTypes();
    void missionEncoding_data();
    void missionEncoding();

    void validStatus_data();
    void validStatus();
    void invalidStatus_data();
    void invalidStatus();
    void syntaxErrorPosition_data();
    void syntaxErrorPosition();

    void presetsValidate();
    void presetContents_data();
    void presetContents();
    void ioPresetsMatchBoardSizes_data();
    void ioPresetsMatchBoardSizes();

    void validateCommand_data();
    void validateCommand();
    void describeCommand_data();
    void describeCommand();
    void describeStatus_data();
    void describeStatus();
    void pretty_data();
    void pretty();
    void missionJsonKeepsVehicleKeyOrder();

    void emulatorSequence_data();
    void emulatorSequence();
    void emulatorAbsent_data();
    void emulatorAbsent();
    void missionRemovesReachedStop_data();
    void missionRemovesReachedStop();
    void missionKeepsOperatorBytes();
    void currentCommandReplacesAnswers_data();
    void currentCommandReplacesAnswers();
    void identityText_data();
    void identityText();

    void validationThroughput();
};

void tst_ModuleCatalog::names_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("known");
    QTest::newRow("mission") << kMission << "Mission module" << true;
    QTest::newRow("io") << kIo << "IO module" << true;
    QTest::newRow("transparent") << kTransparent << "Transparent module" << true;
    QTest::newRow("example") << kExample << "Example module" << true;
    QTest::newRow("custom 1001") << 1001u << "module 1001" << false;
    QTest::newRow("reserved 0") << 0u << "module 0" << false;
}

void tst_ModuleCatalog::names()
{
    QFETCH(quint32, module);
    QFETCH(QString, name);
    QFETCH(bool, known);
    QCOMPARE(ModuleCatalog::moduleName(module), name);
    QCOMPARE(ModuleCatalog::module(module) != nullptr, known);
    QCOMPARE(ModuleCatalog::knownModules().contains(module), known);
    if (known)
        QCOMPARE(ModuleCatalog::module(module)->number, module);
}

void tst_ModuleCatalog::deviceTypes_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<bool>("supported");
    QTest::addColumn<QString>("name");
    QTest::newRow("mission autonomy") << kMission << 1u << true << "Autonomy device";
    QTest::newRow("mission 0 (README's, not the code's)") << kMission << 0u << false << "type 0";
    QTest::newRow("io opta") << kIo << 1u << true << "Arduino Opta";
    QTest::newRow("io mega") << kIo << 2u << true << "Arduino Mega (deprecated)";
    QTest::newRow("io uno") << kIo << 3u << true << "Arduino Uno";
    QTest::newRow("io button") << kIo << 4u << true << "Button";
    QTest::newRow("io 9") << kIo << 9u << false << "type 9";
    QTest::newRow("example 0") << kExample << 0u << true << "Button device";
    QTest::newRow("example 1") << kExample << 1u << false << "type 1";
    QTest::newRow("transparent any") << kTransparent << 77u << true << "type 77";
    QTest::newRow("unknown module") << 1001u << 0u << false << "type 0";
}

void tst_ModuleCatalog::deviceTypes()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(bool, supported);
    QFETCH(QString, name);
    QCOMPARE(ModuleCatalog::supportsDeviceType(module, type), supported);
    QCOMPARE(ModuleCatalog::deviceTypeName(module, type), name);
}

void tst_ModuleCatalog::missionEncoding_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("json");
    QTest::newRow("json object") << kMissionDrive << true;
    QTest::newRow("json after spaces and newlines") << QByteArray(" \r\n {\"a\":1}") << true;
    QTest::newRow("protobuf status")
        << protoStatus(MissionModule::AutonomyStatus::DRIVE, "A", 7.2) << false;
    QTest::newRow("protobuf speed-only telemetry starting with \\n\\t\\t{")
        << QByteArray("\n\t\t{\0\0\0\0\0\0\0", 11) << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("json array is not a mission json payload") << QByteArray("[]") << false;
}

void tst_ModuleCatalog::missionEncoding()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, json);
    QCOMPARE(ModuleCatalog::missionEncoding(payload) == MissionEncoding::Json, json);
}

void tst_ModuleCatalog::validStatus_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("example pressed") << kExample << 0u << QByteArray("{\"pressed\": true}");
    QTest::newRow("example released") << kExample << 0u << QByteArray("{\"pressed\": false}");
    QTest::newRow("io button (docs/modules.md#io-module)")
        << kIo << 4u << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[],{\"butPr\":0}]");
    QTest::newRow("io button ignores outputs")
        << kIo << 4u << QByteArray("[[{\"inNum\":1,\"inSt\":true}],\"anything\",{\"butPr\":3}]");
    QTest::newRow("io opta 6 in 4 out") << kIo << 1u << ioStatus(6, 4);
    QTest::newRow("io mega 4 in 4 out") << kIo << 2u << ioStatus(4, 4);
    QTest::newRow("io uno 6 in 7 out") << kIo << 3u << ioStatus(6, 7);
    QTest::newRow("io opta more than needed") << kIo << 1u << ioStatus(8, 6);
    QTest::newRow("io pretty-printed with spaces")
        << kIo << 4u
        << QByteArray("[\n  [ {\"inNum\": 1, \"inSt\": false} ],\n  [],\n  "
                      "{\"butPr\": 2}\n]\n");
    QTest::newRow("mission json drive (docs/modules.md#mission-module)")
        << kMission << 1u << kMissionDrive;
    for (const char* state : {"IDLE", "DRIVE", "IN_STOP", "OBSTACLE", "ERROR"})
        QTest::addRow("mission json %s", state)
            << kMission << 1u << missionStatusWith(QStringLiteral("state"), QString(state));
    QTest::newRow("mission json telemetry with speed only")
        << kMission << 1u
        << missionStatusWith(QStringLiteral("telemetry"), QJsonObject{{"speed", 0}});
    QTest::newRow("mission protobuf drive")
        << kMission << 1u << protoStatus(MissionModule::AutonomyStatus::DRIVE, "A", 7.2);
    QTest::newRow("mission protobuf empty (all defaults)") << kMission << 1u << QByteArray();
    // The module requires the key, with any value.
    QTest::newRow("mission json nextStop null")
        << kMission << 1u << missionStatusWith(QStringLiteral("nextStop"), QJsonValue::Null);
    QTest::newRow("transparent status 1") << kTransparent << 0u << QByteArray("Status 1");
    QTest::newRow("transparent binary, any type")
        << kTransparent << 42u << QByteArray("\xff\x00\x01", 3);
    QTest::newRow("unknown module, anything") << 1001u << 3u << QByteArray("{not json");
}

void tst_ModuleCatalog::validStatus()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QByteArray, status);
    const fleet::ValidationResult result = ModuleCatalog::validateStatus(module, type, status);
    QVERIFY2(result.ok, qPrintable(result.message));
    QVERIFY(result.message.isEmpty());
}

void tst_ModuleCatalog::invalidStatus_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QStringList>("fragments");

    const QString bytes = QStringLiteral("the example module compares bytes: expected "
                                         "{\"pressed\": true} or {\"pressed\": false} exactly "
                                         "(with one space after the colon)");
    QTest::newRow("example without space")
        << kExample << 0u << QByteArray("{\"pressed\":true}")
        << QStringList{bytes, "the JSON means the right thing but its bytes differ",
                       "write exactly {\"pressed\": true}"};
    QTest::newRow("example two spaces") << kExample << 0u << QByteArray("{\"pressed\":  false}")
                                        << QStringList{bytes, "write exactly {\"pressed\": false}"};
    QTest::newRow("example trailing newline")
        << kExample << 0u << QByteArray("{\"pressed\": true}\n")
        << QStringList{bytes, "remove the whitespace"};
    QTest::newRow("example string value")
        << kExample << 0u << QByteArray("{\"pressed\": \"yes\"}")
        << QStringList{bytes, "\"pressed\" is the string \"yes\", expected true or false"};
    QTest::newRow("example other key") << kExample << 0u << QByteArray("{\"pushed\": true}")
                                       << QStringList{bytes, "key \"pressed\" is missing"};
    QTest::newRow("example python True")
        << kExample << 0u << QByteArray("{\"pressed\": True}")
        << QStringList{bytes, "JSON syntax error at line 1, column 13"};
    QTest::newRow("example device type 1")
        << kExample << 1u << QByteArray("{\"pressed\": true}")
        << QStringList{"the Example module has no device type 1; known: 0 Button device"};

    QTest::newRow("io unknown type 9")
        << kIo << 9u << ioStatus(6, 4)
        << QStringList{"the IO module has no device type 9; known: 1 Arduino Opta, 2 Arduino "
                       "Mega (deprecated), 3 Arduino Uno, 4 Button"};
    QTest::newRow("io opta too few inputs")
        << kIo << 1u << ioStatus(5, 4)
        << QStringList{"element 0 (inputs) has 5 entries; the Arduino Opta needs at least 6"};
    QTest::newRow("io uno too few outputs")
        << kIo << 3u << ioStatus(6, 4)
        << QStringList{"element 1 (outputs) has 4 entries; the Arduino Uno needs at least 7"};
    QTest::newRow("io button no inputs")
        << kIo << 4u << QByteArray("[[],[],{\"butPr\":0}]")
        << QStringList{"element 0 (inputs) has 0 entries; the Button needs at least 1"};
    QTest::newRow("io missing inSt")
        << kIo << 4u << QByteArray("[[{\"inNum\":1}],[],{\"butPr\":0}]")
        << QStringList{"element 0 (inputs): entry 0 has no boolean \"inSt\""};
    QTest::newRow("io inSt as string")
        << kIo << 4u << QByteArray("[[{\"inNum\":1,\"inSt\":\"false\"}],[],{\"butPr\":0}]")
        << QStringList{"element 0 (inputs): entry 0: \"inSt\" is the string \"false\", "
                       "expected a boolean"};
    QTest::newRow("io inNum as string")
        << kIo << 4u << QByteArray("[[{\"inNum\":\"1\",\"inSt\":true}],[],{\"butPr\":0}]")
        << QStringList{"\"inNum\" is the string \"1\", expected a number"};
    QByteArray badThirdInput = ioStatus(6, 4);
    badThirdInput.replace("{\"inNum\":3,\"inSt\":false}", "{\"inNum\":3,\"inSt\":0}");
    QTest::newRow("io opta third input inSt 0")
        << kIo << 1u << badThirdInput
        << QStringList{"element 0 (inputs): entry 2: \"inSt\" is the number 0"};
    QByteArray noOutErr = ioStatus(6, 4);
    noOutErr.replace("{\"outNum\":2,\"outErr\":false,", "{\"outNum\":2,");
    QTest::newRow("io opta missing outErr")
        << kIo << 1u << noOutErr
        << QStringList{"element 1 (outputs): entry 1 has no boolean \"outErr\""};
    QByteArray outStNumber = ioStatus(6, 4);
    outStNumber.replace("\"outSt\":true}]", "\"outSt\":1}]");
    QTest::newRow("io opta outSt as number")
        << kIo << 1u << outStNumber
        << QStringList{"element 1 (outputs): entry 3: \"outSt\" is the number 1, expected a "
                       "boolean"};
    QTest::newRow("io outputs not an array")
        << kIo << 1u << ioStatus(6, 0).replace("],[],", "],{},")
        << QStringList{"element 1 (outputs) must be an array, got an object"};
    QTest::newRow("io missing butPr")
        << kIo << 4u << ioStatus(1, 0, "{}")
        << QStringList{"element 2 (button presses) has no numeric \"butPr\""};
    QTest::newRow("io butPr as bool")
        << kIo << 4u << ioStatus(1, 0, "{\"butPr\":true}")
        << QStringList{"element 2 (button presses): \"butPr\" is true, expected a number"};
    QTest::newRow("io presses as array")
        << kIo << 4u << ioStatus(1, 0, "[0]")
        << QStringList{"element 2 (button presses) must be an object with a numeric "
                       "\"butPr\", got an array of 1 element"};
    QTest::newRow("io two elements")
        << kIo << 4u << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[]]")
        << QStringList{"the IO module expects a JSON array of 3 elements",
                       "got an array of 2 elements"};
    QTest::newRow("io object") << kIo << 4u << QByteArray("{\"butPr\":0}")
                               << QStringList{"the IO module expects a JSON array of 3 elements",
                                              "got an object"};
    QTest::newRow("io empty") << kIo << 4u << QByteArray()
                              << QStringList{"the payload is empty, expected JSON"};
    QTest::newRow("io trailing comma on line 3")
        << kIo << 4u << QByteArray("[\n [{\"inNum\":1,\"inSt\":false}],\n [], {\"butPr\":0,}\n]")
        << QStringList{"JSON syntax error at line 3, column 17"};

    QTest::newRow("mission type 0")
        << kMission << 0u << kMissionDrive
        << QStringList{"the Mission module has no device type 0; known: 1 Autonomy device"};
    for (const char* key : {"state", "telemetry", "nextStop"})
        QTest::addRow("mission json without %s", key)
            << kMission << 1u << missionStatusWith(QString(key), QJsonValue::Undefined)
            << QStringList{QStringLiteral("key \"%1\" is missing").arg(key),
                           "requires \"state\", \"telemetry\" and \"nextStop\""};
    QTest::newRow("mission json lowercase state")
        << kMission << 1u << missionStatusWith(QStringLiteral("state"), QStringLiteral("drive"))
        << QStringList{"\"state\" is the string \"drive\", expected one of IDLE, DRIVE, "
                       "IN_STOP, OBSTACLE, ERROR"};
    QTest::newRow("mission json state as number")
        << kMission << 1u << missionStatusWith(QStringLiteral("state"), 1)
        << QStringList{"\"state\" is the number 1, expected one of"};
    QTest::newRow("mission json telemetry without speed")
        << kMission << 1u
        << missionStatusWith(QStringLiteral("telemetry"), QJsonObject{{"fuel", 1}})
        << QStringList{"\"telemetry\" has no \"speed\""};
    QTest::newRow("mission json speed as string")
        << kMission << 1u
        << missionStatusWith(QStringLiteral("telemetry"), QJsonObject{{"speed", "7.2"}})
        << QStringList{"\"telemetry.speed\" is the string \"7.2\", expected a number"};
    QTest::newRow("mission json telemetry as number")
        << kMission << 1u << missionStatusWith(QStringLiteral("telemetry"), 7.2)
        << QStringList{"\"telemetry\" is the number 7.2, expected an object with a numeric "
                       "\"speed\""};
    QTest::newRow("mission json array") << kMission << 1u << QByteArray(" {]")
                                        << QStringList{"JSON syntax error at line 1, column 3"};
    QTest::newRow("mission json cut short")
        << kMission << 1u << kMissionDrive.left(40)
        << QStringList{"JSON syntax error at line 1", "(at the end of the text)"};
    QTest::newRow("mission protobuf garbage")
        << kMission << 1u << QByteArray("\xff\xff\xff\xff", 4)
        << QStringList{"read as the protobuf flavour",
                       "does not parse as MissionModule.AutonomyStatus", "4 bytes (binary)"};
}

void tst_ModuleCatalog::invalidStatus()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QByteArray, status);
    QFETCH(QStringList, fragments);
    const fleet::ValidationResult result = ModuleCatalog::validateStatus(module, type, status);
    QVERIFY2(!result.ok, "accepted a status the module rejects");
    for (const QString& fragment : fragments)
        QVERIFY2(result.message.contains(fragment),
                 qPrintable(
                     QStringLiteral("message \"%1\" lacks \"%2\"").arg(result.message, fragment)));
}

void tst_ModuleCatalog::syntaxErrorPosition_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("position");
    // Columns count characters, not bytes: "ü" is two bytes of UTF-8.
    QTest::newRow("missing colon after umlaut")
        << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[],\n{\"büt\" 0}]") << "line 2, column 8";
    QTest::newRow("garbage after the document")
        << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[],{\"butPr\":0}]\n\n  x")
        << "line 3, column 3";
    QTest::newRow("missing comma between values")
        << QByteArray("[[{\"inNum\":1 \"inSt\":false}],[],{\"butPr\":0}]") << "line 1, column 14";
    QTest::newRow("bare word") << QByteArray("hello") << "line 1, column 1";
}

void tst_ModuleCatalog::syntaxErrorPosition()
{
    QFETCH(QByteArray, status);
    QFETCH(QString, position);
    const fleet::ValidationResult result = ModuleCatalog::validateStatus(kIo, 4, status);
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(QStringLiteral("JSON syntax error at ") + position),
             qPrintable(result.message));
}

void tst_ModuleCatalog::presetsValidate()
{
    for (const quint32 module : ModuleCatalog::knownModules()) {
        for (const quint32 type : typesOf(module)) {
            const auto context = [&](const PayloadPreset& preset) {
                return QStringLiteral("%1/%2 preset '%3'").arg(module).arg(type).arg(preset.name);
            };
            const QList<PayloadPreset> statuses = ModuleCatalog::statusPresets(module, type);
            const QList<PayloadPreset> commands = ModuleCatalog::commandPresets(module, type);
            QVERIFY2(!statuses.isEmpty(),
                     qPrintable(QStringLiteral("%1/%2").arg(module).arg(type)));
            QVERIFY2(!commands.isEmpty(),
                     qPrintable(QStringLiteral("%1/%2").arg(module).arg(type)));
            QSet<QString> names;
            for (const PayloadPreset& preset : statuses) {
                const auto result = ModuleCatalog::validateStatus(module, type, preset.payload);
                QVERIFY2(result.ok, qPrintable(context(preset) + ": " + result.message));
                QCOMPARE(preset.deviceType, type);
                QVERIFY2(!preset.description.isEmpty(), qPrintable(context(preset)));
                names.insert(preset.name);
            }
            QCOMPARE(names.size(), statuses.size());
            names.clear();
            for (const PayloadPreset& preset : commands) {
                const auto result = ModuleCatalog::validateCommand(module, type, preset.payload);
                QVERIFY2(result.ok, qPrintable(context(preset) + ": " + result.message));
                QCOMPARE(preset.deviceType, type);
                QVERIFY2(!preset.description.isEmpty(), qPrintable(context(preset)));
                names.insert(preset.name);
            }
            QCOMPARE(names.size(), commands.size());
        }
    }
    QVERIFY(ModuleCatalog::statusPresets(1001, 0).isEmpty());
    QVERIFY(ModuleCatalog::statusPresets(kIo, 9).isEmpty());
    QVERIFY(ModuleCatalog::commandPresets(kExample, 1).isEmpty());
}

void tst_ModuleCatalog::presetContents_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<bool>("status");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("example pressed")
        << kExample << 0u << true << "Button pressed" << QByteArray("{\"pressed\": true}");
    QTest::newRow("example released")
        << kExample << 0u << true << "Button released" << QByteArray("{\"pressed\": false}");
    QTest::newRow("example light on")
        << kExample << 0u << false << "Light on" << QByteArray("{\"lit_up\": true}");
    QTest::newRow("example light off")
        << kExample << 0u << false << "Light off" << QByteArray("{\"lit_up\": false}");
    QTest::newRow("io button released")
        << kIo << 4u << true << "Button released"
        << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[],{\"butPr\":0}]");
    QTest::newRow("io button pressed")
        << kIo << 4u << true << "Button pressed"
        << QByteArray("[[{\"inNum\":1,\"inSt\":true}],[],{\"butPr\":1}]");
    QTest::newRow("io button null")
        << kIo << 4u << false << "No action (null)" << QByteArray("null");
    QTest::newRow("io opta output 1 on")
        << kIo << 1u << false << "Output 1 on" << QByteArray("[{\"outNum\":1,\"actType\":1}]");
    QTest::newRow("io mega first command")
        << kIo << 2u << false << "First command (0–3 off, 0-based)"
        << QByteArray("[{\"outNum\":0,\"actType\":0},{\"outNum\":1,\"actType\":0},"
                      "{\"outNum\":2,\"actType\":0},{\"outNum\":3,\"actType\":0}]");
    QTest::newRow("mission driving is the docs/modules.md#mission-module example")
        << kMission << 1u << true << "Driving" << kMissionDrive;
    QTest::newRow("mission driving protobuf")
        << kMission << 1u << true << "Driving (protobuf)" << QByteArray::fromStdString([] {
               MissionModule::AutonomyStatus s;
               s.set_state(MissionModule::AutonomyStatus::DRIVE);
               s.mutable_telemetry()->set_speed(7.2);
               s.mutable_telemetry()->set_fuel(0.62);
               s.mutable_telemetry()->mutable_position()->set_latitude(45.8137528);
               s.mutable_telemetry()->mutable_position()->set_longitude(15.9870608);
               s.mutable_telemetry()->mutable_position()->set_altitude(120.7);
               s.mutable_nextstop()->set_name("Train Station");
               s.mutable_nextstop()->mutable_position()->set_latitude(45.815011);
               s.mutable_nextstop()->mutable_position()->set_longitude(15.981919);
               s.mutable_nextstop()->mutable_position()->set_altitude(125.3);
               return s.SerializeAsString();
           }());
    QTest::newRow("mission first command")
        << kMission << 1u << false << "No action" << kFirstMissionCommand;
    QTest::newRow("mission no action protobuf is empty")
        << kMission << 1u << false << "No action (protobuf)" << QByteArray("");
    QTest::newRow("transparent status")
        << kTransparent << 9u << true << "Status 1" << QByteArray("Status 1");
    QTest::newRow("transparent command")
        << kTransparent << 0u << false << "Default command" << QByteArray("\"default_command\"");
}

void tst_ModuleCatalog::presetContents()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(bool, status);
    QFETCH(QString, name);
    QFETCH(QByteArray, payload);
    const QList<PayloadPreset> presets = status ? ModuleCatalog::statusPresets(module, type)
                                                : ModuleCatalog::commandPresets(module, type);
    const auto it = std::find_if(presets.begin(), presets.end(),
                                 [&](const PayloadPreset& p) { return p.name == name; });
    QVERIFY2(it != presets.end(), qPrintable(name));
    QCOMPARE(it->payload, payload);
}

void tst_ModuleCatalog::ioPresetsMatchBoardSizes_data()
{
    QTest::addColumn<quint32>("type");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("outputs");
    QTest::newRow("opta") << 1u << 6 << 4;
    QTest::newRow("mega") << 2u << 4 << 4;
    QTest::newRow("uno") << 3u << 6 << 7;
    QTest::newRow("button") << 4u << 1 << 0;
}

void tst_ModuleCatalog::ioPresetsMatchBoardSizes()
{
    QFETCH(quint32, type);
    QFETCH(int, inputs);
    QFETCH(int, outputs);
    bool sawPress = false;
    for (const PayloadPreset& preset : ModuleCatalog::statusPresets(kIo, type)) {
        const QJsonArray status = QJsonDocument::fromJson(preset.payload).array();
        QCOMPARE(status.size(), 3);
        QCOMPARE(status.at(0).toArray().size(), inputs);
        QCOMPARE(status.at(1).toArray().size(), outputs);
        sawPress |= status.at(2).toObject().value("butPr").toInt() > 0;
        // Statuses number inputs and outputs from 1.
        QCOMPARE(status.at(0).toArray().first().toObject().value("inNum").toInt(), 1);
    }
    QVERIFY2(sawPress, "no pressed-button preset");
}

void tst_ModuleCatalog::validateCommand_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QString>("fragment"); // empty: valid
    QTest::newRow("example lit_up") << kExample << 0u << QByteArray("{\"lit_up\": true}") << "";
    QTest::newRow("example no space") << kExample << 0u << QByteArray("{\"lit_up\":true}")
                                      << "expected {\"lit_up\": true} or {\"lit_up\": false}";
    QTest::newRow("io toggle") << kIo << 1u << QByteArray("[{\"outNum\":4,\"actType\":2}]") << "";
    QTest::newRow("io null") << kIo << 4u << QByteArray("null") << "";
    QTest::newRow("io actType 3") << kIo << 1u << QByteArray("[{\"outNum\":1,\"actType\":3}]")
                                  << "entry 0: \"actType\" is 3, expected 0 (off), 1 (on) or 2";
    QTest::newRow("io output 5 of opta")
        << kIo << 1u << QByteArray("[{\"outNum\":5,\"actType\":1}]")
        << "\"outNum\" 5 is no output of this device (it has 4)";
    QTest::newRow("io missing actType")
        << kIo << 3u << QByteArray("[{\"outNum\":1}]") << "entry 0 has no numeric \"actType\"";
    QTest::newRow("mission start") << kMission << 1u << jsonStart({"A", "B"}) << "";
    QTest::newRow("mission protobuf start")
        << kMission << 1u << protoCommand(MissionModule::AutonomyCommand::START, "r", {"A"}) << "";
    QTest::newRow("mission unknown action")
        << kMission << 1u << QByteArray("{\"action\":\"GO\",\"route\":\"\",\"stops\":[]}")
        << "\"action\" is the string \"GO\", expected one of NO_ACTION, STOP, START";
    QTest::newRow("mission no route")
        << kMission << 1u << QByteArray("{\"action\":\"STOP\",\"stops\":[]}")
        << "key \"route\" is missing";
    QTest::newRow("mission stop without position")
        << kMission << 1u
        << QByteArray("{\"action\":\"START\",\"route\":\"r\",\"stops\":[{\"name\":\"A\"}]}")
        << "stops[0].position is missing, expected an object";
    QTest::newRow("mission stop without name")
        << kMission << 1u
        << QByteArray("{\"action\":\"START\",\"route\":\"r\",\"stops\":[{\"position\":{}}]}")
        << "stops[0].name is missing, expected a string";
    QTest::newRow("mission stop as string")
        << kMission << 1u << QByteArray("{\"action\":\"START\",\"route\":\"r\",\"stops\":[\"A\"]}")
        << "stops[0] is the string \"A\", expected a station";
    QTest::newRow("transparent anything") << kTransparent << 3u << QByteArray("\x01", 1) << "";
}

void tst_ModuleCatalog::validateCommand()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QByteArray, command);
    QFETCH(QString, fragment);
    const fleet::ValidationResult result = ModuleCatalog::validateCommand(module, type, command);
    QCOMPARE(result.ok, fragment.isEmpty());
    QVERIFY2(result.message.contains(fragment), qPrintable(result.message));
}

void tst_ModuleCatalog::describeCommand_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QString>("description");
    QTest::newRow("example lit") << kExample << QByteArray("{\"lit_up\": true}") << "lit_up: true";
    QTest::newRow("example dark") << kExample << QByteArray("{\"lit_up\": false}")
                                  << "lit_up: false";
    QTest::newRow("example other bytes")
        << kExample << QByteArray("{\"lit_up\":false}") << "16 bytes: {\"lit_up\":false}";
    QTest::newRow("io on and toggle")
        << kIo << QByteArray("[{\"outNum\":1,\"actType\":1},{\"outNum\":2,\"actType\":2}]")
        << "output 1 on, output 2 toggle";
    QTest::newRow("io first command")
        << kIo << QByteArray("[{\"outNum\":0,\"actType\":0},{\"outNum\":1,\"actType\":0}]")
        << "output 0 off, output 1 off";
    QTest::newRow("io null") << kIo << QByteArray("null") << "null: no action";
    QTest::newRow("io empty list") << kIo << QByteArray("[]") << "no output changes";
    QTest::newRow("mission start json")
        << kMission << jsonStart({"A", "B"}) << "START, route 'City loop', 2 stops: A, B";
    QTest::newRow("mission first command")
        << kMission << kFirstMissionCommand << "NO_ACTION, no route, no stops";
    QTest::newRow("mission start protobuf")
        << kMission << protoCommand(MissionModule::AutonomyCommand::START, "X", {"A", "B"})
        << "START, route 'X', 2 stops: A, B (protobuf)";
    QTest::newRow("mission stop protobuf one stop")
        << kMission << protoCommand(MissionModule::AutonomyCommand::STOP, "", {"Depot"})
        << "STOP, no route, 1 stop: Depot (protobuf)";
    QTest::newRow("mission empty")
        << kMission << QByteArray() << "empty (protobuf: NO_ACTION, no route, no stops)";
    QTest::newRow("mission binary garbage")
        << kMission << QByteArray("\xff\xfe\x00\x01", 4) << "4 bytes (binary)";
    QTest::newRow("transparent default")
        << kTransparent << QByteArray("\"default_command\"") << "17 bytes: \"default_command\"";
    QTest::newRow("unknown module binary")
        << 1001u << QByteArray(12, '\x02') << "12 bytes (binary)";
    QTest::newRow("unknown module text with newline")
        << 1001u << QByteArray("a\nb") << "3 bytes: a\\nb";
    QTest::newRow("unknown module one byte") << 1001u << QByteArray("x") << "1 byte: x";
    QTest::newRow("unknown module empty") << 1001u << QByteArray() << "empty";
}

void tst_ModuleCatalog::describeCommand()
{
    QFETCH(quint32, module);
    QFETCH(QByteArray, command);
    QFETCH(QString, description);
    QCOMPARE(ModuleCatalog::describeCommand(module, command), description);
}

void tst_ModuleCatalog::describeStatus_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("description");
    QTest::newRow("example pressed")
        << kExample << QByteArray("{\"pressed\": true}") << "button: pressed";
    QTest::newRow("example released")
        << kExample << QByteArray("{\"pressed\": false}") << "button: not pressed";
    QTest::newRow("mission drive json")
        << kMission << kMissionDrive << "DRIVE at 7.2 m/s, next stop 'Train Station'";
    QTest::newRow("mission in stop protobuf")
        << kMission << protoStatus(MissionModule::AutonomyStatus::IN_STOP, "Depot")
        << "IN_STOP at 0 m/s, next stop 'Depot' (protobuf)";
    QTest::newRow("io button") << kIo
                               << QByteArray("[[{\"inNum\":1,\"inSt\":true}],[],{\"butPr\":2}]")
                               << "inputs on: 1 (of 1); outputs on: none (of 0); button presses: 2";
    QTest::newRow("io with output error")
        << kIo
        << QByteArray("[[{\"inNum\":1,\"inSt\":false},{\"inNum\":2,\"inSt\":true}],"
                      "[{\"outNum\":1,\"outErr\":true,\"outSt\":true}],{\"butPr\":0}]")
        << "inputs on: 2 (of 2); outputs on: 1 (of 1); output errors: 1; button presses: 0";
    QTest::newRow("io not json") << kIo << QByteArray("Status 1") << "8 bytes: Status 1";
    QTest::newRow("transparent") << kTransparent << QByteArray("Status 1") << "8 bytes: Status 1";
}

void tst_ModuleCatalog::describeStatus()
{
    QFETCH(quint32, module);
    QFETCH(QByteArray, status);
    QFETCH(QString, description);
    QCOMPARE(ModuleCatalog::describeStatus(module, status), description);
}

void tst_ModuleCatalog::pretty_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<bool>("status");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("pretty");
    QTest::newRow("example status")
        << kExample << true << QByteArray("{\"pressed\": true}") << "{\n  \"pressed\": true\n}";
    QTest::newRow("io button status, empty array kept inline")
        << kIo << true << QByteArray("[[{\"inNum\":1,\"inSt\":false}],[ ],{\"butPr\":0}]")
        << "[\n  [\n    {\n      \"inNum\": 1,\n      \"inSt\": false\n    }\n  ],\n  [],\n"
           "  {\n    \"butPr\": 0\n  }\n]";
    QTest::newRow("order, numbers and string contents untouched")
        << 1001u << false << QByteArray("{\"b\":1.50,\"a\":\"x, y: {z} \\\" ]\"}")
        << "{\n  \"b\": 1.50,\n  \"a\": \"x, y: {z} \\\" ]\"\n}";
    QTest::newRow("io null command") << kIo << false << QByteArray("null") << "null";
    QTest::newRow("mission protobuf status decoded")
        << kMission << true << protoStatus(MissionModule::AutonomyStatus::DRIVE, "A", 7.5)
        << "{\n  \"state\": \"DRIVE\",\n  \"telemetry\": {\n    \"speed\": 7.5,\n    \"fuel\": 0,\n"
           "    \"position\": {\n      \"latitude\": 0,\n      \"longitude\": 0,\n"
           "      \"altitude\": 0\n    }\n  },\n  \"nextStop\": {\n    \"name\": \"A\",\n"
           "    \"position\": {\n      \"latitude\": 45.8,\n      \"longitude\": 15.9,\n"
           "      \"altitude\": 120\n    }\n  }\n}";
    QTest::newRow("mission protobuf command decoded")
        << kMission << false << protoCommand(MissionModule::AutonomyCommand::STOP, "r", {})
        << "{\n  \"action\": \"STOP\",\n  \"route\": \"r\",\n  \"stops\": []\n}";
    QTest::newRow("plain text as it is")
        << kTransparent << true << QByteArray("Status 1") << "Status 1";
    QTest::newRow("broken json as text")
        << kIo << true << QByteArray("[[{\"inNum\":") << "[[{\"inNum\":";
    QTest::newRow("binary has no readable form")
        << 1001u << true << QByteArray("\x01\xff", 2) << "";
    QTest::newRow("empty has no readable form") << kMission << false << QByteArray() << "";
}

void tst_ModuleCatalog::pretty()
{
    QFETCH(quint32, module);
    QFETCH(bool, status);
    QFETCH(QByteArray, payload);
    QFETCH(QString, pretty);
    QCOMPARE(status ? ModuleCatalog::prettyStatus(module, payload)
                    : ModuleCatalog::prettyCommand(module, payload),
             pretty);
}

void tst_ModuleCatalog::missionJsonKeepsVehicleKeyOrder()
{
    // Presets and emulator answers read like the vehicle's own payloads, not sorted keys.
    for (const PayloadPreset& preset : ModuleCatalog::statusPresets(kMission, 1)) {
        if (ModuleCatalog::missionEncoding(preset.payload) != MissionEncoding::Json)
            continue;
        QVERIFY2(preset.payload.startsWith("{\"state\":\"") &&
                     preset.payload.contains("\"telemetry\":{\"speed\":") &&
                     preset.payload.contains("\"position\":{\"latitude\":"),
                 preset.payload.constData());
    }
    // A reached stop is removed as the module does it: the rest of the command keeps its key
    // order, compacted.
    const auto emulator = ModuleCatalog::createEmulator(kMission, 1);
    emulator->setCurrentCommand(
        "{ \"route\": \"r\", \"action\": \"START\", \"stops\": [ {\"name\": \"Train Station\", "
        "\"position\": {\"latitude\": 45.815011, \"longitude\": 15.981919, \"altitude\": 125.3}}, "
        "{\"position\": {\"longitude\": 15.9, \"latitude\": 45.8}, \"name\": \"B\"} ] }");
    QCOMPARE(emulator->answerStatus(
                 missionStatusWith(QStringLiteral("state"), QStringLiteral("IN_STOP"))),
             QByteArray("{\"route\":\"r\",\"action\":\"START\",\"stops\":[{\"position\":{"
                        "\"longitude\":15.9,\"latitude\":45.8},\"name\":\"B\"}]}"));
}

void tst_ModuleCatalog::emulatorSequence_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QByteArrayList>("statuses");
    QTest::addColumn<QByteArrayList>("answers");
    const QByteArray pressed = "{\"pressed\": true}";
    const QByteArray released = "{\"pressed\": false}";
    const QByteArray lit = "{\"lit_up\": true}";
    const QByteArray dark = "{\"lit_up\": false}";
    // The first status gets the first command, every later one the inversion.
    QTest::newRow("example first command, then inversion")
        << kExample << 0u << QByteArrayList{released, released, pressed, released, pressed}
        << QByteArrayList{dark, lit, dark, lit, dark};
    QTest::newRow("example pressed first")
        << kExample << 0u << QByteArrayList{pressed, pressed} << QByteArrayList{dark, dark};
    const QByteArray optaOff = "[{\"outNum\":0,\"actType\":0},{\"outNum\":1,\"actType\":0},"
                               "{\"outNum\":2,\"actType\":0},{\"outNum\":3,\"actType\":0}]";
    QTest::newRow("io opta all off, 0-based, repeated")
        << kIo << 1u << QByteArrayList{ioStatus(6, 4), ioStatus(6, 4)}
        << QByteArrayList{optaOff, optaOff};
    // The Uno has seven outputs, but the module's first command names only 0–3.
    QTest::newRow("io uno: outputs 0-3 off only")
        << kIo << 3u << QByteArrayList{ioStatus(6, 7)} << QByteArrayList{optaOff};
    QTest::newRow("io button null") << kIo << 4u << QByteArrayList{ioStatus(1, 0), ioStatus(1, 0)}
                                    << QByteArrayList{"null", "null"};
    QTest::newRow("mission json first command")
        << kMission << 1u << QByteArrayList{kMissionDrive, kMissionDrive}
        << QByteArrayList{kFirstMissionCommand, kFirstMissionCommand};
    // proto3 leaves defaults out: NO_ACTION with no route and no stops is 0 bytes.
    QTest::newRow("mission protobuf first command is empty")
        << kMission << 1u << QByteArrayList{protoStatus(MissionModule::AutonomyStatus::IDLE, "A")}
        << QByteArrayList{QByteArray("")};
    QTest::newRow("mission answers in each status's flavour")
        << kMission << 1u
        << QByteArrayList{protoStatus(MissionModule::AutonomyStatus::IDLE, "A"), kMissionDrive}
        << QByteArrayList{QByteArray(""), kFirstMissionCommand};
    QTest::newRow("transparent default always")
        << kTransparent << 0u << QByteArrayList{"Status 1", "Status 2", ""}
        << QByteArrayList{"\"default_command\"", "\"default_command\"", "\"default_command\""};
}

void tst_ModuleCatalog::emulatorSequence()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QByteArrayList, statuses);
    QFETCH(QByteArrayList, answers);
    const auto emulator = ModuleCatalog::createEmulator(module, type);
    QVERIFY(emulator);
    for (qsizetype i = 0; i < statuses.size(); ++i) {
        QVERIFY2(ModuleCatalog::validateStatus(module, type, statuses.at(i)).ok,
                 "the sequence must consist of valid statuses");
        QCOMPARE(emulator->answerStatus(statuses.at(i)), answers.at(i));
    }
}

void tst_ModuleCatalog::emulatorAbsent_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::newRow("custom module 1001") << 1001u << 0u;
    QTest::newRow("reserved module 0") << 0u << 0u;
    QTest::newRow("io type 9") << kIo << 9u;
    QTest::newRow("mission type 0") << kMission << 0u;
}

void tst_ModuleCatalog::emulatorAbsent()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QVERIFY(!ModuleCatalog::createEmulator(module, type));
}

void tst_ModuleCatalog::missionRemovesReachedStop_data()
{
    QTest::addColumn<bool>("protobuf");
    QTest::newRow("json") << false;
    QTest::newRow("protobuf") << true;
}

void tst_ModuleCatalog::missionRemovesReachedStop()
{
    QFETCH(bool, protobuf);
    using State = MissionModule::AutonomyStatus;
    // The JSON module compares the whole station: the status echoes the command's stop.
    const auto inStop = [&](const std::string& stop) {
        if (protobuf)
            return protoStatus(State::IN_STOP, stop);
        QJsonObject status =
            QJsonDocument::fromJson(jsonInStop(QString::fromStdString(stop))).object();
        status.insert(QStringLiteral("nextStop"),
                      QJsonDocument::fromJson(jsonStart({QString::fromStdString(stop)}))
                          .object()
                          .value(QStringLiteral("stops"))
                          .toArray()
                          .first());
        return QJsonDocument(status).toJson(QJsonDocument::Compact);
    };
    const auto driving = [&](const std::string& stop) {
        return protobuf ? protoStatus(State::DRIVE, stop, 5) : kMissionDrive;
    };
    const auto stopsOf = [&](const QByteArray& command) {
        if (!protobuf)
            return stopNames(command);
        MissionModule::AutonomyCommand decoded;
        if (!decoded.ParseFromArray(command.constData(), int(command.size())))
            return QStringList{"<undecodable>"};
        QStringList names;
        for (const auto& stop : decoded.stops())
            names.append(QString::fromStdString(stop.name()));
        return names;
    };

    const auto emulator = ModuleCatalog::createEmulator(kMission, 1);
    QVERIFY(emulator);
    emulator->answerStatus(driving("A"));
    emulator->setCurrentCommand(protobuf ? protoCommand(MissionModule::AutonomyCommand::START,
                                                        "City loop", {"Train Station", "B", "C"})
                                         : jsonStart({"Train Station", "B", "C"}));
    QCOMPARE(stopsOf(emulator->answerStatus(driving("Train Station"))),
             QStringList({"Train Station", "B", "C"}));
    // IN_STOP at a stop that is not the first one changes nothing.
    QCOMPARE(stopsOf(emulator->answerStatus(inStop("B"))),
             QStringList({"Train Station", "B", "C"}));
    QCOMPARE(stopsOf(emulator->answerStatus(inStop("Train Station"))), QStringList({"B", "C"}));
    // Still standing there: the removed stop stays removed, and B is not removed early.
    QCOMPARE(stopsOf(emulator->answerStatus(inStop("Train Station"))), QStringList({"B", "C"}));
    QCOMPARE(stopsOf(emulator->answerStatus(inStop("B"))), QStringList({"C"}));
    const QByteArray empty = emulator->answerStatus(inStop("C"));
    QCOMPARE(stopsOf(empty), QStringList());
    QVERIFY2(ModuleCatalog::validateCommand(kMission, 1, empty).ok, empty.toHex().constData());
    const QString last =
        ModuleCatalog::describeCommand(kMission, emulator->answerStatus(driving("C")));
    QVERIFY2(last.startsWith("START, route 'City loop', no stops"), qPrintable(last));
}

void tst_ModuleCatalog::missionKeepsOperatorBytes()
{
    // Operators may format a command their way; while no stop is removed, the module's
    // command generation passes it through as typed, in either flavour.
    const QByteArray typed = "{ \"route\": \"r\", \"action\": \"STOP\", \"stops\": [] }";
    const auto emulator = ModuleCatalog::createEmulator(kMission, 1);
    emulator->setCurrentCommand(typed);
    QCOMPARE(emulator->answerStatus(kMissionDrive), typed);
    QCOMPARE(emulator->answerStatus(protoStatus(MissionModule::AutonomyStatus::DRIVE, "A", 1)),
             typed);
    // Bytes that are no mission command are repeated untouched.
    emulator->setCurrentCommand("not a command");
    QCOMPARE(emulator->answerStatus(jsonInStop(QStringLiteral("A"))), QByteArray("not a command"));
}

void tst_ModuleCatalog::currentCommandReplacesAnswers_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("io repeats the operator's command")
        << kIo << 1u << ioStatus(6, 4) << QByteArray("[{\"outNum\":1,\"actType\":2}]")
        << QByteArray("[{\"outNum\":1,\"actType\":2}]");
    QTest::newRow("transparent forwards the operator's command")
        << kTransparent << 0u << QByteArray("Status 1") << QByteArray("hello")
        << QByteArray("hello");
    QTest::newRow("example still inverts the status")
        << kExample << 0u << QByteArray("{\"pressed\": false}") << QByteArray("{\"lit_up\": false}")
        << QByteArray("{\"lit_up\": true}");
}

void tst_ModuleCatalog::currentCommandReplacesAnswers()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, answer);
    const auto emulator = ModuleCatalog::createEmulator(module, type);
    emulator->answerStatus(status);
    emulator->setCurrentCommand(command);
    QCOMPARE(emulator->answerStatus(status), answer);
    QCOMPARE(emulator->answerStatus(status), answer);
}

void tst_ModuleCatalog::validationThroughput()
{
    // Not a timing assertion (the machine is shared): a smoke check that validating the
    // gateway's hot-path statuses stays cheap enough to run thousands of times, and a
    // QBENCHMARK for `-iterations` runs by hand.
    const QByteArray io = ioStatus(6, 7);
    QBENCHMARK
    {
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(ModuleCatalog::validateStatus(kExample, 0, "{\"pressed\": true}").ok);
            QVERIFY(ModuleCatalog::validateStatus(kIo, 3, io).ok);
            QVERIFY(ModuleCatalog::validateStatus(kMission, 1, kMissionDrive).ok);
        }
    }
}

// The label every log row and every event line carries: exact, and read back by fromString().
void tst_ModuleCatalog::identityText_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << "b1"
                           << "Button"
                           << "2/3/b1 'Button' priority 4";
    QTest::newRow("empty role and name") << ""
                                         << ""
                                         << "2/3/ '' priority 4";
    // A chain of arg() calls would put the priority or the type in place of these.
    QTest::newRow("placeholders in role and name") << "r%1"
                                                   << "n%2 %5"
                                                   << "2/3/r%1 'n%2 %5' priority 4";
    QTest::newRow("quote and space in the role") << "a 'b"
                                                 << "c"
                                                 << "2/3/a 'b 'c' priority 4";
}

void tst_ModuleCatalog::identityText()
{
    QFETCH(QString, role);
    QFETCH(QString, name);
    QFETCH(QString, text);
    fleet::DeviceIdentity identity;
    identity.module = 2;
    identity.deviceType = 3;
    identity.role = role;
    identity.name = name;
    identity.priority = 4;
    QCOMPARE(identity.toString(), text);
    fleet::DeviceIdentity back;
    QVERIFY(fleet::DeviceIdentity::fromString(text, &back));
    QCOMPARE(back.role, role);
    QCOMPARE(back.name, name);
    QCOMPARE(back.priority, 4u);
}

QTEST_GUILESS_MAIN(tst_ModuleCatalog)
#include "tst_modulecatalog.moc"
