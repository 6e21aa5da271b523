#include "stdinreader.h"

#include <QSocketNotifier>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace fleet {

namespace {

// A line longer than this is cut: commands are short, and memory must stay bounded.
constexpr qsizetype kMaxLineBytes = 1024 * 1024;

} // namespace

StdinReader::StdinReader(int fd, QObject* parent)
    : QObject(parent)
    , m_fd(fd)
{
    if (::fcntl(m_fd, F_GETFD) < 0)
        return;
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::readAvailable()
{
    // One read per notification: the descriptor is readable, so it returns at once.
    char buffer[16384];
    const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        if (!m_partial.trimmed().isEmpty())
            emit lineRead(QString::fromUtf8(m_partial));
        m_partial.clear();
        emit endOfInput();
        return;
    }
    m_partial.append(buffer, n);
    qsizetype start = 0;
    for (qsizetype newline = m_partial.indexOf('\n'); newline >= 0;
         newline = m_partial.indexOf('\n', start)) {
        QByteArray line = m_partial.mid(start, newline - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = newline + 1;
        emit lineRead(QString::fromUtf8(line));
    }
    m_partial.remove(0, start);
    if (m_partial.size() > kMaxLineBytes) {
        emit lineRead(QString::fromUtf8(m_partial));
        m_partial.clear();
    }
}

} // namespace fleet
