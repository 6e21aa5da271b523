// The direct JSON writer of fleet-device's --json events (app/common/devicetool/jsonlinewriter.h)
// and the event lines written with it: every line parses back with QJsonDocument into exactly
// the fields that went in, whatever the strings hold.
#include "eventprinter.h"
#include "jsonlinewriter.h"
#include "modulecatalog.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include <charconv>
#include <cmath>
#include <limits>

using fleet::JsonLineWriter;

namespace {

// Parses one written line: exactly one object, one trailing newline and no other.
QJsonObject parseLine(const QByteArray& line)
{
    if (!line.endsWith('\n') || line.count('\n') != 1) {
        qWarning("not one line: %s", line.constData());
        return {};
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qWarning("does not parse (%s): %s", qPrintable(error.errorString()), line.constData());
        return {};
    }
    return document.object();
}

QString fromUcs4(std::initializer_list<char32_t> codePoints)
{
    QString text;
    for (const char32_t c : codePoints)
        text += QString::fromUcs4(&c, 1);
    return text;
}

} // namespace

class tst_JsonLineWriter : public QObject {
    Q_OBJECT
private slots:
    void stringsRoundTrip_data();
    void stringsRoundTrip();
    void utf8RoundTrip_data();
    void utf8RoundTrip();
    void numbersRoundTrip_data();
    void numbersRoundTrip();
    void numbersAreTheShortestForm_data();
    void numbersAreTheShortestForm();
    void eventLinesParse_data();
    void eventLinesParse();
    void consecutiveCommandsCarryTheirOwnFields_data();
    void consecutiveCommandsCarryTheirOwnFields();
    void commandBurstIsBatchedInOrder_data();
    void commandBurstIsBatchedInOrder();
    void slowCommandsAreWrittenAtOnce();
};

void tst_JsonLineWriter::stringsRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected"); // what the parsed line holds

    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("plain ASCII") << QStringLiteral("button-1") << QStringLiteral("button-1");
    QTest::newRow("quotes and backslashes") << QStringLiteral(R"(say "hi" \ \\ \" \u0041)")
                                            << QStringLiteral(R"(say "hi" \ \\ \" \u0041)");
    QString controls;
    for (char16_t c = 0; c < 0x20; ++c)
        controls += QChar(c);
    controls += QChar(0x7f);
    QTest::newRow("every control character, NUL included") << controls << controls;
    QTest::newRow("newline, tab, carriage return")
        << QStringLiteral("a\nb\tc\rd") << QStringLiteral("a\nb\tc\rd");
    QTest::newRow("terminal escape sequence")
        << QStringLiteral("\x1b[31mred\x1b[0m") << QStringLiteral("\x1b[31mred\x1b[0m");
    const QString unicode = fromUcs4(
        {U'é', U'€', U'中', U'\u2028', U'\u202e', U'\ufeff', U'\U0001F600', U'\U0010FFFF'});
    QTest::newRow("non-ASCII: 2, 3 and 4 UTF-8 bytes, separators, bidi, BOM") << unicode << unicode;
    QTest::newRow("lone high surrogate becomes U+FFFD")
        << (QStringLiteral("a") + QChar(0xd83d) + QStringLiteral("b"))
        << (QStringLiteral("a") + QChar(0xfffd) + QStringLiteral("b"));
    QTest::newRow("lone low surrogate becomes U+FFFD")
        << (QString(QChar(0xde00)) + QStringLiteral("z")) << (QString(QChar(0xfffd)) + "z");
    QTest::newRow("high surrogate at the very end")
        << (QStringLiteral("end") + QChar(0xd800)) << (QStringLiteral("end") + QChar(0xfffd));
    QTest::newRow("long text") << QString(100000, QChar(u'\"')) << QString(100000, QChar(u'\"'));
}

void tst_JsonLineWriter::stringsRoundTrip()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QByteArray line;
    JsonLineWriter(&line).string("value", value).latin1("event", QLatin1StringView("x")).finish();
    const QJsonObject object = parseLine(line);
    QCOMPARE(object.size(), 2);
    QCOMPARE(object.value("value").toString(), expected);
    QCOMPARE(object.value("event").toString(), QStringLiteral("x"));
    // Control characters are never raw in the line: each one became \u00XX.
    for (const char c : line.chopped(1))
        QVERIFY2(uchar(c) >= 0x20, line.constData());
    // Deterministic: the same input gives the same bytes.
    QByteArray again;
    JsonLineWriter(&again).string("value", value).latin1("event", QLatin1StringView("x")).finish();
    QCOMPARE(again, line);
}

void tst_JsonLineWriter::utf8RoundTrip_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QString fffd(QChar(0xfffd));

    QTest::newRow("valid UTF-8 stays as it is")
        << QByteArray("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")
        << fromUcs4({U'c', U'a', U'f', U'é', U' ', U'€', U' ', U'\U0001F600'});
    QTest::newRow("JSON text with quotes")
        << QByteArray(R"({"pressed": true, "path": "C:\\x"})")
        << QStringLiteral(R"({"pressed": true, "path": "C:\\x"})");
    QTest::newRow("NUL and controls")
        << QByteArray("a\0b\x01\x1f", 5) << QString::fromLatin1("a\0b\x01\x1f", 5);
    QTest::newRow("lone continuation byte") << QByteArray("a\x80z") << ("a" + fffd + "z");
    QTest::newRow("0xff and 0xfe") << QByteArray("\xff\xfe") << (fffd + fffd);
    QTest::newRow("overlong slash (c0 af)") << QByteArray("\xc0\xaf") << (fffd + fffd);
    QTest::newRow("overlong three bytes (e0 80 af)")
        << QByteArray("\xe0\x80\xaf") << (fffd + fffd + fffd);
    QTest::newRow("encoded surrogate (ed a0 80)")
        << QByteArray("\xed\xa0\x80") << (fffd + fffd + fffd);
    QTest::newRow("above U+10FFFF (f4 90 80 80)")
        << QByteArray("\xf4\x90\x80\x80") << (fffd + fffd + fffd + fffd);
    QTest::newRow("truncated euro sign at the end")
        << QByteArray("x\xe2\x82") << ("x" + fffd + fffd);
    QTest::newRow("truncated sequence before a quote") << QByteArray("\xe2\"") << (fffd + "\"");
    QTest::newRow("backslash after an invalid byte") << QByteArray("\xc3\\") << (fffd + "\\");
}

void tst_JsonLineWriter::utf8RoundTrip()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QByteArray line;
    JsonLineWriter(&line).utf8("data", bytes).hex("hex", bytes).finish();
    const QJsonObject object = parseLine(line);
    QCOMPARE(object.size(), 2);
    QCOMPARE(object.value("data").toString(), expected);
    QCOMPARE(object.value("hex").toString().toLatin1(), bytes.toHex());
    // What is written is valid UTF-8, whatever came in.
    QVERIFY(QString::fromUtf8(line).toUtf8() == line);
}

void tst_JsonLineWriter::numbersRoundTrip_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("isNull");
    QTest::newRow("zero") << 0.0 << false;
    QTest::newRow("negative zero") << -0.0 << false;
    QTest::newRow("round trip time") << 0.123456789 << false;
    QTest::newRow("one tenth") << 0.1 << false;
    QTest::newRow("tiny") << 1e-300 << false;
    QTest::newRow("huge") << 1.5e300 << false;
    QTest::newRow("integral") << 42.0 << false;
    QTest::newRow("NaN is null") << std::numeric_limits<double>::quiet_NaN() << true;
    QTest::newRow("infinity is null") << std::numeric_limits<double>::infinity() << true;
}

void tst_JsonLineWriter::numbersRoundTrip()
{
    QFETCH(double, value);
    QFETCH(bool, isNull);
    QByteArray line;
    JsonLineWriter(&line)
        .number("value", value)
        .integer("small", -7)
        .integer("big", qint64(1) << 53)
        .boolean("yes", true)
        .boolean("no", false)
        .null("nothing")
        .finish();
    const QJsonObject object = parseLine(line);
    QCOMPARE(object.size(), 6);
    if (isNull) {
        QVERIFY(object.value("value").isNull());
    } else {
        QVERIFY(object.value("value").isDouble());
        QCOMPARE(object.value("value").toDouble(), value); // the shortest exact form
    }
    QCOMPARE(object.value("small").toInteger(), -7);
    QCOMPARE(object.value("big").toInteger(), qint64(1) << 53);
    QCOMPARE(object.value("yes"), QJsonValue(true));
    QCOMPARE(object.value("no"), QJsonValue(false));
    QVERIFY(object.value("nothing").isNull());
}

// Round-trip times take a shortcut in the writer (a decimal of six places written directly):
// the text is exactly what the general shortest form (std::to_chars) gives, for every kind of
// value around and outside the shortcut.
void tst_JsonLineWriter::numbersAreTheShortestForm_data()
{
    QTest::addColumn<QList<double>>("values");
    QList<double> nanoseconds;
    for (qint64 ns = 1; ns < 3000000000; ns = ns * 7 + 13)
        nanoseconds << double(ns) / 1e6;
    QTest::newRow("nanoseconds in milliseconds") << nanoseconds;
    QTest::newRow("around 0.01 ms") << QList<double>{0.009999, 0.01, 0.010001, 0.0123, 0.099};
    QTest::newRow("whole and round numbers")
        << QList<double>{1.0, 10.0, 100.0, 1e8, 1e9, 999999999.5, 0.5, 2.25};
    QTest::newRow("not six places")
        << QList<double>{0.1234567, 1.0 / 3.0, 2.0 / 3.0 * 1000, 1e-7, 123456.7890123, 1e300};
}

void tst_JsonLineWriter::numbersAreTheShortestForm()
{
    QFETCH(QList<double>, values);
    for (const double value : values) {
        char expected[64];
        const auto end = std::to_chars(expected, expected + sizeof expected, value).ptr;
        char written[JsonLineWriter::kMaxNumberBytes];
        const char* writtenEnd = JsonLineWriter::putNumber(written, value);
        QCOMPARE(QByteArray(written, writtenEnd - written), QByteArray(expected, end - expected));
    }
}

// The real event path: EventPrinter → OutputSink → the descriptor, read back line by line.
void tst_JsonLineWriter::eventLinesParse_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QJsonValue>("expectedData"); // null when the bytes are not UTF-8
    QTest::newRow("plain") << QStringLiteral("button") << QByteArray("{\"pressed\": true}")
                           << QJsonValue(QStringLiteral("{\"pressed\": true}"));
    QTest::newRow("empty command") << QStringLiteral("b") << QByteArray() << QJsonValue(QString());
    QTest::newRow("binary command is null data")
        << QStringLiteral("b") << QByteArray("\xff\x00\x01", 3) << QJsonValue(QJsonValue::Null);
    QTest::newRow("control characters in role and data")
        << QStringLiteral("r\n\"\\\x1b[2J") << QByteArray("line\nnext\t\"q\"\x1b")
        << QJsonValue(QStringLiteral("line\nnext\t\"q\"\x1b"));
    QTest::newRow("byte order mark is kept")
        << QStringLiteral("bom") << QByteArray("\xef\xbb\xbfhi")
        << QJsonValue(QString(QChar(0xfeff)) + QStringLiteral("hi"));
    QTest::newRow("lone surrogate in role")
        << (QStringLiteral("x") + QChar(0xdc00)) << QByteArray("ok") << QJsonValue("ok");
}

void tst_JsonLineWriter::eventLinesParse()
{
    QFETCH(QString, role);
    QFETCH(QByteArray, data);
    QFETCH(QJsonValue, expectedData);
    QTemporaryFile file;
    QVERIFY(file.open());
    fleet::DeviceIdentity device;
    device.module = fleet::ModuleNumber::Transparent;
    device.role = role;
    device.name = QStringLiteral("name \"quoted\"\n");
    {
        fleet::OutputSink out(file.handle(), fleet::OutputSink::Mode::Immediate);
        fleet::OutputSink err(file.handle(), fleet::OutputSink::Mode::Immediate);
        fleet::EventPrinter printer(true, false, &out, &err);
        printer.connected(device, fleet::HostPort{QStringLiteral("127.0.0.1"), 8888});
        printer.command(device, 3, data, 1.25, false);
        printer.command(device, 3, data, std::nullopt, true);
        printer.notice(device, QStringLiteral("note \x01 \"x\""));
        printer.error(&device, QStringLiteral("CommunicationError"),
                      QStringLiteral("communication"), QStringLiteral("closed\n"));
        fleet::RunSummary summary;
        summary.devices = 1;
        summary.answered = 1;
        summary.seconds = 0.5;
        summary.rttP50Ms = 1.25;
        printer.summary(summary);
        // A behaving vehicle's state: the station name is the gateway's text, like the role.
        fleet::DeviceStateReport state;
        state.state = QStringLiteral("DRIVE");
        state.vehicle = true;
        state.latitude = 49.70135;
        state.longitude = 16.9021;
        state.nextStop = role;
        state.speed = 4.5;
        printer.state(device, state);
    }
    QFile read(file.fileName());
    QVERIFY(read.open(QIODevice::ReadOnly));
    QList<QJsonObject> events;
    while (!read.atEnd()) {
        const QJsonObject object = parseLine(read.readLine());
        QVERIFY(!object.isEmpty());
        events.append(object);
    }
    QCOMPARE(events.size(), 7);
    QString sanitizedRole;
    for (qsizetype i = 0; i < role.size(); ++i)
        sanitizedRole += role.at(i).isSurrogate() ? QChar(0xfffd) : role.at(i);

    const QJsonObject& connected = events.at(0);
    QCOMPARE(connected.value("event").toString(), QStringLiteral("connected"));
    QCOMPARE(connected.value("role").toString(), sanitizedRole);
    QCOMPARE(connected.value("name").toString(), device.name);
    QCOMPARE(connected.value("port").toInteger(), 8888);
    QCOMPARE(connected.value("module").toInteger(), qint64(fleet::ModuleNumber::Transparent));

    for (const int i : {1, 2}) {
        const QJsonObject& command = events.at(i);
        const bool pushed = i == 2;
        QCOMPARE(command.value("event").toString(), QStringLiteral("command"));
        QCOMPARE(command.value("role").toString(), sanitizedRole);
        QCOMPARE(command.value("sequence").toInteger(), 3);
        QCOMPARE(command.value("data"), expectedData);
        QCOMPARE(command.value("hex").toString().toLatin1(), data.toHex());
        QCOMPARE(command.value("empty").toBool(), data.isEmpty());
        QCOMPARE(command.value("pushed").toBool(), pushed);
        if (pushed)
            QVERIFY(command.value("rtt_ms").isNull());
        else
            QCOMPARE(command.value("rtt_ms").toDouble(), 1.25);
        QVERIFY(command.contains("summary"));
        QCOMPARE(command.size(), 9);
    }
    QCOMPARE(events.at(3).value("message").toString(), QStringLiteral("note \x01 \"x\""));
    QCOMPARE(events.at(4).value("message").toString(), QStringLiteral("closed\n"));
    QCOMPARE(events.at(4).value("name").toString(), QStringLiteral("CommunicationError"));
    const QJsonObject& summary = events.at(5);
    QCOMPARE(summary.value("event").toString(), QStringLiteral("summary"));
    QCOMPARE(summary.value("answered").toInteger(), 1);
    QCOMPARE(summary.value("seconds").toDouble(), 0.5);
    QCOMPARE(summary.value("rt_per_s").toDouble(), 2.0);
    QCOMPARE(summary.value("rtt_ms_p50").toDouble(), 1.25);
    QVERIFY(summary.value("rtt_ms_p99").isNull());
    QCOMPARE(summary.value("interrupted").toBool(), false);
    const QJsonObject& state = events.at(6);
    QCOMPARE(state.value("event").toString(), QStringLiteral("state"));
    QCOMPARE(state.value("state").toString(), QStringLiteral("DRIVE"));
    QCOMPARE(state.value("next_stop").toString(), sanitizedRole);
    QCOMPARE(state.value("position").toObject().value("latitude").toDouble(), 49.70135);
    QCOMPARE(state.value("position").toObject().value("longitude").toDouble(), 16.9021);
    QCOMPARE(state.value("speed").toDouble(), 4.5);
    QCOMPARE(state.size(), 6);
}

namespace {

fleet::DeviceIdentity batchDevice()
{
    fleet::DeviceIdentity device;
    device.module = fleet::ModuleNumber::Transparent;
    device.role = QStringLiteral("batch");
    return device;
}

// Every line of the file, parsed; a line that does not parse is an empty object.
QList<QJsonObject> linesOf(const QString& path)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    while (!file.atEnd())
        lines.append(parseLine(file.readLine()));
    return lines;
}

} // namespace

// Command lines reuse the parts that depend on the command and the module from the line before
// (docs/performance.md#events): whatever changes from one command to the next, every line
// carries its own command's fields, exactly as a line written alone would.
void tst_JsonLineWriter::consecutiveCommandsCarryTheirOwnFields_data()
{
    QTest::addColumn<QList<QByteArray>>("data");
    QTest::addColumn<QList<quint32>>("modules");
    QTest::addColumn<QStringList>("roles");
    const quint32 transparent = fleet::ModuleNumber::Transparent;
    const quint32 example = fleet::ModuleNumber::Example;
    const QByteArray litUp = "{\"lit_up\": true}";
    QTest::newRow("the same command again")
        << QList<QByteArray>{"cmd", "cmd", "cmd"}
        << QList<quint32>{transparent, transparent, transparent} << QStringList{"a", "a", "a"};
    QTest::newRow("another command each time")
        << QList<QByteArray>{"one", "two", QByteArray(), "\xff\x00", "two"}
        << QList<quint32>{transparent, transparent, transparent, transparent, transparent}
        << QStringList{"a", "a", "a", "a", "a"};
    QTest::newRow("same bytes, another module")
        << QList<QByteArray>{litUp, litUp, litUp} << QList<quint32>{example, transparent, example}
        << QStringList{"a", "a", "a"};
    QTest::newRow("same command, devices take turns")
        << QList<QByteArray>{"cmd", "cmd", "cmd", "cmd"}
        << QList<quint32>{transparent, transparent, transparent, transparent}
        << QStringList{"a", "b\"\n", "a", "b\"\n"};
}

void tst_JsonLineWriter::consecutiveCommandsCarryTheirOwnFields()
{
    QFETCH(QList<QByteArray>, data);
    QFETCH(QList<quint32>, modules);
    QFETCH(QStringList, roles);
    QTemporaryFile file;
    QVERIFY(file.open());
    {
        fleet::OutputSink out(file.handle(), fleet::OutputSink::Mode::Immediate);
        fleet::EventPrinter printer(true, false, &out, &out);
        for (qsizetype i = 0; i < data.size(); ++i) {
            fleet::DeviceIdentity device;
            device.module = modules.at(i);
            device.role = roles.at(i);
            const bool pushed = i % 2 == 1;
            printer.command(device, i + 1, data.at(i), pushed ? std::nullopt : std::optional(0.5),
                            pushed);
        }
    } // the printer writes what it batched
    const QList<QJsonObject> lines = linesOf(file.fileName());
    QCOMPARE(lines.size(), data.size());
    for (qsizetype i = 0; i < data.size(); ++i) {
        const QJsonObject& line = lines.at(i);
        const std::optional<QString> text = fleet::exactUtf8(data.at(i));
        QCOMPARE(line.value("sequence").toInteger(), i + 1);
        QCOMPARE(line.value("role").toString(), roles.at(i));
        QCOMPARE(line.value("data"), text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null));
        QCOMPARE(line.value("hex").toString().toLatin1(), data.at(i).toHex());
        QCOMPARE(line.value("empty").toBool(), data.at(i).isEmpty());
        QCOMPARE(line.value("pushed").toBool(), i % 2 == 1);
        QCOMPARE(line.value("rtt_ms"), i % 2 == 1 ? QJsonValue(QJsonValue::Null) : QJsonValue(0.5));
        QCOMPARE(line.value("summary").toString(),
                 fleet::ModuleCatalog::describeCommand(modules.at(i), data.at(i)));
        QCOMPARE(line.size(), 9);
    }
}

// A burst of command lines (thousands of answers per second) is written in batches: what the
// first write left pending arrives within kCommandBatchMs through the event loop, complete and
// in order; an event of another kind writes the pending lines first.
void tst_JsonLineWriter::commandBurstIsBatchedInOrder_data()
{
    QTest::addColumn<int>("commands");
    QTest::addColumn<bool>("endWithError"); // or let the batch timer write them
    QTest::newRow("100 commands, written by the timer") << 100 << false;
    QTest::newRow("100 commands, then an error") << 100 << true;
    QTest::newRow("2000 commands (above the batch byte cap)") << 2000 << false;
}

void tst_JsonLineWriter::commandBurstIsBatchedInOrder()
{
    QFETCH(int, commands);
    QFETCH(bool, endWithError);
    QTemporaryFile file;
    QVERIFY(file.open());
    fleet::OutputSink out(file.handle(), fleet::OutputSink::Mode::Immediate);
    fleet::EventPrinter printer(true, false, &out, &out);
    const fleet::DeviceIdentity device = batchDevice();
    for (int i = 1; i <= commands; ++i)
        printer.command(device, i, QByteArray("cmd"), 0.5, false);
    // The first line goes out at once (nothing was written just before it).
    QVERIFY(!linesOf(file.fileName()).isEmpty());
    QCOMPARE(linesOf(file.fileName()).first().value("sequence").toInteger(), 1);
    if (endWithError) {
        printer.error(&device, QStringLiteral("ServerTookTooLong"), QStringLiteral("communication"),
                      QStringLiteral("late"));
        QCOMPARE(linesOf(file.fileName()).size(), commands + 1);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(linesOf(file.fileName()).size(), commands, 2000);
    }
    const QList<QJsonObject> lines = linesOf(file.fileName());
    for (int i = 0; i < commands; ++i) {
        QCOMPARE(lines.at(i).value("event").toString(), QStringLiteral("command"));
        QCOMPARE(lines.at(i).value("sequence").toInteger(), i + 1);
    }
    if (endWithError)
        QCOMPARE(lines.last().value("event").toString(), QStringLiteral("error"));
}

// One command per batch window or less often (scripts pacing with --interval) is written the
// moment it is printed, as before.
void tst_JsonLineWriter::slowCommandsAreWrittenAtOnce()
{
    QTemporaryFile file;
    QVERIFY(file.open());
    fleet::OutputSink out(file.handle(), fleet::OutputSink::Mode::Immediate);
    fleet::EventPrinter printer(true, false, &out, &out);
    const fleet::DeviceIdentity device = batchDevice();
    for (int i = 1; i <= 3; ++i) {
        // Spacing between the commands, not a wait for an outcome.
        QTest::qWait(fleet::EventPrinter::kCommandBatchMs + 5);
        printer.command(device, i, QByteArray("cmd"), 0.5, false);
        QCOMPARE(linesOf(file.fileName()).size(), i);
    }
}

QTEST_GUILESS_MAIN(tst_JsonLineWriter)
#include "tst_jsonlinewriter.moc"
