#include "framecodec.h"

#include <google/protobuf/message_lite.h>

#include <QtEndian>

#include <cstring>

namespace fleet {

QByteArray encodeFrame(QByteArrayView body)
{
    QByteArray frame;
    frame.resize(kFrameHeaderBytes + body.size());
    qToLittleEndian<quint32>(static_cast<quint32>(body.size()), frame.data());
    if (!body.isEmpty())
        std::memcpy(frame.data() + kFrameHeaderBytes, body.data(), size_t(body.size()));
    return frame;
}

QByteArray encodeFrame(const google::protobuf::MessageLite& message)
{
    const size_t bodySize = message.ByteSizeLong();
    QByteArray frame;
    frame.resize(kFrameHeaderBytes + qsizetype(bodySize));
    qToLittleEndian<quint32>(static_cast<quint32>(bodySize), frame.data());
    message.SerializeWithCachedSizesToArray(
        reinterpret_cast<uint8_t*>(frame.data() + kFrameHeaderBytes));
    return frame;
}

quint32 decodeFrameLength(QByteArrayView header)
{
    Q_ASSERT(header.size() >= kFrameHeaderBytes);
    return qFromLittleEndian<quint32>(header.data());
}

FrameReader::FrameReader(quint32 maxFrameBytes)
    : m_maxFrameBytes(maxFrameBytes)
{
}

void FrameReader::append(QByteArrayView chunk)
{
    if (hasError() || chunk.isEmpty())
        return;
    compact();
    m_buffer.append(chunk.data(), chunk.size());
}

std::optional<QByteArray> FrameReader::nextFrame()
{
    const std::optional<QByteArrayView> body = nextFrameView();
    if (!body)
        return std::nullopt;
    return body->toByteArray();
}

std::optional<QByteArrayView> FrameReader::nextFrameView()
{
    // The previous view is over: a buffer whose frames were all taken is emptied now, so a
    // large one is not held until the next bytes arrive.
    if (m_readPos > 0 && m_readPos == m_buffer.size())
        compact();
    if (hasError() || pendingBytes() < kFrameHeaderBytes)
        return std::nullopt;
    const quint32 length = decodeFrameLength(QByteArrayView(m_buffer).sliced(m_readPos));
    if (length > m_maxFrameBytes) {
        // Checked before waiting for (or allocating) the body: a hostile or broken peer
        // announcing gigabytes must not make us buffer them (docs/protocol.md#framing).
        m_refusedLength = length;
        m_error = QStringLiteral("frame of %1 bytes announced, above the limit of %2 bytes")
                      .arg(length)
                      .arg(m_maxFrameBytes);
        m_buffer.clear();
        m_readPos = 0;
        return std::nullopt;
    }
    if (pendingBytes() - kFrameHeaderBytes < qsizetype(length))
        return std::nullopt;
    const QByteArrayView body =
        QByteArrayView(m_buffer).sliced(m_readPos + kFrameHeaderBytes, qsizetype(length));
    // The bytes stay where they are until the next call drops them (compact()).
    m_readPos += kFrameHeaderBytes + length;
    return body;
}

void FrameReader::reset()
{
    m_buffer.clear();
    m_readPos = 0;
    m_refusedLength = 0;
    m_error.clear();
}

// Consumed bytes are dropped lazily, so a chunk holding many frames costs one move, not one
// per frame.
void FrameReader::compact()
{
    if (m_readPos == 0)
        return;
    if (m_readPos < m_buffer.size())
        m_buffer.remove(0, m_readPos);
    else if (m_buffer.capacity() <= kKeptCapacityBytes)
        m_buffer.resize(0); // every frame taken: keep the block for the next bytes
    else
        m_buffer.clear();
    m_readPos = 0;
}

} // namespace fleet
