#pragma once

#include <QByteArray>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// Line output that never blocks the event loop: lines are buffered and written when the loop
// is next idle. When the output is a pipe or socket whose reader falls behind, the rest waits
// for the descriptor to become writable; beyond kMaxBufferedBytes lines are dropped (and
// counted) rather than stalling the gateway the devices depend on. The descriptor's flags are
// left alone: O_NONBLOCK would belong to an open file description that other processes (the
// shell, a CI runner) may share.
class OutputSink : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBufferedBytes = 8 * 1024 * 1024;

    explicit OutputSink(int fd, QObject* parent = nullptr);
    ~OutputSink() override;

    // Appends a newline.
    void writeLine(const QByteArray& line);
    // Writes what the descriptor takes now.
    void flush();
    // For exit: waits until everything is written (or the reader is gone).
    void flushBlocking();
    quint64 droppedLines() const { return m_droppedLines; }

private:
    void writePending(bool blocking);

    enum class Kind { Plain, Pipe, Socket };               // files and terminals are Plain
    qsizetype writeSome(const char* data, qsizetype size); // >0 written, 0 would block, <0 gone

    int m_fd;
    Kind m_kind = Kind::Plain;
    bool m_broken = false; // the reader went away (EPIPE)
    bool m_flushScheduled = false;
    QByteArray m_buffer;
    QSocketNotifier* m_writeNotifier = nullptr;
    quint64 m_droppedLines = 0;
};

} // namespace fleet
