// fleet-bench events: CPU per --json event line of fleet-device, measured two ways.
//
// The path users run: fleet-device itself (DeviceTool, the code of its main()) in this process
// on the epoll dispatcher, its stdout on a pipe another thread drains as a script would, against
// a responder thread answering every status (the same one as fleet-bench client). The same
// number of round trips runs with --json and with --quiet, alternating; what --json costs more
// per round trip is the event line: its building, batching and write() included. The raw
// blocking client against the same responder gives the floor of a round trip, so the --json
// target (1.4 × the raw round trip, event line included) is printed from the same run. CPU is
// this thread's own: neither the responder nor the pipe's reader is counted
// (docs/performance.md#events).
//
// The line alone: EventPrinter::command → JsonLineWriter → OutputSink → write() into a drained
// pipe, in a loop; for comparison the same line built as before the direct writer, a
// QJsonObject per event through QJsonDocument.
#include "benchmain.h"

#include "benchpeers.h"
#include "deviceidentity.h"
#include "devicetool.h"
#include "eventprinter.h"
#include "modulecatalog.h"
#include "outputsink.h"
#include "payloadtext.h"

#include <QEventLoop>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

using benchpeers::threadCpuNs;

constexpr qint64 kDefaultEvents = 200000;
constexpr double kDefaultRttMs = 0.173;

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
                if (n > 0) {
                    m_bytes += n;
                    m_lines += std::count(buffer, buffer + n, '\n');
                } else if (n == 0 || errno != EINTR)
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
    qint64 lines()
    {
        bytes();
        return m_lines;
    }

private:
    int m_fds[2] = {-1, -1};
    std::thread m_thread;
    qint64 m_bytes = 0;
    qint64 m_lines = 0;
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

// --- fleet-device's own path --------------------------------------------------------------

constexpr qint64 kDefaultRoundTrips = 20000;
constexpr int kRounds = 3;
constexpr double kDeviceJsonCpuRatioTarget = 1.4;

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// Runs fleet-device (DeviceTool, as its main() does) in this thread to the end, stdout on a
// drained pipe; returns this thread's CPU in ns, or nothing with *error set.
std::optional<qint64> runDeviceTool(quint16 port, qint64 count, bool json,
                                    const QByteArray& payload, QString* error)
{
    std::fflush(stdout);
    DrainedPipe pipe;
    const int savedStdout = ::dup(STDOUT_FILENO);
    if (!pipe.isValid() || savedStdout < 0 || ::dup2(pipe.writeEnd(), STDOUT_FILENO) < 0) {
        *error = QStringLiteral("no pipe for fleet-device's stdout");
        return std::nullopt;
    }
    pipe.closeWriteEnd(); // stdout is now its only write end
    qint64 cpuNs = 0;
    int exitCode = -1;
    {
        fleet::DeviceTool tool;
        const QStringList arguments = {
            QStringLiteral("fleet-device"),
            QStringLiteral("--host"),
            QStringLiteral("127.0.0.1"),
            QStringLiteral("--port"),
            QString::number(port),
            QStringLiteral("--module"),
            QStringLiteral("transparent"),
            QStringLiteral("--role"),
            QStringLiteral("bench-device"),
            QStringLiteral("--status"),
            QString::fromUtf8(payload),
            QStringLiteral("--count"),
            QString::number(count),
            json ? QStringLiteral("--json") : QStringLiteral("--quiet"),
        };
        const qint64 start = threadCpuNs();
        if (const std::optional<int> code = tool.start(arguments)) {
            exitCode = *code;
        } else {
            QEventLoop loop;
            QObject::connect(&tool, &fleet::DeviceTool::finished, &loop, [&](int code) {
                exitCode = code;
                loop.quit();
            });
            loop.exec();
        }
        cpuNs = threadCpuNs() - start;
    }                                   // the tool's sinks write what is left
    ::dup2(savedStdout, STDOUT_FILENO); // closes the pipe's last write end
    ::close(savedStdout);
    const qint64 lines = pipe.lines();
    if (exitCode != 0) {
        *error =
            QStringLiteral("fleet-device exited with %1 (--count %2)").arg(exitCode).arg(count);
        return std::nullopt;
    }
    // --json: connected, one line per command, summary.
    if (json && lines != count + 2) {
        *error = QStringLiteral("fleet-device --json printed %1 lines for %2 round trips")
                     .arg(lines)
                     .arg(count);
        return std::nullopt;
    }
    return cpuNs;
}

// CPU per round trip of one mode: a long run minus a short one, so that connecting and the
// summary are not billed to the round trips.
std::optional<double> deviceCpuPerRoundTrip(quint16 port, qint64 count, bool json,
                                            const QByteArray& payload, QString* error)
{
    const qint64 shortCount = std::max<qint64>(1, count / 10);
    const std::optional<qint64> shortNs = runDeviceTool(port, shortCount, json, payload, error);
    if (!shortNs)
        return std::nullopt;
    const std::optional<qint64> longNs = runDeviceTool(port, count, json, payload, error);
    if (!longNs)
        return std::nullopt;
    return double(std::max<qint64>(0, *longNs - *shortNs)) / 1e3 / double(count - shortCount);
}

struct DeviceFigures {
    double rawUs = 0;
    double quietUs = 0;
    double jsonUs = 0;
};

std::optional<DeviceFigures> measureDevice(qint64 count, const QByteArray& payload, QString* error)
{
    benchpeers::ResponderThread responder;
    if (responder.port() == 0) {
        *error = QStringLiteral("the responder could not listen on 127.0.0.1");
        return std::nullopt;
    }
    benchpeers::RawDevice raw(payload, QStringLiteral("bench-raw"));
    if (!raw.connectTo(responder.port(), error))
        return std::nullopt;
    // Rounds alternate the three, so load drifting on a shared machine touches all of them.
    std::vector<double> rawUs, quietUs, jsonUs;
    for (int round = 0; round < kRounds; ++round) {
        benchpeers::Rate rate;
        if (!raw.runSlice(0, &rate, error, count))
            return std::nullopt;
        rawUs.push_back(rate.cpuMicrosecondsPerRoundTrip());
        for (const bool json : {false, true}) {
            const std::optional<double> us =
                deviceCpuPerRoundTrip(responder.port(), count, json, payload, error);
            if (!us)
                return std::nullopt;
            (json ? jsonUs : quietUs).push_back(*us);
        }
    }
    return DeviceFigures{median(rawUs), median(quietUs), median(jsonUs)};
}

int runEventsBench(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    qint64 events = kDefaultEvents;
    qint64 roundTrips = kDefaultRoundTrips;
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
        } else if (name == QLatin1String("--round-trips")) {
            roundTrips = value.toLongLong(&ok);
            ok = ok && roundTrips >= 100;
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
    // The client's debug lines would measure the terminal; an explicit QT_LOGGING_RULES wins.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));

    // The responder echoes the status, so --status is the command each line carries.
    QString error;
    const std::optional<DeviceFigures> device = measureDevice(roundTrips, data, &error);
    if (!device) {
        err << "fleet-bench events: " << error << '\n';
        return 1;
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
    const double jsonRatio = device->rawUs > 0 ? device->jsonUs / device->rawUs : 0;
    out << QStringLiteral("device_event_cpu_us_per_line=%1 device_json_cpu_us_per_rt=%2 "
                          "device_quiet_cpu_us_per_rt=%3 raw_cpu_us_per_rt=%4 json_ratio=%5 "
                          "json_ratio_target<=%6")
               .arg(device->jsonUs - device->quietUs, 0, 'f', 3)
               .arg(device->jsonUs, 0, 'f', 2)
               .arg(device->quietUs, 0, 'f', 2)
               .arg(device->rawUs, 0, 'f', 2)
               .arg(jsonRatio, 0, 'f', 2)
               .arg(kDeviceJsonCpuRatioTarget, 0, 'f', 2)
        << '\n';
    out << QStringLiteral("event_cpu_us_per_line=%1 qjsondocument_cpu_us_per_line=%2 "
                          "speedup=%3 bytes_per_line=%4")
               .arg(direct->cpuUsPerLine, 0, 'f', 3)
               .arg(document->cpuUsPerLine, 0, 'f', 3)
               .arg(direct->cpuUsPerLine > 0 ? document->cpuUsPerLine / direct->cpuUsPerLine : 0, 0,
                    'f', 2)
               .arg(direct->bytesPerLine, 0, 'f', 0)
        << '\n';
    err << "fleet-bench events: fleet-device in this process, medians of " << kRounds
        << " rounds of " << roundTrips << " round trips per mode; load average "
        << benchpeers::loadAverage() << '\n';
    return 0;
}

const BenchRegistration registration(
    "events",
    "events [--round-trips N] [--events N] [--data TEXT]   CPU per fleet-device --json event "
    "line: fleet-device in this process (--json vs --quiet vs a raw client, default 20000 round "
    "trips), and the line alone into a drained pipe, direct writer vs QJsonDocument (default "
    "200000 events)",
    &runEventsBench, BenchDispatcher::Epoll);

} // namespace
