// Templated payloads (payloadtemplate.h, issue 14): every placeholder, the brace escape,
// parse errors with their line and column, the per-send state ({{seq}}, {{toggle}}), the
// bounds of {{random}} over many draws, and JSON that stays JSON once expanded; then the
// composer's Template box and a device page sending the expansion per send.

#include "deviceoptions.h"
#include "devicerunner.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewayevent.h"
#include "gatewayserver.h"
#include "outputsink.h"
#include "payloadtemplate.h"
#include "payloadtext.h"
#include "settingsstore.h"
#include "statuscomposer.h"
#include "timing.h"

#include <QCheckBox>
#include <QDateTime>
#include <QJsonObject>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace fleet;

namespace {

// 2026-12-01T12:46:34.123Z
const qint64 kNow =
    QDateTime(QDate(2026, 12, 1), QTime(12, 46, 34, 123), Qt::UTC).toMSecsSinceEpoch();

DeviceIdentity testDevice()
{
    DeviceIdentity device;
    device.module = 2;
    device.deviceType = 7;
    device.role = QStringLiteral("opta");
    device.name = QStringLiteral("bench Opta é");
    device.priority = 3;
    return device;
}

QByteArray expandOnce(const QByteArray& text, const TemplateState& state = {}, quint32 seed = 1)
{
    const PayloadTemplate parsed = PayloadTemplate::parse(text);
    if (!parsed.isValid())
        return "PARSE ERROR: " + parsed.errorString().toUtf8();
    QRandomGenerator random(seed);
    return parsed.expand({testDevice(), kNow, &random}, state);
}

} // namespace

class tst_PayloadTemplate : public QObject {
    Q_OBJECT

private slots:
    void expansion_data();
    void expansion();
    void errors_data();
    void errors();
    void literalTextIsItselfByteForByte_data();
    void literalTextIsItselfByteForByte();
    void stateAdvancesPerSend();
    void advanceCoversTogglesAddedLater();
    void randomStaysWithinBounds_data();
    void randomStaysWithinBounds();
    void choiceDrawsEveryOption();
    void sameSeedSameBytes();
    void jsonStaysValid_data();
    void jsonStaysValid();

    // The composer and the device page.
    void composerPreviewIsWhatIsSent();
    void composerTemplateErrorDisablesSend();
    void composerTemplateOnlyInTextAndJson();
    void composerTemplateSavedWithTheDraft();
    void pageExpandsPerSend();

    // fleet-device --template.
    void deviceToolOptions_data();
    void deviceToolOptions();
    void deviceToolSendsExpansions();
};

void tst_PayloadTemplate::expansion_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<quint64>("sent");
    QTest::addColumn<QList<bool>>("toggles");
    QTest::addColumn<QByteArray>("expected");

    const QList<bool> none;
    QTest::newRow("seq starts at 1")
        << QByteArray("n={{seq}}") << quint64(0) << none << QByteArray("n=1");
    QTest::newRow("seq after 41 sends")
        << QByteArray("{{seq}}") << quint64(41) << none << QByteArray("42");
    QTest::newRow("now_ms") << QByteArray("t={{now_ms}}") << quint64(0) << none
                            << "t=" + QByteArray::number(kNow);
    QTest::newRow("iso_time is UTC with ms") << QByteArray("{{iso_time}}") << quint64(0) << none
                                             << QByteArray("2026-12-01T12:46:34.123Z");
    QTest::newRow("random with equal int bounds")
        << QByteArray("{{random -3 -3}}") << quint64(0) << none << QByteArray("-3");
    QTest::newRow("random keeps the longer decimals")
        << QByteArray("{{random 2 2.000}}") << quint64(0) << none << QByteArray("2.000");
    QTest::newRow("random negative decimal")
        << QByteArray("{{random -0.5 -0.5}}") << quint64(0) << none << QByteArray("-0.5");
    QTest::newRow("choice with one option")
        << QByteArray("{{choice only}}") << quint64(0) << none << QByteArray("only");
    QTest::newRow("choice trims, keeps inner spaces")
        << QByteArray("[{{choice  two words  }}]") << quint64(0) << none
        << QByteArray("[two words]");
    QTest::newRow("toggle shows its first value first")
        << QByteArray("{{toggle on off}}") << quint64(0) << none << QByteArray("on");
    QTest::newRow("toggle flipped")
        << QByteArray("{{toggle on off}}") << quint64(1) << QList<bool>{true} << QByteArray("off");
    QTest::newRow("toggles are per position")
        << QByteArray("{{toggle a b}}{{toggle 1 2}}") << quint64(1) << QList<bool>{false, true}
        << QByteArray("a2");
    QTest::newRow("device.role") << QByteArray("{{device.role}}") << quint64(0) << none
                                 << QByteArray("opta");
    QTest::newRow("device.name in UTF-8")
        << QByteArray("{{device.name}}") << quint64(0) << none << QByteArray("bench Opta \xc3\xa9");
    QTest::newRow("device.module")
        << QByteArray("{{device.module}}") << quint64(0) << none << QByteArray("2");
    QTest::newRow("device.type") << QByteArray("{{device.type}}") << quint64(0) << none
                                 << QByteArray("7");
    QTest::newRow("device.priority")
        << QByteArray("{{device.priority}}") << quint64(0) << none << QByteArray("3");
    QTest::newRow("blanks inside the braces")
        << QByteArray("{{  seq\t}}") << quint64(0) << none << QByteArray("1");
    QTest::newRow("placeholders on several lines")
        << QByteArray("a {{seq}}\nb {{device.role}}\n") << quint64(4) << none
        << QByteArray("a 5\nb opta\n");
    QTest::newRow("escape: {{{{ is {{")
        << QByteArray("x{{{{y") << quint64(0) << none << QByteArray("x{{y");
    QTest::newRow("escape: a placeholder name stays literal")
        << QByteArray("{{{{seq}}") << quint64(0) << none << QByteArray("{{seq}}");
    QTest::newRow("escape then a placeholder")
        << QByteArray("{{{{{{seq}}") << quint64(0) << none << QByteArray("{{1");
    QTest::newRow("five braces") << QByteArray("{{{{{") << quint64(0) << none << QByteArray("{{{");
    QTest::newRow("single brace before a placeholder")
        << QByteArray("{{{seq}}}") << quint64(0) << none << QByteArray("{1}");
    QTest::newRow("single braces and }} are literal")
        << QByteArray("{a} }} }}}") << quint64(0) << none << QByteArray("{a} }} }}}");
}

void tst_PayloadTemplate::expansion()
{
    QFETCH(QByteArray, text);
    QFETCH(quint64, sent);
    QFETCH(QList<bool>, toggles);
    QFETCH(QByteArray, expected);
    TemplateState state;
    state.sent = sent;
    state.toggles = toggles;
    QCOMPARE(expandOnce(text, state), expected);
}

void tst_PayloadTemplate::errors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    QTest::newRow("unknown placeholder")
        << QByteArray("{\"pressed\": \"{{foo}}\"}")
        << QStringLiteral("unknown placeholder \"{{foo}}\" at line 1, column 14") << 1 << 14;
    QTest::newRow("unknown on the second line")
        << QByteArray("{{seq}}\n  {{device.colour}}")
        << QStringLiteral("unknown placeholder \"{{device.colour}}\" at line 2, column 3") << 2
        << 3;
    QTest::newRow("column counts characters, not bytes")
        << QByteArray("\xc3\xa9\xc3\xa9{{x}}")
        << QStringLiteral("unknown placeholder \"{{x}}\" at line 1, column 3") << 1 << 3;
    QTest::newRow("empty placeholder")
        << QByteArray("a{{}}") << QStringLiteral("unknown placeholder \"{{}}\" at line 1, column 2")
        << 1 << 2;
    QTest::newRow("placeholder names are case-sensitive")
        << QByteArray("{{SEQ}}")
        << QStringLiteral("unknown placeholder \"{{SEQ}}\" at line 1, column 1") << 1 << 1;
    QTest::newRow("unclosed at the end")
        << QByteArray("abc {{seq")
        << QStringLiteral("unclosed placeholder \"{{seq\" at line 1, column 5: no \"}}\" before "
                          "the end of the line")
        << 1 << 5;
    QTest::newRow("unclosed at the end of a line")
        << QByteArray("x\n{{seq\n}}")
        << QStringLiteral("unclosed placeholder \"{{seq\" at line 2, column 1: no \"}}\" before "
                          "the end of the line")
        << 2 << 1;
    QTest::newRow("unclosed with one closing brace")
        << QByteArray("{{seq}")
        << QStringLiteral("unclosed placeholder \"{{seq}\" at line 1, column 1: no \"}}\" before "
                          "the end of the line")
        << 1 << 1;
    QTest::newRow("seq takes no arguments")
        << QByteArray("{{seq 3}}")
        << QStringLiteral("bad placeholder \"{{seq 3}}\" at line 1, column 1: {{seq}} takes no "
                          "arguments")
        << 1 << 1;
    QTest::newRow("random with one bound")
        << QByteArray("{{random 5}}")
        << QStringLiteral("bad placeholder \"{{random 5}}\" at line 1, column 1: write {{random "
                          "LOW HIGH}}, e.g. {{random 0 10}}")
        << 1 << 1;
    QTest::newRow("random with a word")
        << QByteArray("{{random 0 ten}}")
        << QStringLiteral("bad placeholder \"{{random 0 ten}}\" at line 1, column 1: the bounds "
                          "must be plain numbers such as 5, -2 or 0.25")
        << 1 << 1;
    QTest::newRow("random in exponent notation")
        << QByteArray("{{random 0 1e3}}")
        << QStringLiteral("bad placeholder \"{{random 0 1e3}}\" at line 1, column 1: the bounds "
                          "must be plain numbers such as 5, -2 or 0.25")
        << 1 << 1;
    QTest::newRow("random bounds reversed")
        << QByteArray("{{random 5 1}}")
        << QStringLiteral("bad placeholder \"{{random 5 1}}\" at line 1, column 1: the lower "
                          "bound 5 is above the upper bound 1")
        << 1 << 1;
    QTest::newRow("random with too many decimals")
        << QByteArray("{{random 0 0.0000000001}}")
        << QStringLiteral("bad placeholder \"{{random 0 0.0000000001}}\" at line 1, column 1: "
                          "at most 9 decimals")
        << 1 << 1;
    QTest::newRow("random bound too large")
        << QByteArray("{{random 0 99999999999999999999}}")
        << QStringLiteral("bad placeholder \"{{random 0 99999999999999999999}}\" at line 1, "
                          "column 1: a bound is too large")
        << 1 << 1;
    QTest::newRow("choice without options")
        << QByteArray("{{choice}}")
        << QStringLiteral("bad placeholder \"{{choice}}\" at line 1, column 1: write {{choice "
                          "a|b|c}}")
        << 1 << 1;
    QTest::newRow("toggle with three values")
        << QByteArray("{{toggle a b c}}")
        << QStringLiteral("bad placeholder \"{{toggle a b c}}\" at line 1, column 1: write "
                          "{{toggle FIRST SECOND}}, e.g. {{toggle true false}}")
        << 1 << 1;
    QTest::newRow("the first error wins")
        << QByteArray("{{seq}} {{a}} {{b}}")
        << QStringLiteral("unknown placeholder \"{{a}}\" at line 1, column 9") << 1 << 9;
}

void tst_PayloadTemplate::errors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    QFETCH(int, line);
    QFETCH(int, column);
    const PayloadTemplate parsed = PayloadTemplate::parse(text);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.errorString(), message);
    QCOMPARE(parsed.errorLine(), line);
    QCOMPARE(parsed.errorColumn(), column);
    // Never sent half-expanded.
    QCOMPARE(parsed.expand({testDevice(), kNow, nullptr}, {}), QByteArray());
    QVERIFY(!parsed.hasPlaceholders());
}

void tst_PayloadTemplate::literalTextIsItselfByteForByte_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("JSON") << QByteArray("{\"pressed\": true, \"a\": {\"b\": [1, {}]}}");
    QTest::newRow("binary") << QByteArray("\x00\xff{\x80}\r\n\x00{", 9);
    QTest::newRow("CRLF and blanks") << QByteArray("a\r\n\tb  \r\n");
    QTest::newRow("lone braces") << QByteArray("{ { } }}} {");
}

void tst_PayloadTemplate::literalTextIsItselfByteForByte()
{
    QFETCH(QByteArray, text);
    const PayloadTemplate parsed = PayloadTemplate::parse(text);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
    QVERIFY(!parsed.hasPlaceholders());
    QCOMPARE(parsed.expand({testDevice(), kNow, nullptr}, {}), text);
}

void tst_PayloadTemplate::stateAdvancesPerSend()
{
    const PayloadTemplate parsed =
        PayloadTemplate::parse("{{seq}}:{{toggle on off}}:{{toggle a b}}:{{toggle x y}}");
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed.toggleCount(), 3);
    TemplateState state;
    const TemplateSources sources{testDevice(), kNow, nullptr};
    // Expanding (the preview) changes nothing; only advance() (a send) moves on.
    QCOMPARE(parsed.expand(sources, state), QByteArray("1:on:a:x"));
    QCOMPARE(parsed.expand(sources, state), QByteArray("1:on:a:x"));
    const QList<QByteArray> expected = {"1:on:a:x", "2:off:b:y", "3:on:a:x", "4:off:b:y"};
    for (const QByteArray& bytes : expected) {
        QCOMPARE(parsed.expand(sources, state), bytes);
        parsed.advance(&state);
    }
    QCOMPARE(state.sent, quint64(4));
}

void tst_PayloadTemplate::advanceCoversTogglesAddedLater()
{
    // The operator adds a toggle while the device already sent: the new one starts at its
    // first value, the old one keeps its phase.
    TemplateState state;
    PayloadTemplate::parse("{{toggle a b}}").advance(&state);
    const PayloadTemplate edited = PayloadTemplate::parse("{{toggle a b}}{{toggle 1 2}}");
    const TemplateSources sources{testDevice(), kNow, nullptr};
    QCOMPARE(edited.expand(sources, state), QByteArray("b1"));
    edited.advance(&state);
    QCOMPARE(edited.expand(sources, state), QByteArray("a2"));
}

void tst_PayloadTemplate::randomStaysWithinBounds_data()
{
    QTest::addColumn<QByteArray>("low");
    QTest::addColumn<QByteArray>("high");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<int>("distinct"); // every value of the range shows up; 0 = not checked

    QTest::newRow("0 to 3") << QByteArray("0") << QByteArray("3") << 0 << 4;
    QTest::newRow("negative ints") << QByteArray("-10") << QByteArray("-8") << 0 << 3;
    QTest::newRow("decimal from an int and a decimal")
        << QByteArray("0") << QByteArray("1.5") << 1 << 16;
    QTest::newRow("across zero with two decimals")
        << QByteArray("-0.05") << QByteArray("0.05") << 2 << 11;
    QTest::newRow("wide int range")
        << QByteArray("-1000000000000") << QByteArray("1000000000000") << 0 << 0;
    QTest::newRow("the whole qint64 range")
        << QByteArray("-9223372036854775808") << QByteArray("9223372036854775807") << 0 << 0;
}

void tst_PayloadTemplate::randomStaysWithinBounds()
{
    QFETCH(QByteArray, low);
    QFETCH(QByteArray, high);
    QFETCH(int, decimals);
    QFETCH(int, distinct);
    const PayloadTemplate parsed = PayloadTemplate::parse("{{random " + low + " " + high + "}}");
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
    QRandomGenerator random(42);
    const TemplateSources sources{testDevice(), kNow, &random};
    QSet<QByteArray> seen;
    for (int i = 0; i < 3000; ++i) {
        const QByteArray value = parsed.expand(sources, {});
        const qsizetype point = value.indexOf('.');
        QCOMPARE(point < 0 ? 0 : int(value.size() - point - 1), decimals);
        if (decimals == 0) {
            bool ok = false;
            const qint64 number = value.toLongLong(&ok);
            QVERIFY2(ok && number >= low.toLongLong() && number <= high.toLongLong(),
                     value.constData());
        } else {
            const double number = value.toDouble();
            QVERIFY2(number >= low.toDouble() - 1e-12 && number <= high.toDouble() + 1e-12,
                     value.constData());
            QVERIFY2(value != "-0." + QByteArray(decimals, '0'), "negative zero");
        }
        seen.insert(value);
    }
    if (distinct > 0)
        QCOMPARE(seen.size(), distinct); // both bounds are reachable
    else
        QVERIFY(seen.size() > 2900); // a wide range does not collapse to a few values
}

void tst_PayloadTemplate::choiceDrawsEveryOption()
{
    const PayloadTemplate parsed = PayloadTemplate::parse("{{choice red|green| blue |}}");
    QVERIFY(parsed.isValid());
    QRandomGenerator random(7);
    QSet<QByteArray> seen;
    for (int i = 0; i < 500; ++i)
        seen.insert(parsed.expand({testDevice(), kNow, &random}, {}));
    QCOMPARE(seen, (QSet<QByteArray>{"red", "green", "blue", ""}));
}

void tst_PayloadTemplate::sameSeedSameBytes()
{
    // The composer previews and sends with the same seed: the preview shows the send.
    const QByteArray text = "{{random 0 1000000}} {{choice a|b|c|d|e}} {{random 0 1.000}}";
    QCOMPARE(expandOnce(text, {}, 99), expandOnce(text, {}, 99));
    QVERIFY(expandOnce(text, {}, 99) != expandOnce(text, {}, 100));
}

void tst_PayloadTemplate::jsonStaysValid_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("every placeholder as a value")
        << QByteArray("{\"seq\": {{seq}}, \"t\": {{now_ms}}, \"at\": \"{{iso_time}}\",\n"
                      " \"n\": {{random -5 5}}, \"x\": {{random -1.5 1.25}},\n"
                      " \"on\": {{toggle true false}}, \"mode\": \"{{choice a|b|c}}\",\n"
                      " \"level\": {{choice 1|2.5|null}},\n"
                      " \"role\": \"{{device.role}}\", \"name\": \"{{device.name}}\",\n"
                      " \"module\": {{device.module}}, \"type\": {{device.type}},\n"
                      " \"priority\": {{device.priority}}, \"lit\": \"{{{{seq}}\"}");
    QTest::newRow("values in an array")
        << QByteArray("[{{seq}}, {{random 0 0.5}}, {{toggle 1 0}}, \"{{now_ms}}\"]");
}

void tst_PayloadTemplate::jsonStaysValid()
{
    QFETCH(QByteArray, text);
    const PayloadTemplate parsed = PayloadTemplate::parse(text);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
    QRandomGenerator random(3);
    TemplateState state;
    for (int i = 0; i < 200; ++i) {
        const QByteArray bytes = parsed.expand({testDevice(), kNow + i, &random}, state);
        const JsonCheck json = checkJson(bytes);
        QVERIFY2(json.ok(), qPrintable(json.error->toString() + u'\n' + QString::fromUtf8(bytes)));
        if (json.value.isObject()) {
            const QJsonObject object = json.value.toObject();
            QCOMPARE(object.value("seq").toInteger(), qint64(i + 1));
            QCOMPARE(object.value("on").toBool(), i % 2 == 0);
            QCOMPARE(object.value("name").toString(), QStringLiteral("bench Opta é"));
            QCOMPARE(object.value("lit").toString(), QStringLiteral("{{seq}}"));
        }
        parsed.advance(&state);
    }
}

// The preview line shows the bytes checkForSend() gives (the page sends those): the same
// draws; only the clock is read again at the moment of sending.
void tst_PayloadTemplate::composerPreviewIsWhatIsSent()
{
    StatusComposer composer;
    qint64 now = kNow;
    composer.setTemplateSources([&now] { return now; }, 11);
    composer.setTemplateDevice(testDevice());
    QCOMPARE(composer.templatePreview(), QString()); // box off: no preview line
    composer.setDraft({PayloadFormat::Text,
                       "{\"n\": {{random 0 1000000}}, \"t\": {{now_ms}}, \"seq\": {{seq}}, "
                       "\"role\": \"{{device.role}}\"}",
                       true});
    QVERIFY(composer.templateCheck()->isChecked());
    const QByteArray expected = composer.checkForSend().bytes;
    QVERIFY(expected.startsWith("{\"n\": "));
    QVERIFY(expected.endsWith(", \"t\": " + QByteArray::number(kNow) +
                              ", \"seq\": 1, \"role\": \"opta\"}"));
    QCOMPARE(composer.templatePreviewFull().toUtf8(), expected);
    QCOMPARE(composer.templatePreview(), QStringLiteral("Next send (%1 bytes): %2")
                                             .arg(expected.size())
                                             .arg(QString::fromUtf8(expected)));
    QCOMPARE(composer.check().bytes, expected); // validation runs on the expansion
    now += 1500;
    QByteArray later = expected;
    later.replace(QByteArray::number(kNow), QByteArray::number(kNow + 1500));
    QCOMPARE(composer.checkForSend().bytes, later);
    // A send moves {{seq}} on and draws again.
    composer.templateSent();
    const QByteArray next = composer.checkForSend().bytes;
    QVERIFY(next.contains("\"seq\": 2"));
    QCOMPARE(composer.templatePreviewFull().toUtf8(), next);
    // A long expansion is one elided line; the tooltip holds the rest.
    composer.setDraft({PayloadFormat::Text, QString(200, QLatin1Char('x')) + "{{seq}}\nz", true});
    QCOMPARE(composer.templatePreview().size(),
             QStringLiteral("Next send (203 bytes): ").size() + 96);
    QVERIFY(composer.templatePreview().endsWith(QChar(0x2026)));
    QCOMPARE(composer.templatePreviewFull(), QString(200, QLatin1Char('x')) + "2\nz");
    // Off: the text is the payload, braces and all.
    composer.templateCheck()->setChecked(false);
    QCOMPARE(composer.templatePreview(), QString());
    QCOMPARE(composer.checkForSend().bytes, QString(200, QLatin1Char('x')).toUtf8() + "{{seq}}\nz");
}

void tst_PayloadTemplate::composerTemplateErrorDisablesSend()
{
    StatusComposer composer;
    composer.setDevice(1000, 0);
    composer.setSendAvailable(true);
    composer.setDraft({PayloadFormat::Text, "{\"pressed\": {{toggle true false}}}", true});
    QVERIFY(composer.sendButton()->isEnabled());
    composer.setDraft({PayloadFormat::Text, "{\"pressed\": {{tru}}}", true});
    QVERIFY(!composer.sendButton()->isEnabled());
    QVERIFY(composer.sendAnywayButton()->isHidden()); // not even "anyway"
    const QString message = QStringLiteral("unknown placeholder \"{{tru}}\" at line 1, column 13");
    QVERIFY2(composer.sendButton()->toolTip().contains(message),
             qPrintable(composer.sendButton()->toolTip()));
    QVERIFY2(composer.validationText().contains(message), qPrintable(composer.validationText()));
    QVERIFY(!composer.checkForSend().decoded);
    QVERIFY(composer.checkForSend().bytes.isEmpty());
    // The same text without the box is a literal (invalid JSON: Send anyway sends it).
    composer.templateCheck()->setChecked(false);
    QVERIFY(!composer.sendButton()->isEnabled());
    QVERIFY(!composer.sendAnywayButton()->isHidden());
}

void tst_PayloadTemplate::composerTemplateOnlyInTextAndJson()
{
    StatusComposer composer;
    composer.setTemplateSources([] { return kNow; }, 1);
    composer.setDraft({PayloadFormat::Hex, "7b 7b 73 65 71 7d 7d", true});
    QCOMPARE(composer.checkForSend().bytes, QByteArray("{{seq}}"));
    QVERIFY2(composer.templatePreview().startsWith(QLatin1String("Template off in Hex")),
             qPrintable(composer.templatePreview()));
    composer.setDraft({PayloadFormat::JsonCompact, "{\"seq\": {{seq}}}", true});
    // JSON is validated on the expansion; invalid JSON would be an error like any other.
    QCOMPARE(composer.checkForSend().bytes, QByteArray("{\"seq\": 1}"));
    QVERIFY(!composer.check().hasErrors());
}

void tst_PayloadTemplate::composerTemplateSavedWithTheDraft()
{
    StatusComposer composer;
    composer.setDraft({PayloadFormat::Text, "{{seq}}", false});
    QSignalSpy changed(&composer, &StatusComposer::draftChanged);
    QVERIFY(!composer.draft().isTemplate);
    composer.templateCheck()->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(composer.draft(), (ComposerDraft{PayloadFormat::Text, "{{seq}}", true}));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const SettingsStore store(dir.filePath("console.ini"));
    ConsoleSettings settings = SettingsStore::defaults();
    settings.devices.first().draft = composer.draft();
    QVERIFY(store.save(settings));
    QCOMPARE(store.load().settings.devices.first().draft, composer.draft());
    settings.devices.first().draft.isTemplate = false;
    QVERIFY(store.save(settings));
    QVERIFY(!store.load().settings.devices.first().draft.isTemplate);
}

// A device tab on a real gateway: manual sends and auto-send carry the expansion of their
// moment, and {{toggle}}/{{seq}} move on per status that actually went out.
void tst_PayloadTemplate::pageExpandsPerSend()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    DeviceConfig config = DeviceConfig::exampleButton();
    config.useEmbeddedGateway = false;
    config.port = gateway.serverPort();
    config.draft = {PayloadFormat::Text, "{\"pressed\": {{toggle true false}}}", true};
    DeviceSessionPage page(config);
    StatusComposer* composer = page.composer();
    QCOMPARE(composer->templatePreview(),
             QStringLiteral("Next send (17 bytes): {\"pressed\": true}"));
    QSignalSpy sent(page.session(), &DeviceSession::statusSent);
    QSignalSpy messages(&page, &DeviceSessionPage::message);

    page.connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(page.session()->canSend(), test::kWaitMs);
    page.send();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 1, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": true}"));
    QCOMPARE(composer->templatePreview(),
             QStringLiteral("Next send (18 bytes): {\"pressed\": false}"));
    QTRY_VERIFY_WITH_TIMEOUT(page.session()->canSend(), test::kWaitMs);
    page.send();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 2, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": false}"));
    QTRY_VERIFY_WITH_TIMEOUT(page.session()->canSend(), test::kWaitMs);

    // Auto-send: the first status is due at once and is the next expansion.
    composer->setAutoSendIntervalMs(60000);
    page.setAutoSend(true);
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 3, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": true}"));
    page.setAutoSend(false);
    QTRY_VERIFY_WITH_TIMEOUT(page.session()->canSend(), test::kWaitMs);

    // A broken template is not sent; the operator is told why.
    composer->setDraft({PayloadFormat::Text, "{\"pressed\": {{toggel true false}}}", true});
    messages.clear();
    page.send();
    QCOMPARE(sent.count(), 3);
    QVERIFY(!messages.isEmpty());
    QVERIFY2(messages.last().first().toString().contains(QLatin1String(
                 "unknown placeholder \"{{toggel true false}}\" at line 1, column 13")),
             qPrintable(messages.last().first().toString()));
    // Proven by the next good send: it is the fourth status, not the fifth.
    composer->setDraft({PayloadFormat::Text, "{\"pressed\": {{toggle true false}}}", true});
    page.send();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 4, test::kWaitMs);
    QCOMPARE(sent.last().first().toByteArray(), QByteArray("{\"pressed\": false}"));
    page.disconnectFromServer();
}

void tst_PayloadTemplate::deviceToolOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error"); // empty: the options parse

    QTest::newRow("a valid template, validated on its expansion")
        << QStringList{"--status", "{\"pressed\": {{toggle true false}}}", "--template",
                       "--validate"}
        << QString();
    QTest::newRow("an unknown placeholder")
        << QStringList{"--status", "{\"pressed\": {{foo}}}", "--template"}
        << QStringLiteral("--template: unknown placeholder \"{{foo}}\" at line 1, column 13");
    QTest::newRow("template without --status")
        << QStringList{"--status-hex", "7b7d", "--template"}
        << QStringLiteral("--template applies to --status text only");
    QTest::newRow("template with a behaviour")
        << QStringList{"--behaviour", "button", "--template"}
        << QStringLiteral("give --behave or a status payload, not both (--template)");
    QTest::newRow("the expansion is what --validate checks")
        << QStringList{"--status", "{\"pressed\": {{choice 1|2}}}", "--template", "--validate"}
        << QStringLiteral("--validate: the Example module would reject this status");
}

void tst_PayloadTemplate::deviceToolOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    DeviceOptions options;
    const ParseOutcome outcome = parseDeviceOptions(arguments, &options);
    if (error.isEmpty()) {
        QVERIFY2(outcome.action == ParseOutcome::Action::Run, qPrintable(outcome.text));
        QVERIFY(options.payloadTemplate.has_value());
        QVERIFY(options.payloadTemplate->hasPlaceholders());
    } else {
        QVERIFY(outcome.action == ParseOutcome::Action::UsageError);
        QVERIFY2(outcome.text.contains(error), qPrintable(outcome.text));
    }
}

// Two transparent-module devices (any bytes go), three statuses each: every device has its own
// {{seq}} and toggles, and its own
// {{device.role}}.
void tst_PayloadTemplate::deviceToolSendsExpansions()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    QMap<QString, QList<QByteArray>> received; // role → the statuses' wire frames
    connect(&gateway, &GatewayServer::frameTransferred, this, [&](const GatewayFrame& frame) {
        if (frame.direction == GatewayFrame::Direction::In && frame.hasDevice)
            received[frame.device.role].append(frame.bytes);
    });
    DeviceOptions options;
    const ParseOutcome outcome = parseDeviceOptions(
        {"--port", QString::number(gateway.serverPort()), "--module", "3", "--role", "sensor",
         "--devices", "2", "--count", "3", "--status",
         "{\"pressed\": {{toggle true false}}, \"n\": \"{{device.role}}#{{seq}}\"}", "--template"},
        &options);
    QVERIFY2(outcome.action == ParseOutcome::Action::Run, qPrintable(outcome.text));
    QTemporaryFile sink;
    QVERIFY(sink.open());
    OutputSink out(sink.handle());
    EventPrinter printer(false, true, &out, &out);
    DeviceRunner runner(options, &printer);
    QSignalSpy finished(&runner, &DeviceRunner::finished);
    runner.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, test::kWaitMs);
    QCOMPARE(finished.first().first().toInt(), 0);
    for (const QString& role : {QStringLiteral("sensor-1"), QStringLiteral("sensor-2")}) {
        const QList<QByteArray> frames = received.value(role);
        QCOMPARE(frames.size(), 3);
        const QByteArray r = role.toUtf8();
        QVERIFY(frames.at(0).contains("{\"pressed\": true, \"n\": \"" + r + "#1\"}"));
        QVERIFY(frames.at(1).contains("{\"pressed\": false, \"n\": \"" + r + "#2\"}"));
        QVERIFY(frames.at(2).contains("{\"pressed\": true, \"n\": \"" + r + "#3\"}"));
    }
}

QTEST_MAIN(tst_PayloadTemplate)
#include "tst_payloadtemplate.moc"
