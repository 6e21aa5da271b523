#include "framecodec.h"

#include "frames.h"
#include "identities.h"

#include "InternalProtocol.pb.h"

#include <QTest>
#include <QtEndian>

using fleet::encodeFrame;
using fleet::FrameReader;

namespace {

// Real status frames (built independently of the codec) for the stream tests.
QByteArray statusFrame(const QByteArray& payload)
{
    return fleet::test::statusFrame(fleet::test::button(), payload);
}

QList<QByteArray> drain(FrameReader& reader)
{
    QList<QByteArray> frames;
    while (auto frame = reader.nextFrame())
        frames.append(*frame);
    return frames;
}

} // namespace

class tst_FrameCodec : public QObject {
    Q_OBJECT
private slots:
    void headerIsLittleEndianLength();
    void messageEncodingMatchesBodyEncoding();
    void splitAtEveryByteBoundary();
    void oneByteAtATime();
    void coalescedFrames_data();
    void coalescedFrames();
    void zeroLengthFrame();
    void lengthAtCapIsAccepted();
    void lengthAboveCapIsRefusedBeforeBody();
    void errorStopsFurtherFrames();
    void garbageIsFramedNotParsed();
    void partialFrameIsKept();
    void resetClearsError();
    void viewsReadInPlaceAcrossAppends();
};

void tst_FrameCodec::headerIsLittleEndianLength()
{
    const QByteArray frame = encodeFrame(QByteArray(0x0102, 'x'));
    QCOMPARE(frame.size(), 4 + 0x0102);
    QCOMPARE(quint8(frame[0]), quint8(0x02));
    QCOMPARE(quint8(frame[1]), quint8(0x01));
    QCOMPARE(quint8(frame[2]), quint8(0));
    QCOMPARE(quint8(frame[3]), quint8(0));
    QCOMPARE(fleet::decodeFrameLength(frame), 0x0102u);
}

void tst_FrameCodec::messageEncodingMatchesBodyEncoding()
{
    InternalProtocol::InternalClient message;
    message.mutable_deviceconnect()->mutable_device()->set_devicename("n");
    const std::string body = message.SerializeAsString();
    QCOMPARE(encodeFrame(message), encodeFrame(QByteArray::fromStdString(body)));
}

void tst_FrameCodec::splitAtEveryByteBoundary()
{
    const QByteArray first = statusFrame("{\"pressed\": true}");
    const QByteArray second = statusFrame(QByteArray(300, 'z'));
    const QByteArray stream = first + second;
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        FrameReader reader;
        reader.append(QByteArrayView(stream).first(cut));
        QList<QByteArray> frames = drain(reader);
        reader.append(QByteArrayView(stream).sliced(cut));
        frames += drain(reader);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(encodeFrame(frames[0]), first);
        QCOMPARE(encodeFrame(frames[1]), second);
        QVERIFY(!reader.hasPartialFrame());
    }
}

void tst_FrameCodec::oneByteAtATime()
{
    const QByteArray stream = statusFrame("a") + statusFrame("") + statusFrame("bc");
    FrameReader reader;
    QList<QByteArray> frames;
    for (char byte : stream) {
        reader.append(QByteArrayView(&byte, 1));
        frames += drain(reader);
    }
    QCOMPARE(frames.size(), 3);
    InternalProtocol::InternalClient parsed;
    QVERIFY(parsed.ParseFromArray(frames[2].constData(), int(frames[2].size())));
    QCOMPARE(QByteArray::fromStdString(parsed.devicestatus().statusdata()), QByteArray("bc"));
}

void tst_FrameCodec::coalescedFrames_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("two") << 2;
    QTest::newRow("ten") << 10;
    QTest::newRow("thousand") << 1000;
}

void tst_FrameCodec::coalescedFrames()
{
    QFETCH(int, count);
    QByteArray stream;
    for (int i = 0; i < count; ++i)
        stream += statusFrame(QByteArray::number(i));
    FrameReader reader;
    reader.append(stream);
    const QList<QByteArray> frames = drain(reader);
    QCOMPARE(frames.size(), count);
    InternalProtocol::InternalClient last;
    QVERIFY(last.ParseFromArray(frames.last().constData(), int(frames.last().size())));
    QCOMPARE(QByteArray::fromStdString(last.devicestatus().statusdata()),
             QByteArray::number(count - 1));
}

void tst_FrameCodec::zeroLengthFrame()
{
    FrameReader reader;
    reader.append(QByteArray(4, '\0'));
    auto frame = reader.nextFrame();
    QVERIFY(frame.has_value());
    QVERIFY(frame->isEmpty());
    // An empty body parses as a message with no field set: the caller's protocol error.
    InternalProtocol::InternalServer parsed;
    QVERIFY(parsed.ParseFromArray(frame->constData(), 0));
    QCOMPARE(parsed.MessageType_case(), InternalProtocol::InternalServer::MESSAGETYPE_NOT_SET);
}

void tst_FrameCodec::lengthAtCapIsAccepted()
{
    FrameReader reader(64);
    reader.append(encodeFrame(QByteArray(64, 'a')));
    auto frame = reader.nextFrame();
    QVERIFY(frame.has_value());
    QCOMPARE(frame->size(), 64);
    QVERIFY(!reader.hasError());
}

void tst_FrameCodec::lengthAboveCapIsRefusedBeforeBody()
{
    FrameReader reader(64);
    QByteArray header(4, '\0');
    qToLittleEndian<quint32>(65, header.data());
    reader.append(header); // only the header: the body never needs to arrive
    QVERIFY(!reader.nextFrame().has_value());
    QVERIFY(reader.hasError());
    QCOMPARE(reader.refusedLength(), 65u);
    QVERIFY2(reader.errorString().contains("65"), qPrintable(reader.errorString()));
    QCOMPARE(reader.pendingBytes(), 0);

    FrameReader huge; // default cap, 4 GiB - 1 announced
    huge.append(QByteArray(4, '\xff'));
    QVERIFY(!huge.nextFrame().has_value());
    QVERIFY(huge.hasError());
    QCOMPARE(huge.refusedLength(), 0xffffffffu);
}

void tst_FrameCodec::errorStopsFurtherFrames()
{
    FrameReader reader(8);
    reader.append(encodeFrame(QByteArray(9, 'a')) + encodeFrame(QByteArray("ok")));
    QVERIFY(!reader.nextFrame().has_value());
    QVERIFY(reader.hasError());
    reader.append(encodeFrame(QByteArray("ok")));
    QVERIFY(!reader.nextFrame().has_value());
}

void tst_FrameCodec::garbageIsFramedNotParsed()
{
    // Framing is blind to content; garbage bodies are the parser's to reject.
    FrameReader reader;
    const QByteArray garbage = fleet::test::garbageBody();
    reader.append(encodeFrame(garbage));
    auto frame = reader.nextFrame();
    QVERIFY(frame.has_value());
    QCOMPARE(*frame, garbage);
    InternalProtocol::InternalServer parsed;
    QVERIFY(!parsed.ParseFromArray(frame->constData(), int(frame->size())));
}

void tst_FrameCodec::partialFrameIsKept()
{
    FrameReader reader;
    const QByteArray frame = statusFrame("partial");
    reader.append(frame.first(frame.size() - 1));
    QVERIFY(!reader.nextFrame().has_value());
    QVERIFY(reader.hasPartialFrame());
    QCOMPARE(reader.pendingBytes(), frame.size() - 1);
    reader.append(frame.last(1));
    QVERIFY(reader.nextFrame().has_value());
    QVERIFY(!reader.hasPartialFrame());
}

void tst_FrameCodec::resetClearsError()
{
    FrameReader reader(2);
    reader.append(encodeFrame(QByteArray("abc")));
    QVERIFY(!reader.nextFrame().has_value());
    QVERIFY(reader.hasError());
    reader.reset();
    QVERIFY(!reader.hasError());
    reader.append(encodeFrame(QByteArray("ab")));
    QVERIFY(reader.nextFrame().has_value());
}

QTEST_GUILESS_MAIN(tst_FrameCodec)
void tst_FrameCodec::viewsReadInPlaceAcrossAppends()
{
    // The client reads every answer as a view (docs/performance.md#client-round-trip): the
    // same bodies as nextFrame(), whether a chunk ends on a frame, inside one, or holds several,
    // and whatever the buffer kept or freed between them (a body above the kept size).
    const QList<QByteArray> bodies = {"first", QByteArray(), QByteArray(10000, 'b'), "after big",
                                      "last"};
    QByteArray stream;
    for (const QByteArray& body : bodies)
        stream += encodeFrame(body);
    for (const qsizetype split : {qsizetype(3), qsizetype(9), qsizetype(4096)}) {
        FrameReader reader;
        QList<QByteArray> seen;
        for (qsizetype at = 0; at < stream.size(); at += split) {
            reader.append(QByteArrayView(stream).sliced(at, qMin(split, stream.size() - at)));
            while (const auto view = reader.nextFrameView())
                seen.append(view->toByteArray());
        }
        QCOMPARE(seen, bodies);
        QCOMPARE(reader.pendingBytes(), 0);
    }
}

#include "tst_framecodec.moc"
