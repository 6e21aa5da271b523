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

// The line output of both headless tools (stdout and stderr), in one of two modes.
//
// Buffered (fleet-gateway) never blocks the event loop: lines are buffered and written when
// the loop is next idle. When the output is a pipe or socket whose reader falls behind, the
// rest waits for the descriptor to become writable; beyond kMaxBufferedBytes lines are dropped
// (and counted) rather than stalling the gateway the devices depend on.
//
// Immediate (fleet-device) writes every line at once and waits for a slow reader: a script
// acts on "connected" the moment it is printed, and no line (the summary least of all) may be
// lost; devices only wait a little longer for their next status.
//
// The descriptor's flags are left alone either way: O_NONBLOCK would belong to an open file
// description that other processes (the shell, a CI runner) may share.
class OutputSink : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxBufferedBytes = 8 * 1024 * 1024;

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
    // For exit: waits until everything is written (or the reader is gone).
    void flushBlocking();
    quint64 droppedLines() const { return m_droppedLines; }

private:
    void append(const QByteArray& bytes);
    void writePending(bool blocking);

    enum class Kind { Plain, Pipe, Socket };               // files and terminals are Plain
    qsizetype writeSome(const char* data, qsizetype size); // >0 written, 0 would block, <0 gone

    int m_fd;
    Mode m_mode;
    Kind m_kind = Kind::Plain;
    bool m_broken = false; // the reader went away (EPIPE)
    bool m_flushScheduled = false;
    QByteArray m_buffer;
    QSocketNotifier* m_writeNotifier = nullptr;
    quint64 m_droppedLines = 0;
};

} // namespace fleet
