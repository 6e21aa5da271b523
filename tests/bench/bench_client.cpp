// fleet-bench client: status/command round trips per second, and CPU per round trip, through
// the asynchronous fleet::InternalClient on the epoll dispatcher fleet-device uses, against a
// plain blocking POSIX-socket client as the baseline, both talking to the same in-process
// responder running in its own thread. CPU is the main thread's own (CLOCK_THREAD_CPUTIME_ID),
// so the responder's work is not counted for either (docs/performance.md#client-round-trip).
//
// The two clients take turns in short slices (kSliceMs) until each ran for --seconds: on a
// shared, loaded machine the load drifts by the second, and alternating makes both rates see
// the same drift, so their ratio stays meaningful even when the absolute rates do not.
//
// fleet-bench device-json: the same question for the fleet-device process, --quiet and --json
// (its event line included), against a fleet-gateway process, with the blocking client against
// that gateway as the floor. The process's CPU comes from wait4()'s rusage; a short run is
// subtracted from a long one so that start-up and exit are not billed to the round trips.

#include "benchmain.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <unistd.h>
#include <vector>

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include "InternalProtocol.pb.h"
#include "deviceidentity.h"
#include "framecodec.h"
#include "internalclient.h"

#include "benchpeers.h"

namespace {

using namespace benchpeers;

constexpr double kDefaultSeconds = 3.0;
constexpr int kDefaultPayloadBytes = 64;
constexpr int kAnswerTimeoutMs = 5000; // far above a loopback round trip: never expected to fire
constexpr int kSliceMs = 250;
// The targets of the CPU ratios (client vs the raw blocking client; fleet-device --json with its
// event line vs the raw client), printed with the results; not timed tests.
constexpr double kClientCpuRatioTarget = 1.25;
constexpr double kDeviceJsonCpuRatioTarget = 1.4;

struct Options {
    double seconds = kDefaultSeconds;
    int payloadBytes = kDefaultPayloadBytes;
    int cpu = -1; // --cpu: the client and the responder on this CPU only
};

// One device on the asynchronous client: statusAnswered → next sendStatus at once.
class AsyncDevice {
public:
    explicit AsyncDevice(const QByteArray& payload)
        : m_payload(payload)
    {
        QObject::connect(&m_client, &fleet::InternalClient::connected, &m_loop,
                         [this] { m_loop.quit(); });
        QObject::connect(&m_client, &fleet::InternalClient::statusAnswered, &m_loop,
                         [this](const QByteArray&, double) {
                             ++m_roundTrips;
                             if (m_slice.nsecsElapsed() < m_sliceNs)
                                 send();
                             else
                                 m_loop.quit();
                         });
        QObject::connect(&m_client, &fleet::InternalClient::errorOccurred, &m_loop,
                         [this](fleet::InternalClient::Error e, const QString& detail) {
                             stop(QStringLiteral("async client failed: %1: %2")
                                      .arg(fleet::InternalClient::errorName(e), detail));
                         });
    }

    bool connectTo(quint16 port, QString* error)
    {
        const auto refused =
            m_client.connectToServer(QStringLiteral("127.0.0.1"), port, benchDevice());
        if (refused != fleet::InternalClient::Error::NoError) {
            *error = QStringLiteral("async client refused connectToServer(): %1")
                         .arg(fleet::InternalClient::errorName(refused));
            return false;
        }
        m_loop.exec();
        *error = m_error;
        return m_error.isEmpty();
    }

    // Round trips for about sliceNs; adds to rate.
    bool runSlice(qint64 sliceNs, Rate* rate, QString* error)
    {
        m_roundTrips = 0;
        m_sliceNs = sliceNs;
        const qint64 cpuStart = threadCpuNs();
        const qint64 systemStart = threadSystemNs();
        m_slice.start();
        send();
        if (m_error.isEmpty())
            m_loop.exec();
        rate->cpuNs += threadCpuNs() - cpuStart;
        rate->systemNs += threadSystemNs() - systemStart;
        rate->roundTrips += m_roundTrips;
        rate->elapsedNs += m_slice.nsecsElapsed();
        *error = m_error;
        return m_error.isEmpty();
    }

private:
    void send()
    {
        const auto refused = m_client.sendStatus(m_payload, kAnswerTimeoutMs);
        if (refused != fleet::InternalClient::Error::NoError)
            stop(QStringLiteral("async client refused sendStatus(): %1")
                     .arg(fleet::InternalClient::errorName(refused)));
    }

    void stop(const QString& why)
    {
        m_error = why;
        m_loop.quit();
    }

    fleet::InternalClient m_client;
    QEventLoop m_loop;
    QByteArray m_payload;
    QElapsedTimer m_slice;
    qint64 m_sliceNs = 0;
    qint64 m_roundTrips = 0;
    QString m_error;
};

std::optional<Options> parseOptions(const QStringList& arguments, QString* error)
{
    Options options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& name = arguments[i];
        if (name != QLatin1String("--seconds") && name != QLatin1String("--payload-bytes") &&
            name != QLatin1String("--cpu")) {
            *error = QStringLiteral("unknown option '%1'").arg(name);
            return std::nullopt;
        }
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(name);
            return std::nullopt;
        }
        const QString value = arguments[++i];
        bool ok = false;
        if (name == QLatin1String("--seconds")) {
            options.seconds = value.toDouble(&ok);
            if (!ok || !(options.seconds > 0) || options.seconds > 3600) {
                *error = QStringLiteral("--seconds '%1': expected a number of seconds above 0 "
                                        "and at most 3600")
                             .arg(value);
                return std::nullopt;
            }
        } else if (name == QLatin1String("--cpu")) {
            options.cpu = value.toInt(&ok);
            if (!ok || options.cpu < 0 || options.cpu >= CPU_SETSIZE) {
                *error = QStringLiteral("--cpu '%1': expected a CPU number").arg(value);
                return std::nullopt;
            }
        } else {
            options.payloadBytes = value.toInt(&ok);
            if (!ok || options.payloadBytes < 0 ||
                quint32(options.payloadBytes) > fleet::kDefaultMaxFrameBytes / 2) {
                *error = QStringLiteral("--payload-bytes '%1': expected a whole number from 0 "
                                        "to %2")
                             .arg(value)
                             .arg(fleet::kDefaultMaxFrameBytes / 2);
                return std::nullopt;
            }
        }
    }
    return options;
}

int runClientBench(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QString error;
    const std::optional<Options> options = parseOptions(arguments, &error);
    if (!options) {
        err << "fleet-bench client: " << error << '\n';
        return 2;
    }
    // The client's debug lines (two per round trip) would measure the terminal, not the
    // protocol path; an explicit QT_LOGGING_RULES still wins.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));
    const QByteArray payload(options->payloadBytes, 'x');

    // --cpu: both ends on one CPU, so the kernel's choice of where to wake each one (which
    // differs for a blocking read and an epoll wait) leaves the comparison
    // (docs/performance.md#cpu-per-round-trip).
    if (options->cpu >= 0 && !pinThisThread(options->cpu)) {
        err << "fleet-bench client: cannot run on CPU " << options->cpu << '\n';
        return 1;
    }
    ResponderThread responder(options->cpu);
    if (responder.port() == 0) {
        err << "fleet-bench client: the responder could not listen on 127.0.0.1"
            << (options->cpu >= 0 ? " (or run on the CPU --cpu names)" : "") << '\n';
        return 1;
    }
    AsyncDevice async(payload);
    RawDevice raw(payload);
    RawDevice rawTwoReads(payload, QStringLiteral("bench-two-reads"),
                          RawDevice::Reads::HeaderThenBody);
    if (!async.connectTo(responder.port(), &error) || !raw.connectTo(responder.port(), &error) ||
        !rawTwoReads.connectTo(responder.port(), &error)) {
        err << "fleet-bench client: " << error << '\n';
        return 1;
    }
    const qint64 totalNs = qint64(options->seconds * 1e9);
    const qint64 sliceNs = std::min<qint64>(qint64(kSliceMs) * 1000000, totalNs);
    Rate asyncRate;
    Rate rawRate;
    Rate twoReadsRate;
    // The three clients take turns in slices, so a change in the machine's load or regime
    // during the run falls on all of them alike.
    const auto runSlice = [&](auto& device, Rate& rate) {
        return rate.elapsedNs >= totalNs ||
               device.runSlice(std::min(sliceNs, totalNs - rate.elapsedNs), &rate, &error);
    };
    while (asyncRate.elapsedNs < totalNs || rawRate.elapsedNs < totalNs ||
           twoReadsRate.elapsedNs < totalNs) {
        if (!runSlice(async, asyncRate) || !runSlice(raw, rawRate) ||
            !runSlice(rawTwoReads, twoReadsRate)) {
            err << "fleet-bench client: " << error << '\n';
            return 1;
        }
    }
    const double ratio = rawRate.perSecond() > 0 ? asyncRate.perSecond() / rawRate.perSecond() : 0;
    const double clientCpu = asyncRate.cpuMicrosecondsPerRoundTrip();
    const double rawCpu = rawRate.cpuMicrosecondsPerRoundTrip();
    const double cpuRatio = rawCpu > 0 ? clientCpu / rawCpu : 0;
    const double twoReadsCpu = twoReadsRate.cpuMicrosecondsPerRoundTrip();
    const double twoReadsRatio = twoReadsCpu > 0 ? clientCpu / twoReadsCpu : 0;
    out << QStringLiteral("client_rt_per_s=%1 raw_rt_per_s=%2 ratio=%3 client_cpu_us_per_rt=%4 "
                          "raw_cpu_us_per_rt=%5 cpu_ratio=%6 cpu_ratio_target<=%7 "
                          "raw_two_reads_cpu_us_per_rt=%8 cpu_ratio_two_reads=%9 dispatcher=%10")
               .arg(qRound64(asyncRate.perSecond()))
               .arg(qRound64(rawRate.perSecond()))
               .arg(ratio, 0, 'f', 2)
               .arg(clientCpu, 0, 'f', 2)
               .arg(rawCpu, 0, 'f', 2)
               .arg(cpuRatio, 0, 'f', 2)
               .arg(kClientCpuRatioTarget, 0, 'f', 2)
               .arg(twoReadsCpu, 0, 'f', 2)
               .arg(twoReadsRatio, 0, 'f', 2)
               .arg(dispatcherName())
        << (options->cpu >= 0 ? QStringLiteral(" cpu=%1").arg(options->cpu) : QString()) << '\n';
    err << "fleet-bench client: " << asyncRate.roundTrips << " client and " << rawRate.roundTrips
        << " raw round trips; kernel part of the CPU per round trip: client "
        << QString::number(asyncRate.systemMicrosecondsPerRoundTrip(), 'f', 2) << " us, raw "
        << QString::number(rawRate.systemMicrosecondsPerRoundTrip(), 'f', 2)
        << " us, raw with two reads "
        << QString::number(twoReadsRate.systemMicrosecondsPerRoundTrip(), 'f', 2)
        << " us; load average " << loadAverage() << '\n';
    return 0;
}

const BenchRegistration registration(
    "client",
    "client [--seconds S] [--payload-bytes N] [--cpu N]   async client vs blocking sockets (one "
    "read, and header then body): round trips and CPU per round trip (defaults: 3 s each, "
    "64 bytes; --cpu: both ends on that CPU)",
    &runClientBench, BenchDispatcher::Epoll);

// --- fleet-bench device-json -------------------------------------------------------------

constexpr qint64 kDefaultDeviceRoundTrips = 20000;
constexpr int kDefaultDeviceRounds = 3;
constexpr int kGatewayStartMs = 10000;

struct DeviceOptions {
    qint64 count = kDefaultDeviceRoundTrips;
    int rounds = kDefaultDeviceRounds;
    int payloadBytes = kDefaultPayloadBytes;
    QString gateway;
    QString device;
};

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// fleet-gateway as a child process on a free port, its output in a file (a pipe read by this
// process would bill the reading to the bench, and it must not stall the gateway).
class GatewayProcess {
public:
    ~GatewayProcess()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(1000);
    }

    bool start(const QString& program, QString* error)
    {
        if (!m_dir.isValid()) {
            *error = QStringLiteral("no temporary directory");
            return false;
        }
        const QString output = m_dir.filePath(QStringLiteral("gateway.out"));
        m_process.setStandardOutputFile(output);
        m_process.setStandardErrorFile(m_dir.filePath(QStringLiteral("gateway.err")));
        m_process.start(program, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                  QStringLiteral("--quiet"), QStringLiteral("--no-stdin")});
        if (!m_process.waitForStarted(kGatewayStartMs)) {
            *error = QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
            return false;
        }
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < kGatewayStartMs && m_process.state() == QProcess::Running) {
            QFile file(output);
            if (file.open(QIODevice::ReadOnly)) {
                const QByteArray text = file.readAll();
                if (text.contains('\n')) {
                    const QByteArray line = text.left(text.indexOf('\n')).trimmed();
                    m_port = quint16(line.mid(line.lastIndexOf(':') + 1).toUInt());
                    if (m_port != 0)
                        return true;
                    *error = QStringLiteral("the gateway's first line is not HOST:PORT: ") +
                             QString::fromUtf8(line);
                    return false;
                }
            }
            m_process.waitForFinished(10); // the bench may block: it is not product code
        }
        *error = QStringLiteral("the gateway printed no address within %1 ms").arg(kGatewayStartMs);
        return false;
    }

    quint16 port() const { return m_port; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

// Runs fleet-device to completion with its stdout on a pipe that a thread of this process
// drains (as a script would read it); returns the child's user + system CPU in seconds from
// wait4(), or -1.
double runDeviceProcess(const DeviceOptions& options, quint16 port, qint64 count, bool json,
                        const QByteArray& payload, QString* error)
{
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        *error = QStringLiteral("pipe() failed");
        return -1;
    }
    std::vector<std::string> arguments = {
        options.device.toStdString(),
        "--port",
        std::to_string(port),
        "--module",
        "transparent",
        "--role",
        "bench-device",
        "--status",
        payload.toStdString(),
        "--count",
        std::to_string(count),
        json ? "--json" : "--quiet",
    };
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (spawned != 0) {
        ::close(pipeFds[0]);
        *error = QStringLiteral("cannot start %1").arg(options.device);
        return -1;
    }
    qint64 lines = 0;
    std::thread drain([fd = pipeFds[0], &lines] {
        char buffer[64 * 1024];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n > 0)
                lines += std::count(buffer, buffer + n, '\n');
            else if (n == 0 || errno != EINTR)
                break;
        }
    });
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    drain.join();
    ::close(pipeFds[0]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *error = QStringLiteral("fleet-device exited with status %1 (--count %2)")
                     .arg(WIFEXITED(status) ? WEXITSTATUS(status) : -1)
                     .arg(count);
        return -1;
    }
    // --json: connected, one line per command, summary.
    if (json && lines != count + 2) {
        *error = QStringLiteral("fleet-device --json printed %1 lines for %2 round trips")
                     .arg(lines)
                     .arg(count);
        return -1;
    }
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU per round trip of one fleet-device mode: a long run minus a short one, so that start-up
// (loading Qt, connecting) and exit are not counted.
double deviceCpuPerRoundTrip(const DeviceOptions& options, quint16 port, bool json,
                             const QByteArray& payload, QString* error)
{
    const qint64 shortCount = std::max<qint64>(1, options.count / 20);
    const double shortCpu = runDeviceProcess(options, port, shortCount, json, payload, error);
    if (shortCpu < 0)
        return -1;
    const double longCpu = runDeviceProcess(options, port, options.count, json, payload, error);
    if (longCpu < 0)
        return -1;
    return std::max(0.0, longCpu - shortCpu) * 1e6 / double(options.count - shortCount);
}

std::optional<DeviceOptions> parseDeviceOptions(const QStringList& arguments, QString* error)
{
    DeviceOptions options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& name = arguments[i];
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(name);
            return std::nullopt;
        }
        const QString value = arguments[++i];
        bool ok = true;
        if (name == QLatin1String("--count")) {
            options.count = value.toLongLong(&ok);
            ok = ok && options.count >= 100;
        } else if (name == QLatin1String("--rounds")) {
            options.rounds = value.toInt(&ok);
            ok = ok && options.rounds >= 1;
        } else if (name == QLatin1String("--payload-bytes")) {
            options.payloadBytes = value.toInt(&ok);
            ok = ok && options.payloadBytes >= 1 && options.payloadBytes <= 4096;
        } else if (name == QLatin1String("--gateway")) {
            options.gateway = value;
        } else if (name == QLatin1String("--device")) {
            options.device = value;
        } else {
            *error = QStringLiteral("unknown option '%1'").arg(name);
            return std::nullopt;
        }
        if (!ok) {
            *error = QStringLiteral("%1: '%2' is not a valid value").arg(name, value);
            return std::nullopt;
        }
    }
    // Build tree layout: build/tests/bench/fleet-bench next to build/app/{gateway,device}.
    const QDir here(QCoreApplication::applicationDirPath());
    if (options.gateway.isEmpty())
        options.gateway = here.filePath(QStringLiteral("../../app/gateway/fleet-gateway"));
    if (options.device.isEmpty())
        options.device = here.filePath(QStringLiteral("../../app/device/fleet-device"));
    options.gateway = QDir::cleanPath(options.gateway);
    options.device = QDir::cleanPath(options.device);
    for (const QString& program : {options.gateway, options.device}) {
        if (!QFileInfo(program).isExecutable()) {
            *error =
                QStringLiteral("no executable at %1 (use --gateway/--device PATH)").arg(program);
            return std::nullopt;
        }
    }
    return options;
}

int runDeviceJsonBench(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    QString error;
    const std::optional<DeviceOptions> options = parseDeviceOptions(arguments, &error);
    if (!options) {
        err << "fleet-bench device-json: " << error << '\n';
        return 2;
    }
    GatewayProcess gateway;
    if (!gateway.start(options->gateway, &error)) {
        err << "fleet-bench device-json: " << error << '\n';
        return 1;
    }
    const QByteArray payload(options->payloadBytes, 'x');
    RawDevice raw(payload, QStringLiteral("bench-raw"));
    if (!raw.connectTo(gateway.port(), &error)) {
        err << "fleet-bench device-json: " << error << '\n';
        return 1;
    }
    // Rounds alternate the three measurements, so load drifting on a shared machine touches
    // all of them; the medians are printed.
    std::vector<double> rawCpu, quietCpu, jsonCpu;
    for (int round = 0; round < options->rounds; ++round) {
        Rate rate;
        if (!raw.runSlice(0, &rate, &error, options->count)) {
            err << "fleet-bench device-json: " << error << '\n';
            return 1;
        }
        rawCpu.push_back(rate.cpuMicrosecondsPerRoundTrip());
        for (const bool json : {false, true}) {
            const double cpu =
                deviceCpuPerRoundTrip(*options, gateway.port(), json, payload, &error);
            if (cpu < 0) {
                err << "fleet-bench device-json: " << error << '\n';
                return 1;
            }
            (json ? jsonCpu : quietCpu).push_back(cpu);
        }
    }
    const double rawUs = median(rawCpu);
    const double quietUs = median(quietCpu);
    const double jsonUs = median(jsonCpu);
    out << QStringLiteral("raw_cpu_us_per_rt=%1 device_quiet_cpu_us_per_rt=%2 "
                          "device_json_cpu_us_per_rt=%3 quiet_ratio=%4 json_ratio=%5 "
                          "json_ratio_target<=%6")
               .arg(rawUs, 0, 'f', 2)
               .arg(quietUs, 0, 'f', 2)
               .arg(jsonUs, 0, 'f', 2)
               .arg(rawUs > 0 ? quietUs / rawUs : 0, 0, 'f', 2)
               .arg(rawUs > 0 ? jsonUs / rawUs : 0, 0, 'f', 2)
               .arg(kDeviceJsonCpuRatioTarget, 0, 'f', 2)
        << '\n';
    err << "fleet-bench device-json: medians of " << options->rounds << " rounds of "
        << options->count << " round trips each; load average " << loadAverage() << '\n';
    return 0;
}

const BenchRegistration deviceJsonRegistration(
    "device-json",
    "device-json [--count N] [--rounds R] [--payload-bytes N] [--gateway PATH] [--device PATH]   "
    "CPU per round trip of fleet-device --quiet and --json vs a raw client, against a "
    "fleet-gateway process (defaults: 20000 round trips, 3 rounds)",
    &runDeviceJsonBench);

} // namespace
