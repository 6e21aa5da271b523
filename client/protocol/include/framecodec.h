#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>

namespace google::protobuf {
class MessageLite;
}

namespace fleet {

// One frame is a little-endian uint32 length followed by that many bytes of one serialized
// protobuf message (docs/protocol.md#framing).
inline constexpr qsizetype kFrameHeaderBytes = 4;
inline constexpr quint32 kDefaultMaxFrameBytes = 16u * 1024u * 1024u;

// Header and body in one buffer, so a caller can send a frame in a single write.
QByteArray encodeFrame(QByteArrayView body);
QByteArray encodeFrame(const google::protobuf::MessageLite& message);

// Reads the announced body length of a frame that starts at `bytes` (at least 4 bytes).
quint32 decodeFrameLength(QByteArrayView header);

// Takes chunks of a byte stream in any split and yields whole frame bodies. A partial frame
// stays buffered until the rest arrives. An announced length above the cap is reported
// before anything is allocated for it, and the reader then refuses further input.
class FrameReader {
public:
    explicit FrameReader(quint32 maxFrameBytes = kDefaultMaxFrameBytes);

    void append(QByteArrayView chunk);

    // The next whole frame body, or nothing while the buffered bytes hold no whole frame
    // (or after an error).
    std::optional<QByteArray> nextFrame();
    // The same without a copy: the body's bytes inside the reader, valid until the next call of
    // append(), nextFrame(), nextFrameView() or reset() on this reader.
    std::optional<QByteArrayView> nextFrameView();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // Length announced by the header that was refused, 0 if none.
    quint32 refusedLength() const { return m_refusedLength; }

    // Bytes buffered but not yet returned as frames (a partial frame, headers included).
    qsizetype pendingBytes() const { return m_buffer.size() - m_readPos; }
    bool hasPartialFrame() const { return pendingBytes() > 0; }

    quint32 maxFrameBytes() const { return m_maxFrameBytes; }
    void setMaxFrameBytes(quint32 maxFrameBytes) { m_maxFrameBytes = maxFrameBytes; }

    // Forgets buffered bytes and any error, e.g. for a new connection.
    void reset();

private:
    // A buffer up to this size is kept for the next bytes once its frames are taken: a device's
    // answers then cost no allocation each. Larger ones are freed.
    static constexpr qsizetype kKeptCapacityBytes = 4 * 1024;

    void compact();

    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    quint32 m_maxFrameBytes;
    quint32 m_refusedLength = 0;
    QString m_error;
};

} // namespace fleet
