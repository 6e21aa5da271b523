// The scenarios shipped in examples/ (docs/scenarios.md) pass against the embedded gateway,
// each in its own gateway; the mission example gets its mission queued as
// `fleet-gateway --mission "Yard loop:Paint Shop,Canteen"` would give it.
#include "behaviourmap.h"
#include "gatewayserver.h"
#include "modulecatalog.h"
#include "scenario.h"
#include "scenariorunner.h"
#include "timing.h"

#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace fleet;

class tst_ScenarioExamples : public QObject {
    Q_OBJECT
private slots:
    void examples_data();
    void examples();
};

void tst_ScenarioExamples::examples_data()
{
    QTest::addColumn<QString>("fileName");
    const QDir dir(QStringLiteral(FLEET_EXAMPLES_DIR));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 4, qPrintable(dir.path()));
    for (const QString& file : files)
        QTest::newRow(qPrintable(file)) << dir.filePath(file);
}

void tst_ScenarioExamples::examples()
{
    QFETCH(QString, fileName);
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(Scenario::load(fileName, &scenario, &error), qPrintable(error.toString()));
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    for (const ScenarioDevice& device : scenario.devices()) {
        if (device.identity.module != 1 || device.identity.deviceType != 1)
            continue;
        OsmMap map;
        MissionCommand mission;
        QString why;
        QVERIFY2(map.load(OsmMap::demoMapFile(), &why), qPrintable(why));
        QVERIFY2(map.mission(QStringLiteral("Yard loop"),
                             {QStringLiteral("Paint Shop"), QStringLiteral("Canteen")}, &mission,
                             &why),
                 qPrintable(why));
        QVERIFY(gateway.queueCommand(
            device.identity, ModuleCatalog::encodeMissionCommand(mission, MissionEncoding::Json)));
    }
    ScenarioRunner runner(scenario);
    runner.setDefaultServer(QStringLiteral("127.0.0.1:%1").arg(gateway.serverPort()));
    QSignalSpy finished(&runner, &ScenarioRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 120000);
    QStringList trace;
    for (const ScenarioStepResult& result : runner.results())
        trace.append(QStringLiteral("%1 %2 ms %3")
                         .arg(result.label)
                         .arg(result.elapsedMs)
                         .arg(result.reason));
    QVERIFY2(runner.passed(), qPrintable(trace.join('\n')));
}

QTEST_GUILESS_MAIN(tst_ScenarioExamples)
#include "tst_scenarioexamples.moc"
