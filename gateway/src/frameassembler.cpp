#include "frameassembler.h"

#include "framecodec.h"

#include <QIODevice>
#include <QtEndian>

#include <cstring>

namespace fleet {

static_assert(kFrameHeaderBytes == 4);

QByteArray FrameBody::joined() const
{
    if (m_segments.size() == 1)
        return m_segments.first();
    QByteArray body(m_size, Qt::Uninitialized);
    qsizetype at = 0;
    for (const QByteArray& segment : m_segments) {
        std::memcpy(body.data() + at, segment.constData(), size_t(segment.size()));
        at += segment.size();
    }
    return body;
}

QByteArray FrameBody::frame() const
{
    QByteArray frame(kFrameHeaderBytes, Qt::Uninitialized);
    qToLittleEndian<quint32>(quint32(m_size), frame.data());
    frame.reserve(kFrameHeaderBytes + m_size);
    for (const QByteArray& segment : m_segments)
        frame.append(segment);
    return frame;
}

FrameAssembler::FrameAssembler(quint32 maxFrameBytes)
    : m_maxFrameBytes(maxFrameBytes)
{
}

bool FrameAssembler::readHeader(QIODevice& device)
{
    while (!hasError() && !headerComplete()) {
        const qint64 read = device.read(m_header + m_headerFilled, kHeaderBytes - m_headerFilled);
        if (read <= 0)
            return false;
        m_headerFilled += read;
        if (!headerComplete())
            continue;
        const quint32 length = decodeFrameLength(QByteArrayView(m_header, kHeaderBytes));
        if (length > m_maxFrameBytes) {
            // Before anything is allocated for it (docs/protocol.md#framing).
            m_error = QStringLiteral("frame of %1 bytes announced, above the limit of %2 bytes")
                          .arg(length)
                          .arg(m_maxFrameBytes);
            return false;
        }
        m_body = FrameBody();
        m_body.m_size = qsizetype(length);
        m_received = 0;
    }
    return headerComplete() && !hasError();
}

bool FrameAssembler::readFrom(QIODevice& device)
{
    while (!hasError()) {
        if (!headerComplete() && !readHeader(device))
            return false;
        if (m_received == m_body.m_size)
            return true;
        // The next segment is allocated when its first byte is here.
        // (once: a read that found nothing leaves it allocated and empty).
        const qsizetype offset = m_received % kFrameSegmentBytes;
        if (m_body.m_segments.size() == m_received / kFrameSegmentBytes)
            m_body.m_segments.append(QByteArray(
                qMin(kFrameSegmentBytes, m_body.m_size - m_received), Qt::Uninitialized));
        QByteArray& segment = m_body.m_segments.last();
        const qint64 read = device.read(segment.data() + offset, segment.size() - offset);
        if (read <= 0)
            return false;
        m_received += read;
    }
    return false;
}

FrameBody FrameAssembler::takeFrame()
{
    Q_ASSERT(headerComplete() && m_received == m_body.m_size);
    FrameBody body = std::move(m_body);
    m_body = FrameBody();
    m_headerFilled = 0;
    m_received = 0;
    return body;
}

void FrameAssembler::reset()
{
    m_body = FrameBody();
    m_headerFilled = 0;
    m_received = 0;
    m_error.clear();
}

} // namespace fleet
