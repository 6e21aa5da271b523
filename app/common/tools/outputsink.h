#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QJsonObject;
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// The line output of both headless tools (stdout and stderr), in one of two modes. Neither
// blocks the event loop on a slow reader (docs/architecture.md#tool-output).
//
// Buffered (fleet-gateway): lines are buffered and written when the loop is next idle. When
// the output is a pipe or socket whose reader falls behind, the rest waits for the descriptor
// to become writable; beyond kMaxBufferedBytes lines are dropped (and counted) rather than
// stalling the gateway the devices depend on.
//
// Immediate (fleet-device): every line is written at once (a script acts on "connected" the
// moment it is printed). When the reader falls behind, the rest waits in the sink and goes out
// as the descriptor takes it; past kBacklogBytes the sink says it is backlogged until the
// reader has taken everything, so the producer can pause (fleet-device's devices hold their
// next status) and no line is lost. Only beyond kMaxBufferedBytes, which a paused producer does
// not reach, would lines be dropped and counted.
//
// Pipes and terminals are written through a descriptor of the sink's own, opened
// non-blocking on the same pipe or terminal: O_NONBLOCK on the inherited descriptor would
// belong to an open file description that other processes (the shell, a CI runner) share.
// Where that cannot be opened, a pipe is written PIPE_BUF at a time once poll() says it fits.
class OutputSink : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBufferedBytes = 8 * 1024 * 1024;
    static constexpr qsizetype kBacklogBytes = 1024 * 1024;

    enum class Mode { Buffered, Immediate };

    explicit OutputSink(int fd, Mode mode = Mode::Buffered, QObject* parent = nullptr);
    ~OutputSink() override;

    // Appends a newline.
    void writeLine(const QByteArray& line);
    void writeLine(const QString& line) { writeLine(line.toUtf8()); }
    // One compact JSON object per line: the --json output of both tools.
    void writeJson(const QJsonObject& object);
    // Text as it is (help and version texts end with their own newline).
    void writeText(const QString& text);
    // Bytes as they are, e.g. a line that already ends with its newline. An Immediate sink
    // with nothing pending writes them straight from the caller's buffer, without a copy.
    void writeBytes(QByteArrayView bytes);
    // Writes what the descriptor takes now.
    void flush();
    // For exit: waits until everything is written (or the reader is gone; a Buffered sink
    // waits at most 2 s for a reader that does not read).
    void flushBlocking();
    quint64 droppedLines() const { return m_droppedLines; }
    qsizetype pendingBytes() const { return m_buffer.size(); }
    bool isBacklogged() const { return m_backlogged; }

signals:
    // Immediate mode: kBacklogBytes wait for the reader (true); the reader took them all (false).
    void backlogChanged(bool backlogged);

private:
    void append(QByteArrayView bytes);
    void writePending(bool blocking);
    void updateBacklog();

    // Files are Plain; so is a terminal that could not be reopened non-blocking.
    enum class Kind { Plain, Pipe, Socket, Terminal };
    qsizetype writeSome(const char* data, qsizetype size); // >0 written, 0 would block, <0 gone

    int m_fd;
    int m_ownFd = -1; // non-blocking, on the same pipe or terminal as m_fd; -1: none
    Mode m_mode;
    Kind m_kind = Kind::Plain;
    bool m_broken = false; // the reader went away (EPIPE)
    bool m_flushScheduled = false;
    bool m_backlogged = false;
    QByteArray m_buffer;
    QSocketNotifier* m_writeNotifier = nullptr;
    quint64 m_droppedLines = 0;
};

} // namespace fleet
