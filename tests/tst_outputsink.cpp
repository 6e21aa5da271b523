// The headless tools' output (app/common/tools/outputsink.h): a reader that falls behind never
// blocks the writer's event loop, loses no line of fleet-device's output, and holds the
// emulated devices' statuses and a scenario's next step until it has caught up
// (docs/architecture.md#tool-output).
#include "devicerunner.h"
#include "eventprinter.h"
#include "gatewayserver.h"
#include "outputsink.h"
#include "scenario.h"
#include "scenariorunner.h"
#include "scenariotool.h"
#include "timing.h"
#include "tooloutput.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
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
    // A second descriptor of the write end, as the shell's 2>&1 makes; closed with the first.
    int duplicateWriteEnd()
    {
        if (m_duplicate < 0)
            m_duplicate = ::fcntl(m_fds[1], F_DUPFD_CLOEXEC, 0);
        return m_duplicate;
    }
    void closeWriteEnd()
    {
        if (m_fds[1] >= 0)
            ::close(std::exchange(m_fds[1], -1));
        if (m_duplicate >= 0)
            ::close(std::exchange(m_duplicate, -1));
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

    // At most maxBytes of what the pipe holds now.
    QByteArray readSome(qsizetype maxBytes)
    {
        QByteArray bytes(maxBytes, Qt::Uninitialized);
        const ssize_t n = ::read(m_fds[0], bytes.data(), size_t(maxBytes));
        bytes.resize(n > 0 ? n : 0);
        return bytes;
    }

    // From now on a thread reads everything until the last write end closes; all() joins it.
    void readInBackground()
    {
        if (m_reader.joinable())
            return;
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
    int m_duplicate = -1;
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
    void aScenarioHoldsItsNextStepWhileTheReaderIsBehind();
    void stdoutAndStderrOnOnePipeKeepWholeLines();
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
        const auto unblockTheSinks = qScopeGuard([&pipe] { pipe.readInBackground(); });
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

// fleet-device --scenario --json with 30,000 quick steps (about 3 MB of lines) into a pipe
// nobody reads: the run pauses between steps with none running; once the pipe is read it
// goes on, and every step's line is there, in order, before the summary.
void tst_OutputSink::aScenarioHoldsItsNextStepWhileTheReaderIsBehind()
{
    constexpr int kRounds = 30000;
    Scenario scenario;
    ScenarioError error;
    QVERIFY2(Scenario::parse(R"({"scenario": 1, "name": "long", "devices": {
      "b": {"module": 1000, "type": 0, "role": "button", "name": "held"}},
      "steps": [{"repeat": 30000, "steps": [{"disconnect": "b"}]}]})",
                             QStringLiteral("long.json"), &scenario, &error),
             qPrintable(error.toString()));

    Pipe pipe;
    QVERIFY(pipe.isValid());
    {
        ToolOutput output(pipe.writeEnd(), pipe.writeEnd(), OutputSink::Mode::Immediate);
        OutputSink& out = *output.out();
        // A failed check leaves the scope early: the sinks' last flush must not wait forever.
        const auto unblockTheSinks = qScopeGuard([&pipe] { pipe.readInBackground(); });
        ScenarioTool::Options options;
        options.json = true;
        ScenarioTool tool(scenario, options, &output);
        QSignalSpy finished(&tool, &ScenarioTool::finished);
        tool.start();

        QTRY_VERIFY_WITH_TIMEOUT(out.isBacklogged(), 4 * test::kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(tool.runner().isPausedByHold(), test::kWaitMs);
        QVERIFY(finished.isEmpty());
        QVERIFY(tool.runner().stepCount() < kRounds);
        QVERIFY(out.pendingBytes() < 2 * OutputSink::kBacklogBytes);

        pipe.readInBackground();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 4 * test::kWaitMs);
        QCOMPARE(finished.first().first().toInt(), 0);
        QCOMPARE(tool.runner().stepCount(), qint64(kRounds));
        QCOMPARE(out.droppedLines(), quint64(0));
    } // the sinks write what is left
    const QList<QByteArray> lines = pipe.all().split('\n');
    QCOMPARE(lines.size(), kRounds + 2); // the steps, the summary, and after its newline nothing
    for (int round = 1; round <= kRounds; ++round) {
        const QJsonObject step = QJsonDocument::fromJson(lines.at(round - 1)).object();
        QCOMPARE(step.value("step").toString(),
                 QStringLiteral("steps[0].steps[0] (disconnect) round %1 of 30000").arg(round));
    }
    const QJsonObject summary = QJsonDocument::fromJson(lines.at(kRounds)).object();
    QCOMPARE(summary.value("event").toString(), QStringLiteral("scenario"));
    QCOMPARE(summary.value("steps").toInteger(), qint64(kRounds));
    QVERIFY(summary.value("passed").toBool());
}

// A tool run with 2>&1 into a pipe that is behind: stdout and stderr are one file, so they
// share one sink, and a stderr line printed while stdout's lines wait comes after them, whole,
// even when the reader has just made room for it.
void tst_OutputSink::stdoutAndStderrOnOnePipeKeepWholeLines()
{
    Pipe other;
    Pipe pipe;
    QVERIFY(pipe.isValid() && other.isValid());
    QVERIFY(!ToolOutput(pipe.writeEnd(), other.writeEnd(), OutputSink::Mode::Immediate).isShared());

    const int errFd = pipe.duplicateWriteEnd(); // as the shell's 2>&1
    QVERIFY(errFd >= 0);
    const QByteArray errorLine = "fleet-device: an error\n";
    int written = 0;
    QByteArray received;
    {
        ToolOutput output(pipe.writeEnd(), errFd, OutputSink::Mode::Immediate);
        const auto unblockTheSinks = qScopeGuard([&pipe] { pipe.readInBackground(); });
        QVERIFY(output.isShared());

        while (!output.isBacklogged())
            output.out()->writeBytes(numberedLine(written++));
        received = pipe.readSome(4096);
        QCOMPARE(received.size(), 4096);
        output.err()->writeBytes(errorLine);
        pipe.readInBackground();
    } // the sink writes what is left
    received += pipe.all();
    QByteArray expected;
    for (int i = 0; i < written; ++i)
        expected += numberedLine(i);
    QCOMPARE(received.size(), expected.size() + errorLine.size());
    QVERIFY(received == expected + errorLine);
}

QTEST_GUILESS_MAIN(tst_OutputSink)
#include "tst_outputsink.moc"
