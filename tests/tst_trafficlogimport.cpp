// Reading a traffic log export back (docs/scenarios.md#record-and-replay): every kind of row
// the export writes comes back as the same frame, and a line that does not read is refused
// naming the file, the line and what is wrong, within the import's bounds.
#include "frames.h"
#include "identities.h"
#include "trafficlogexport.h"
#include "trafficlogimport.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::TrafficImportLimits)

namespace {

constexpr qint64 kStart = 1'780'000'000'123;

// One frame of each kind the export writes, from two devices and both sides.
TrafficSnapshot everyKind()
{
    const DeviceIdentity button = test::button(QStringLiteral("button"), 0, QStringLiteral("b1"));
    const DeviceIdentity rival = test::button(QStringLiteral("button"), 1, QStringLiteral("r"));
    TrafficSnapshot snapshot;
    snapshot.devices = {button.toString(), rival.toString(), QStringLiteral("connection #3")};
    auto add = [&](quint32 device, TrafficSide side, TrafficKind kind, TrafficDirection direction,
                   const QByteArray& wire) -> TrafficFrame& {
        TrafficFrame frame;
        frame.wire = wire;
        frame.timeMs = kStart + snapshot.frames.size() * 7;
        frame.device = device;
        frame.side = side;
        frame.kind = kind;
        frame.direction = direction;
        snapshot.frames.append(frame);
        return snapshot.frames.last();
    };
    const auto up = TrafficDirection::DeviceToGateway;
    const auto down = TrafficDirection::GatewayToDevice;
    add(0, TrafficSide::Device, TrafficKind::Connect, up, test::connectFrame(button));
    add(0, TrafficSide::Gateway, TrafficKind::Connect, up, test::connectFrame(button));
    add(0, TrafficSide::Device, TrafficKind::ConnectResponse, down,
        test::connectResponseFrame(button))
        .responseType = 0;
    add(1, TrafficSide::Device, TrafficKind::ConnectResponse, down,
        test::connectResponseFrame(rival, 1))
        .responseType = 1;
    add(0, TrafficSide::Device, TrafficKind::Status, up,
        test::statusFrame(button, R"({"pressed": true})"));
    add(0, TrafficSide::Device, TrafficKind::Command, down,
        test::commandFrame(button, R"({"lit_up": false})"))
        .roundTripMs = 1.25f;
    add(0, TrafficSide::Device, TrafficKind::Status, up,
        test::statusFrame(button, QByteArray("\x00\xff\x01", 3)));
    add(0, TrafficSide::Gateway, TrafficKind::PushedCommand, down,
        test::commandFrame(button, "pushed"));
    add(2, TrafficSide::Gateway, TrafficKind::Malformed, up,
        test::frameAround(test::garbageBody()));
    add(2, TrafficSide::Gateway, TrafficKind::ProtocolError, up, test::headerAnnouncing(99)).note =
        QStringLiteral("protocol error: the connection closed in a frame");
    add(0, TrafficSide::Device, TrafficKind::Connection, up, {}).note =
        QStringLiteral("TCP connection to 127.0.0.1:8888 open");
    TrafficFrame& large = add(0, TrafficSide::Device, TrafficKind::Status, up,
                              test::statusFrame(button, QByteArray(200, 'z')));
    large.largeSize = quint32(large.wire.size());
    large.wire.truncate(64);
    large.note = QStringLiteral("status: 200 bytes");
    return snapshot;
}

QByteArray exportLines(const TrafficSnapshot& snapshot)
{
    QByteArray out;
    for (const TrafficFrame& frame : snapshot.frames)
        out += trafficJsonLine(snapshot, frame) + '\n';
    return out;
}

// A valid line to break one field of: a status of the button.
QByteArray statusLine(const QByteArray& replace = {}, const QByteArray& with = {})
{
    TrafficSnapshot snapshot;
    snapshot.devices = {test::button().toString()};
    TrafficFrame frame;
    frame.wire = test::statusFrame(test::button(), "hello");
    frame.timeMs = kStart;
    frame.kind = TrafficKind::Status;
    snapshot.frames = {frame};
    QByteArray line = trafficJsonLine(snapshot, frame);
    if (!replace.isEmpty()) {
        Q_ASSERT(line.contains(replace));
        line.replace(replace, with);
    }
    return line;
}

} // namespace

class tst_TrafficLogImport : public QObject {
    Q_OBJECT
private slots:
    void roundTrip();
    void roundTripThroughAFile();
    void errors_data();
    void errors();
    void bounds_data();
    void bounds();
};

void tst_TrafficLogImport::roundTrip()
{
    const TrafficSnapshot original = everyKind();
    QByteArray lines = exportLines(original);
    lines.replace(lines.indexOf('\n'), 1, "\r\n\n"); // a CRLF and a blank line are fine
    QBuffer buffer(&lines);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    TrafficSnapshot imported;
    TrafficImportError error;
    QVERIFY2(TrafficLogImport::read(&buffer, QStringLiteral("t.jsonl"), &imported, &error),
             qPrintable(error.toString()));
    QCOMPARE(imported.frames.size(), original.frames.size());
    for (qsizetype i = 0; i < original.frames.size(); ++i) {
        const TrafficFrame& want = original.frames[i];
        const TrafficFrame& got = imported.frames[i];
        const QByteArray row = QByteArray::number(i) + ": " + trafficKindKey(want.kind).toUtf8();
        QVERIFY2(got.wire == want.wire, row.constData());
        QVERIFY2(got.timeMs == want.timeMs, row.constData());
        QVERIFY2(got.kind == want.kind, row.constData());
        QVERIFY2(got.side == want.side, row.constData());
        QVERIFY2(imported.deviceName(got) == original.deviceName(want), row.constData());
        QVERIFY2(got.largeSize == want.largeSize, row.constData());
        QVERIFY2(qAbs(got.roundTripMs - want.roundTripMs) < 0.001f, row.constData());
        if (want.kind != TrafficKind::Connection)
            QVERIFY2(got.direction == want.direction, row.constData());
        if (want.kind == TrafficKind::ConnectResponse)
            QVERIFY2(got.responseType == want.responseType, row.constData());
        // What a person reads about the row is the same after the import.
        QVERIFY2(summarizeFrame(got) == summarizeFrame(want), row.constData());
    }
    // The table keeps the labels in the order they came, each once.
    QCOMPARE(imported.devices, original.devices);
}

void tst_TrafficLogImport::roundTripThroughAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fileName = dir.filePath(QStringLiteral("log.jsonl"));
    const TrafficSnapshot original = everyKind();
    const TrafficExportResult written =
        writeTrafficLog(original, fileName, TrafficExportFormat::JsonLines);
    QVERIFY2(written.ok, qPrintable(written.error));
    TrafficSnapshot imported;
    TrafficImportError error;
    QVERIFY2(TrafficLogImport::load(fileName, &imported, &error), qPrintable(error.toString()));
    // Exported again, the import reads as the same file.
    QCOMPARE(exportLines(imported), exportLines(original));

    QVERIFY(!TrafficLogImport::load(dir.filePath(QStringLiteral("none.jsonl")), &imported, &error));
    QVERIFY2(error.toString().startsWith(dir.filePath(QStringLiteral("none.jsonl: cannot read"))),
             qPrintable(error.toString()));
}

void tst_TrafficLogImport::errors_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("error"); // the start of TrafficImportError::toString()

    const QByteArray good = statusLine() + '\n';
    QTest::newRow("not JSON") << good + "{\"time\": oops}\n"
                              << "t.jsonl:2: not JSON: column ";
    QTest::newRow("not an object") << good + good + "[1, 2]\n"
                                   << "t.jsonl:3: not a JSON object";
    QTest::newRow("missing frame") << statusLine(",\"frame_base64\":", ",\"other\":")
                                   << "t.jsonl:1: \"frame_base64\" is missing";
    QTest::newRow("frame not text")
        << statusLine(",\"frame_base64\":\"", ",\"frame_base64\":7,\"x\":\"")
        << "t.jsonl:1: \"frame_base64\" must be text";
    QTest::newRow("bad base64") << statusLine(",\"frame_base64\":\"", ",\"frame_base64\":\"*")
                                << "t.jsonl:1: \"frame_base64\" is not base64";
    QTest::newRow("bad time") << statusLine("\"time\":\"", "\"time\":\"yesterday ")
                              << "t.jsonl:1: \"time\" \"yesterday ";
    QTest::newRow("bad side") << statusLine("\"side\":\"device\"", "\"side\":\"cloud\"")
                              << "t.jsonl:1: \"side\" must be device or gateway, not \"cloud\"";
    QTest::newRow("unknown kind") << statusLine("\"kind\":\"status\"", "\"kind\":\"gossip\"")
                                  << "t.jsonl:1: \"kind\" \"gossip\" is unknown (known: connect, ";
    QTest::newRow("bad direction")
        << statusLine("\"direction\":\"device_to_gateway\"", "\"direction\":\"local\"")
        << "t.jsonl:1: \"direction\" must be device_to_gateway or gateway_to_device, not \"local\"";
    QTest::newRow("kind and bytes disagree")
        << statusLine("\"kind\":\"status\"", "\"kind\":\"connect\"")
        << "t.jsonl:1: \"kind\" says connect, but \"frame_base64\" holds a status";
    QTest::newRow("bytes of no frame")
        << statusLine(",\"frame_base64\":\"", ",\"frame_base64\":\"AAAA")
        << "t.jsonl:1: \"kind\" says status, but \"frame_base64\" holds no valid";
    QTest::newRow("negative round trip")
        << statusLine(",\"summary\":", ",\"round_trip_ms\":-1,\"summary\":")
        << "t.jsonl:1: \"round_trip_ms\" must be a number of milliseconds";
    QTest::newRow("cut without a size")
        << statusLine(",\"summary\":", ",\"cut_to\":3,\"summary\":")
        << "t.jsonl:1: \"cut_to\" needs a \"size\" above the bytes kept";
    QTest::newRow("empty file") << QByteArray("\n\n") << "t.jsonl: no frames";
}

void tst_TrafficLogImport::errors()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, error);
    QBuffer buffer(&content);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    TrafficSnapshot snapshot;
    snapshot.devices = {QStringLiteral("untouched")};
    TrafficImportError found;
    QVERIFY(!TrafficLogImport::read(&buffer, QStringLiteral("t.jsonl"), &snapshot, &found));
    QVERIFY2(found.toString().startsWith(error), qPrintable(found.toString()));
    QCOMPARE(snapshot.devices, QStringList{QStringLiteral("untouched")}); // nothing half-read
}

void tst_TrafficLogImport::bounds_data()
{
    QTest::addColumn<TrafficImportLimits>("limits");
    QTest::addColumn<QString>("error");
    const qint64 line = statusLine().size() + 1;
    QTest::newRow("a file above the bound")
        << TrafficImportLimits{3 * line - 1, line, 10}
        << QStringLiteral("t.jsonl: %1 bytes, more than the %2 bytes an import reads")
               .arg(3 * line)
               .arg(3 * line - 1);
    QTest::newRow("a line above the bound")
        << TrafficImportLimits{3 * line, line - 10, 10} << "t.jsonl:1: the line is longer than";
    QTest::newRow("more frames than the bound")
        << TrafficImportLimits{3 * line, line, 2} << "t.jsonl:3: more than 2 frames";
    QTest::newRow("within every bound") << TrafficImportLimits{3 * line, line, 3} << "";
}

void tst_TrafficLogImport::bounds()
{
    QFETCH(TrafficImportLimits, limits);
    QFETCH(QString, error);
    QByteArray content = statusLine() + '\n' + statusLine() + '\n' + statusLine() + '\n';
    QBuffer buffer(&content);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    TrafficSnapshot snapshot;
    TrafficImportError found;
    const bool ok =
        TrafficLogImport::read(&buffer, QStringLiteral("t.jsonl"), &snapshot, &found, limits);
    if (error.isEmpty()) {
        QVERIFY2(ok, qPrintable(found.toString()));
        QCOMPARE(snapshot.frames.size(), 3);
    } else {
        QVERIFY(!ok);
        QVERIFY2(found.toString().startsWith(error), qPrintable(found.toString()));
    }
}

QTEST_GUILESS_MAIN(tst_TrafficLogImport)
#include "tst_trafficlogimport.moc"
