// The example module's button behaviour (docs/modules.md#example-module): byte-exact statuses
// the module accepts, the lamp from the command, statuses on change and on heartbeat, and a
// round trip through the catalog's emulation of the module.
#include "behaviourbutton.h"
#include "modulecatalog.h"

#include <QSignalSpy>
#include <QTest>

using namespace fleet;

namespace {

const QByteArray kPressed = "{\"pressed\": true}";
const QByteArray kReleased = "{\"pressed\": false}";

void checkValid(const QByteArray& status)
{
    const ValidationResult result = ModuleCatalog::validateStatus(1000, 0, status);
    QVERIFY2(result.ok, qPrintable(result.message + QStringLiteral(": ") + status));
}

} // namespace

class tst_BehaviourButton : public QObject {
    Q_OBJECT
private slots:
    void status_data();
    void status();
    void command_data();
    void command();
    void timing_data();
    void timing();
    void roundTripThroughModule();
    void settings();
};

void tst_BehaviourButton::status_data()
{
    QTest::addColumn<QList<bool>>("presses");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("fresh button is released") << QList<bool>{} << kReleased;
    QTest::newRow("pressed") << QList<bool>{true} << kPressed;
    QTest::newRow("pressed and released") << QList<bool>{true, false} << kReleased;
    QTest::newRow("pressed twice stays pressed") << QList<bool>{true, true} << kPressed;
}

void tst_BehaviourButton::status()
{
    QFETCH(QList<bool>, presses);
    QFETCH(QByteArray, expected);
    ButtonBehaviour button;
    for (bool pressed : presses)
        button.setPressed(pressed);
    QCOMPARE(button.status(), expected);
    checkValid(button.status());
}

void tst_BehaviourButton::command_data()
{
    QTest::addColumn<QByteArrayList>("commands");
    QTest::addColumn<bool>("lit");
    QTest::addColumn<bool>("lastApplied");
    QTest::addColumn<QString>("note");
    QTest::newRow("first command keeps it dark")
        << QByteArrayList{"{\"lit_up\": false}"} << false << true << "lamp off";
    QTest::newRow("lit_up true lights it")
        << QByteArrayList{"{\"lit_up\": true}"} << true << true << "lamp on";
    QTest::newRow("compact JSON works too")
        << QByteArrayList{"{\"lit_up\":true}"} << true << true << "lamp on";
    QTest::newRow("lit then dark") << QByteArrayList{"{\"lit_up\": true}", "{\"lit_up\": false}"}
                                   << false << true << "lamp off";
    QTest::newRow("garbage keeps the lamp")
        << QByteArrayList{"{\"lit_up\": true}", "lamp please"} << true << false
        << "ignored: not {\"lit_up\": true|false}";
    QTest::newRow("string value is not a bool") << QByteArrayList{"{\"lit_up\": \"yes\"}"} << false
                                                << false << "ignored: not {\"lit_up\": true|false}";
    QTest::newRow("empty answer means nothing new")
        << QByteArrayList{"{\"lit_up\": true}", ""} << true << false << "empty answer: nothing new";
}

void tst_BehaviourButton::command()
{
    QFETCH(QByteArrayList, commands);
    QFETCH(bool, lit);
    QFETCH(bool, lastApplied);
    QFETCH(QString, note);
    ButtonBehaviour button;
    Behaviour::CommandOutcome outcome;
    for (const QByteArray& command : commands)
        outcome = button.applyCommand(command);
    QCOMPARE(button.isLit(), lit);
    QCOMPARE(outcome.applied, lastApplied);
    QCOMPARE(outcome.note, note);
    QCOMPARE(button.lastCommandNote(), note);
    QCOMPARE(button.status(), kReleased); // the lamp is not part of the status
}

void tst_BehaviourButton::timing_data()
{
    QTest::addColumn<qint64>("pressAtMs"); // -1: nobody presses
    QTest::addColumn<qint64>("checkAtMs");
    QTest::addColumn<bool>("due");
    QTest::newRow("first status due at once") << qint64(-2) << qint64(0) << true;
    QTest::newRow("nothing due right after a status") << qint64(-1) << qint64(10) << false;
    QTest::newRow("nothing due just before the heartbeat") << qint64(-1) << qint64(4999) << false;
    QTest::newRow("heartbeat after 5 s") << qint64(-1) << qint64(5000) << true;
    QTest::newRow("press makes one due after the minimum gap") << qint64(50) << qint64(100) << true;
    QTest::newRow("press waits for the minimum gap") << qint64(50) << qint64(99) << false;
}

void tst_BehaviourButton::timing()
{
    QFETCH(qint64, pressAtMs);
    QFETCH(qint64, checkAtMs);
    QFETCH(bool, due);
    ButtonBehaviour button;
    button.advanceTo(0);
    if (pressAtMs != -2)
        button.takeStatus(); // sent at 0
    if (pressAtMs >= 0) {
        button.advanceTo(pressAtMs);
        QSignalSpy pending(&button, &Behaviour::statusPending);
        button.setPressed(true);
        QCOMPARE(pending.count(), 1);
    }
    button.advanceTo(checkAtMs);
    QCOMPARE(button.statusDue(), due);
    if (!due)
        QVERIFY(button.nextWakeMs() > checkAtMs);
}

// The module answers pressed with lit_up false and released with lit_up true: the lamp is the
// inverse of the button, every round trip, whatever the module's first command said.
void tst_BehaviourButton::roundTripThroughModule()
{
    ButtonBehaviour button;
    auto module = ModuleCatalog::createEmulator(1000, 0);
    QVERIFY(module);
    const QList<bool> script{false, true, true, false, true};
    bool first = true;
    for (bool pressed : script) {
        button.setPressed(pressed);
        const QByteArray status = button.takeStatus();
        checkValid(status);
        const QByteArray answer = module->answerStatus(status);
        QVERIFY(button.applyCommand(answer).applied);
        // The first command is always {"lit_up": false}.
        QCOMPARE(button.isLit(), first ? false : !pressed);
        first = false;
    }
}

void tst_BehaviourButton::settings()
{
    ButtonBehaviour button;
    QCOMPARE(button.periodMs(), ButtonBehaviour::kDefaultPeriodMs);
    QString error;
    QVERIFY(button.setSetting(QStringLiteral("period"), QStringLiteral("2000"), &error));
    QCOMPARE(button.periodMs(), 2000);
    QVERIFY(!button.setSetting(QStringLiteral("period"), QStringLiteral("soon"), &error));
    QVERIFY2(error.contains(QLatin1String("soon")), qPrintable(error));
    QVERIFY(!button.setSetting(QStringLiteral("colour"), QStringLiteral("red"), &error));
    QVERIFY2(error.contains(QLatin1String("period")), qPrintable(error)); // lists the settings
    QCOMPARE(button.settings().size(), 1);
    QCOMPARE(button.settings().first().value, QStringLiteral("2000"));
}

QTEST_GUILESS_MAIN(tst_BehaviourButton)
#include "tst_behaviourbutton.moc"
