// The status composer: format conversions (pure and through the widget), live validation,
// what Send / Send anyway allow, and a living device's statuses shown in sync.

#include "behaviourmark.h"
#include "composercheck.h"
#include "deviceidentity.h"
#include "modulecatalog.h"
#include "payloadformat.h"
#include "payloadtext.h"
#include "statuscomposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::PayloadFormat)

namespace {

QByteArray allByteValues()
{
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    return bytes;
}

// What an operator does: pick the format in the combo box.
bool pickFormat(StatusComposer& composer, PayloadFormat format)
{
    QComboBox* combo = composer.formatCombo();
    combo->setCurrentIndex(combo->findData(int(format)));
    return composer.format() == format;
}

QByteArray currentBytes(const StatusComposer& composer)
{
    return composer.check().bytes;
}

void typeDraft(StatusComposer& composer, const QString& text)
{
    composer.editor()->setFocus();
    composer.editor()->selectAll();
    QTest::keyClick(composer.editor(), Qt::Key_Delete);
    QTest::keyClicks(composer.editor(), text);
}

} // namespace

class tst_ConsoleComposer : public QObject {
    Q_OBJECT
private slots:
    // payloadformat: pure conversions
    void encodeDecodeRoundTrip_data();
    void encodeDecodeRoundTrip();
    void decodeErrorsNameThePlace_data();
    void decodeErrorsNameThePlace();
    void jsonErrorsHaveLineAndColumn_data();
    void jsonErrorsHaveLineAndColumn();
    void jsonErrorColumnMatchesCatalog_data();
    void jsonErrorColumnMatchesCatalog();
    void jsonReformatKeepsOrderAndNumbers_data();
    void jsonReformatKeepsOrderAndNumbers();

    // the widget
    void switchingRoundTripsBytes_data();
    void switchingRoundTripsBytes();
    void binaryRefusesTextAndKeepsHex();
    void unparsableContentRefusesSwitch_data();
    void unparsableContentRefusesSwitch();
    void invalidJsonShowsPositionAndKeepsDraft();
    void moduleRulesDisableSendButAllowSendAnyway();
    void sizeWarningForEmbeddedDevices();
    void presetsFollowTheDevice();
    void loadFileShowsBinaryAsHex();
    void switchCanBeUndone();

    // a behaviour's statuses in the editor (docs/modules.md#device-behaviour)
    void behaviourStatusShownExactly_data();
    void behaviourStatusShownExactly();
    void behaviourStatusKeepsCursorAndUndo();
    void behaviourViewChoiceIsKept();
};

void tst_ConsoleComposer::encodeDecodeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<PayloadFormat>("format");
    const QByteArray example("{\"pressed\": true}");
    const QByteArray utf8 = QStringLiteral("{\"name\": \"Zagreb Glavni kolodvor ✓ čćž\"}").toUtf8();
    for (PayloadFormat format : {PayloadFormat::Text, PayloadFormat::Hex, PayloadFormat::Base64}) {
        const QString name = payloadformat::formatName(format);
        QTest::addRow("example status as %s", qPrintable(name)) << example << format;
        QTest::addRow("multi-byte UTF-8 as %s", qPrintable(name)) << utf8 << format;
        QTest::addRow("empty as %s", qPrintable(name)) << QByteArray() << format;
    }
    QTest::newRow("every byte value as Hex") << allByteValues() << PayloadFormat::Hex;
    QTest::newRow("every byte value as Base64") << allByteValues() << PayloadFormat::Base64;
    QTest::newRow("1000 bytes as Base64 (wrapped lines)")
        << QByteArray(1000, '\xA5') << PayloadFormat::Base64;
    QTest::newRow("compact JSON as JSON (compact)")
        << QByteArray("{\"a\":[1,2.50,\"x y\"]}") << PayloadFormat::JsonCompact;
}

void tst_ConsoleComposer::encodeDecodeRoundTrip()
{
    QFETCH(QByteArray, bytes);
    QFETCH(PayloadFormat, format);
    const payloadformat::Conversion encoded = payloadformat::encode(bytes, format);
    QVERIFY2(encoded.ok, qPrintable(encoded.error));
    const payloadformat::Conversion decoded = payloadformat::decode(encoded.text, format);
    QVERIFY2(decoded.ok, qPrintable(decoded.error));
    QCOMPARE(decoded.bytes, bytes);
}

void tst_ConsoleComposer::decodeErrorsNameThePlace_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<PayloadFormat>("format");
    QTest::addColumn<QString>("expected");
    QTest::newRow("hex: letter g")
        << "7b 22\n6g" << PayloadFormat::Hex << "line 2, column 2: 'g' is not a hex digit";
    QTest::newRow("hex: odd digit count")
        << "7b 2" << PayloadFormat::Hex << "odd number of hex digits";
    QTest::newRow("base64: bad character")
        << "eyJh*" << PayloadFormat::Base64 << "line 1, column 5: '*' is not a Base64 character";
    QTest::newRow("base64: padding in the middle")
        << "ey==eyJh" << PayloadFormat::Base64 << "not valid Base64";
    QTest::newRow("json: missing value")
        << "{\"a\": }" << PayloadFormat::JsonPretty << "not valid JSON: line 1, column";
}

void tst_ConsoleComposer::decodeErrorsNameThePlace()
{
    QFETCH(QString, text);
    QFETCH(PayloadFormat, format);
    QFETCH(QString, expected);
    const payloadformat::Conversion decoded = payloadformat::decode(text, format);
    QVERIFY(!decoded.ok);
    QVERIFY2(decoded.error.contains(expected), qPrintable(decoded.error));
}

void tst_ConsoleComposer::jsonErrorsHaveLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("minColumn");
    QTest::addColumn<int>("maxColumn");
    // The column of the offending token itself (checkJson() corrects Qt's uneven offsets).
    QTest::newRow("missing comma on line 3")
        << QByteArray("{\n  \"a\": 1\n  \"b\": 2\n}") << 3 << 3 << 3;
    QTest::newRow("truncated value on line 1") << QByteArray("{\"pressed\": tru}") << 1 << 13 << 13;
    QTest::newRow("multi-byte characters count once") << QByteArray("[\"čćž\" 1]") << 1 << 8 << 8;
    QTest::newRow("empty") << QByteArray("") << 1 << 1 << 1;
}

void tst_ConsoleComposer::jsonErrorsHaveLineAndColumn()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, minColumn);
    QFETCH(int, maxColumn);
    const JsonCheck check = checkJson(json);
    QVERIFY(!check.ok());
    const QString message = check.error->toString();
    QCOMPARE(check.error->position.line, line);
    const int column = check.error->position.column;
    QVERIFY2(column >= minColumn && column <= maxColumn, qPrintable(message));
    QVERIFY2(message.startsWith(QStringLiteral("line %1, column %2").arg(line).arg(column)),
             qPrintable(message));
}

// The composer's validation and the module catalog's name the same place for the same error
// (they once differed by a column).
void tst_ConsoleComposer::jsonErrorColumnMatchesCatalog_data()
{
    QTest::addColumn<QString>("status");
    QTest::addColumn<PayloadFormat>("format");
    QTest::addColumn<QString>("position");
    QTest::newRow("missing colon after umlaut, line 2 (Text)")
        << QString::fromUtf8("[[{\"inNum\":1,\"inSt\":false}],[],\n{\"b\xc3\xbct\" 0}]")
        << PayloadFormat::Text << "line 2, column 8";
    QTest::newRow("missing comma between values (JSON pretty)")
        << "[[{\"inNum\":1 \"inSt\":false}],[],{\"butPr\":0}]" << PayloadFormat::JsonPretty
        << "line 1, column 14";
    QTest::newRow("wrong closing bracket (JSON compact)")
        << "[[{\"inNum\":1}],[],{\"butPr\":0}}" << PayloadFormat::JsonCompact
        << "line 1, column 30";
}

void tst_ConsoleComposer::jsonErrorColumnMatchesCatalog()
{
    QFETCH(QString, status);
    QFETCH(PayloadFormat, format);
    QFETCH(QString, position);
    const ComposerCheck composer = checkComposerText(status, format, ModuleNumber::Io, 4);
    QVERIFY2(composer.firstError().contains(position + QLatin1Char(':')),
             qPrintable(composer.firstError()));
    const ValidationResult catalog =
        ModuleCatalog::validateStatus(ModuleNumber::Io, 4, status.toUtf8());
    QVERIFY2(catalog.message.contains(QStringLiteral("JSON syntax error at ") + position +
                                      QLatin1Char(':')),
             qPrintable(catalog.message));
}

void tst_ConsoleComposer::jsonReformatKeepsOrderAndNumbers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("compact");
    QTest::addColumn<QByteArray>("pretty");
    QTest::newRow("keys keep their order")
        << QByteArray("{ \"z\": 1, \"a\": 2 }") << QByteArray("{\"z\":1,\"a\":2}")
        << QByteArray("{\n    \"z\": 1,\n    \"a\": 2\n}");
    QTest::newRow("numbers keep their spelling")
        << QByteArray("[45.8137528, 1e3, -0.0]") << QByteArray("[45.8137528,1e3,-0.0]")
        << QByteArray("[\n    45.8137528,\n    1e3,\n    -0.0\n]");
    QTest::newRow("strings keep spaces, colons and escapes")
        << QByteArray("{\"name\": \"a: b, \\\"c\\\" {d}\"}")
        << QByteArray("{\"name\":\"a: b, \\\"c\\\" {d}\"}")
        << QByteArray("{\n    \"name\": \"a: b, \\\"c\\\" {d}\"\n}");
    QTest::newRow("empty containers stay on one line")
        << QByteArray("{\"stops\": [ ], \"x\": {}}") << QByteArray("{\"stops\":[],\"x\":{}}")
        << QByteArray("{\n    \"stops\": [],\n    \"x\": {}\n}");
    QTest::newRow("top-level scalar")
        << QByteArray(" null ") << QByteArray("null") << QByteArray("null");
}

void tst_ConsoleComposer::jsonReformatKeepsOrderAndNumbers()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, compact);
    QFETCH(QByteArray, pretty);
    QVERIFY(checkJson(json).ok());
    QCOMPARE(payloadformat::reformatJson(json, false), compact);
    QCOMPARE(payloadformat::reformatJson(json, true), pretty);
    QCOMPARE(payloadformat::reformatJson(pretty, false), compact);
}

void tst_ConsoleComposer::switchingRoundTripsBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("example status") << QByteArray("{\"pressed\": true}");
    QTest::newRow("text with tabs, trailing spaces and newline") << QByteArray("a\tb  \nc\n");
    QTest::newRow("UTF-8") << QStringLiteral("stanica čćž ✓").toUtf8();
    QTest::newRow("text with NUL") << QByteArray("a\0b", 3);
}

void tst_ConsoleComposer::switchingRoundTripsBytes()
{
    QFETCH(QByteArray, bytes);
    StatusComposer composer;
    composer.setPayload(bytes);
    QCOMPARE(composer.format(), PayloadFormat::Text);
    QCOMPARE(currentBytes(composer), bytes);

    QVERIFY(pickFormat(composer, PayloadFormat::Hex));
    QCOMPARE(currentBytes(composer), bytes);
    QVERIFY(pickFormat(composer, PayloadFormat::Base64));
    QCOMPARE(composer.editor()->toPlainText(), QString::fromLatin1(bytes.toBase64()));
    QCOMPARE(currentBytes(composer), bytes);
    QVERIFY(pickFormat(composer, PayloadFormat::Text));
    QCOMPARE(currentBytes(composer), bytes);
    QCOMPARE(composer.editor()->toPlainText().toUtf8(), bytes);
}

void tst_ConsoleComposer::binaryRefusesTextAndKeepsHex()
{
    StatusComposer composer;
    const QByteArray binary = allByteValues();
    composer.setPayload(binary);
    QCOMPARE(composer.format(), PayloadFormat::Hex); // not text: shown as Hex
    QCOMPARE(currentBytes(composer), binary);
    const QString hex = composer.editor()->toPlainText();

    QVERIFY(!pickFormat(composer, PayloadFormat::Text));
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(composer.formatCombo()->currentData().toInt(), int(PayloadFormat::Hex));
    QCOMPARE(composer.editor()->toPlainText(), hex);
    QVERIFY2(composer.formatMessage().contains(QStringLiteral("byte 128 (0x80) is not UTF-8")),
             qPrintable(composer.formatMessage()));

    QVERIFY(pickFormat(composer, PayloadFormat::Base64));
    QCOMPARE(currentBytes(composer), binary);
    QVERIFY(pickFormat(composer, PayloadFormat::Hex));
    QCOMPARE(composer.editor()->toPlainText(), hex);

    // A carriage return is text, but the editor would turn it into a newline.
    composer.setPayload(QByteArray("a\r\nb"));
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QVERIFY(!pickFormat(composer, PayloadFormat::Text));
    QVERIFY2(composer.formatMessage().contains(QStringLiteral("U+000d")),
             qPrintable(composer.formatMessage()));
    QCOMPARE(currentBytes(composer), QByteArray("a\r\nb"));
}

void tst_ConsoleComposer::unparsableContentRefusesSwitch_data()
{
    QTest::addColumn<PayloadFormat>("from");
    QTest::addColumn<QString>("text");
    QTest::addColumn<PayloadFormat>("to");
    QTest::addColumn<QString>("reason");
    QTest::newRow("bad hex to Text")
        << PayloadFormat::Hex << "7b 2x" << PayloadFormat::Text << "'x' is not a hex digit";
    QTest::newRow("bad Base64 to Hex")
        << PayloadFormat::Base64 << "e#" << PayloadFormat::Hex << "'#' is not a Base64 character";
    QTest::newRow("broken JSON to Hex") << PayloadFormat::JsonPretty << "{\"a\": tru"
                                        << PayloadFormat::Hex << "does not parse as JSON";
    QTest::newRow("text that is not JSON to JSON")
        << PayloadFormat::Text << "pressed" << PayloadFormat::JsonPretty << "not valid JSON";
}

void tst_ConsoleComposer::unparsableContentRefusesSwitch()
{
    QFETCH(PayloadFormat, from);
    QFETCH(QString, text);
    QFETCH(PayloadFormat, to);
    QFETCH(QString, reason);
    StatusComposer composer;
    composer.setDraft({from, QString()});
    typeDraft(composer, text);
    QCOMPARE(composer.editor()->toPlainText(), text);

    QVERIFY(!pickFormat(composer, to));
    QCOMPARE(composer.format(), from);
    QCOMPARE(composer.formatCombo()->currentData().toInt(), int(from));
    QCOMPARE(composer.editor()->toPlainText(), text);
    QVERIFY2(composer.formatMessage().contains(reason), qPrintable(composer.formatMessage()));
}

void tst_ConsoleComposer::invalidJsonShowsPositionAndKeepsDraft()
{
    StatusComposer composer;
    composer.setDevice(1000, 0);
    composer.setSendAvailable(true);
    QSignalSpy drafts(&composer, &StatusComposer::draftChanged);
    typeDraft(composer, QStringLiteral("{\"pressed\": tru}"));
    QVERIFY(drafts.count() > 0);

    QVERIFY(composer.check().hasErrors());
    QVERIFY2(composer.validationText().contains(QStringLiteral("JSON syntax: line 1, column ")),
             qPrintable(composer.validationText()));
    QVERIFY(!composer.sendButton()->isEnabled());
    QVERIFY(composer.sendAnywayButton()->isEnabled());
    QCOMPARE(composer.draft().text, QStringLiteral("{\"pressed\": tru}"));

    // JSON (pretty) would need valid JSON: refused, the draft untouched.
    QVERIFY(!pickFormat(composer, PayloadFormat::JsonPretty));
    QCOMPARE(composer.draft(), (ComposerDraft{PayloadFormat::Text, "{\"pressed\": tru}"}));

    // Fixing it clears the error and enables Send.
    QTest::keyClick(composer.editor(), Qt::Key_End);
    QTest::keyClick(composer.editor(), Qt::Key_Left);
    QTest::keyClicks(composer.editor(), QStringLiteral("e"));
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("{\"pressed\": true}"));
    QVERIFY2(!composer.check().hasErrors(), qPrintable(composer.validationText()));
    QVERIFY(composer.sendButton()->isEnabled());
    QVERIFY(composer.sendAnywayButton()->isHidden());

    // A multi-line draft reports the line of the problem.
    QVERIFY(pickFormat(composer, PayloadFormat::JsonPretty));
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("{\n    \"pressed\": true\n}"));
    QVERIFY2(composer.formatMessage().contains(QStringLiteral("Reformatted")),
             qPrintable(composer.formatMessage()));
    QTest::keyClick(composer.editor(), Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(composer.editor(), QStringLiteral(","));
    QVERIFY2(composer.validationText().contains(QStringLiteral("line 3, column")),
             qPrintable(composer.validationText()));
}

void tst_ConsoleComposer::moduleRulesDisableSendButAllowSendAnyway()
{
    StatusComposer composer;
    composer.setDevice(1000, 0);
    composer.setSendAvailable(true);
    QSignalSpy sends(&composer, &StatusComposer::sendRequested);
    typeDraft(composer, QStringLiteral("{\"pressed\":true}")); // the module compares bytes
    QVERIFY2(composer.validationText().contains(QStringLiteral("example module rejects")),
             qPrintable(composer.validationText()));
    QVERIFY(!composer.sendButton()->isEnabled());
    QVERIFY(!composer.sendAnywayButton()->isHidden());
    QTest::mouseClick(composer.sendAnywayButton(), Qt::LeftButton);
    QCOMPARE(sends.count(), 1);
    QCOMPARE(sends.first().first().toBool(), true);

    // Unknown modules have no rules: anything goes, and the composer says so.
    composer.setDevice(4242, 7);
    QVERIFY(!composer.check().hasErrors());
    QVERIFY(composer.validationText().contains(QStringLiteral("module 4242 is not known here")));
    QTest::mouseClick(composer.sendButton(), Qt::LeftButton);
    QCOMPARE(sends.count(), 2);
    QCOMPARE(sends.last().first().toBool(), false);

    // Not connected: nothing can be sent, whatever the payload.
    composer.setSendAvailable(false, QStringLiteral("Connect first"));
    QVERIFY(!composer.sendButton()->isEnabled());
    QCOMPARE(composer.sendButton()->toolTip(), QStringLiteral("Connect first"));
}

void tst_ConsoleComposer::sizeWarningForEmbeddedDevices()
{
    const ComposerCheck small = checkComposerText(QString(700, 'a'), PayloadFormat::Text, 3, 0);
    QVERIFY(!small.hasErrors());
    QCOMPARE(small.issues.size(), 1); // the transparent module accepts it; no size warning

    const ComposerCheck large = checkComposerText(QString(701, 'a'), PayloadFormat::Text, 3, 0);
    QVERIFY(!large.hasErrors()); // a warning, not an error: Send stays enabled
    bool warned = false;
    for (const ComposerIssue& issue : large.issues) {
        if (issue.severity == ComposerIssue::Severity::Warning &&
            issue.message.contains(QStringLiteral("701 bytes: above the 700-byte")))
            warned = true;
    }
    QVERIFY(warned);

    const ComposerCheck huge = checkComposerText(QString(200, 'a'), PayloadFormat::Text, 3, 0, 128);
    QVERIFY(huge.hasErrors());
    QVERIFY2(huge.firstError().contains(QStringLiteral("too large for one frame")),
             qPrintable(huge.firstError()));
}

void tst_ConsoleComposer::presetsFollowTheDevice()
{
    StatusComposer composer;
    composer.setDevice(1000, 0);
    QStringList names;
    for (int i = 1; i < composer.presetCombo()->count(); ++i)
        names.append(composer.presetCombo()->itemText(i));
    QVERIFY2(names.size() >= 2, qPrintable(names.join(", ")));
    // Picking a preset puts its exact bytes in the editor, and they pass the module's rules.
    for (int i = 1; i < composer.presetCombo()->count(); ++i) {
        composer.presetCombo()->setCurrentIndex(i);
        emit composer.presetCombo()->activated(i);
        QCOMPARE(currentBytes(composer), composer.presetCombo()->itemData(i).toByteArray());
        QVERIFY2(!composer.check().hasErrors(), qPrintable(composer.validationText()));
    }

    composer.setDevice(2, 4); // IO module, Button
    QVERIFY(composer.presetCombo()->isEnabled());
    QVERIFY(composer.presetCombo()->count() >= 2);
    composer.setDevice(4242, 0); // unknown: no presets, said so
    QVERIFY(!composer.presetCombo()->isEnabled());
    QVERIFY(composer.presetCombo()->itemText(0).contains(QStringLiteral("no presets")));
}

void tst_ConsoleComposer::loadFileShowsBinaryAsHex()
{
    QTemporaryDir dir;
    const QString binaryPath = dir.filePath(QStringLiteral("status.bin"));
    QFile binary(binaryPath);
    QVERIFY(binary.open(QIODevice::WriteOnly));
    binary.write(QByteArray("\x08\x01\x12\x00\xff", 5));
    binary.close();

    StatusComposer composer;
    QVERIFY(composer.loadFile(binaryPath));
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("08 01 12 00 ff"));
    QVERIFY(composer.formatMessage().contains(QStringLiteral("Loaded 5 bytes from status.bin")));

    QString error;
    QVERIFY(!composer.loadFile(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.contains(QStringLiteral("missing.json")), qPrintable(error));
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("08 01 12 00 ff")); // kept
}

void tst_ConsoleComposer::switchCanBeUndone()
{
    StatusComposer composer;
    composer.setPayload("{\"pressed\": true}");
    QVERIFY(pickFormat(composer, PayloadFormat::Hex));
    composer.editor()->setFocus();
    // Undo brings the text back and the format with it: the bytes stay the same.
    QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("{\"pressed\": true}"));
    QCOMPARE(composer.format(), PayloadFormat::Text);
    QCOMPARE(composer.formatCombo()->currentData().toInt(), int(PayloadFormat::Text));
    QVERIFY(!composer.check().hasErrors());
    QCOMPARE(currentBytes(composer), QByteArray("{\"pressed\": true}"));
    // Redo goes forward again.
    QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(currentBytes(composer), QByteArray("{\"pressed\": true}"));

    // A reformat to compact JSON is undone to the original spacing.
    QVERIFY(pickFormat(composer, PayloadFormat::Text));
    QVERIFY(pickFormat(composer, PayloadFormat::JsonCompact));
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("{\"pressed\":true}"));
    QTest::keyClick(composer.editor(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("{\"pressed\": true}"));
    QCOMPARE(composer.format(), PayloadFormat::Text);
}

// Whatever the status, the editor shows it byte for byte in the format that fits it: what
// the composer shows is what the behaviour sends.
void tst_ConsoleComposer::behaviourStatusShownExactly_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<PayloadFormat>("format");
    QTest::newRow("button, spaced JSON as Text")
        << QByteArray("{\"pressed\": true}") << PayloadFormat::Text;
    QTest::newRow("vehicle JSON, compact")
        << QByteArray(R"({"state":"DRIVE","speed":5})") << PayloadFormat::JsonCompact;
    QTest::newRow("pretty JSON stays pretty")
        << payloadformat::reformatJson(R"({"a":[1,2],"b":{"c":true}})", true)
        << PayloadFormat::JsonPretty;
    QTest::newRow("protobuf vehicle as Hex")
        << QByteArray("\x08\x02\x12\x05\x00\xff", 6) << PayloadFormat::Hex;
    QTest::newRow("empty status") << QByteArray() << PayloadFormat::Text;
}

void tst_ConsoleComposer::behaviourStatusShownExactly()
{
    QFETCH(QByteArray, status);
    QFETCH(PayloadFormat, format);
    StatusComposer composer;
    composer.setDevice(ModuleNumber::Example, 0);
    composer.setDraft({PayloadFormat::Base64, QStringLiteral("e30="), true}); // a template box on
    QSignalSpy drafts(&composer, &StatusComposer::draftChanged);
    QSignalSpy edits(&composer, &StatusComposer::edited);
    composer.setBehaviourMode(StatusComposer::BehaviourMode::Synced);
    composer.showBehaviourStatus(status);
    QCOMPARE(composer.format(), format);
    QCOMPARE(composer.formatCombo()->currentData().toInt(), int(format));
    QVERIFY(composer.holds(status));
    QCOMPARE(composer.checkForSend().bytes, status);
    QVERIFY(!composer.templateCheck()->isChecked()); // the behaviour's bytes go as they are
    // Not the operator's doing: no draft to save, not an edit that would make it manual.
    QCOMPARE(drafts.count(), 0);
    QCOMPARE(edits.count(), 0);
    QVERIFY(!composer.behaviourMark()->text().isEmpty());
}

// A vehicle's status changes a few digits at a time: the operator's cursor stays where it
// was, and however many statuses go by, one Undo returns to the operator's own text.
void tst_ConsoleComposer::behaviourStatusKeepsCursorAndUndo()
{
    StatusComposer composer;
    composer.setDevice(1, 1);
    composer.setDraft({PayloadFormat::Text, QStringLiteral("my own status")});
    composer.setBehaviourMode(StatusComposer::BehaviourMode::Synced);
    composer.showBehaviourStatus(R"({"state":"DRIVE","lat":49.70001,"next":"Canteen"})");
    QTextCursor cursor = composer.editor()->textCursor();
    cursor.setPosition(5); // inside "state"
    composer.editor()->setTextCursor(cursor);
    for (int i = 2; i < 9; ++i) {
        composer.showBehaviourStatus(
            QStringLiteral(R"({"state":"DRIVE","lat":49.7000%1,"next":"Canteen"})")
                .arg(i)
                .toUtf8());
    }
    QCOMPARE(composer.editor()->textCursor().position(), 5);
    QCOMPARE(composer.check().bytes,
             QByteArray(R"({"state":"DRIVE","lat":49.70008,"next":"Canteen"})"));
    QVERIFY(composer.canUndo());
    QSignalSpy edits(&composer, &StatusComposer::edited);
    composer.undo();
    QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("my own status"));
    QCOMPARE(edits.count(), 1); // the page makes the device manual on it
    QVERIFY(!composer.canUndo());
}

// Hex or Base64 show the same bytes: a view the operator picks in sync is no edit, and the
// following statuses keep it — until the status turns binary or back.
void tst_ConsoleComposer::behaviourViewChoiceIsKept()
{
    StatusComposer composer;
    composer.setBehaviourMode(StatusComposer::BehaviourMode::Synced);
    composer.showBehaviourStatus(R"({"pressed":false})");
    QCOMPARE(composer.format(), PayloadFormat::JsonCompact);
    QVERIFY(pickFormat(composer, PayloadFormat::Hex));
    QVERIFY(composer.holds(R"({"pressed":false})"));
    composer.showBehaviourStatus(R"({"pressed":true})");
    QCOMPARE(composer.format(), PayloadFormat::Hex);
    QCOMPARE(composer.check().bytes, QByteArray(R"({"pressed":true})"));
    // Another encoding: the format follows it again.
    composer.showBehaviourStatus(QByteArray("\x08\xff\x01", 3)); // not UTF-8
    composer.showBehaviourStatus(R"({"pressed":true})");
    QCOMPARE(composer.format(), PayloadFormat::JsonCompact);
    // Manual: statuses no longer reach the editor.
    composer.setBehaviourMode(StatusComposer::BehaviourMode::Manual);
    composer.showBehaviourStatus(R"({"pressed":false})");
    QCOMPARE(composer.check().bytes, QByteArray(R"({"pressed":true})"));
    QVERIFY(composer.behaviourMark()->backButton()->isVisibleTo(&composer));
    QSignalSpy back(&composer, &StatusComposer::backToBehaviourRequested);
    composer.behaviourMark()->backButton()->click();
    QCOMPARE(back.count(), 1);
}

QTEST_MAIN(tst_ConsoleComposer)
#include "tst_consolecomposer.moc"
