#include "envelope.h"
#include "framecodec.h"
#include "fuzzcheck.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <QList>

#include <cstring>

// The frame reader (docs/protocol.md#framing) and the envelope decoder behind it: any byte stream,
// cut into any chunks, yields exactly the frames a whole-stream parse finds, refuses a length
// above the cap before allocating it, and every decoded envelope encodes back to one that
// decodes the same.

using namespace fleet;

namespace {

// The frames of a whole stream, read the simplest way; `refused` when a header announces more
// than the cap.
struct Reference {
    QList<QByteArray> frames;
    qsizetype rest = 0;
    bool refused = false;
};

Reference readWhole(const QByteArray& stream, quint32 cap)
{
    Reference result;
    qsizetype at = 0;
    while (stream.size() - at >= kFrameHeaderBytes) {
        const quint32 length = decodeFrameLength(QByteArrayView(stream).sliced(at));
        if (length > cap) {
            result.refused = true;
            break;
        }
        if (quint64(stream.size() - at - kFrameHeaderBytes) < length)
            break;
        result.frames.append(stream.mid(at + kFrameHeaderBytes, length));
        at += kFrameHeaderBytes + length;
    }
    result.rest = stream.size() - at;
    return result;
}

bool sameEnvelope(const Envelope& a, const Envelope& b)
{
    return a.kind == b.kind && a.hasDevice == b.hasDevice && a.device == b.device &&
           a.payload == b.payload && a.responseType == b.responseType;
}

void checkEnvelope(EnvelopeDirection direction, const QByteArray& body)
{
    const Envelope decoded = decodeEnvelope(direction, body);
    FLEET_FUZZ_CHECK(decoded.isValid() || !decoded.error.isEmpty(), "an invalid envelope says why");
    (void)envelopeKindName(decoded.kind);
    (void)envelopeText(direction, body);
    if (!decoded.isValid())
        return;
    const Envelope again = decodeEnvelope(direction, encodeEnvelope(decoded));
    FLEET_FUZZ_CHECK(sameEnvelope(decoded, again), body.toHex());
    FLEET_FUZZ_CHECK(encodeEnvelopeFrame(decoded).mid(kFrameHeaderBytes) == encodeEnvelope(decoded),
                     body.toHex());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fleet::fuzz::quietLibraries();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider input(data, size);
    const quint32 cap =
        input.PickValueInArray<quint32>({0u, 3u, 64u, 4096u, kDefaultMaxFrameBytes});
    const size_t chunkSeed = input.ConsumeIntegralInRange<size_t>(0, 255);
    const std::string rest = input.ConsumeRemainingBytesAsString();
    const QByteArray stream(rest.data(), qsizetype(rest.size()));

    // Chunks of 1..chunkSeed bytes in a pattern of their own (the whole stream at once for 0).
    FrameReader reader(cap);
    QList<QByteArray> frames;
    qsizetype at = 0;
    size_t step = 0;
    while (at < stream.size()) {
        const qsizetype chunk =
            chunkSeed == 0 ? stream.size() : qsizetype(1 + (step++ * 7 + chunkSeed) % chunkSeed);
        reader.append(QByteArrayView(stream).sliced(at, qMin(chunk, stream.size() - at)));
        at += chunk;
        while (const std::optional<QByteArray> frame = reader.nextFrame())
            frames.append(*frame);
    }

    const Reference expected = readWhole(stream, cap);
    FLEET_FUZZ_CHECK(frames == expected.frames, "frames differ from a whole-stream read");
    FLEET_FUZZ_CHECK(reader.hasError() == expected.refused, "an oversized header is refused");
    if (!expected.refused)
        FLEET_FUZZ_CHECK(reader.pendingBytes() == expected.rest, "the rest stays buffered");
    else
        FLEET_FUZZ_CHECK(reader.refusedLength() > cap && !reader.errorString().isEmpty(),
                         "a refusal names the length");

    for (const QByteArray& frame : frames) {
        FLEET_FUZZ_CHECK(encodeFrame(frame).mid(kFrameHeaderBytes) == frame, frame.toHex());
        checkEnvelope(EnvelopeDirection::DeviceToGateway, frame);
        checkEnvelope(EnvelopeDirection::GatewayToDevice, frame);
    }
    reader.reset();
    FLEET_FUZZ_CHECK(!reader.hasError() && reader.pendingBytes() == 0, "reset forgets everything");
    return 0;
}
