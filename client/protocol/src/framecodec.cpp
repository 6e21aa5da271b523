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
    QByteArray body = m_buffer.mid(m_readPos + kFrameHeaderBytes, length);
    m_readPos += kFrameHeaderBytes + length;
    if (m_readPos == m_buffer.size()) {
        m_buffer.clear();
        m_readPos = 0;
    }
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
    m_buffer.remove(0, m_readPos);
    m_readPos = 0;
}

} // namespace fleet
