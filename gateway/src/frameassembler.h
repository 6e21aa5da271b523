#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QIODevice;
QT_END_NAMESPACE

namespace fleet {

// Bodies above this size are received in segments of this size, allocated as their bytes
// arrive: a peer announcing 16 MiB and sending a few bytes holds a few bytes, and a growing body
// is never reallocated and copied (docs/architecture.md#limits).
inline constexpr qsizetype kFrameSegmentBytes = 1024 * 1024;

// One received frame body: one buffer, or several segments for a body above kFrameSegmentBytes.
class FrameBody {
public:
    qsizetype size() const { return m_size; }
    bool isSegmented() const { return m_segments.size() > 1; }
    // The body in one buffer: the segment itself when there is one (no copy), else a copy.
    // Megabytes for a segmented body: the gateway joins those on its decode worker.
    QByteArray joined() const;
    // Header and body in one buffer, as on the wire (for traffic records).
    QByteArray frame() const;

private:
    friend class FrameAssembler;
    QList<QByteArray> m_segments;
    qsizetype m_size = 0;
};

// The gateway's frame reader (docs/protocol.md#framing): reads straight from a socket's buffer
// into the body's own storage, sized from the announced length, so each received byte is
// copied once. FrameReader's append-and-split costs a reallocation copy of the growing buffer
// and another of each body; for a 16 MiB frame that is tens of megabytes copied on the event
// loop, which stalled every other device.
class FrameAssembler {
public:
    explicit FrameAssembler(quint32 maxFrameBytes);

    // Reads from `device` into the current frame, stopping at its last byte so later bytes stay
    // in the device. True when a whole frame is ready for takeFrame().
    bool readFrom(QIODevice& device);
    // Reads no more than the current frame's header: the caller learns the announced length
    // before any of the body is taken in. True once the header is complete.
    bool readHeader(QIODevice& device);
    FrameBody takeFrame();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // The body length the current frame's header announced, or -1 before its header is in.
    qsizetype announcedBytes() const { return headerComplete() ? m_body.m_size : -1; }
    // Received bytes of the unfinished frame, header included.
    qsizetype pendingBytes() const { return m_headerFilled + m_received; }
    bool hasPartialFrame() const { return pendingBytes() > 0; }
    // Forgets the unfinished frame and any error.
    void reset();

private:
    bool headerComplete() const { return m_headerFilled == kHeaderBytes; }

    static constexpr qsizetype kHeaderBytes = 4;
    quint32 m_maxFrameBytes;
    char m_header[kHeaderBytes] = {};
    qsizetype m_headerFilled = 0;
    qsizetype m_received = 0; // body bytes
    FrameBody m_body;         // m_size: the announced length once the header is complete
    QString m_error;
};

} // namespace fleet
