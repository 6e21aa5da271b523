// The composer's undo history keeps text and format together: a property test over random
// operator sequences (typing, format switches, file loads, presets, undo, redo) against a
// reference model, plus the reported repro as a named row.

#include "composerhistory.h"
#include "payloadformat.h"
#include "statuscomposer.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <vector>

using namespace fleet;

namespace {

constexpr int kSequences = 1000;
constexpr int kStepsPerSequence = 14;

constexpr PayloadFormat kFormats[] = {PayloadFormat::Text, PayloadFormat::JsonPretty,
                                      PayloadFormat::JsonCompact, PayloadFormat::Hex,
                                      PayloadFormat::Base64};

ComposerDraft visible(const StatusComposer& composer)
{
    return {PayloadFormat(composer.formatCombo()->currentData().toInt()),
            composer.editor()->toPlainText()};
}

// The invariant the operator relies on: what Send would send is the decode of the text on
// screen in the format on screen (and nothing is sendable when that does not decode).
QString sendMismatch(const StatusComposer& composer)
{
    const ComposerDraft shown = visible(composer);
    if (composer.format() != shown.format)
        return QStringLiteral("composer format differs from the format shown");
    const payloadformat::Conversion decoded = payloadformat::decode(shown.text, shown.format);
    if (composer.check().decoded != decoded.ok)
        return QStringLiteral("sendable=%1 but the visible text decodes=%2")
            .arg(composer.check().decoded)
            .arg(decoded.ok);
    if (decoded.ok && composer.check().bytes != decoded.bytes)
        return QStringLiteral("would send %1, the screen shows %2")
            .arg(QString::fromLatin1(composer.check().bytes.toHex()),
                 QString::fromLatin1(decoded.bytes.toHex()));
    return {};
}

QString describe(const ComposerDraft& draft)
{
    return QStringLiteral("%1 %2").arg(payloadformat::formatName(draft.format), draft.text);
}

// The reference model: a list of (text, format) steps and the current index.
struct Model {
    std::vector<ComposerDraft> steps;
    int index = 0;
    bool lastWasTyping = false;

    void push(const ComposerDraft& draft, bool typing)
    {
        if (draft == steps[index])
            return;
        const bool canRedo = index + 1 < int(steps.size());
        if (typing && lastWasTyping && index > 0 && !canRedo) {
            steps[index] = draft;
        } else {
            steps.resize(index + 1);
            steps.push_back(draft);
            ++index;
        }
        lastWasTyping = typing;
    }
};

} // namespace

class tst_ComposerUndo : public QObject {
    Q_OBJECT
private slots:
    void historyRows_data();
    void historyRows();
    void reportedRepro();
    void randomSequencesKeepBytesTrue();
};

void tst_ComposerUndo::historyRows_data()
{
    QTest::addColumn<QString>("script"); // r=replace t=typing u=undo d=redo
    QTest::addColumn<QString>("expected");
    QTest::newRow("replace then undo") << "r1 u"
                                       << "0";
    QTest::newRow("undo past the origin stays") << "r1 u u u"
                                                << "0";
    QTest::newRow("redo after undo") << "r1 r2 u u d"
                                     << "1";
    QTest::newRow("typing run is one step") << "t1 t2 t3 u"
                                            << "0";
    QTest::newRow("replace splits typing runs") << "t1 r2 t3 u"
                                                << "2";
    QTest::newRow("new step drops the redo tail") << "r1 r2 u r3 d"
                                                  << "3";
    QTest::newRow("typing after undo starts a new step") << "t1 u t2 u"
                                                         << "0";
}

void tst_ComposerUndo::historyRows()
{
    QFETCH(QString, script);
    QFETCH(QString, expected);
    ComposerHistory history;
    history.setTypingMergeMs(60 * 1000);
    history.reset({PayloadFormat::Text, QStringLiteral("0")});
    QString shown = QStringLiteral("0");
    for (const QString& op : script.split(QLatin1Char(' '))) {
        const ComposerDraft draft{PayloadFormat::Text, op.mid(1)};
        if (op.startsWith(QLatin1Char('r')))
            history.recordReplace(draft);
        else if (op.startsWith(QLatin1Char('t')))
            history.recordTyping(draft, 0);
        else if (op == QLatin1String("u") && history.canUndo())
            history.undo();
        else if (op == QLatin1String("d") && history.canRedo())
            history.redo();
        shown = history.current().draft.text;
    }
    QCOMPARE(shown, expected);
}

// Text {"pressed":true} → Hex → type " 0a" → undo → redo: the editor must show Hex with the
// typed byte, and Send must send exactly those bytes.
void tst_ComposerUndo::reportedRepro()
{
    StatusComposer composer;
    composer.setDraft({PayloadFormat::Text, QStringLiteral("{\"pressed\":true}")});
    QVERIFY(composer.setFormat(PayloadFormat::Hex));
    composer.editor()->setFocus();
    composer.editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(composer.editor(), QStringLiteral(" 0a"));
    QCOMPARE(composer.check().bytes, QByteArray("{\"pressed\":true}\n"));
    QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(composer.check().bytes, QByteArray("{\"pressed\":true}"));
    QCOMPARE(sendMismatch(composer), QString());
    QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(composer.check().bytes, QByteArray("{\"pressed\":true}\n"));
    QCOMPARE(sendMismatch(composer), QString());
    // Back to the start: the original text in the original format.
    composer.undo();
    composer.undo();
    QVERIFY(!composer.canUndo());
    QCOMPARE(visible(composer).format, PayloadFormat::Text);
    QCOMPARE(composer.check().bytes, QByteArray("{\"pressed\":true}"));
}

void tst_ComposerUndo::randomSequencesKeepBytesTrue()
{
    QTemporaryDir files;
    QVERIFY(files.isValid());
    const QString textFile = files.filePath(QStringLiteral("status.json"));
    const QString binaryFile = files.filePath(QStringLiteral("status.bin"));
    {
        QFile text(textFile);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("{\"lit_up\": false}");
        QFile binary(binaryFile);
        QVERIFY(binary.open(QIODevice::WriteOnly));
        binary.write(QByteArray::fromHex("00ff0a7b0d"));
    }
    const QStringList typed = {QStringLiteral("a"),     QStringLiteral(" 0a"), QStringLiteral("}"),
                               QStringLiteral("\"x\""), QStringLiteral("ff"),  QStringLiteral("=="),
                               QStringLiteral("é")};

    QRandomGenerator random(20261201);
    StatusComposer composer;
    composer.setTypingMergeMs(60 * 1000); // consecutive typing always merges, as in the model
    composer.setDevice(1000, 0);
    for (int sequence = 0; sequence < kSequences; ++sequence) {
        const ComposerDraft origin{PayloadFormat::Text, QStringLiteral("{\"pressed\": true}")};
        composer.setDraft(origin);
        const QByteArray originBytes = composer.check().bytes;
        Model model{{origin}, 0, false};
        QStringList log;
        for (int step = 0; step < kStepsPerSequence; ++step) {
            const int op = random.bounded(7);
            switch (op) {
            case 0: { // typing at a random place
                QTextCursor cursor = composer.editor()->textCursor();
                const int length = int(composer.editor()->toPlainText().size());
                cursor.setPosition(random.bounded(length + 1));
                composer.editor()->setTextCursor(cursor);
                const QString text = typed.at(random.bounded(typed.size()));
                composer.editor()->insertPlainText(text);
                log << QStringLiteral("type %1").arg(text);
                model.push(visible(composer), true);
                break;
            }
            case 1: { // format switch (may be refused; then nothing changes)
                const PayloadFormat format = kFormats[random.bounded(5)];
                const ComposerDraft before = visible(composer);
                const bool switched = composer.setFormat(format);
                log << QStringLiteral("format %1 %2")
                           .arg(payloadformat::formatName(format), switched ? "ok" : "refused");
                if (!switched)
                    QCOMPARE(visible(composer), before);
                else
                    model.push(visible(composer), false);
                break;
            }
            case 2: { // a file
                const QString path = random.bounded(2) ? textFile : binaryFile;
                QVERIFY(composer.loadFile(path));
                log << QStringLiteral("load %1").arg(path.section(QLatin1Char('/'), -1));
                model.push(visible(composer), false);
                break;
            }
            case 3: { // a preset
                QComboBox* presets = composer.presetCombo();
                const int index = 1 + random.bounded(presets->count() - 1);
                emit presets->activated(index);
                log << QStringLiteral("preset %1").arg(index);
                model.push(visible(composer), false);
                break;
            }
            case 4:
            case 5: { // undo (by key)
                composer.editor()->setFocus();
                QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier);
                log << QStringLiteral("undo");
                if (model.index > 0) {
                    --model.index;
                    model.lastWasTyping = false;
                }
                break;
            }
            default: { // redo (by key)
                composer.editor()->setFocus();
                QTest::keyClick(composer.editor(), Qt::Key_Z,
                                Qt::ControlModifier | Qt::ShiftModifier);
                log << QStringLiteral("redo");
                if (model.index + 1 < int(model.steps.size())) {
                    ++model.index;
                    model.lastWasTyping = false;
                }
                break;
            }
            }
            const QString why = sendMismatch(composer);
            QVERIFY2(why.isEmpty(), qPrintable(QStringLiteral("sequence %1: %2 after: %3")
                                                   .arg(sequence)
                                                   .arg(why, log.join(QStringLiteral(", ")))));
            QVERIFY2(
                visible(composer) == model.steps[model.index],
                qPrintable(QStringLiteral("sequence %1: shows [%2], expected [%3] after: %4")
                               .arg(sequence)
                               .arg(describe(visible(composer)), describe(model.steps[model.index]),
                                    log.join(QStringLiteral(", ")))));
        }
        while (composer.canUndo())
            composer.undo();
        QVERIFY2(composer.check().bytes == originBytes && visible(composer) == origin,
                 qPrintable(QStringLiteral("sequence %1: undoing everything did not restore the "
                                           "original after: %2")
                                .arg(sequence)
                                .arg(log.join(QStringLiteral(", ")))));
    }
}

QTEST_MAIN(tst_ComposerUndo)
#include "tst_composerundo.moc"
