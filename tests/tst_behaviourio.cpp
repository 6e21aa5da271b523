// The IO module boards' behaviour (docs/modules.md#io-module): statuses the module accepts for
// every board, outputs from commands with both output-number bases, the repeated-command
// policy, button presses counted between statuses, pull-up inputs and error flags.
#include "behaviourio.h"
#include "modulecatalog.h"

#include <QSignalSpy>
#include <QTest>

using namespace fleet;

namespace {

void checkValid(const IoBehaviour& board)
{
    const QByteArray status = board.status();
    const ValidationResult result = ModuleCatalog::validateStatus(2, board.deviceType(), status);
    QVERIFY2(result.ok, qPrintable(result.message + QStringLiteral(": ") + status));
}

// "1010": output 1 on, 2 off, 3 on, 4 off.
QString outputs(const IoBehaviour& board)
{
    QString text;
    for (int i = 1; i <= board.outputCount(); ++i)
        text += board.output(i) ? QLatin1Char('1') : QLatin1Char('0');
    return text;
}

const QByteArray kFirst = "[{\"outNum\":0,\"actType\":0},{\"outNum\":1,\"actType\":0},"
                          "{\"outNum\":2,\"actType\":0},{\"outNum\":3,\"actType\":0}]";
const QByteArray kAllOn = "[{\"outNum\":1,\"actType\":1},{\"outNum\":2,\"actType\":1},"
                          "{\"outNum\":3,\"actType\":1},{\"outNum\":4,\"actType\":1}]";

} // namespace

class tst_BehaviourIo : public QObject {
    Q_OBJECT
private slots:
    void boards_data();
    void boards();
    void commands_data();
    void commands();
    void presses_data();
    void presses();
    void inputsAndErrors();
    void buttonDevice();
    void repeatedCommandsThroughModule_data();
    void repeatedCommandsThroughModule();
    void settings();
};

void tst_BehaviourIo::boards_data()
{
    QTest::addColumn<quint32>("type");
    QTest::addColumn<int>("inputs");
    QTest::addColumn<int>("outputs");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("Opta") << 1u << 6 << 4
                          << QByteArray("[[{\"inNum\":1,\"inSt\":true},{\"inNum\":2,\"inSt\":true},"
                                        "{\"inNum\":3,\"inSt\":true},{\"inNum\":4,\"inSt\":true},"
                                        "{\"inNum\":5,\"inSt\":true},{\"inNum\":6,\"inSt\":true}],"
                                        "[{\"outNum\":1,\"outErr\":false,\"outSt\":false},"
                                        "{\"outNum\":2,\"outErr\":false,\"outSt\":false},"
                                        "{\"outNum\":3,\"outErr\":false,\"outSt\":false},"
                                        "{\"outNum\":4,\"outErr\":false,\"outSt\":false}],"
                                        "{\"butPr\":0}]");
    QTest::newRow("Mega") << 2u << 4 << 4 << QByteArray();
    QTest::newRow("Uno") << 3u << 6 << 7 << QByteArray();
    QTest::newRow("Button") << 4u << 1 << 0
                            << QByteArray("[[{\"inNum\":1,\"inSt\":true}],[],{\"butPr\":0}]");
}

void tst_BehaviourIo::boards()
{
    QFETCH(quint32, type);
    QFETCH(int, inputs);
    QFETCH(int, outputs);
    QFETCH(QByteArray, status);
    IoBehaviour board(type);
    QCOMPARE(board.deviceType(), type);
    QCOMPARE(board.inputCount(), inputs);
    QCOMPARE(board.outputCount(), outputs);
    for (int i = 1; i <= inputs; ++i)
        QVERIFY2(board.input(i), "pull-ups: an open input reads true");
    if (!status.isEmpty())
        QCOMPARE(board.status(), status);
    checkValid(board);
    QVERIFY(Behaviour::exists(2, type));
    QCOMPARE(Behaviour::create(2, type)->kind(), Behaviour::Kind::Io);
}

void tst_BehaviourIo::commands_data()
{
    QTest::addColumn<quint32>("type");
    QTest::addColumn<int>("base");
    QTest::addColumn<bool>("applyRepeated");
    QTest::addColumn<QByteArrayList>("commands");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("note"); // of the last command

    const QByteArray on1 = "[{\"outNum\":1,\"actType\":1}]";
    const QByteArray toggle1 = "[{\"outNum\":1,\"actType\":2}]";
    QTest::newRow("on, 1-based") << 1u << 1 << false << QByteArrayList{on1} << "1000"
                                 << "output 1 on";
    QTest::newRow("on, 0-based: outNum 1 is output 2")
        << 1u << 0 << false << QByteArrayList{on1} << "0100"
        << "output 2 on";
    QTest::newRow("off after on") << 1u << 1 << false
                                  << QByteArrayList{kAllOn, "[{\"outNum\":3,\"actType\":0}]"}
                                  << "1101"
                                  << "output 3 off";
    QTest::newRow("toggle flips") << 1u << 1 << false << QByteArrayList{kAllOn, toggle1} << "0111"
                                  << "output 1 toggle";
    QTest::newRow("repeated toggle ignored by default")
        << 1u << 1 << false << QByteArrayList{toggle1, toggle1, toggle1} << "1000"
        << "ignored: repeats the previous command";
    QTest::newRow("repeated toggle applied when set")
        << 1u << 1 << true << QByteArrayList{toggle1, toggle1, toggle1} << "1000"
        << "output 1 toggle";
    QTest::newRow("repeated toggle applied twice when set")
        << 1u << 1 << true << QByteArrayList{toggle1, toggle1} << "0000"
        << "output 1 toggle";
    QTest::newRow("first command 0-based switches all four off")
        << 1u << 0 << false << QByteArrayList{kAllOn, kFirst} << "0000"
        << "output 1 off, output 2 off, output 3 off, output 4 off";
    QTest::newRow("first command 1-based skips outNum 0")
        << 1u << 1 << false << QByteArrayList{kAllOn, kFirst} << "0001"
        << "output 1 off, output 2 off, output 3 off; skipped outNum 0 (no such output with "
           "numbers from 1)";
    QTest::newRow("Uno output 7") << 3u << 1 << false
                                  << QByteArrayList{"[{\"outNum\":7,\"actType\":1}]"} << "0000001"
                                  << "output 7 on";
    QTest::newRow("Uno first command leaves outputs 5-7")
        << 3u << 0 << false
        << QByteArrayList{"[{\"outNum\":4,\"actType\":1},{\"outNum\":6,\"actType\":1}]", kFirst}
        << "0000101"
        << "output 1 off, output 2 off, output 3 off, output 4 off";
    QTest::newRow("out of range skipped")
        << 2u << 1 << false << QByteArrayList{"[{\"outNum\":9,\"actType\":1}]"} << "0000"
        << "no output switched; skipped outNum 9 (no such "
           "output with numbers from 1)";
    QTest::newRow("unknown actType skipped")
        << 1u << 1 << false << QByteArrayList{"[{\"outNum\":1,\"actType\":3}]"} << "0000"
        << "no output switched; skipped outNum 1 (no such "
           "output with numbers from 1)";
    QTest::newRow("entry without actType: whole command ignored")
        << 1u << 1 << false << QByteArrayList{"[{\"outNum\":1,\"actType\":1},{\"outNum\":2}]"}
        << "0000"
        << "ignored: an entry lacks a numeric outNum or actType";
    QTest::newRow("not JSON ignored")
        << 1u << 1 << false << QByteArrayList{kAllOn, "outputs on"} << "1111"
        << "ignored: not JSON (illegal value)";
    QTest::newRow("null is no action")
        << 1u << 1 << false << QByteArrayList{kAllOn, "null"} << "1111"
        << "no action";
    QTest::newRow("empty array is no action")
        << 1u << 1 << false << QByteArrayList{kAllOn, "[]"} << "1111"
        << "no switched";
    QTest::newRow("empty object is no action")
        << 1u << 1 << false << QByteArrayList{kAllOn, "{}"} << "1111"
        << "no action";
    QTest::newRow("empty answer is nothing new")
        << 1u << 1 << false << QByteArrayList{kAllOn, ""} << "1111"
        << "empty answer: nothing new";
}

void tst_BehaviourIo::commands()
{
    QFETCH(quint32, type);
    QFETCH(int, base);
    QFETCH(bool, applyRepeated);
    QFETCH(QByteArrayList, commands);
    QFETCH(QString, expected);
    QFETCH(QString, note);
    IoBehaviour board(type);
    board.setOutputBase(base);
    board.setApplyRepeatedCommands(applyRepeated);
    for (const QByteArray& command : commands)
        board.applyCommand(command);
    QCOMPARE(outputs(board), expected);
    if (note == QLatin1String("no switched"))
        QCOMPARE(board.lastCommandNote(), QStringLiteral("no output switched"));
    else
        QCOMPARE(board.lastCommandNote(), note);
    checkValid(board);
    // The status reports exactly these outputs, numbered from 1.
    for (int i = 1; i <= board.outputCount(); ++i) {
        const QByteArray entry = "{\"outNum\":" + QByteArray::number(i) +
                                 ",\"outErr\":false,\"outSt\":" +
                                 (expected.at(i - 1) == QLatin1Char('1') ? "true" : "false") + '}';
        QVERIFY2(board.status().contains(entry), board.status().constData());
    }
}

void tst_BehaviourIo::presses_data()
{
    QTest::addColumn<quint32>("type");
    QTest::addColumn<int>("presses");
    QTest::addColumn<int>("reported");
    QTest::newRow("Opta counts three presses") << 1u << 3 << 3;
    QTest::newRow("Opta without presses") << 1u << 0 << 0;
    QTest::newRow("Mega always 0") << 2u << 2 << 0;
    QTest::newRow("Uno always 0") << 3u << 2 << 0;
}

void tst_BehaviourIo::presses()
{
    QFETCH(quint32, type);
    QFETCH(int, presses);
    QFETCH(int, reported);
    IoBehaviour board(type);
    board.advanceTo(0);
    board.takeStatus();
    board.advanceTo(500);
    QSignalSpy pending(&board, &Behaviour::statusPending);
    for (int i = 0; i < presses; ++i)
        board.pressButton();
    QCOMPARE(pending.count(), reported > 0 ? 1 : 0); // a counted press makes a status due
    QCOMPARE(board.statusDue(), reported > 0);
    const QByteArray status = board.takeStatus();
    QVERIFY2(status.endsWith("{\"butPr\":" + QByteArray::number(reported) + "}]"),
             status.constData());
    // Counted between statuses: the next one starts from 0 again.
    QCOMPARE(board.pressesSinceStatus(), 0);
    QVERIFY(board.status().endsWith("{\"butPr\":0}]"));
    checkValid(board);
}

void tst_BehaviourIo::inputsAndErrors()
{
    IoBehaviour board(1);
    board.advanceTo(0);
    board.takeStatus();
    board.advanceTo(300);
    QSignalSpy pending(&board, &Behaviour::statusPending);
    board.setInput(2, false);
    board.setOutputError(4, true);
    QCOMPARE(pending.count(), 1);
    QVERIFY(board.statusDue());
    const QByteArray status = board.takeStatus();
    QVERIFY(status.contains("{\"inNum\":2,\"inSt\":false}"));
    QVERIFY(status.contains("{\"inNum\":1,\"inSt\":true}"));
    QVERIFY(status.contains("{\"outNum\":4,\"outErr\":true,\"outSt\":false}"));
    checkValid(board);
    // Out-of-range numbers are no-ops, not crashes.
    board.setInput(0, false);
    board.setInput(7, false);
    board.setOutputError(5, true);
    QVERIFY(!board.statusDue());
}

void tst_BehaviourIo::buttonDevice()
{
    IoBehaviour button(IoBehaviour::kButtonType);
    QVERIFY(button.input(1)); // not pressed reads true
    button.setButtonHeld(true);
    QVERIFY(!button.input(1));
    QVERIFY(button.status().startsWith("[[{\"inNum\":1,\"inSt\":false}],[]"));
    checkValid(button);
    button.pressButton(); // the Button device counts nothing
    QVERIFY(button.status().endsWith("{\"butPr\":0}]"));
    // Its module's first command is null: no action.
    auto module = ModuleCatalog::createEmulator(2, 4);
    const QByteArray answer = module->answerStatus(button.takeStatus());
    QCOMPARE(answer, QByteArray("null"));
    QCOMPARE(button.applyCommand(answer).note, QStringLiteral("no action"));
    button.setButtonHeld(false);
    QVERIFY(button.input(1));
}

// The gateway repeats the current command after every status (docs/modules.md#device-behaviour):
// a queued toggle reaches the device again and again. Applied once by default, on every copy
// when the operator says so.
void tst_BehaviourIo::repeatedCommandsThroughModule_data()
{
    QTest::addColumn<bool>("applyRepeated");
    QTest::addColumn<QString>("outputsPerTrip");
    QTest::newRow("applied once") << false << "1111";
    QTest::newRow("applied on every copy") << true << "1010";
}

void tst_BehaviourIo::repeatedCommandsThroughModule()
{
    QFETCH(bool, applyRepeated);
    QFETCH(QString, outputsPerTrip);
    IoBehaviour board(1);
    board.setOutputBase(1);
    board.setApplyRepeatedCommands(applyRepeated);
    auto module = ModuleCatalog::createEmulator(2, 1);
    board.applyCommand(module->answerStatus(board.takeStatus())); // first command
    QCOMPARE(outputs(board), QStringLiteral("0000"));
    QString seen;
    board.applyCommand(
        module->answerCloudCommand(board.takeStatus(), "[{\"outNum\":1,\"actType\":2}]"));
    seen += board.output(1) ? '1' : '0';
    for (int trip = 0; trip < 3; ++trip) {
        const QByteArray status = board.takeStatus();
        QVERIFY(ModuleCatalog::validateStatus(2, 1, status).ok);
        board.applyCommand(module->answerStatus(status));
        seen += board.output(1) ? '1' : '0';
    }
    QCOMPARE(seen, outputsPerTrip);
}

void tst_BehaviourIo::settings()
{
    IoBehaviour board(1);
    QCOMPARE(board.outputBase(), 1);
    QVERIFY(!board.applyRepeatedCommands());
    QString error;
    QVERIFY(board.setSetting(QStringLiteral("outputBase"), QStringLiteral("0"), &error));
    QCOMPARE(board.outputBase(), 0);
    QVERIFY(board.setSetting(QStringLiteral("applyRepeated"), QStringLiteral("true"), &error));
    QVERIFY(board.applyRepeatedCommands());
    QVERIFY(!board.setSetting(QStringLiteral("outputBase"), QStringLiteral("2"), &error));
    QVERIFY2(error.contains(QLatin1String("neither 0 nor 1")), qPrintable(error));
    QVERIFY(!board.setSetting(QStringLiteral("applyRepeated"), QStringLiteral("maybe"), &error));
    const QList<Behaviour::Setting> settings = board.settings();
    QCOMPARE(settings.size(), 3);
    QCOMPARE(settings.at(0).key, QStringLiteral("outputBase"));
    QCOMPARE(settings.at(0).value, QStringLiteral("0"));
    QCOMPARE(settings.at(1).value, QStringLiteral("true"));
    QVERIFY(!settings.at(1).help.isEmpty());
}

QTEST_GUILESS_MAIN(tst_BehaviourIo)
#include "tst_behaviourio.moc"
