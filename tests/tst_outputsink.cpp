// The headless tools' output (app/common/tools/outputsink.h): a reader that falls behind never
// blocks the writer's event loop, loses no line of fleet-device's output, and holds the
// emulated devices' statuses until it has caught up (docs/architecture.md#tool-output).
#include "devicerunner.h"
#include "eventprinter.h"
#include "gatewayserver.h"
#include "outputsink.h"
#include "timing.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <fcntl.h>
#include <memory>
#include <thread>
#include <unistd.h>

using namespace fleet;

namespace {

// A pipe the test reads itself, when it chooses to.
class Pipe {
public:
    Pipe()
    {
        if (::pipe2(m_fds, O_CLOEXEC) == 0)
            ::fcntl(m_fds[0], F_SETFL, ::fcntl(m_fds[0], F_GETFL) | O_NONBLOCK);
    }
    ~Pipe()
    {
        closeWriteEnd();
        if (m_reader.joinable())
            m_reader.join();
        if (m_fds[0] >= 0)
            ::close(m_fds[0]);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;

    bool isValid() const { return m_fds[0] >= 0 && m_fds[1] >= 0; }
    int writeEnd() const { return m_fds[1]; }
    void closeWriteEnd()
    {
        if (m_fds[1] >= 0)
            ::close(std::exchange(m_fds[1], -1));
    }
    bool writeEndBlocks() const { return !(::fcntl(m_fds[1], F_GETFL) & O_NONBLOCK); }

    // What the pipe holds now (the read end does not block).
    QByteArray readAvailable()
    {
        QByteArray bytes;
        char buffer[64 * 1024];
        for (;;) {
            const ssize_t n = ::read(m_fds[0], buffer, sizeof buffer);
            if (n <= 0)
                return bytes;
            bytes.append(buffer, n);
        }
    }

    // From now on a thread reads everything until the last write end closes; all() joins it.
    void readInBackground()
    {
        ::fcntl(m_fds[0], F_SETFL, ::fcntl(m_fds[0], F_GETFL) & ~O_NONBLOCK);
        m_reader = std::thread([this] {
            char buffer[64 * 1024];
            for (;;) {
                const ssize_t n = ::read(m_fds[0], buffer, sizeof buffer);
                if (n > 0)
                    m_received.append(buffer, n);
                else if (n == 0 || errno != EINTR)
                    return;
            }
        });
    }
    QByteArray all()
    {
        closeWriteEnd();
        if (m_reader.joinable())
            m_reader.join();
        return m_received;
    }

private:
    int m_fds[2] = {-1, -1};
    std::thread m_reader;
    QByteArray m_received;
};

QByteArray numberedLine(int i)
{
    // 100 bytes with its newline.
    return QByteArray::number(i).rightJustified(10, '0') + ' ' + QByteArray(88, 'x') + '\n';
}

} // namespace

class tst_OutputSink : public QObject {
    Q_OBJECT
private slots:
    void immediateSinkKeepsWhatTheReaderCannotTakeYet();
    void bufferedSinkDropsBeyondItsLimitAndSaysSo();
    void devicesHoldTheirStatusesWhileTheReaderIsBehind();
};

// 3 MB into a pipe nobody reads yet: every write returns, the sink says it is backlogged once,
// the inherited descriptor stays blocking (it may be shared), and once the reader reads, every
// line arrives in order and the sink says it caught up.
void tst_OutputSink::immediateSinkKeepsWhatTheReaderCannotTakeYet()
{
    Pipe pipe;
    QVERIFY(pipe.isValid());
    constexpr int kLines = 30000;
    {
        OutputSink sink(pipe.writeEnd(), OutputSink::Mode::Immediate);
        QSignalSpy backlog(&sink, &OutputSink::backlogChanged);
        for (int i = 0; i < kLines; ++i)
            sink.writeBytes(numberedLine(i));
        QCOMPARE(backlog.size(), 1);
        QCOMPARE(backlog.at(0).at(0).toBool(), true);
        QVERIFY(sink.isBacklogged());
        QVERIFY(sink.pendingBytes() > OutputSink::kBacklogBytes);
        QVERIFY(pipe.writeEndBlocks());
        QCOMPARE(sink.droppedLines(), quint64(0));

        pipe.readInBackground();
        QTRY_COMPARE_WITH_TIMEOUT(backlog.size(), 2, test::kWaitMs);
        QCOMPARE(backlog.at(1).at(0).toBool(), false);
        QCOMPARE(sink.pendingBytes(), 0);
    }
    const QList<QByteArray> lines = pipe.all().split('\n');
    QCOMPARE(lines.size(), kLines + 1); // and an empty piece after the last newline
    for (int i = 0; i < kLines; ++i)
        QCOMPARE(lines.at(i) + '\n', numberedLine(i));
}

// fleet-gateway's sink never waits for a reader: beyond its limit lines are dropped, counted,
// and the next line that gets through is preceded by how many were lost.
void tst_OutputSink::bufferedSinkDropsBeyondItsLimitAndSaysSo()
{
    Pipe pipe;
    QVERIFY(pipe.isValid());
    quint64 dropped = 0;
    {
        OutputSink sink(pipe.writeEnd(), OutputSink::Mode::Buffered);
        const int lines = int(OutputSink::kMaxBufferedBytes / numberedLine(0).size()) + 1000;
        for (int i = 0; i < lines; ++i)
            sink.writeBytes(numberedLine(i));
        dropped = sink.droppedLines();
        QVERIFY(dropped >= 1000);
        QVERIFY(pipe.writeEndBlocks());

        pipe.readInBackground();
        QTRY_COMPARE_WITH_TIMEOUT(sink.pendingBytes(), 0, test::kWaitMs);
        sink.writeLine(QByteArray("after"));
    }
    const QByteArray received = pipe.all();
    QVERIFY2(received.endsWith("(" + QByteArray::number(dropped) +
                               " lines dropped: the reader of this output fell behind)\nafter\n"),
             received.right(200).constData());
    QCOMPARE(received.left(numberedLine(0).size()), numberedLine(0));
}

// fleet-device's devices against the embedded gateway, their --json lines into a pipe nobody
// reads: the event loop goes on, every device comes to hold its next status with none in
// flight; once the pipe is read, they send again, and every line of every device is there.
void tst_OutputSink::devicesHoldTheirStatusesWhileTheReaderIsBehind()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    DeviceOptions options;
    const ParseOutcome parsed = parseDeviceOptions(
        {QStringLiteral("--port"), QString::number(gateway.serverPort()),
         QStringLiteral("--module"), QStringLiteral("transparent"), QStringLiteral("--role"),
         QStringLiteral("held"), QStringLiteral("--devices"), QStringLiteral("3"),
         QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--json")},
        &options);
    QCOMPARE(int(parsed.action), int(ParseOutcome::Action::Run));

    Pipe pipe;
    QVERIFY(pipe.isValid());
    RunSummary held;
    {
        OutputSink out(pipe.writeEnd(), OutputSink::Mode::Immediate);
        OutputSink err(pipe.writeEnd(), OutputSink::Mode::Immediate);
        auto printer = std::make_unique<EventPrinter>(true, false, &out, &err);
        auto runner = std::make_unique<DeviceRunner>(options, printer.get());
        // As fleet-device wires them (DeviceTool).
        connect(&out, &OutputSink::backlogChanged, runner.get(),
                [&](bool backlogged) { runner->setOutputBacklogged(backlogged); });
        runner->start();

        QTRY_VERIFY_WITH_TIMEOUT(out.isBacklogged(), 4 * test::kWaitMs);
        // The event that shows no status goes out: each device has reached its next status
        // and holds it.
        QTRY_COMPARE_WITH_TIMEOUT(runner->devicesHoldingStatus(), 3, test::kWaitMs);
        held = runner->summary();
        QCOMPARE(held.statuses, held.answered);
        QVERIFY(out.isBacklogged());

        pipe.readInBackground();
        QTRY_VERIFY_WITH_TIMEOUT(!out.isBacklogged(), test::kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(runner->summary().answered > held.answered + 100, test::kWaitMs);
        runner->stop();
        runner.reset();
        printer.reset(); // writes the lines it batched
    }                    // the sinks write what is left
    const QList<QByteArray> lines = pipe.all().split('\n');
    QHash<QString, qint64> lastSequence;
    qint64 commands = 0;
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        QJsonParseError error{};
        const QJsonObject event = QJsonDocument::fromJson(lines.at(i), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines.at(i).constData());
        if (event.value("event").toString() != QLatin1String("command"))
            continue;
        ++commands;
        const QString role = event.value("role").toString();
        const qint64 sequence = event.value("sequence").toInteger();
        QCOMPARE(sequence, lastSequence.value(role) + 1);
        lastSequence[role] = sequence;
    }
    QCOMPARE(lastSequence.size(), 3);
    QVERIFY(commands > held.answered + 100);
}

QTEST_GUILESS_MAIN(tst_OutputSink)
#include "tst_outputsink.moc"
