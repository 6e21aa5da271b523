// fleet-device --scenario as a process against fleet-gateway (docs/scenarios.md): every
// example in examples/ passes (the mission one with fleet-gateway --mission), a failed
// expectation exits 5 naming why, a refused connect 4, a bad file or flag 2, and --junit
// writes the report.
#include "toolprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace fleet;
using namespace fleet::test;

class tst_ScenarioTool : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void examples_data();
    void examples();
    void outcomes_data();
    void outcomes();

private:
    ToolRun runDevice(const QStringList& arguments);

    QTemporaryDir m_dir;
    std::unique_ptr<GatewayProcess> m_gateway;
};

namespace {

QByteArray scenario(const QByteArray& steps)
{
    return R"({"scenario": 1, "name": "tool test", "devices": {
      "b": {"module": 1000, "type": 0, "role": "button", "name": "first"},
      "rival": {"module": 1000, "type": 0, "role": "button", "name": "rival"}},
      "steps": [)" +
           steps + "]}";
}

} // namespace

void tst_ScenarioTool::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // One gateway for every row: as in CI, the mission example needs its mission given.
    m_gateway = std::make_unique<GatewayProcess>(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(m_gateway->startListening({QStringLiteral("--quiet"), QStringLiteral("--no-stdin"),
                                        QStringLiteral("--mission"),
                                        QStringLiteral("Yard loop:Paint Shop,Canteen")},
                                       &error),
             qPrintable(error));
}

ToolRun tst_ScenarioTool::runDevice(const QStringList& arguments)
{
    ToolProcess device(QStringLiteral(FLEET_DEVICE_PATH));
    device.start(arguments);
    device.waitForExit();
    return device.result();
}

void tst_ScenarioTool::examples_data()
{
    QTest::addColumn<QString>("fileName");
    const QDir dir(QStringLiteral(FLEET_EXAMPLES_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 4);
    for (const QString& file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void tst_ScenarioTool::examples()
{
    QFETCH(QString, fileName);
    const QString junit = m_dir.filePath(QFileInfo(fileName).completeBaseName() + ".xml");
    const ToolRun run = runDevice({QStringLiteral("--scenario"), fileName, QStringLiteral("--port"),
                                   QString::number(m_gateway->port()), QStringLiteral("--json"),
                                   QStringLiteral("--junit"), junit});
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    const QList<QJsonObject> summary = run.eventsNamed(QStringLiteral("scenario"));
    QCOMPARE(summary.size(), 1);
    QVERIFY(summary.first().value("passed").toBool());
    QCOMPARE(run.eventsNamed(QStringLiteral("step")).size(),
             summary.first().value("steps").toInt());
    QFile report(junit);
    QVERIFY(report.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&report);
    int cases = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement &&
            xml.name() == QLatin1String("testcase"))
            ++cases;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(cases, summary.first().value("steps").toInt());
}

void tst_ScenarioTool::outcomes_data()
{
    QTest::addColumn<QByteArray>("file");   // written to t.json; empty: no file
    QTest::addColumn<QStringList>("extra"); // more arguments
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("says"); // in stdout (a FAIL line) or stderr
    QTest::newRow("expectation fails")
        << scenario(R"({"connect": "b"}, {"send": "b", "json": {"pressed": false}},
            {"expect_command": "b", "bytes": "nope", "within_ms": 200})")
        << QStringList() << 5 << "FAIL steps[2] (expect_command) (";
    QTest::newRow("refused connect") << scenario(R"({"connect": "b"}, {"connect": "rival"})")
                                     << QStringList() << 4 << "refused: AlreadyConnected";
    QTest::newRow("gateway step headless")
        << scenario(R"({"gateway": "delay", "ms": 1})") << QStringList() << 1
        << "gateway steps need the embedded gateway";
    QTest::newRow("bad file") << QByteArray("{\"scenario\": 1,\n \"devices\": 7}") << QStringList()
                              << 2 << "t.json:2:13: \"devices\" must be an object";
    QTest::newRow("junit without scenario")
        << QByteArray() << QStringList{"--junit", "x.xml"} << 2 << "--junit needs --scenario";
    QTest::newRow("scenario with a payload")
        << scenario(R"({"connect": "b"})") << QStringList{"--status", "x"} << 2
        << "leave out --status";
}

void tst_ScenarioTool::outcomes()
{
    QFETCH(QByteArray, file);
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, says);
    QStringList arguments{QStringLiteral("--port"), QString::number(m_gateway->port())};
    if (!file.isEmpty()) {
        const QString path = m_dir.filePath(QStringLiteral("t.json"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(file);
        out.close();
        arguments << QStringLiteral("--scenario") << path;
    }
    const ToolRun run = runDevice(arguments + extra);
    QVERIFY2(run.exitCode == exitCode, qPrintable(run.describe()));
    QVERIFY2(run.out.contains(says.toUtf8()) || run.err.contains(says.toUtf8()),
             qPrintable(run.describe()));
}

QTEST_GUILESS_MAIN(tst_ScenarioTool)
#include "tst_scenariotool.moc"
