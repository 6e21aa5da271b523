// The workspace file (docs/workspaces.md): every field survives a write and a read, keys this
// version does not know survive a read and a write, and every mistake is named by file, line,
// column and key path.

#include "workspace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::Workspace)

namespace {

const QByteArray kHead = "{\n  \"format\": \"fleet-console-workspace\",\n  \"version\": 1,\n";

DeviceConfig everyDeviceField()
{
    DeviceConfig config;
    config.identity = {2, 4, QStringLiteral("door button"), QStringLiteral("Door, \"east\""), 7};
    config.host = QStringLiteral("gateway.example");
    config.port = 1636;
    config.useEmbeddedGateway = false;
    config.connectTimeoutMs = 2500;
    config.connectAttempts = 3;
    config.resendAttempts = 0;
    config.statusTimeoutMs = 750;
    config.autoSendIntervalMs = 250;
    // Quotes, newlines, a tab and non-ASCII text must all come back as typed.
    config.draft = {PayloadFormat::JsonPretty,
                    QStringLiteral("[[{\"inNum\":1,\"inSt\":false}],\n\t[], {\"butPr\": 0}] ü €"),
                    true};
    return config;
}

Workspace sampleWorkspace()
{
    Workspace workspace;
    DeviceConfig vehicle = DeviceConfig::livingDevice(QStringLiteral("vehicle"));
    vehicle.behaviour.route = QStringLiteral("Shuttle line");
    vehicle.behaviour.mapFile = QStringLiteral("/maps/yard.json");
    // Alphabetical: the file keeps settings as an object, and objects are written sorted.
    vehicle.behaviour.settings = {{QStringLiteral("encoding"), QStringLiteral("protobuf")},
                                  {QStringLiteral("waitAtStop"), QStringLiteral("3")}};
    DeviceConfig manual = DeviceConfig::livingDevice(QStringLiteral("button"));
    manual.behaviour.manual = true;
    manual.draft = {PayloadFormat::Hex, QStringLiteral("7b 2"), false}; // half-typed
    workspace.devices = {{everyDeviceField(), {}}, {vehicle, {}}, {manual, {}}};
    workspace.currentDevice = 2;
    workspace.gateway = {false, 9100, {2, 1000, 4000000000u}, 300, true, false};
    workspace.trafficView.device = QStringLiteral("door button");
    workspace.trafficView.direction = QStringLiteral("gateway_to_device");
    workspace.trafficView.rows = QStringLiteral("both");
    workspace.trafficView.kinds = 0x15;
    workspace.trafficView.text = QStringLiteral("pressed");
    workspace.trafficView.follow = false;
    workspace.trafficView.details = false;
    workspace.trafficView.header = QByteArray("\x00\xff header", 9);
    workspace.windowGeometry = QByteArray("\x01\x02geometry\x00", 11);
    workspace.windowState = QByteArray(300, '\xfe');
    workspace.parts.insert(QStringLiteral("scenario"),
                           QJsonObject{{QStringLiteral("file"), QStringLiteral("/s/opta.json")}});
    return workspace;
}

void compareWorkspaces(const Workspace& read, const Workspace& wanted)
{
    QCOMPARE(read.devices.size(), wanted.devices.size());
    for (qsizetype i = 0; i < wanted.devices.size(); ++i)
        QCOMPARE(read.devices[i].config, wanted.devices[i].config);
    QCOMPARE(read.currentDevice, wanted.currentDevice);
    QCOMPARE(read.gateway, wanted.gateway);
    QCOMPARE(read.trafficView, wanted.trafficView);
    QCOMPARE(read.windowGeometry, wanted.windowGeometry);
    QCOMPARE(read.windowState, wanted.windowState);
    QCOMPARE(read.parts, wanted.parts);
}

// The value at "devices[1].identity.colour" in a JSON document; undefined when absent.
QJsonValue valueAt(const QByteArray& json, const QString& path)
{
    QJsonValue value = QJsonDocument::fromJson(json).object();
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const qsizetype bracket = part.indexOf(QLatin1Char('['));
        value = value.toObject().value(bracket < 0 ? part : part.left(bracket));
        if (bracket >= 0)
            value = value.toArray().at(part.mid(bracket + 1).chopped(1).toInt());
    }
    return value;
}

} // namespace

class tst_Workspace : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void readableKeyOrder();
    void minimalFileGetsDefaults();
    void unknownKeysAreKept_data();
    void unknownKeysAreKept();
    void errorsNamePlaceAndPath_data();
    void errorsNamePlaceAndPath();
    void tooLargeIsRefused();
    void newerVersionOpensWithWarning();
    void missingFileIsNamed();
};

void tst_Workspace::roundTrip_data()
{
    QTest::addColumn<Workspace>("workspace");
    QTest::newRow("empty workspace") << Workspace{};
    Workspace one;
    one.devices = {{DeviceConfig::exampleButton(), {}}};
    QTest::newRow("one example button, defaults") << one;
    Workspace every;
    every.devices = {{everyDeviceField(), {}}};
    QTest::newRow("every device field set") << every;
    QTest::newRow("three devices, gateway, view, layout, part") << sampleWorkspace();
}

void tst_Workspace::roundTrip()
{
    QFETCH(Workspace, workspace);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/ws.json"));
    QString why;
    QVERIFY2(workspace.save(path, &why), qPrintable(why));

    Workspace read;
    WorkspaceError error;
    QStringList warnings;
    QVERIFY2(Workspace::load(path, &read, &error, &warnings), qPrintable(error.toString()));
    QVERIFY(warnings.isEmpty());
    compareWorkspaces(read, workspace);
    // Written again, byte for byte the same: nothing drifts from save to save.
    QCOMPARE(read.toJson(), workspace.toJson());
}

void tst_Workspace::readableKeyOrder()
{
    const QByteArray json = sampleWorkspace().toJson();
    QVERIFY2(json.startsWith(kHead + "  \"devices\": [\n    {\n      \"identity\": {\n"
                                     "        \"module\": 2,\n        \"deviceType\": 4,\n"),
             json.constData());
    const auto before = [&json](const char* first, const char* second) {
        return json.indexOf(first) >= 0 && json.indexOf(first) < json.indexOf(second);
    };
    QVERIFY(before("\"identity\"", "\"server\""));
    QVERIFY(before("\"server\"", "\"draft\""));
    QVERIFY(before("\"devices\"", "\"gateway\""));
    QVERIFY(before("\"gateway\"", "\"trafficView\""));
    QVERIFY(before("\"window\"", "\"parts\""));
    QVERIFY(json.contains("\"modules\": [\n      2,\n      1000,\n      4000000000\n    ]"));
    QVERIFY(json.endsWith("}\n"));
}

void tst_Workspace::minimalFileGetsDefaults()
{
    Workspace read;
    WorkspaceError error;
    QVERIFY2(Workspace::parse(kHead + "  \"devices\": [{\"identity\": {\"role\": \"x\"}}]\n}",
                              QStringLiteral("min.json"), &read, &error),
             qPrintable(error.toString()));
    QCOMPARE(read.devices.size(), 1);
    DeviceConfig wanted;
    wanted.identity.role = QStringLiteral("x");
    QCOMPARE(read.devices[0].config, wanted);
    QCOMPARE(read.gateway, GatewayConfig{});
    QCOMPARE(read.trafficView, TrafficViewConfig{});
    QVERIFY(read.windowState.isEmpty());
}

void tst_Workspace::unknownKeysAreKept_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path"); // where the unknown value is, before and after
    const QByteArray device = "\"devices\": [{\"identity\": {\"role\": \"a\"}}, ";
    QTest::newRow("top level") << kHead + "\"colour\": \"teal\"}"
                               << "colour";
    QTest::newRow("in a device") << kHead + device +
                                        "{\"identity\": {\"role\": \"b\"}, \"colour\": [1, 2]}]}"
                                 << "devices[1].colour";
    QTest::newRow("in a device's identity")
        << kHead + device + "{\"identity\": {\"role\": \"b\", \"serial\": \"X-9\"}}]}"
        << "devices[1].identity.serial";
    QTest::newRow("in a device's behaviour")
        << kHead + device + "{\"behaviour\": {\"name\": \"none\", \"mood\": 3}}]}"
        << "devices[1].behaviour.mood";
    QTest::newRow("in the gateway") << kHead + "\"gateway\": {\"tls\": true}}"
                                    << "gateway.tls";
    QTest::newRow("in the window") << kHead + "\"window\": {\"monitor\": 2}}"
                                   << "window.monitor";
    QTest::newRow("a part no panel knows")
        << kHead + "\"parts\": {\"planner\": {\"stops\": [\"A\", \"B\"]}}}"
        << "parts.planner";
}

void tst_Workspace::unknownKeysAreKept()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    const QJsonValue unknown = valueAt(json, path);
    QVERIFY(!unknown.isUndefined());
    Workspace read;
    WorkspaceError error;
    QVERIFY2(Workspace::parse(json, QStringLiteral("ws.json"), &read, &error),
             qPrintable(error.toString()));
    const QByteArray written = read.toJson();
    QCOMPARE(valueAt(written, path), unknown);
    // And once more, read and written again.
    Workspace again;
    QVERIFY(Workspace::parse(written, QStringLiteral("ws.json"), &again, &error));
    QCOMPARE(valueAt(again.toJson(), path), unknown);
}

void tst_Workspace::errorsNamePlaceAndPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message"); // part of it

    QTest::newRow("not JSON") << kHead + "  \"devices\": [,]\n}" << 4 << 15 << ""
                              << "not JSON: illegal value";
    QTest::newRow("cut short") << kHead + "  \"devices\": [" << 4 << 15 << ""
                               << "not JSON";
    QTest::newRow("a list, not an object") << QByteArray("[1]") << 1 << 1 << ""
                                           << "a workspace is a JSON object";
    QTest::newRow("no format") << QByteArray("{\"version\": 1}") << 1 << 1 << ""
                               << "not a workspace file";
    QTest::newRow("another format")
        << QByteArray("{\"format\": \"scenario\", \"version\": 1}") << 1 << 12 << "format"
        << "expected \"fleet-console-workspace\", found \"scenario\"";
    QTest::newRow("no version") << QByteArray("{\"format\": \"fleet-console-workspace\"}") << 1 << 1
                                << ""
                                << "\"version\"";
    QTest::newRow("version zero")
        << QByteArray("{\"format\": \"fleet-console-workspace\", \"version\": 0}") << 1 << 50
        << "version"
        << "a whole number from 1";
    QTest::newRow("devices not a list") << kHead + "  \"devices\": {}\n}" << 4 << 14 << "devices"
                                        << "expected a list of devices";
    QTest::newRow("third device's priority")
        << kHead + "  \"devices\": [\n    {},\n    {},\n"
                   "    {\"identity\": {\"role\": \"c\", \"priority\": -1}}\n  ]\n}"
        << 7 << 44 << "devices[2].identity.priority"
        << "expected a whole number from 0 to 4294967295, found -1";
    QTest::newRow("port out of range")
        << kHead + "  \"devices\": [{\"server\": {\"port\": 70000}}]\n}" << 4 << 35
        << "devices[0].server.port"
        << "from 1 to 65535, found 70000";
    QTest::newRow("port with a fraction")
        << kHead + "  \"devices\": [{\"server\": {\"port\": 80.5}}]\n}" << 4 << 35
        << "devices[0].server.port"
        << "found 80.5";
    QTest::newRow("role not text") << kHead + "  \"devices\": [{\"identity\": {\"role\": 12}}]\n}"
                                   << 4 << 37 << "devices[0].identity.role"
                                   << "expected text in quotes, found 12";
    QTest::newRow("unknown draft format")
        << kHead + "  \"devices\": [{\"draft\": {\"format\": \"rot13\"}}]\n}" << 4 << 36
        << "devices[0].draft.format"
        << "one of \"text\", \"json-pretty\"";
    QTest::newRow("embedded not a switch")
        << kHead + "  \"devices\": [{\"server\": {\"embedded\": \"yes\"}}]\n}" << 4 << 39
        << "devices[0].server.embedded"
        << "expected true or false, found \"yes\"";
    QTest::newRow("behaviour setting a list")
        << kHead + "  \"devices\": [{\"behaviour\": {\"settings\": {\"x\": [1]}}}]\n}" << 4 << 48
        << "devices[0].behaviour.settings.x"
        << "a setting's value";
    QTest::newRow("device not an object")
        << kHead + "  \"devices\": [{}, 7]\n}" << 4 << 19 << "devices[1]"
        << "a device object";
    QTest::newRow("current device past the end")
        << kHead + "  \"devices\": [{}],\n  \"currentDevice\": 3\n}" << 5 << 20 << "currentDevice"
        << "from 0 to 0, found 3";
    QTest::newRow("a module number that is text")
        << kHead + "  \"gateway\": {\"modules\": [1, \"two\"]}\n}" << 4 << 30
        << "gateway.modules[1]"
        << "found \"two\"";
    QTest::newRow("traffic rows sideways")
        << kHead + "  \"trafficView\": {\"rows\": \"sideways\"}\n}" << 4 << 27 << "trafficView.rows"
        << "one of \"frame\", \"both\", \"device\", \"gateway\"";
    QTest::newRow("window state not Base64")
        << kHead + "  \"window\": {\"state\": \"!!not base64!!\"}\n}" << 4 << 23 << "window.state"
        << "Base64";
    QTest::newRow("parts not an object") << kHead + "  \"parts\": []\n}" << 4 << 12 << "parts"
                                         << "an object";
    QByteArray many = kHead + "  \"devices\": [{}";
    for (int i = 1; i <= Workspace::kMaxDevices; ++i)
        many += ", {}";
    QTest::newRow("too many devices") << many + "]\n}" << 4 << 14 << "devices"
                                      << "65 devices; a workspace holds at most 64";
    QTest::newRow("newer version, unreadable")
        << QByteArray("{\"format\": \"fleet-console-workspace\", \"version\": 2,\n"
                      " \"devices\": \"all of them\"}")
        << 2 << 13 << "devices"
        << "written by a newer console (workspace version 2";
}

void tst_Workspace::errorsNamePlaceAndPath()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, path);
    QFETCH(QString, message);
    Workspace read;
    read.currentDevice = 42; // untouched by a failed read
    WorkspaceError error;
    QVERIFY(!Workspace::parse(json, QStringLiteral("bad.json"), &read, &error));
    QCOMPARE(read.currentDevice, 42);
    QCOMPARE(error.fileName, QStringLiteral("bad.json"));
    QCOMPARE(error.line, line);
    QCOMPARE(error.column, column);
    QCOMPARE(error.path, path);
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
    const QString text = error.toString();
    QVERIFY2(text.startsWith(QStringLiteral("bad.json:%1:%2: %3").arg(line).arg(column).arg(path)),
             qPrintable(text));
}

void tst_Workspace::tooLargeIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.json"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(Workspace::kMaxFileBytes + 1));
    }
    Workspace read;
    WorkspaceError error;
    QVERIFY(!Workspace::load(path, &read, &error));
    QCOMPARE(error.fileName, path);
    QCOMPARE(error.line, 0);
    QVERIFY2(error.message.contains(QStringLiteral("at most 16 MiB")), qPrintable(error.message));
    QVERIFY(!Workspace::parse(QByteArray(Workspace::kMaxFileBytes + 1, ' '), path, &read, &error));
    QVERIFY2(error.message.contains(QStringLiteral("at most 16 MiB")), qPrintable(error.message));
}

void tst_Workspace::newerVersionOpensWithWarning()
{
    const QByteArray json = "{\"format\": \"fleet-console-workspace\", \"version\": 3,\n"
                            " \"devices\": [{\"identity\": {\"role\": \"a\"}, \"wheels\": 6}],\n"
                            " \"hologram\": {\"on\": true}}";
    Workspace read;
    WorkspaceError error;
    QStringList warnings;
    QVERIFY2(Workspace::parse(json, QStringLiteral("next.json"), &read, &error, &warnings),
             qPrintable(error.toString()));
    QCOMPARE(read.version, 3);
    QCOMPARE(read.devices.size(), 1);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().contains(QStringLiteral("next.json")), qPrintable(warnings.first()));
    QVERIFY2(warnings.first().contains(QStringLiteral("newer console (workspace version 3")),
             qPrintable(warnings.first()));
    const QByteArray written = read.toJson();
    QCOMPARE(valueAt(written, QStringLiteral("version")), QJsonValue(1));
    QCOMPARE(valueAt(written, QStringLiteral("hologram.on")), QJsonValue(true));
    QCOMPARE(valueAt(written, QStringLiteral("devices[0].wheels")), QJsonValue(6));
}

void tst_Workspace::missingFileIsNamed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gone.json"));
    Workspace read;
    WorkspaceError error;
    QVERIFY(!Workspace::load(path, &read, &error));
    QCOMPARE(error.toString(), path + QStringLiteral(": there is no such file"));
}

QTEST_GUILESS_MAIN(tst_Workspace)
#include "tst_workspace.moc"
