// The one envelope encoder/decoder: every kind round-trips, and every body that is no valid
// envelope for its direction is named as such, with an error an operator can read.
#include "envelope.h"
#include "framecodec.h"

#include <QTest>

using namespace fleet;

Q_DECLARE_METATYPE(fleet::EnvelopeDirection)
Q_DECLARE_METATYPE(fleet::EnvelopeKind)

namespace {

DeviceIdentity vehicle()
{
    DeviceIdentity device;
    device.module = ModuleNumber::Mission;
    device.deviceType = 1;
    device.role = QStringLiteral("autonomy");
    device.name = QStringLiteral("virtual_vehicle");
    device.priority = 7;
    return device;
}

DeviceIdentity unicodeDevice()
{
    DeviceIdentity device;
    device.module = 4242; // unnamed module numbers stay intact (open enum)
    device.deviceType = 0xffffffffu;
    device.role = QStringLiteral("rôle ✓");
    device.name = QStringLiteral("名前");
    device.priority = 0;
    return device;
}

// What a peer sees for a message without a Device: the schema's defaults.
DeviceIdentity schemaDefaults()
{
    DeviceIdentity device;
    device.module = 0;
    return device;
}

} // namespace

class tst_Envelope : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void frameIsHeaderPlusBody();
    void invalidBody_data();
    void invalidBody();
    void responseTypeNames_data();
    void responseTypeNames();
    void textForm();
};

void tst_Envelope::roundTrip_data()
{
    QTest::addColumn<Envelope>("envelope");
    QTest::addColumn<EnvelopeDirection>("direction");

    const auto up = EnvelopeDirection::DeviceToGateway;
    const auto down = EnvelopeDirection::GatewayToDevice;
    QTest::newRow("connect") << Envelope::connect(vehicle()) << up;
    QTest::newRow("connect, unnamed module and unicode names")
        << Envelope::connect(unicodeDevice()) << up;
    Envelope bare = Envelope::connect(schemaDefaults());
    bare.hasDevice = false;
    QTest::newRow("connect without a device") << bare << up;
    QTest::newRow("status") << Envelope::status(vehicle(), "{\"pressed\": true}") << up;
    QTest::newRow("status, empty payload") << Envelope::status(vehicle(), {}) << up;
    QTest::newRow("status, binary payload")
        << Envelope::status(vehicle(), QByteArray("\x00\xff\x08\x01", 4)) << up;
    for (int type = 0; type <= 4; ++type) {
        const auto responseType = static_cast<ResponseType>(type);
        QTest::addRow("connect response %s", qPrintable(responseTypeName(responseType)))
            << Envelope::connectResponse(responseType, vehicle()) << down;
    }
    QTest::newRow("connect response, unknown type 9")
        << Envelope::connectResponse(static_cast<ResponseType>(9), vehicle()) << down;
    QTest::newRow("command") << Envelope::command(vehicle(), "{\"lit_up\": true}") << down;
    QTest::newRow("command, empty (nothing new)") << Envelope::command(vehicle(), {}) << down;
    QTest::newRow("empty to gateway") << Envelope::empty(up) << up;
    QTest::newRow("empty to device") << Envelope::empty(down) << down;
}

void tst_Envelope::roundTrip()
{
    QFETCH(Envelope, envelope);
    QFETCH(EnvelopeDirection, direction);
    QCOMPARE(envelope.direction, direction);

    const QByteArray body = encodeEnvelope(envelope);
    const Envelope decoded = decodeEnvelope(direction, body);
    QCOMPARE(decoded.direction, direction);
    QCOMPARE(decoded.kind, envelope.kind);
    QCOMPARE(decoded.isValid(), envelope.kind != EnvelopeKind::Empty);
    QCOMPARE(decoded.hasDevice, envelope.hasDevice);
    QCOMPARE(decoded.device, envelope.device);
    QCOMPARE(decoded.payload, envelope.payload);
    QCOMPARE(decoded.responseType, envelope.responseType);
    QCOMPARE(decoded.error.isEmpty(), decoded.isValid());
}

void tst_Envelope::frameIsHeaderPlusBody()
{
    const Envelope envelope = Envelope::status(vehicle(), "abc");
    const QByteArray frame = encodeEnvelopeFrame(envelope);
    QCOMPARE(frame, encodeFrame(encodeEnvelope(envelope)));
    QCOMPARE(decodeFrameLength(frame), quint32(frame.size() - kFrameHeaderBytes));
    QCOMPARE(encodeEnvelopeFrame(Envelope::empty(EnvelopeDirection::GatewayToDevice)),
             QByteArray(4, '\0'));
}

void tst_Envelope::invalidBody_data()
{
    QTest::addColumn<EnvelopeDirection>("direction");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<EnvelopeKind>("kind");
    QTest::addColumn<QString>("error");

    const auto up = EnvelopeDirection::DeviceToGateway;
    const auto down = EnvelopeDirection::GatewayToDevice;
    QTest::newRow("zero-length body to gateway")
        << up << QByteArray() << EnvelopeKind::Empty
        << "InternalClient with neither deviceConnect nor deviceStatus set (a zero-length body)";
    QTest::newRow("zero-length body to device")
        << down << QByteArray() << EnvelopeKind::Empty
        << "InternalServer with neither deviceConnectResponse nor deviceCommand set (a "
           "zero-length body)";
    // Field 3, a varint: unknown to the schema, so the message parses with nothing set.
    QTest::newRow("only an unknown field to device")
        << down << QByteArray("\x18\x01", 2) << EnvelopeKind::Empty
        << "InternalServer with neither deviceConnectResponse nor deviceCommand set (a 2-byte "
           "body)";
    QTest::newRow("garbage to gateway")
        << up << QByteArray("\x07\xff\xfe\x01garbage", 11) << EnvelopeKind::Unparsable
        << "11 bytes that do not parse as InternalClient";
    QTest::newRow("garbage to device")
        << down << QByteArray("\xff\xff\xff", 3) << EnvelopeKind::Unparsable
        << "3 bytes that do not parse as InternalServer";
    // Field 1 announces 5 bytes of sub-message, 2 follow.
    QTest::newRow("truncated sub-message")
        << down
        << QByteArray("\x0a\x05"
                      "ab")
        << EnvelopeKind::Unparsable << "4 bytes that do not parse as InternalServer";
    QTest::newRow("single stray byte") << up << QByteArray("\x0a", 1) << EnvelopeKind::Unparsable
                                       << "1 byte that does not parse as InternalClient";
    // proto3 strings must be UTF-8: a role of invalid bytes makes the message unparsable.
    QTest::newRow("invalid UTF-8 in a string")
        << up << QByteArray("\x0a\x05\x0a\x03\x1a\x01\xff", 7) << EnvelopeKind::Unparsable
        << "7 bytes that do not parse as InternalClient";
}

void tst_Envelope::invalidBody()
{
    QFETCH(EnvelopeDirection, direction);
    QFETCH(QByteArray, body);
    QFETCH(EnvelopeKind, kind);
    QFETCH(QString, error);

    const Envelope decoded = decodeEnvelope(direction, body);
    QCOMPARE(decoded.kind, kind);
    QVERIFY(!decoded.isValid());
    QCOMPARE(decoded.direction, direction);
    QCOMPARE(decoded.error, error);
    QVERIFY(!decoded.hasDevice);
    QCOMPARE(decoded.device, schemaDefaults());
    QVERIFY(decoded.payload.isEmpty());
}

void tst_Envelope::responseTypeNames_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("known");
    QTest::addColumn<QString>("name");

    QTest::newRow("0") << 0 << true << "OK";
    QTest::newRow("1") << 1 << true << "ALREADY_CONNECTED";
    QTest::newRow("2") << 2 << true << "MODULE_NOT_SUPPORTED";
    QTest::newRow("3") << 3 << true << "DEVICE_NOT_SUPPORTED";
    QTest::newRow("4") << 4 << true << "HIGHER_PRIORITY_ALREADY_CONNECTED";
    QTest::newRow("5, unknown") << 5 << false << "response type 5";
    QTest::newRow("-1, unknown") << -1 << false << "response type -1";
}

void tst_Envelope::responseTypeNames()
{
    QFETCH(int, type);
    QFETCH(bool, known);
    QFETCH(QString, name);
    QCOMPARE(isKnownResponseType(static_cast<ResponseType>(type)), known);
    QCOMPARE(responseTypeName(static_cast<ResponseType>(type)), name);
    QCOMPARE(responseTypeName(type), name);
}

void tst_Envelope::textForm()
{
    const QByteArray body = encodeEnvelope(Envelope::status(unicodeDevice(), "{\"on\": true}"));
    const QString text = envelopeText(EnvelopeDirection::DeviceToGateway, body);
    QVERIFY2(text.contains(QStringLiteral("deviceStatus")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("module: 4242")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\"名前\"")), qPrintable(text)); // not octal escapes
    QVERIFY2(text.contains(QStringLiteral("statusData: \"{\\\"on\\\": true}\"")), qPrintable(text));
    QCOMPARE(envelopeText(EnvelopeDirection::GatewayToDevice, QByteArray("\xff\xff\xff", 3)),
             QString());
}

QTEST_GUILESS_MAIN(tst_Envelope)
#include "tst_envelope.moc"
