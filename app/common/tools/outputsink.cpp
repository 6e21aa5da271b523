#include "outputsink.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
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

// A second open file description of the pipe or terminal behind fd, non-blocking: its flags
// are the sink's alone (docs/architecture.md#tool-output). -1 where /proc is not there or the
// pipe has no reader any more.
int openNonBlocking(int fd)
{
    const QByteArray path = "/proc/self/fd/" + QByteArray::number(fd);
    int own = -1;
    do {
        own = ::open(path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    } while (own < 0 && errno == EINTR);
    return own;
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
        else if (S_ISCHR(info.st_mode) && ::isatty(m_fd))
            m_kind = Kind::Terminal;
    }
    if (m_kind == Kind::Pipe || m_kind == Kind::Terminal)
        m_ownFd = openNonBlocking(m_fd);
    if (m_kind == Kind::Terminal && m_ownFd < 0)
        m_kind = Kind::Plain; // written as before: a terminal rarely stops its writer
    if (m_kind != Kind::Plain) {
        m_writeNotifier = new QSocketNotifier(qintptr(m_ownFd >= 0 ? m_ownFd : m_fd),
                                              QSocketNotifier::Write, this);
        m_writeNotifier->setEnabled(false);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &OutputSink::flush);
    }
}

OutputSink::~OutputSink()
{
    flushBlocking();
    delete m_writeNotifier; // before its descriptor closes
    m_writeNotifier = nullptr;
    if (m_ownFd >= 0)
        ::close(m_ownFd);
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
    append(bytes);
}

void OutputSink::append(QByteArrayView bytes)
{
    if (m_broken)
        return;
    if (m_buffer.size() + bytes.size() > kMaxBufferedBytes) {
        m_droppedLines += quint64(std::max<qsizetype>(1, bytes.count('\n')));
        return;
    }
    if (m_droppedLines > 0 && m_buffer.isEmpty()) {
        m_buffer += "(" + QByteArray::number(m_droppedLines) +
                    " lines dropped: the reader of this output fell behind)\n";
        m_droppedLines = 0;
    }
    m_buffer += bytes;
    if (m_mode == Mode::Immediate) {
        // While the notifier waits for room, a write would only fail again.
        if (!m_writeNotifier || !m_writeNotifier->isEnabled())
            writePending(false);
        else
            updateBacklog();
        return;
    }
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
        if (m_kind == Kind::Socket) {
            n = ::send(m_fd, data, size_t(size), MSG_DONTWAIT | MSG_NOSIGNAL);
        } else if (m_ownFd >= 0) {
            // Non-blocking: a batch of lines goes to the pipe in one write(), or as much of it
            // as fits (docs/performance.md#events).
            n = ::write(m_ownFd, data, size_t(size));
        } else if (m_kind == Kind::Pipe) {
            // poll() reports a pipe writable when a PIPE_BUF write fits, and such a write is
            // atomic: it neither blocks nor tears.
            if (!writableNow(m_fd))
                return 0;
            n = ::write(m_fd, data, size_t(qMin<qsizetype>(size, PIPE_BUF)));
        } else {
            n = ::write(m_fd, data, size_t(size));
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
            // Exit: an Immediate sink loses no line and waits for its reader (the signal
            // handlers are gone by then, so Ctrl+C still ends the wait); a Buffered one gives a
            // reader that never reads kExitFlushTimeoutMs.
            const int timeoutMs = m_mode == Mode::Immediate ? -1 : kExitFlushTimeoutMs;
            pollfd descriptor{m_ownFd >= 0 ? m_ownFd : m_fd, POLLOUT, 0};
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
    updateBacklog();
}

void OutputSink::updateBacklog()
{
    if (m_mode != Mode::Immediate)
        return;
    // Backlogged from kBacklogBytes until everything is written: a producer that pauses then
    // resumes with room for a whole backlog, not once per line.
    const bool backlogged = m_backlogged ? !m_buffer.isEmpty() : m_buffer.size() >= kBacklogBytes;
    if (backlogged == m_backlogged)
        return;
    m_backlogged = backlogged;
    emit backlogChanged(m_backlogged);
}

} // namespace fleet
