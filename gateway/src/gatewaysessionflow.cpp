// A session's reading side: frames taken from the socket, the partial-frame and decode-backlog
// budgets, and pausing and resuming for back-pressure (docs/architecture.md#limits).
#include "gatewaysession.h"

#include "gatewayserver.h"
#include "protobuflog.h"

#include <QTcpSocket>
#include <QThreadPool>
#include <QTimer>

namespace fleet {

void GatewaySession::onReadyRead()
{
    if (m_state == State::Closed || m_state == State::Doomed) {
        m_socket->readAll(); // nothing more is processed: the verdict is out
        return;
    }
    if (readingHeld())
        return; // stays in the socket until the peer takes its answers (resumeIfDrained())
                // or the worker's decode is back (onDecoded())
    // Read by processFrames() straight into the frame's storage, one frame at a time.
    if (m_socket->bytesAvailable() > 0)
        m_lastActivityMs = m_server->clockMs();
    processFrames();
}

void GatewaySession::processFrames()
{
    const qint64 maxUnsent = m_server->policy().maxUnsentBytes;
    bool frameCompleted = false;
    const qint64 offloadAbove = m_server->policy().offloadDecodeBytes;
    while (m_state != State::Closed && m_state != State::Doomed && !m_decoding && !m_budgetPaused) {
        // A peer that sends statuses but does not read the answers would otherwise make the
        // gateway queue answers without end.
        if (maxUnsent > 0 && unsentBytes() > maxUnsent) {
            pause();
            break;
        }
        // A body for the worker waits while the worker is behind: its bytes stay in the kernel.
        // The header first: a new frame's length decides before any of its body comes in.
        if (offloadAbove > 0 && m_server->decodeBacklogFull() && !m_reader.readHeader(*m_socket))
            break;
        const bool forWorker = offloadAbove > 0 && m_reader.announcedBytes() > offloadAbove;
        if (forWorker && m_reservedDecodeBytes == 0 && m_server->decodeBacklogFull()) {
            m_awaitingDecodeRoom = true;
            m_server->m_sessionsWaitForDecode = true;
            break;
        }
        if (!m_reader.readFrom(*m_socket)) {
            reserveDecodeRoom(offloadAbove);
            break;
        }
        frameCompleted = true;
        handleFrame(m_reader.takeFrame());
    }
    if (m_state == State::Closed || m_state == State::Doomed)
        return;
    if (m_reader.hasError()) {
        protocolError(m_reader.errorString());
        return;
    }
    updatePartial(frameCompleted);
}

void GatewaySession::updatePartial(bool frameCompleted)
{
    const GatewayPolicy& policy = m_server->policy();
    const qsizetype pending = m_reader.pendingBytes();
    const qsizetype delta = pending - m_countedPartial;
    m_countedPartial = pending;
    if (pending == 0) {
        m_partialSinceMs = 0;
        m_stallTimer->stop();
        m_frameTimer->stop();
    } else if (readingHeld()) {
        // The wait is the gateway's (the peer does not take its answers, or a big frame is
        // being decoded), not the peer's.
        m_stallTimer->stop();
        m_frameTimer->stop();
        if (m_partialSinceMs == 0)
            m_partialSinceMs = m_server->clockMs();
    } else {
        // The frame deadline runs from a frame's first byte; each byte restarts only the stall.
        if (m_partialSinceMs == 0 || frameCompleted) {
            m_partialSinceMs = m_server->clockMs();
            if (policy.frameDeadlineMs > 0)
                m_frameTimer->start(policy.frameDeadlineMs);
            else
                m_frameTimer->stop();
        }
        if (policy.stallTimeoutMs > 0)
            m_stallTimer->start(policy.stallTimeoutMs);
        else
            m_stallTimer->stop();
    }
    if (delta != 0)
        m_server->partialBytesChanged(delta); // may drop this session (oldest partial first)
}

void GatewaySession::releasePartial()
{
    m_reader.reset();
    m_partialSinceMs = 0;
    if (m_countedPartial == 0)
        return;
    const qsizetype delta = -m_countedPartial;
    m_countedPartial = 0;
    m_server->partialBytesChanged(delta);
}

void GatewaySession::pause()
{
    if (m_paused)
        return;
    m_paused = true;
    ++m_server->m_counters.pauses;
    m_stallTimer->stop();
    m_frameTimer->stop();
    qCDebug(lcGateway).noquote() << tag() << "paused:" << unsentBytes()
                                 << "bytes unsent, the peer does not read its answers";
}

void GatewaySession::onBytesWritten()
{
    reportUnsent();
    resumeIfDrained();
}

void GatewaySession::reportUnsent()
{
    const qint64 unsent = m_state == State::Closed ? 0 : unsentBytes();
    const qint64 delta = unsent - m_reportedUnsent;
    if (delta == 0)
        return;
    m_reportedUnsent = unsent;
    m_server->unsentChanged(delta); // may pause or resume this and other sessions
}

void GatewaySession::setBudgetPaused(bool paused)
{
    if (paused == m_budgetPaused || m_state == State::Closed)
        return;
    m_budgetPaused = paused;
    if (paused) {
        // As for the connection's own bound: the wait is the gateway's, not the peer's.
        m_stallTimer->stop();
        m_frameTimer->stop();
        qCDebug(lcGateway).noquote() << tag()
                                     << "paused: the gateway's unsent answers of all "
                                        "connections are above their budget, and this "
                                        "one holds"
                                     << unsentBytes();
        return;
    }
    m_partialSinceMs = 0; // the frame deadline starts again
    scheduleResume();
}

// A body bound for the worker counts in its backlog from the moment it is being received, not
// only once complete: then the bodies arriving at once and those awaiting the worker are bounded
// together (docs/architecture.md#limits), rather than every connection that started a body
// before the backlog filled going on to receive all of it.
void GatewaySession::reserveDecodeRoom(qint64 offloadAbove)
{
    const qint64 announced = m_reader.announcedBytes();
    if (offloadAbove <= 0 || announced <= offloadAbove || m_reservedDecodeBytes > 0)
        return;
    m_reservedDecodeBytes = announced;
    m_server->decodeBacklogChanged(announced);
}

void GatewaySession::releaseDecodeRoom()
{
    if (m_reservedDecodeBytes > 0)
        m_server->decodeBacklogChanged(-std::exchange(m_reservedDecodeBytes, 0));
}

void GatewaySession::decodeRoomAvailable()
{
    if (!m_awaitingDecodeRoom)
        return;
    m_awaitingDecodeRoom = false;
    scheduleResume();
}

void GatewaySession::resumeIfDrained()
{
    if (!m_paused || m_state == State::Closed || m_state == State::Doomed)
        return;
    // Half the bound: a peer reading slowly does not flip the session every answer.
    if (unsentBytes() > m_server->policy().maxUnsentBytes / 2)
        return;
    m_paused = false;
    m_partialSinceMs = 0; // the frame deadline starts again: the wait was the gateway's
    qCDebug(lcGateway).noquote() << tag() << "resumed";
    scheduleResume();
}

void GatewaySession::scheduleResume()
{
    if (m_resumeQueued || readingHeld() || m_state == State::Closed || m_state == State::Doomed)
        return;
    // Not from inside a write (bytesWritten can come from sendFrame's flush()).
    m_resumeQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_resumeQueued = false;
            onReadyRead();
        },
        Qt::QueuedConnection);
}

void GatewaySession::handleFrame(const FrameBody& body)
{
    if (m_server->wantsFrames())
        emitFrame(GatewayFrame::Direction::In, body.frame());
    const qint64 offloadAbove = m_server->policy().offloadDecodeBytes;
    if (offloadAbove > 0 && body.size() > offloadAbove) {
        decodeInWorker(body);
        return;
    }
    ProtobufLog::takeLastMessage(); // only what this parse logs counts
    const Envelope envelope = decodeEnvelope(EnvelopeDirection::DeviceToGateway, body.joined());
    handleEnvelope(envelope, std::nullopt, ProtobufLog::takeLastMessage());
}

} // namespace fleet
