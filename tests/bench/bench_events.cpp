// fleet-bench events: CPU per --json event line of fleet-device, through its real event path
// (EventPrinter::command → JsonLineWriter → OutputSink → write()), into a pipe that another
// thread drains as a script would. For comparison, the same line built as before the direct
// writer: a QJsonObject per event through QJsonDocument (docs/performance.md#events).
#include "benchmain.h"

#include "deviceidentity.h"
#include "eventprinter.h"
#include "modulecatalog.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QJsonObject>
#include <QTextStream>

#include <cerrno>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <time.h>
#include <unistd.h>

namespace {

constexpr qint64 kDefaultEvents = 200000;
constexpr double kDefaultRttMs = 0.173;

qint64 threadCpuNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// A pipe whose read end a thread empties until the write end closes.
class DrainedPipe {
public:
    DrainedPipe()
    {
        if (::pipe2(m_fds, O_CLOEXEC) != 0)
            return;
        m_thread = std::thread([fd = m_fds[0], this] {
            char buffer[64 * 1024];
            for (;;) {
                const ssize_t n = ::read(fd, buffer, sizeof buffer);
                if (n > 0)
                    m_bytes += n;
                else if (n == 0 || errno != EINTR)
                    break;
            }
        });
    }
    ~DrainedPipe()
    {
        closeWriteEnd();
        if (m_thread.joinable())
            m_thread.join();
        if (m_fds[0] >= 0)
            ::close(m_fds[0]);
    }
    DrainedPipe(const DrainedPipe&) = delete;
    DrainedPipe& operator=(const DrainedPipe&) = delete;

    bool isValid() const { return m_fds[1] >= 0; }
    int writeEnd() const { return m_fds[1]; }
    void closeWriteEnd()
    {
        if (m_fds[1] >= 0)
            ::close(std::exchange(m_fds[1], -1));
    }
    // Only after the write end closed and the thread was joined.
    qint64 bytes()
    {
        closeWriteEnd();
        if (m_thread.joinable())
            m_thread.join();
        return m_bytes;
    }

private:
    int m_fds[2] = {-1, -1};
    std::thread m_thread;
    qint64 m_bytes = 0;
};

struct Result {
    double cpuUsPerLine = 0;
    double bytesPerLine = 0;
};

// The line fleet-device printed per command before the direct writer, built the same way.
QJsonObject documentEvent(const fleet::DeviceIdentity& device, qint64 sequence,
                          const QByteArray& data, double rttMs)
{
    const std::optional<QString> text = fleet::exactUtf8(data);
    return QJsonObject{
        {QStringLiteral("event"), QStringLiteral("command")},
        {QStringLiteral("role"), device.role},
        {QStringLiteral("sequence"), sequence},
        {QStringLiteral("data"), text ? QJsonValue(*text) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("hex"), QString::fromLatin1(data.toHex())},
        {QStringLiteral("summary"), fleet::ModuleCatalog::describeCommand(device.module, data)},
        {QStringLiteral("rtt_ms"), rttMs},
        {QStringLiteral("pushed"), false},
        {QStringLiteral("empty"), data.isEmpty()},
    };
}

std::optional<Result> measure(qint64 events, const QByteArray& data, bool viaDocument)
{
    DrainedPipe pipe;
    if (!pipe.isValid())
        return std::nullopt;
    fleet::DeviceIdentity device;
    device.module = fleet::ModuleNumber::Transparent;
    device.role = QStringLiteral("bench-device");
    device.name = QStringLiteral("fleet-bench");
    qint64 cpuNs = 0;
    {
        fleet::OutputSink out(pipe.writeEnd(), fleet::OutputSink::Mode::Immediate);
        fleet::OutputSink err(pipe.writeEnd(), fleet::OutputSink::Mode::Immediate);
        fleet::EventPrinter printer(true, false, &out, &err);
        const qint64 start = threadCpuNs();
        for (qint64 i = 1; i <= events; ++i) {
            if (viaDocument)
                out.writeJson(documentEvent(device, i, data, kDefaultRttMs));
            else
                printer.command(device, i, data, kDefaultRttMs, false);
        }
        cpuNs = threadCpuNs() - start;
    }
    Result result;
    result.cpuUsPerLine = double(cpuNs) / 1e3 / double(events);
    result.bytesPerLine = double(pipe.bytes()) / double(events);
    return result;
}

int runEventsBench(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    qint64 events = kDefaultEvents;
    // What the gateway's transparent module answers (docs/modules.md#transparent-module).
    QByteArray data = QByteArrayLiteral("\"default_command\"");
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& name = arguments[i];
        if (i + 1 >= arguments.size()) {
            err << "fleet-bench events: " << name << " needs a value\n";
            return 2;
        }
        const QString value = arguments[++i];
        bool ok = true;
        if (name == QLatin1String("--events")) {
            events = value.toLongLong(&ok);
            ok = ok && events > 0;
        } else if (name == QLatin1String("--data")) {
            data = value.toUtf8();
        } else {
            err << "fleet-bench events: unknown option '" << name << "'\n";
            return 2;
        }
        if (!ok) {
            err << "fleet-bench events: " << name << ": '" << value << "' is not valid\n";
            return 2;
        }
    }
    // Alternating, three times each; the best of each is printed (the least disturbed by other
    // work on a shared machine).
    std::optional<Result> direct;
    std::optional<Result> document;
    for (int round = 0; round < 3; ++round) {
        for (const bool viaDocument : {false, true}) {
            const std::optional<Result> r = measure(events, data, viaDocument);
            if (!r) {
                err << "fleet-bench events: no pipe\n";
                return 1;
            }
            std::optional<Result>& best = viaDocument ? document : direct;
            if (!best || r->cpuUsPerLine < best->cpuUsPerLine)
                best = r;
        }
    }
    out << QStringLiteral("event_cpu_us_per_line=%1 qjsondocument_cpu_us_per_line=%2 "
                          "speedup=%3 bytes_per_line=%4")
               .arg(direct->cpuUsPerLine, 0, 'f', 3)
               .arg(document->cpuUsPerLine, 0, 'f', 3)
               .arg(direct->cpuUsPerLine > 0 ? document->cpuUsPerLine / direct->cpuUsPerLine : 0, 0,
                    'f', 2)
               .arg(direct->bytesPerLine, 0, 'f', 0)
        << '\n';
    return 0;
}

const BenchRegistration registration(
    "events",
    "events [--events N] [--data TEXT]   CPU per fleet-device --json command line into a "
    "drained pipe, direct writer vs QJsonDocument (default 200000 events)",
    &runEventsBench);

} // namespace
