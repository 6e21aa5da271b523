#include "outputsink.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <climits>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fleet {

namespace {

// At exit, a reader that never reads does not hold a Buffered sink's process forever.
constexpr int kExitFlushTimeoutMs = 2000;

bool writableNow(int fd)
{
    pollfd descriptor{fd, POLLOUT, 0};
    return ::poll(&descriptor, 1, 0) > 0 && (descriptor.revents & POLLOUT);
}

} // namespace

OutputSink::OutputSink(int fd, Mode mode, QObject* parent)
    : QObject(parent)
    , m_fd(fd)
    , m_mode(mode)
{
    struct stat info {};
    if (::fstat(m_fd, &info) == 0) {
        if (S_ISFIFO(info.st_mode))
            m_kind = Kind::Pipe;
        else if (S_ISSOCK(info.st_mode))
            m_kind = Kind::Socket;
    }
    if (m_kind != Kind::Plain && m_mode == Mode::Buffered) {
        m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
        m_writeNotifier->setEnabled(false);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &OutputSink::flush);
    }
}

OutputSink::~OutputSink()
{
    flushBlocking();
}

void OutputSink::writeLine(const QByteArray& line)
{
    append(line + '\n');
}

void OutputSink::writeJson(const QJsonObject& object)
{
    writeLine(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void OutputSink::writeText(const QString& text)
{
    append(text.toUtf8());
}

void OutputSink::writeBytes(QByteArrayView bytes)
{
    if (m_mode == Mode::Immediate && m_buffer.isEmpty() && !m_broken) {
        // The usual case of fleet-device: one write() of the caller's bytes, nothing copied
        // (docs/performance.md#events).
        const qsizetype n = writeSome(bytes.data(), bytes.size());
        if (n == bytes.size())
            return;
        if (n < 0) {
            m_broken = true;
            return;
        }
        bytes = bytes.sliced(n);
    }
    append(bytes.toByteArray());
}

void OutputSink::append(const QByteArray& bytes)
{
    if (m_broken)
        return;
    if (m_mode == Mode::Immediate) {
        m_buffer += bytes;
        writePending(true);
        return;
    }
    if (m_buffer.size() + bytes.size() > kMaxBufferedBytes) {
        ++m_droppedLines;
        return;
    }
    if (m_droppedLines > 0 && m_buffer.isEmpty()) {
        m_buffer += "(" + QByteArray::number(m_droppedLines) +
                    " lines dropped: the reader of this output fell behind)\n";
        m_droppedLines = 0;
    }
    m_buffer += bytes;
    if (!m_flushScheduled) {
        // One write per event-loop pass, however many lines it produced.
        m_flushScheduled = true;
        QTimer::singleShot(0, this, &OutputSink::flush);
    }
}

void OutputSink::flush()
{
    m_flushScheduled = false;
    writePending(false);
}

void OutputSink::flushBlocking()
{
    writePending(true);
}

qsizetype OutputSink::writeSome(const char* data, qsizetype size)
{
    for (;;) {
        ssize_t n = 0;
        switch (m_kind) {
        case Kind::Plain:
            n = ::write(m_fd, data, size_t(size));
            break;
        case Kind::Pipe:
            // poll() reports a pipe writable when a PIPE_BUF write fits, and such a write is
            // atomic: it neither blocks nor tears.
            // An Immediate sink may block (see the header), so it skips the check: one system
            // call per line instead of two; and it hands over a batch of lines whole, one
            // write() instead of one per PIPE_BUF (docs/performance.md#events).
            if (m_mode == Mode::Immediate) {
                n = ::write(m_fd, data, size_t(size));
                break;
            }
            if (!writableNow(m_fd))
                return 0;
            n = ::write(m_fd, data, size_t(qMin<qsizetype>(size, PIPE_BUF)));
            break;
        case Kind::Socket:
            n = ::send(m_fd, data, size_t(size), MSG_DONTWAIT | MSG_NOSIGNAL);
            break;
        }
        if (n >= 0)
            return n > 0 ? n : -1;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return -1; // EPIPE and friends: nobody reads any more
    }
}

void OutputSink::writePending(bool blocking)
{
    qsizetype written = 0;
    while (written < m_buffer.size() && !m_broken) {
        const qsizetype n = writeSome(m_buffer.constData() + written, m_buffer.size() - written);
        if (n > 0) {
            written += n;
        } else if (n < 0) {
            m_broken = true;
        } else if (!blocking) {
            break;
        } else {
            // Immediate mode waits for its reader as stdio would; at exit, a reader that never
            // reads does not hold the process forever.
            const int timeoutMs = m_mode == Mode::Immediate ? -1 : kExitFlushTimeoutMs;
            pollfd descriptor{m_fd, POLLOUT, 0};
            int ready = 0;
            do {
                ready = ::poll(&descriptor, 1, timeoutMs);
            } while (ready < 0 && errno == EINTR);
            if (ready <= 0)
                m_broken = true;
        }
    }
    m_buffer.remove(0, written);
    if (m_broken)
        m_buffer.clear();
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(!m_buffer.isEmpty());
}

} // namespace fleet
