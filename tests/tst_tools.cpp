// The headless tools as a script sees them: fleet-gateway and fleet-device as real processes,
// talking over loopback, judged by exit codes, stdout lines and stderr messages.
#include "internalclient.h"
#include "modulecatalog.h"
#include "toolprocess.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTcpServer>
#include <QTest>

#include <csignal>
#include <memory>
#include <tuple>

#include <sys/resource.h>

using fleet::ModuleCatalog;
using namespace fleet::test; // the tool-process fixture

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitCommunication = 3;
constexpr int kExitConnect = 4;

bool isUtf8(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    [[maybe_unused]] const QString text = decoder.decode(bytes);
    return !decoder.hasError();
}

QString presetNameFor(quint32 module, quint32 type, const QByteArray& payload)
{
    for (const fleet::PayloadPreset& preset : ModuleCatalog::statusPresets(module, type)) {
        if (preset.payload == payload)
            return preset.name;
    }
    return {};
}

// Every (module, device type, preset) the catalog knows; the transparent module accepts any
// type, so type 0 stands for all.
struct PresetCase {
    quint32 module;
    quint32 type;
    fleet::PayloadPreset preset;
};
QList<PresetCase> allPresets()
{
    QList<PresetCase> cases;
    for (quint32 module : ModuleCatalog::knownModules()) {
        const fleet::ModuleInfo* info = ModuleCatalog::module(module);
        QList<quint32> types;
        if (info && !info->acceptsAnyDeviceType) {
            for (const fleet::DeviceTypeInfo& type : info->deviceTypes)
                types << type.number;
        } else {
            types << 0;
        }
        for (quint32 type : types) {
            for (const fleet::PayloadPreset& preset : ModuleCatalog::statusPresets(module, type))
                cases.append({module, type, preset});
        }
    }
    return cases;
}

} // namespace

class tst_Tools : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void helpAndVersion_data();
    void helpAndVersion();
    void listPresetsAsJson();
    void examplePresetInverts_data();
    void examplePresetInverts();
    void presetGetsItsModulesCommand_data();
    void presetGetsItsModulesCommand();
    void jsonEventsCarryTheirFields();
    void countsAndPacing_data();
    void countsAndPacing();
    void usageErrors_data();
    void usageErrors();
    void serverAddressForms_data();
    void serverAddressForms();
    void alreadyConnectedSlot();
    void higherPriorityTakesOver();
    void moduleNotSupported();
    void refusedPort();
    void answerProblems_data();
    void answerProblems();
    void pushedEmptyAndBinaryCommands();
    void interruptedDeviceReports();
    void openFileLimitTooLowIsSaid();
    void gatewayTerminatesCleanly();

private:
    ToolRun runDevice(const QStringList& arguments, quint16 port = 0);
    QStringList portArguments(quint16 port) const;

    GatewayProcess m_gateway{QStringLiteral(
        FLEET_GATEWAY_PATH)}; // serves every row that needs no special gateway settings
};

void tst_Tools::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(FLEET_DEVICE_PATH)), FLEET_DEVICE_PATH);
    QVERIFY2(QFile::exists(QStringLiteral(FLEET_GATEWAY_PATH)), FLEET_GATEWAY_PATH);
    QString error;
    QVERIFY2(m_gateway.startListening({}, &error), qPrintable(error));
}

void tst_Tools::cleanupTestCase()
{
    if (m_gateway.port() == 0)
        return; // initTestCase already failed
    m_gateway.sendSignal(SIGTERM);
    QVERIFY(m_gateway.waitForExit());
    QCOMPARE(m_gateway.result().exitCode, 0);
}

QStringList tst_Tools::portArguments(quint16 port) const
{
    return {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
            QString::number(port ? port : m_gateway.port())};
}

ToolRun tst_Tools::runDevice(const QStringList& arguments, quint16 port)
{
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start(portArguments(port) + arguments);
    device.waitForExit();
    return device.result();
}

void tst_Tools::helpAndVersion_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("expected");
    QTest::newRow("--help lists the payload options") << "--help"
                                                      << "--status-hex";
    QTest::newRow("--help explains exit codes") << "--help"
                                                << "Exit codes";
    QTest::newRow("--version names the tool") << "--version"
                                              << "fleet-device 0.";
}

void tst_Tools::helpAndVersion()
{
    QFETCH(QString, option);
    QFETCH(QString, expected);
    const ToolRun run = runDevice({option});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.out.contains(expected.toUtf8()), qPrintable(run.describe()));
}

void tst_Tools::listPresetsAsJson()
{
    const ToolRun run = runDevice({QStringLiteral("--module"), QStringLiteral("io"),
                                   QStringLiteral("--type"), QStringLiteral("4"),
                                   QStringLiteral("--list-presets"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.notJson.isEmpty(), qPrintable(run.notJson));
    QStringList listed;
    for (const QJsonObject& event : run.eventsNamed(QStringLiteral("preset")))
        listed << event.value(QStringLiteral("name")).toString();
    QStringList expected;
    for (const fleet::PayloadPreset& preset : ModuleCatalog::statusPresets(2, 4))
        expected << preset.name;
    QVERIFY(!expected.isEmpty());
    QCOMPARE(listed, expected);
}

void tst_Tools::examplePresetInverts_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("lastCommand");
    // docs/modules.md#example-module: pressed:false is answered with lit_up:true and pressed:true
    // with lit_up:false (the very first command of a connection may be the module's first command).
    QTest::newRow("pressed true turns the light off")
        << QByteArray("{\"pressed\": true}") << QByteArray("{\"lit_up\": false}");
    QTest::newRow("pressed false lights it up")
        << QByteArray("{\"pressed\": false}") << QByteArray("{\"lit_up\": true}");
}

void tst_Tools::examplePresetInverts()
{
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, lastCommand);
    const QString preset = presetNameFor(fleet::ModuleNumber::Example, 0, status);
    QVERIFY2(!preset.isEmpty(), "the catalog has no example preset with these bytes");
    const ToolRun run = runDevice({QStringLiteral("--role"), QStringLiteral("invert-") + preset,
                                   QStringLiteral("--preset"), preset, QStringLiteral("--count"),
                                   QStringLiteral("3"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QJsonObject> commands = run.eventsNamed(QStringLiteral("command"));
    QCOMPARE(commands.size(), 3);
    QCOMPARE(commands.last().value(QStringLiteral("data")).toString().toUtf8(), lastCommand);
    QCOMPARE(commands.last().value(QStringLiteral("summary")).toString(),
             ModuleCatalog::describeCommand(fleet::ModuleNumber::Example, lastCommand));
}

void tst_Tools::presetGetsItsModulesCommand_data()
{
    QTest::addColumn<quint32>("module");
    QTest::addColumn<quint32>("type");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("role");
    const QList<PresetCase> cases = allPresets();
    int index = 0;
    for (const PresetCase& c : cases) {
        const QString row =
            QStringLiteral("%1 / %2 / %3")
                .arg(ModuleCatalog::moduleName(c.module),
                     ModuleCatalog::deviceTypeName(c.module, c.type), c.preset.name);
        QTest::newRow(qPrintable(row)) << c.module << c.type << c.preset.name << c.preset.payload
                                       << QStringLiteral("preset-%1").arg(++index);
    }
}

// The gateway emulates each known module; the commands a preset gets must be exactly what that
// module answers (the catalog's emulator, fresh for the new connection).
void tst_Tools::presetGetsItsModulesCommand()
{
    QFETCH(quint32, module);
    QFETCH(quint32, type);
    QFETCH(QString, preset);
    QFETCH(QByteArray, payload);
    QFETCH(QString, role);
    constexpr int kStatuses = 2;
    const ToolRun run = runDevice({QStringLiteral("--module"), QString::number(module),
                                   QStringLiteral("--type"), QString::number(type),
                                   QStringLiteral("--role"), role, QStringLiteral("--preset"),
                                   preset, QStringLiteral("--validate"), QStringLiteral("--count"),
                                   QString::number(kStatuses), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.notJson.isEmpty(), qPrintable(run.notJson));

    std::unique_ptr<fleet::ModuleEmulator> emulator = ModuleCatalog::createEmulator(module, type);
    QVERIFY(emulator);
    const QList<QJsonObject> commands = run.eventsNamed(QStringLiteral("command"));
    QCOMPARE(commands.size(), kStatuses);
    for (const QJsonObject& command : commands) {
        const QByteArray expected = emulator->answerStatus(payload);
        const QByteArray got =
            QByteArray::fromHex(command.value(QStringLiteral("hex")).toString().toLatin1());
        QCOMPARE(got, expected);
        QCOMPARE(command.value(QStringLiteral("empty")).toBool(), expected.isEmpty());
        QCOMPARE(command.value(QStringLiteral("summary")).toString(),
                 ModuleCatalog::describeCommand(module, expected));
        // "data" is the text when the bytes are UTF-8, and null otherwise.
        const QJsonValue data = command.value(QStringLiteral("data"));
        if (data.isNull())
            QVERIFY2(!isUtf8(expected), "valid UTF-8 reported as null");
        else
            QCOMPARE(data.toString().toUtf8(), expected);
    }
}

void tst_Tools::jsonEventsCarryTheirFields()
{
    const ToolRun run =
        runDevice({QStringLiteral("--role"), QStringLiteral("fields"), QStringLiteral("--name"),
                   QStringLiteral("field test"), QStringLiteral("--priority"), QStringLiteral("3"),
                   QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.notJson.isEmpty(), qPrintable(QStringLiteral("not JSON: ") + run.notJson));
    const QList<QJsonObject> connected = run.eventsNamed(QStringLiteral("connected"));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(connected[0].value(QStringLiteral("module")).toInt(), 1000);
    QCOMPARE(connected[0].value(QStringLiteral("type")).toInt(), 0);
    QCOMPARE(connected[0].value(QStringLiteral("role")).toString(), QStringLiteral("fields"));
    QCOMPARE(connected[0].value(QStringLiteral("name")).toString(), QStringLiteral("field test"));
    QCOMPARE(connected[0].value(QStringLiteral("priority")).toInt(), 3);

    const QList<QJsonObject> commands = run.eventsNamed(QStringLiteral("command"));
    QCOMPARE(commands.size(), 2);
    for (const QJsonObject& command : commands) {
        for (const char* key : {"data", "hex", "rtt_ms", "pushed", "empty"})
            QVERIFY2(command.contains(QLatin1String(key)), key);
        QVERIFY(command.value(QStringLiteral("rtt_ms")).toDouble() > 0);
        QCOMPARE(command.value(QStringLiteral("pushed")).toBool(), false);
        QCOMPARE(command.value(QStringLiteral("empty")).toBool(), false);
        QCOMPARE(QByteArray::fromHex(command.value(QStringLiteral("hex")).toString().toLatin1()),
                 command.value(QStringLiteral("data")).toString().toUtf8());
    }
    const QList<QJsonObject> summary = run.eventsNamed(QStringLiteral("summary"));
    QCOMPARE(summary.size(), 1);
    for (const char* key :
         {"statuses", "answered", "seconds", "rt_per_s", "rtt_ms_p50", "rtt_ms_p99"})
        QVERIFY2(summary[0].value(QLatin1String(key)).isDouble(), key);
    QVERIFY(summary[0].value(QStringLiteral("rtt_ms_p50")).toDouble() <=
            summary[0].value(QStringLiteral("rtt_ms_p99")).toDouble());
    QCOMPARE(run.events.last(), summary[0]);
}

void tst_Tools::countsAndPacing_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("devices");
    QTest::addColumn<int>("statusesPerDevice");
    QTest::addColumn<int>("minimumMs");
    QTest::newRow("--count 5 --interval 0")
        << QStringList{"--count", "5", "--interval", "0"} << 1 << 5 << 0;
    QTest::newRow("--count 3 --interval 150 takes at least 300 ms")
        << QStringList{"--count", "3", "--interval", "150"} << 1 << 3 << 300;
    QTest::newRow("--devices 3 --count 2")
        << QStringList{"--devices", "3", "--count", "2"} << 3 << 2 << 0;
    // Connect k starts k/20 s in: the fourth at 150 ms at the earliest.
    QTest::newRow("--devices 4 --ramp 20/s takes at least 150 ms")
        << QStringList{"--devices", "4", "--ramp", "20/s"} << 4 << 1 << 150;
}

void tst_Tools::countsAndPacing()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, devices);
    QFETCH(int, statusesPerDevice);
    QFETCH(int, minimumMs);
    QElapsedTimer clock;
    clock.start();
    const ToolRun run = runDevice(
        arguments +
        QStringList{"--role", QStringLiteral("count-%1").arg(QTest::currentDataTag()), "--json"});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(clock.elapsed() >= minimumMs);
    const QList<QJsonObject> connected = run.eventsNamed(QStringLiteral("connected"));
    QCOMPARE(connected.size(), devices);
    if (devices > 1) {
        QSet<QString> roles;
        for (const QJsonObject& event : connected)
            roles << event.value(QStringLiteral("role")).toString();
        QVERIFY(roles.contains(QStringLiteral("count-%1-1").arg(QTest::currentDataTag())));
        QVERIFY(roles.contains(
            QStringLiteral("count-%1-%2").arg(QTest::currentDataTag()).arg(devices)));
        QCOMPARE(roles.size(), devices);
    }
    QCOMPARE(run.eventsNamed(QStringLiteral("command")).size(), devices * statusesPerDevice);
    const QJsonObject summary = run.eventsNamed(QStringLiteral("summary")).value(0);
    QCOMPARE(summary.value(QStringLiteral("statuses")).toInt(), devices * statusesPerDevice);
    QCOMPARE(summary.value(QStringLiteral("answered")).toInt(), devices * statusesPerDevice);
    QVERIFY(summary.value(QStringLiteral("seconds")).toDouble() * 1000 >= minimumMs * 0.9);
    QVERIFY(summary.value(QStringLiteral("rt_per_s")).toDouble() > 0);
}

void tst_Tools::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("stderrMentions");
    const QByteArray invalidExample("{\"pressed\":true}");
    const QString validatorMessage =
        ModuleCatalog::validateStatus(fleet::ModuleNumber::Example, 0, invalidExample).message;

    QTest::newRow("bad hex digit") << QStringList{"--status-hex", "7b2x"}
                                   << QStringList{"--status-hex", "'x' is not a hex digit"};
    QTest::newRow("odd hex digits") << QStringList{"--status-hex", "7b2"}
                                    << QStringList{"--status-hex", "odd number of hex digits"};
    QTest::newRow("missing status file")
        << QStringList{"--status-file", "/nonexistent/status.json"}
        << QStringList{"--status-file", "/nonexistent/status.json", "cannot read"};
    QTest::newRow("unknown preset") << QStringList{"--preset", "No such preset"}
                                    << QStringList{"--preset 'No such preset'", "unknown preset"};
    QTest::newRow("--validate refuses an invalid example status")
        << QStringList{"--validate", "--status", QString::fromUtf8(invalidExample)}
        << QStringList{"--validate", ModuleCatalog::moduleName(1000), validatorMessage};
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << QStringList{"frobnicate"};
    QTest::newRow("negative count") << QStringList{"--count", "-1"} << QStringList{"--count"};
    QTest::newRow("ramp not a rate")
        << QStringList{"--ramp", "fast"} << QStringList{"--ramp", "'fast'", "e.g. 500/s"};
    QTest::newRow("timeout not a number")
        << QStringList{"--timeout", "soon"} << QStringList{"--timeout", "soon"};
    QTest::newRow("unknown module name")
        << QStringList{"--module", "bogus"} << QStringList{"--module", "bogus", "example"};
    QTest::newRow("two payloads") << QStringList{"--status", "a", "--status-hex", "61"}
                                  << QStringList{"only one", "--status-hex"};
    QTest::newRow("stray argument") << QStringList{"status"} << QStringList{"'status'"};
    // runDevice() passes --host 127.0.0.1 --port N first; a later value wins.
    QTest::newRow("port zero") << QStringList{"--port", "0"}
                               << QStringList{"--port", "'0' is not a port number from 1 to 65535"};
    QTest::newRow("host not a host name")
        << QStringList{"--host", "bad host"}
        << QStringList{"--host", "'bad host' is not a host name or IP address"};
    QTest::newRow("port in --host and in --port")
        << QStringList{"--host", "127.0.0.1:9"} << QStringList{"--host '127.0.0.1:9'", "once"};
    QTest::newRow("IPv6 bracket not closed")
        << QStringList{"--host", "[::1"} << QStringList{"--host", "no closing ']'"};
}

void tst_Tools::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, stderrMentions);
    const ToolRun run = runDevice(arguments);
    QVERIFY2(run.exitCode == kExitUsage, qPrintable(run.describe()));
    QVERIFY2(run.out.isEmpty(), qPrintable(run.describe()));
    for (const QString& mention : stderrMentions) {
        QVERIFY2(QString::fromUtf8(run.err).contains(mention),
                 qPrintable(QStringLiteral("stderr lacks '%1':\n%2").arg(mention, run.describe())));
    }
    // With --json, the same error is also an event on stdout.
    const ToolRun json = runDevice(arguments + QStringList{"--json"});
    QVERIFY2(json.exitCode == kExitUsage, qPrintable(json.describe()));
    QVERIFY2(json.notJson.isEmpty(), qPrintable(json.describe()));
    const QList<QJsonObject> errors = json.eventsNamed(QStringLiteral("error"));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].value(QStringLiteral("family")).toString(), QStringLiteral("usage"));
    QVERIFY(errors[0].value(QStringLiteral("message")).toString().contains(stderrMentions.first()));
}

// 500 devices under a hard limit of 128 open files: said before anything connects, with the
// number needed and the most that fit (OpenFileLimit keeps 64 descriptors aside).
void tst_Tools::openFileLimitTooLowIsSaid()
{
    for (const bool json : {false, true}) {
        ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
        device.process().setChildProcessModifier([] {
            const rlimit limit{128, 128};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        });
        QStringList arguments = portArguments(0) + QStringList{"--devices", "500"};
        if (json)
            arguments << QStringLiteral("--json");
        device.start(arguments);
        QVERIFY(device.waitForExit());
        const ToolRun run = device.result();
        QVERIFY2(run.exitCode == kExitUsage, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("--devices 500 needs 564 open files"),
                 qPrintable(run.describe()));
        QVERIFY2(run.err.contains("ulimit -Hn 564"), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("--devices 64 or fewer"), qPrintable(run.describe()));
        QVERIFY2(run.eventsNamed(QStringLiteral("connected")).isEmpty(),
                 qPrintable(run.describe()));
        if (json) {
            const QList<QJsonObject> errors = run.eventsNamed(QStringLiteral("error"));
            QCOMPARE(errors.size(), 1);
            QVERIFY(errors[0].value(QStringLiteral("message")).toString().contains("564"));
        }
    }
}

void tst_Tools::serverAddressForms_data()
{
    QTest::addColumn<QStringList>("arguments"); // %1 stands for the gateway's port
    QTest::addColumn<QString>("host");
    QTest::newRow("HOST:PORT in --host") << QStringList{"--host", "127.0.0.1:%1"} << "127.0.0.1";
    QTest::newRow("--host and --port")
        << QStringList{"--host", "localhost", "--port", "%1"} << "localhost";
    QTest::newRow("spaces around --host")
        << QStringList{"--host", " 127.0.0.1 ", "--port", "%1"} << "127.0.0.1";
}

void tst_Tools::serverAddressForms()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, host);
    for (QString& argument : arguments)
        argument = argument.arg(m_gateway.port());
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start(arguments + QStringList{QStringLiteral("--json")});
    device.waitForExit();
    const ToolRun run = device.result();
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QJsonObject connected = run.eventsNamed(QStringLiteral("connected")).value(0);
    QCOMPARE(connected.value(QStringLiteral("host")).toString(), host);
    QCOMPARE(connected.value(QStringLiteral("port")).toInt(), int(m_gateway.port()));
}

void tst_Tools::alreadyConnectedSlot()
{
    ToolProcess first(QStringLiteral(FLEET_DEVICE_PATH));
    first.start(portArguments(0) +
                QStringList{"--role", "taken", "--count", "0", "--interval", "100", "--json"});
    QVERIFY2(first.waitForEvent(QStringLiteral("command")), qPrintable(first.result().describe()));

    const ToolRun second = runDevice({"--role", "taken", "--name", "intruder", "--json"});
    QVERIFY2(second.exitCode == kExitConnect, qPrintable(second.describe()));
    const QList<QJsonObject> errors = second.eventsNamed(QStringLiteral("error"));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors[0].value(QStringLiteral("name")).toString(),
             QStringLiteral("AlreadyConnected"));
    QCOMPARE(errors[0].value(QStringLiteral("family")).toString(), QStringLiteral("connect"));
    QVERIFY2(errors[0]
                 .value(QStringLiteral("message"))
                 .toString()
                 .startsWith(fleet::InternalClient::errorSentence(
                     fleet::InternalClient::Error::AlreadyConnected)),
             qPrintable(second.describe()));
    QCOMPARE(second.eventsNamed(QStringLiteral("summary")).size(), 1);

    // The first device was not disturbed by the refused one.
    first.sendSignal(SIGINT);
    QVERIFY(first.waitForExit());
    const ToolRun firstRun = first.result();
    QVERIFY2(firstRun.exitCode == 0, qPrintable(firstRun.describe()));
    QVERIFY(firstRun.eventsNamed(QStringLiteral("error")).isEmpty());
}

// A device of higher priority (smaller number) takes the slot; the old one loses it and is
// refused when it tries to reconnect (or sees the dropped connection).
void tst_Tools::higherPriorityTakesOver()
{
    ToolProcess low(QStringLiteral(FLEET_DEVICE_PATH));
    low.start(portArguments(0) + QStringList{"--role", "contested", "--priority", "5", "--count",
                                             "0", "--interval", "50", "--json"});
    QVERIFY2(low.waitForEvent(QStringLiteral("command")), qPrintable(low.result().describe()));

    const ToolRun high = runDevice(
        {"--role", "contested", "--priority", "0", "--count", "5", "--interval", "200", "--json"});
    QVERIFY2(high.exitCode == 0, qPrintable(high.describe()));

    QVERIFY2(low.waitForExit(), "the displaced device kept running");
    const ToolRun lowRun = low.result();
    QVERIFY2(lowRun.exitCode == kExitConnect || lowRun.exitCode == kExitCommunication,
             qPrintable(lowRun.describe()));
    const QString name = lowRun.eventsNamed(QStringLiteral("error"))
                             .value(0)
                             .value(QStringLiteral("name"))
                             .toString();
    QVERIFY2(name == QLatin1String("HigherPriorityAlreadyConnected") ||
                 name == QLatin1String("CommunicationError"),
             qPrintable(lowRun.describe()));
}

void tst_Tools::moduleNotSupported()
{
    GatewayProcess exampleOnly(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(exampleOnly.startListening({"--modules", "1000"}, &error), qPrintable(error));
    const ToolRun run = runDevice({"--module", "2", "--type", "1", "--json"}, exampleOnly.port());
    QVERIFY2(run.exitCode == kExitConnect, qPrintable(run.describe()));
    const QJsonObject failure = run.eventsNamed(QStringLiteral("error")).value(0);
    QCOMPARE(failure.value(QStringLiteral("name")).toString(),
             QStringLiteral("ModuleNotSupported"));
    QCOMPARE(failure.value(QStringLiteral("family")).toString(), QStringLiteral("connect"));
    exampleOnly.sendSignal(SIGTERM);
    QVERIFY(exampleOnly.waitForExit());
}

void tst_Tools::refusedPort()
{
    // A port that was free a moment ago: nothing listens there now.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const ToolRun run = runDevice({"--json"}, port);
    QVERIFY2(run.exitCode == kExitCommunication, qPrintable(run.describe()));
    const QJsonObject failure = run.eventsNamed(QStringLiteral("error")).value(0);
    QCOMPARE(failure.value(QStringLiteral("name")).toString(), QStringLiteral("ConnectionRefused"));
    QCOMPARE(failure.value(QStringLiteral("family")).toString(), QStringLiteral("communication"));
    // Human mode names the error on stderr.
    const ToolRun human = runDevice({}, port);
    QCOMPARE(human.exitCode, kExitCommunication);
    QVERIFY2(human.err.contains("ConnectionRefused"), qPrintable(human.describe()));
}

void tst_Tools::answerProblems_data()
{
    QTest::addColumn<QStringList>("gatewayArguments");
    QTest::addColumn<QStringList>("deviceArguments");
    QTest::addColumn<QString>("errorName");
    // Within the gateway's 250 ms deadline, but later than the device waits.
    QTest::newRow("answer later than --timeout")
        << QStringList{"--answer-delay-ms", "200"} << QStringList{"--timeout", "0.05"}
        << "ServerTookTooLong";
    // Past the deadline the gateway closes the connection without answering.
    QTest::newRow("answer past the gateway's deadline")
        << QStringList{"--answer-delay-ms", "400"} << QStringList{"--timeout", "2"}
        << "CommunicationError";
    // The example module rejects the payload: no answer, connection closed
    // (docs/protocol.md#conversation).
    QTest::newRow("payload the module rejects")
        << QStringList{} << QStringList{"--status", "{\"pressed\":true}"} << "CommunicationError";
}

void tst_Tools::answerProblems()
{
    QFETCH(QStringList, gatewayArguments);
    QFETCH(QStringList, deviceArguments);
    QFETCH(QString, errorName);
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(gateway.startListening(gatewayArguments, &error), qPrintable(error));
    const ToolRun run = runDevice(deviceArguments + QStringList{"--json"}, gateway.port());
    QVERIFY2(run.exitCode == kExitCommunication, qPrintable(run.describe()));
    const QJsonObject failure = run.eventsNamed(QStringLiteral("error")).value(0);
    QCOMPARE(failure.value(QStringLiteral("name")).toString(), errorName);
    QCOMPARE(failure.value(QStringLiteral("family")).toString(), QStringLiteral("communication"));
    const QJsonObject summary = run.eventsNamed(QStringLiteral("summary")).value(0);
    QCOMPARE(summary.value(QStringLiteral("answered")).toInt(), 0);
    QCOMPARE(summary.value(QStringLiteral("errors")).toInt(), 1);
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());
}

// Commands the gateway's operator pushes (its stdin): pushed ones carry no round trip, empty
// ones say so, and bytes that are not UTF-8 come as hex with "data": null. (Queued ones would
// pass through the example module, which answers from the status alone.)
void tst_Tools::pushedEmptyAndBinaryCommands()
{
    ToolProcess json(QStringLiteral(FLEET_DEVICE_PATH));
    json.start(portArguments(0) +
               QStringList{"--role", "pushee", "--count", "0", "--interval", "100", "--json"});
    ToolProcess human(QStringLiteral(FLEET_DEVICE_PATH));
    human.start(portArguments(0) +
                QStringList{"--role", "pushee-human", "--count", "0", "--interval", "100"});
    QVERIFY2(json.waitForEvent(QStringLiteral("command")), qPrintable(json.result().describe()));
    QVERIFY2(human.waitForOutput("rtt"), qPrintable(human.result().describe()));

    for (const char* role : {"pushee", "pushee-human"}) {
        m_gateway.writeLine(QByteArray("push 1000/0/") + role + " {\"lit_up\": true}");
        m_gateway.writeLine(QByteArray("push 1000/0/") + role);
        m_gateway.writeLine(QByteArray("push 1000/0/") + role + " hex:ff00");
    }
    QVERIFY2(json.waitForOutput("\"hex\":\"ff00\""), qPrintable(json.result().describe()));
    QVERIFY2(human.waitForOutput("hex ff 00"), qPrintable(human.result().describe()));
    json.sendSignal(SIGINT);
    human.sendSignal(SIGINT);
    QVERIFY(json.waitForExit());
    QVERIFY(human.waitForExit());

    const ToolRun run = json.result();
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.notJson.isEmpty(), qPrintable(run.describe()));
    QJsonObject pushed, empty, binary;
    for (const QJsonObject& command : run.eventsNamed(QStringLiteral("command"))) {
        const QString hex = command.value(QStringLiteral("hex")).toString();
        if (!command.value(QStringLiteral("pushed")).toBool())
            continue;
        if (hex.isEmpty())
            empty = command;
        else if (hex == QLatin1String("ff00"))
            binary = command;
        else
            pushed = command;
    }
    QVERIFY2(!pushed.isEmpty() && !empty.isEmpty() && !binary.isEmpty(),
             qPrintable(run.describe()));
    QCOMPARE(pushed.value(QStringLiteral("data")).toString(), QStringLiteral("{\"lit_up\": true}"));
    QVERIFY(pushed.value(QStringLiteral("rtt_ms")).isNull());
    QCOMPARE(pushed.value(QStringLiteral("empty")).toBool(), false);
    QCOMPARE(empty.value(QStringLiteral("empty")).toBool(), true);
    QCOMPARE(empty.value(QStringLiteral("data")).toString(), QString());
    QVERIFY(binary.value(QStringLiteral("data")).isNull());
    QVERIFY(binary.value(QStringLiteral("rtt_ms")).isNull());
    QCOMPARE(
        run.eventsNamed(QStringLiteral("summary")).value(0).value(QStringLiteral("pushed")).toInt(),
        3);

    const ToolRun humanRun = human.result();
    QVERIFY2(humanRun.exitCode == 0, qPrintable(humanRun.describe()));
    QVERIFY2(humanRun.out.contains("(pushed)"), qPrintable(humanRun.describe()));
    QVERIFY2(humanRun.out.contains("empty: nothing new"), qPrintable(humanRun.describe()));
    QVERIFY2(humanRun.out.contains("[lit_up: true]"), qPrintable(humanRun.describe()));
    QVERIFY2(humanRun.out.contains("summary"), qPrintable(humanRun.describe()));
}

// SIGTERM and SIGINT stop an open-ended run with a summary: exit 0 (every answer came), and
// a run cut short before --count is reached exits 1.
void tst_Tools::interruptedDeviceReports()
{
    for (const auto& [count, signalNumber, expectedExit] :
         {std::tuple{0, SIGTERM, 0}, std::tuple{1000, SIGINT, 1}}) {
        ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
        device.start(portArguments(0) +
                     QStringList{"--role", QStringLiteral("interrupted-%1").arg(count), "--count",
                                 QString::number(count), "--interval", "100", "--json"});
        QVERIFY2(device.waitForEvent(QStringLiteral("command")),
                 qPrintable(device.result().describe()));
        device.sendSignal(signalNumber);
        QVERIFY(device.waitForExit());
        const ToolRun run = device.result();
        QVERIFY2(run.exitCode == expectedExit, qPrintable(run.describe()));
        const QJsonObject summary = run.eventsNamed(QStringLiteral("summary")).value(0);
        QCOMPARE(summary.value(QStringLiteral("interrupted")).toBool(), true);
        QVERIFY(summary.value(QStringLiteral("answered")).toInt() >= 1);
        QVERIFY(summary.value(QStringLiteral("answered")).toInt() < 1000);
    }
}

void tst_Tools::gatewayTerminatesCleanly()
{
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(gateway.startListening({}, &error), qPrintable(error));
    const ToolRun run = runDevice({"--count", "2"}, gateway.port());
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    gateway.sendSignal(SIGTERM);
    QVERIFY(gateway.waitForExit());
    const ToolRun gatewayRun = gateway.result();
    QVERIFY2(gatewayRun.exitCode == 0 && !gatewayRun.crashed, qPrintable(gatewayRun.describe()));
}

QTEST_GUILESS_MAIN(tst_Tools)
#include "tst_tools.moc"
