// The protocol core's payload-text utilities (payloadtext.h): UTF-8 validity, the short forms
// of a payload, the hex parser, JSON error positions and UTC timestamps. Every window, log
// line and export uses these, so each has a table of the edge cases operators run into.

#include "deviceidentity.h"
#include "modulecatalog.h"
#include "payloadtext.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTest>
#include <QTimeZone>

#include <ctime>

using namespace fleet;

namespace {

// A POSIX zone string needs no time-zone database: Central European Time with its summer time.
constexpr char kLocalZone[] = "CET-1CEST,M3.5.0,M10.5.0/3";

QByteArray bytesOf(const char* text)
{
    return QByteArray(text);
}

} // namespace

class tst_PayloadText : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void utf8Validity_data();
    void utf8Validity();
    void payloadTextClassification_data();
    void payloadTextClassification();
    void payloadLine_data();
    void payloadLine();
    void describeBytes_data();
    void describeBytes();
    void printableText_data();
    void printableText();

    void parseHex_data();
    void parseHex();
    void parseHexErrors_data();
    void parseHexErrors();

    void jsonErrorPosition_data();
    void jsonErrorPosition();
    void jsonErrorMatchesCatalog_data();
    void jsonErrorMatchesCatalog();
    void validJsonParses_data();
    void validJsonParses();
    void jsonStringKeepsTheBytes_data();
    void jsonStringKeepsTheBytes();

    void utcTimestamp_data();
    void utcTimestamp();
    void utcTimestampMatchesQtAcrossCenturies();
};

void tst_PayloadText::initTestCase()
{
    // A formatter that used local time would pass on a machine running in UTC: run where local
    // time is not UTC.
    qputenv("TZ", kLocalZone);
    tzset();
    const QDateTime winter(QDate(2026, 12, 1), QTime(12, 0), Qt::LocalTime);
    QCOMPARE(winter.offsetFromUtc(), 3600);
}

// --- UTF-8 -----------------------------------------------------------------------------------

void tst_PayloadText::utf8Validity_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("invalidAt"); // -1: valid
    QTest::newRow("empty") << QByteArray() << qsizetype(-1);
    QTest::newRow("ASCII") << bytesOf("{\"a\": 1}") << qsizetype(-1);
    QTest::newRow("two-byte characters") << bytesOf("\xc4\x8d\xc4\x87\xc5\xbe") << qsizetype(-1);
    QTest::newRow("four-byte character (emoji)") << bytesOf("a\xf0\x9f\x98\x80") << qsizetype(-1);
    QTest::newRow("byte order mark") << bytesOf("\xef\xbb\xbfhi") << qsizetype(-1);
    QTest::newRow("NUL is valid UTF-8") << QByteArray("a\0b", 3) << qsizetype(-1);
    QTest::newRow("0xff") << bytesOf("ab\xff") << qsizetype(2);
    QTest::newRow("lone continuation byte") << bytesOf("\x80") << qsizetype(0);
    QTest::newRow("sequence cut short at the end") << bytesOf("ab\xc4") << qsizetype(2);
    QTest::newRow("sequence interrupted by ASCII") << bytesOf("\xe2\x82x") << qsizetype(0);
    QTest::newRow("overlong '/' in two bytes") << bytesOf("x\xc0\xaf") << qsizetype(1);
    QTest::newRow("overlong '/' in three bytes") << bytesOf("\xe0\x80\xaf") << qsizetype(0);
    QTest::newRow("overlong NUL (modified UTF-8)") << bytesOf("\xc0\x80") << qsizetype(0);
    QTest::newRow("UTF-16 surrogate") << bytesOf("\xed\xa0\x80") << qsizetype(0);
    QTest::newRow("above U+10FFFF") << bytesOf("\xf4\x90\x80\x80") << qsizetype(0);
}

void tst_PayloadText::utf8Validity()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, invalidAt);
    QCOMPARE(firstInvalidUtf8(bytes), invalidAt);
    QCOMPARE(isValidUtf8(bytes), invalidAt < 0);
    const std::optional<QString> text = exactUtf8(bytes);
    QCOMPARE(text.has_value(), invalidAt < 0);
    if (text)
        QCOMPARE(text->toUtf8(), bytes); // byte for byte, a byte order mark included
}

void tst_PayloadText::payloadTextClassification_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("text");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("JSON") << bytesOf("{\"lit_up\": true}") << true;
    QTest::newRow("CRLF and tab") << bytesOf("a\r\n\tb") << true;
    QTest::newRow("multi-byte") << bytesOf("\xc4\x8d\xf0\x9f\x98\x80") << true;
    QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
    QTest::newRow("escape sequence") << bytesOf("\x1b[0m") << false;
    QTest::newRow("DEL") << bytesOf("a\x7f") << false;
    QTest::newRow("C1 control U+0085") << bytesOf("a\xc2\x85") << false;
    QTest::newRow("U+00A0 is no control") << bytesOf("a\xc2\xa0") << true;
    QTest::newRow("invalid UTF-8") << bytesOf("a\xff") << false;
    QTest::newRow("protobuf field tags") << bytesOf("\x0a\x05hello\x12\x00") << false;
}

void tst_PayloadText::payloadTextClassification()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, text);
    QCOMPARE(isPayloadText(bytes), text);
}

void tst_PayloadText::payloadLine_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << 100 << "(empty)";
    QTest::newRow("text") << bytesOf("{\"lit_up\": true}") << 100 << "{\"lit_up\": true}";
    QTest::newRow("CRLF and tab escaped")
        << bytesOf("a\r\n\tb") << 100 << QStringLiteral("a\\r\\n\\tb");
    QTest::newRow("line separator escaped") << bytesOf("a\xe2\x80\xa8"
                                                       "b")
                                            << 100 << QStringLiteral("a\\u2028b");
    QTest::newRow("multi-byte text as it is")
        << bytesOf("\xc4\x8d\xc4\x87") << 100 << QString::fromUtf8("\xc4\x8d\xc4\x87");
    QTest::newRow("binary as hex") << QByteArray("\x00\xff", 2) << 100 << "hex 00 ff";
    QTest::newRow("invalid UTF-8 as hex") << bytesOf("a\xc0\xaf") << 100 << "hex 61 c0 af";
    QTest::newRow("control characters as hex") << bytesOf("\x1b[0m") << 100 << "hex 1b 5b 30 6d";
    QTest::newRow("long text cut")
        << QByteArray(120, 'a') << 100
        << QString(100, u'a') + QChar(0x2026) + QStringLiteral(" (120 bytes)");
    QTest::newRow("exactly maxChars is not cut")
        << QByteArray(100, 'a') << 100 << QString(100, u'a');
    QTest::newRow("cut counts characters, not bytes")
        << QByteArray("\xc4\x8d").repeated(5) << 3
        << QString::fromUtf8("\xc4\x8d\xc4\x8d\xc4\x8d\xe2\x80\xa6 (10 bytes)");
    QTest::newRow("an emoji is one character and never split")
        << QByteArray("\xf0\x9f\x98\x80").repeated(4) << 3
        << QString::fromUtf8("\xf0\x9f\x98\x80").repeated(3) + QChar(0x2026) +
               QStringLiteral(" (16 bytes)");
    QTest::newRow("long binary cut on whole bytes")
        << QByteArray(40, '\xff') << 20
        << QStringLiteral("hex ff ff ff ff ff") + QChar(0x2026) + QStringLiteral(" (40 bytes)");
    QTest::newRow("escapes count as one character")
        << bytesOf("\n\n\n\n") << 2 << QStringLiteral("\\n\\n") + QChar(0x2026) + " (4 bytes)";
}

void tst_PayloadText::payloadLine()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, maxChars);
    QFETCH(QString, expected);
    const QString line = fleet::payloadLine(bytes, maxChars);
    QCOMPARE(line, expected);
    QVERIFY(!line.contains(u'\n') && !line.contains(u'\r'));
}

void tst_PayloadText::describeBytes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << "empty";
    QTest::newRow("one byte") << bytesOf("x") << "1 byte: x";
    QTest::newRow("text") << bytesOf("default_command") << "15 bytes: default_command";
    QTest::newRow("CRLF escaped") << bytesOf("a\r\nb") << "4 bytes: a\\r\\nb";
    QTest::newRow("binary") << QByteArray(12, '\x02') << "12 bytes (binary)";
    QTest::newRow("invalid UTF-8") << bytesOf("\xff\xfe") << "2 bytes (binary)";
    QTest::newRow("long text cut after 80 characters")
        << QByteArray(81, 'a') << QStringLiteral("81 bytes: ") + QString(80, u'a') + QChar(0x2026);
}

void tst_PayloadText::describeBytes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QCOMPARE(fleet::describeBytes(bytes), expected);
}

// Peer-controlled names and sentences in text lines (gateway events, fleet-device output).
void tst_PayloadText::printableText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QString>("expected");
    const QString ellipsis(QChar(0x2026));
    QTest::newRow("plain name as it is") << "virtual_vehicle" << 128 << "virtual_vehicle";
    QTest::newRow("multi-byte and emoji as they are")
        << QString::fromUtf8("\xc4\x8dvor \xf0\x9f\x9a\x8c") << 128
        << QString::fromUtf8("\xc4\x8dvor \xf0\x9f\x9a\x8c");
    QTest::newRow("newline cannot forge a line")
        << "b\n12:00:00.000 #9 1/1/x 'y' priority 0  connected" << 128
        << "b\\n12:00:00.000 #9 1/1/x 'y' priority 0  connected";
    QTest::newRow("CR, tab") << "a\rb\tc" << 128 << "a\\rb\\tc";
    QTest::newRow("ESC of a colour sequence")
        << "\x1b[31mred\x1b[0m" << 128 << "\\x1b[31mred\\x1b[0m";
    QTest::newRow("NUL, BEL, DEL") << QString::fromLatin1("a\0b\x07"
                                                          "c\x7f",
                                                          6)
                                   << 128 << "a\\x00b\\x07c\\x7f";
    QTest::newRow("C1 CSI and NEL")
        << QString(QChar(0x9b)) + "2J" + QChar(0x85) << 128 << "\\u009b2J\\u0085";
    QTest::newRow("line separator and bidi override")
        << QString(QChar(0x2028)) + QChar(0x202e) + "abc" + QChar(0x2066) << 128
        << "\\u2028\\u202eabc\\u2066";
    QTest::newRow("U+00A0 is printable") << QString(QChar(0xa0)) << 128 << QString(QChar(0xa0));
    QTest::newRow("exactly the limit is not cut")
        << QString(128, u'n') << 128 << QString(128, u'n');
    QTest::newRow("1 MiB name cut with its length")
        << QString(1048576, u'n') << 128 << QString(128, u'n') + ellipsis + " (1048576 bytes)";
    QTest::newRow("length counts UTF-8 bytes, cut never splits an emoji")
        << QString::fromUtf8("\xc4\x8d\xf0\x9f\x9a\x8c").repeated(3) << 3
        << QString::fromUtf8("\xc4\x8d\xf0\x9f\x9a\x8c\xc4\x8d") + ellipsis + " (18 bytes)";
    QTest::newRow("an escape counts as one character") << "\n\n\n"
                                                       << 2 << "\\n\\n" + ellipsis + " (3 bytes)";
}

void tst_PayloadText::printableText()
{
    QFETCH(QString, text);
    QFETCH(int, maxChars);
    QFETCH(QString, expected);
    const QString shown = fleet::printableText(text, maxChars);
    QCOMPARE(shown, expected);
    for (const QChar c : shown)
        QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() > 0x9f) &&
                     c != QChar(0x2028) && c != QChar(0x202e),
                 qPrintable(QStringLiteral("U+%1 passed").arg(c.unicode(), 4, 16)));
}

// --- Hex -------------------------------------------------------------------------------------

void tst_PayloadText::parseHex_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("only whitespace") << " \n\t " << QByteArray();
    QTest::newRow("lower case") << "7b22" << bytesOf("{\"");
    QTest::newRow("upper case") << "7B22" << bytesOf("{\"");
    QTest::newRow("spaces between bytes") << " 7b 22 " << bytesOf("{\"");
    QTest::newRow("digits pair across spaces") << "7 b2 2" << bytesOf("{\"");
    QTest::newRow("newlines and CRLF") << "7b\n22\r\n7d" << bytesOf("{\"}");
    QTest::newRow("colons (Wireshark)") << "7b:22:7d" << bytesOf("{\"}");
    QTest::newRow("0x prefix") << "0x7b22" << bytesOf("{\"");
    QTest::newRow("0X prefix per byte") << "0X7B 0x22" << bytesOf("{\"");
    QTest::newRow("00 is a byte, not a prefix") << "00 0x00" << QByteArray(2, '\0');
    QTest::newRow("every byte value")
        << "00 01 7f 80 fe ff" << QByteArray("\x00\x01\x7f\x80\xfe\xff", 6);
}

void tst_PayloadText::parseHex()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    const HexParse hex = fleet::parseHex(text);
    QVERIFY2(hex.ok(), qPrintable(hex.error));
    QCOMPARE(hex.bytes, bytes);
}

void tst_PayloadText::parseHexErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("letter g on line 2")
        << "7b 22\n6g"
        << "line 2, column 2: 'g' is not a hex digit (0-9, a-f, A-F)";
    QTest::newRow("CRLF: the CR ends line 1") << "7b 22\r\n6g"
                                              << "line 2, column 2: 'g' is not a hex digit";
    QTest::newRow("odd digit count")
        << "7b 2"
        << "odd number of hex digits (3): each byte takes two, the last digit "
           "(line 1, column 4) has no partner";
    QTest::newRow("single digit") << "f"
                                  << "odd number of hex digits (1)";
    QTest::newRow("0x inside a group") << "7b0x22"
                                       << "line 1, column 4: 'x' is not a hex digit";
    QTest::newRow("0x after a byte needs a separator")
        << "0x7b0x22"
        << "line 1, column 6: 'x' is not a hex digit";
    QTest::newRow("multi-byte character counts once")
        << QString::fromUtf8("\xc4\x8d")
        << QString::fromUtf8("line 1, column 1: '\xc4\x8d' is not");
    QTest::newRow("emoji is named whole")
        << QString::fromUtf8("7b \xf0\x9f\x98\x80")
        << QString::fromUtf8("line 1, column 4: '\xf0\x9f\x98\x80' is not a hex digit");
    QTest::newRow("control character by code point")
        << QStringLiteral("7b\x01") << "line 1, column 3: U+0001 is not a hex digit";
    QTest::newRow("hex: prefix of the command shell is not hex")
        << "hex:7b"
        << "line 1, column 1: 'h' is not a hex digit";
}

void tst_PayloadText::parseHexErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const HexParse hex = fleet::parseHex(text);
    QVERIFY(!hex.ok());
    QVERIFY(hex.bytes.isEmpty());
    QVERIFY2(hex.error.startsWith(error), qPrintable(hex.error));
}

// --- JSON ------------------------------------------------------------------------------------

void tst_PayloadText::jsonErrorPosition_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("atEnd");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << 1 << 1 << true << "empty, JSON needs a value";
    QTest::newRow("only whitespace") << bytesOf("  \n ") << 2 << 2 << true << "empty";
    QTest::newRow("missing comma on line 3: at the next key")
        << bytesOf("{\n  \"a\": 1\n  \"b\": 2\n}") << 3 << 3 << false << "";
    QTest::newRow("CRLF line ends count as one line break")
        << bytesOf("{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}") << 3 << 3 << false << "";
    QTest::newRow("two-byte character counts once")
        << bytesOf("{\"b\xc3\xbct\" 0}") << 1 << 8 << false << "";
    QTest::newRow("emoji counts once")
        << bytesOf("[\"\xf0\x9f\x98\x80\" x]") << 1 << 6 << false << "";
    QTest::newRow("misspelt literal: at its start")
        << bytesOf("{\"pressed\": tru}") << 1 << 13 << false << "";
    QTest::newRow("bad number") << bytesOf("[1, -]") << 1 << 5 << false << "";
    QTest::newRow("unterminated object: at the end")
        << bytesOf("{\"a\": 1\n") << 2 << 1 << true << "";
    QTest::newRow("unterminated string: at the end") << bytesOf("[\"abc") << 1 << 6 << true << "";
    QTest::newRow("wrong closing bracket") << bytesOf("{\"a\": 1]") << 1 << 8 << false << "";
    QTest::newRow("garbage after the document") << bytesOf("{}\n\n  x") << 3 << 3 << false << "";
    QTest::newRow("bare word") << bytesOf("hello") << 1 << 1 << false << "";
    QTest::newRow("two values at the top level")
        << bytesOf("1, 2") << 1 << 2 << false << "2 values at the top level, expected one";
    QTest::newRow("scalar then a closing bracket") << bytesOf("1]") << 1 << 2 << false << "";
    QTest::newRow("invalid UTF-8 in a string") << bytesOf("[\"a\xff\"]") << 1 << 4 << false << "";
}

void tst_PayloadText::jsonErrorPosition()
{
    QFETCH(QByteArray, json);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(bool, atEnd);
    QFETCH(QString, reason);
    const JsonCheck check = checkJson(json);
    QVERIFY(!check.ok());
    QVERIFY(check.value.isUndefined());
    const QString message = check.error->toString();
    QCOMPARE(check.error->position.line, line);
    QCOMPARE(check.error->position.column, column);
    QCOMPARE(check.error->atEnd, atEnd);
    QVERIFY2(message.startsWith(QStringLiteral("line %1, column %2").arg(line).arg(column)),
             qPrintable(message));
    QVERIFY2(message.endsWith(check.error->reason) && !check.error->reason.isEmpty(),
             qPrintable(message));
    QVERIFY2(check.error->reason.contains(reason), qPrintable(message));
}

// The catalog (ModuleCatalog::validateStatus) words its error its own way but must name the
// same place as checkJson(), which the composer's validation shows.
void tst_PayloadText::jsonErrorMatchesCatalog_data()
{
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QString>("position");
    QTest::newRow("missing colon after umlaut, line 2")
        << bytesOf("[[{\"inNum\":1,\"inSt\":false}],[],\n{\"b\xc3\xbct\" 0}]")
        << "line 2, column 8";
    QTest::newRow("missing comma between values")
        << bytesOf("[[{\"inNum\":1 \"inSt\":false}],[],{\"butPr\":0}]") << "line 1, column 14";
    QTest::newRow("CRLF and a misspelt literal")
        << bytesOf("[[{\"inNum\":1,\r\n\"inSt\":fals}],[],{\"butPr\":0}]") << "line 2, column 8";
    QTest::newRow("stops early") << bytesOf("[[{\"inNum\":1,") << "line 1, column 14";
    QTest::newRow("bare word") << bytesOf("hello") << "line 1, column 1";
}

void tst_PayloadText::jsonErrorMatchesCatalog()
{
    QFETCH(QByteArray, status);
    QFETCH(QString, position);
    const JsonCheck check = checkJson(status);
    QVERIFY(!check.ok());
    QVERIFY2(check.error->toString().startsWith(position), qPrintable(check.error->toString()));
    const ValidationResult result = ModuleCatalog::validateStatus(ModuleNumber::Io, 4, status);
    QVERIFY(!result.ok);
    QVERIFY2(
        result.message.contains(QStringLiteral("JSON syntax error at ") + check.error->toString()),
        qPrintable(result.message));
}

void tst_PayloadText::validJsonParses_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("object") << bytesOf("{\"a\": 1}") << QJsonValue(QJsonObject{{"a", 1}});
    QTest::newRow("array with CRLF") << bytesOf("[\r\n1\r\n]") << QJsonValue(QJsonArray{1});
    QTest::newRow("null (the IO button's command)") << bytesOf(" null ") << QJsonValue();
    QTest::newRow("string at the top level")
        << bytesOf("\"default_command\"") << QJsonValue(QStringLiteral("default_command"));
    QTest::newRow("number") << bytesOf("7.25") << QJsonValue(7.25);
    QTest::newRow("string holding brackets and commas")
        << bytesOf("\"a, ] b\"") << QJsonValue(QStringLiteral("a, ] b"));
}

void tst_PayloadText::validJsonParses()
{
    QFETCH(QByteArray, json);
    QFETCH(QJsonValue, value);
    const JsonCheck check = checkJson(json);
    QVERIFY2(check.ok(), check.error ? qPrintable(check.error->toString()) : "");
    QCOMPARE(check.value, value);
}

// jsonString() writes a string byte for byte, escaping only what JSON needs (and U+FEFF, which
// some readers drop), and a JSON reader gets back exactly the text it was given.
void tst_PayloadText::jsonStringKeepsTheBytes_data()
{
    QTest::addColumn<QByteArray>("utf8");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("lamp") << QByteArray(R"("lamp")");
    QTest::newRow("quote and backslash")
        << QByteArray(R"(a "b" \c)") << QByteArray(R"("a \"b\" \\c")");
    QTest::newRow("line breaks and tab") << QByteArray("a\nb\r\tc") << QByteArray(R"("a\nb\r\tc")");
    QTest::newRow("other controls")
        << QByteArray("\x01\x1f\x08") << QByteArray(R"("\u0001\u001f\u0008")");
    QTest::newRow("non-ASCII as it is") << QByteArray("Zast\xc3\xa1vka \xf0\x9f\x9a\x97")
                                        << QByteArray("\"Zast\xc3\xa1vka \xf0\x9f\x9a\x97\"");
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbfx") << QByteArray(R"("\ufeffx")");
    QTest::newRow("empty") << QByteArray() << QByteArray(R"("")");
}

void tst_PayloadText::jsonStringKeepsTheBytes()
{
    QFETCH(QByteArray, utf8);
    QFETCH(QByteArray, expected);
    const QByteArray written = jsonString(QByteArrayView(utf8));
    QCOMPARE(written, expected);
    // Not QString::fromUtf8(), which drops a byte order mark at the start.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    QCOMPARE(jsonString(QString(decoder(utf8))), expected);
    const JsonCheck check = checkJson(written);
    QVERIFY(check.ok());
    QCOMPARE(check.value.toString().toUtf8(), utf8);
}

// --- Time ------------------------------------------------------------------------------------

void tst_PayloadText::utcTimestamp_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    const auto utc = [](int y, int mo, int d, int h, int mi, int s, int ms) {
        return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
    };
    QTest::newRow("the epoch") << qint64(0) << "1970-01-01T00:00:00.000Z";
    QTest::newRow("one millisecond before the epoch") << qint64(-1) << "1969-12-31T23:59:59.999Z";
    QTest::newRow("one day before the epoch") << qint64(-86400000) << "1969-12-31T00:00:00.000Z";
    QTest::newRow("milliseconds keep their zeros")
        << utc(2026, 12, 1, 8, 47, 9, 7) << "2026-12-01T08:47:09.007Z";
    QTest::newRow("leap day") << utc(2024, 2, 29, 23, 59, 59, 999) << "2024-02-29T23:59:59.999Z";
    QTest::newRow("2000 is a leap year")
        << utc(2000, 2, 29, 0, 0, 0, 0) << "2000-02-29T00:00:00.000Z";
    QTest::newRow("2100 is not") << utc(2100, 3, 1, 0, 0, 0, 0) << "2100-03-01T00:00:00.000Z";
    QTest::newRow("last millisecond of 9999")
        << utc(9999, 12, 31, 23, 59, 59, 999) << "9999-12-31T23:59:59.999Z";
    QTest::newRow("local winter time (UTC+1) prints in UTC")
        << QDateTime(QDate(2026, 12, 1), QTime(9, 47, 9, 123), Qt::LocalTime).toMSecsSinceEpoch()
        << "2026-12-01T08:47:09.123Z";
    QTest::newRow("local summer time (UTC+2) prints in UTC")
        << QDateTime(QDate(2026, 7, 1), QTime(1, 30, 0, 500), Qt::LocalTime).toMSecsSinceEpoch()
        << "2026-06-30T23:30:00.500Z";
    QTest::newRow("fixed offset -05:30 prints in UTC")
        << QDateTime(QDate(2026, 12, 31), QTime(20, 0), QTimeZone(-(5 * 3600 + 1800)))
               .toMSecsSinceEpoch()
        << "2027-01-01T01:30:00.000Z";
}

void tst_PayloadText::utcTimestamp()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    QCOMPARE(fleet::utcTimestamp(ms), expected);
}

void tst_PayloadText::utcTimestampMatchesQtAcrossCenturies()
{
    // Every 1,000,003 seconds (11.6 days, drifting through the time of day) from 1900 to 2200.
    const qint64 from = QDateTime(QDate(1900, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 to = QDateTime(QDate(2200, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    int checked = 0;
    for (qint64 ms = from; ms < to; ms += 1'000'003'123) {
        const QString qt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        QCOMPARE(fleet::utcTimestamp(ms), qt);
        ++checked;
    }
    QVERIFY(checked > 9000);
}

QTEST_GUILESS_MAIN(tst_PayloadText)
#include "tst_payloadtext.moc"
