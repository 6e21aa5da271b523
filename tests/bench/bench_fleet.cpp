// fleet-bench fleet: many devices in this process against one fleet-gateway process, at a fixed
// rate each, measuring round trips and what both sides spend in CPU.
#include "benchmain.h"

#include "deviceidentity.h"
#include "internalclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using fleet::InternalClient;

namespace {

constexpr int kConnectWindow = 32;      // connects in flight: the gateway listens with backlog 50
constexpr int kConnectTimeoutMs = 5000; // per device, generous: a thousand connect in a burst
constexpr int kStatusTimeoutMs = 5000;
constexpr int kGatewayStartMs = 10000;
constexpr int kPollMs = 10;
constexpr qint64 kLateNs = 1000000; // a tick sent more than 1 ms after it was due is late

struct BenchOptions {
    int devices = 1000;
    double rate = 10.0; // statuses per second per device
    double seconds = 10.0;
    double warmupSeconds = 1.0;
    bool perDeviceTimers = false; // one QTimer per device instead of one 1 ms wheel
    bool glib = false; // the glib event dispatcher instead of epoll (see restartWithGlib)
    QString gateway;
};

double cpuSecondsSelf()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// utime + stime of another process (fields 14 and 15 of /proc/PID/stat), -1 if unreadable.
double cpuSecondsOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing ')'.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(::sysconf(_SC_CLK_TCK));
    return (fields[11].toDouble() + fields[12].toDouble()) / ticks;
}

// Seconds a process's main thread spent runnable but waiting for a CPU (/proc/PID/schedstat,
// second field): separates "our code is slow" from "the machine is busy with other work".
double runQueueWaitSeconds(qint64 pid)
{
    QFile schedstat(pid ? QStringLiteral("/proc/%1/schedstat").arg(pid)
                        : QStringLiteral("/proc/self/schedstat"));
    if (!schedstat.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = schedstat.readAll().trimmed().split(' ');
    return fields.size() >= 2 ? fields[1].toDouble() / 1e9 : -1;
}

void raiseDescriptorLimit(int devices)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    // Each device is one socket here and one in the gateway, which inherits this limit.
    const rlim_t wanted = rlim_t(devices) * 2 + 256;
    if (limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

// VmRSS of a process (0: this one) in MiB, from /proc/PID/status; 0 when unreadable.
double residentMb(qint64 pid)
{
    QFile status(pid ? QStringLiteral("/proc/%1/status").arg(pid)
                     : QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().split(' ').value(0));
}

double percentile(std::vector<double>& sorted, double p)
{
    if (sorted.empty())
        return 0;
    const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

class FleetBench : public QObject {
public:
    explicit FleetBench(const BenchOptions& options)
        : m_options(options)
    {
    }

    int run()
    {
        // A debug line per state change would cost more than the protocol work measured here.
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));
        raiseDescriptorLimit(m_options.devices);
        QString error;
        if (!startGateway(&error)) {
            QTextStream(stderr) << "fleet-bench fleet: " << error << '\n';
            stopGateway();
            return 1;
        }
        m_rssSelfBaseline = residentMb(0);
        m_rssGatewayBaseline = residentMb(m_gateway.processId());
        m_devices.resize(size_t(m_options.devices));
        QTimer::singleShot(0, this, [this] { startConnects(); });
        const int exitCode = QCoreApplication::exec();
        stopGateway();
        return exitCode;
    }

private:
    struct Device {
        InternalClient* client = nullptr;
        QTimer* timer = nullptr;
        bool connected = false;
        qint64 nextDueNs = 0; // per-device timers: when this device's next tick is due
        qint64 sentDueNs = 0; // when the status in flight was due (not when it left)
        // Ticks that came while a status was in flight: sent one by one as answers arrive,
        // each timed from its own due moment (consecutive ticks are one period apart).
        qint64 owedDueNs = 0;
        int owed = 0;
    };

    bool startGateway(QString* error)
    {
        if (!m_outputDir.isValid()) {
            *error = QStringLiteral("no temporary directory: ") + m_outputDir.errorString();
            return false;
        }
        // The gateway's output goes to a file: reading it through a pipe would bill its event
        // lines to this process's CPU.
        m_gatewayOutput = m_outputDir.filePath(QStringLiteral("gateway.out"));
        m_gateway.setStandardOutputFile(m_gatewayOutput);
        m_gateway.setStandardErrorFile(m_outputDir.filePath(QStringLiteral("gateway.err")));
        // --quiet: no line per status; --no-stdin: nobody types commands here.
        // Room for every device: the default connection limit (4,096) is below 10,000.
        m_gateway.start(m_options.gateway,
                        {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--quiet"), QStringLiteral("--no-stdin"),
                         QStringLiteral("--max-connections"),
                         QString::number(std::max(m_options.devices + 64, 4096))});
        if (!m_gateway.waitForStarted(kGatewayStartMs)) {
            *error = QStringLiteral("cannot start %1: %2")
                         .arg(m_options.gateway, m_gateway.errorString());
            return false;
        }
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < kGatewayStartMs && m_gateway.state() == QProcess::Running) {
            QFile output(m_gatewayOutput);
            if (output.open(QIODevice::ReadOnly)) {
                const QByteArray text = output.readAll();
                if (text.contains('\n')) {
                    const QByteArray line = text.left(text.indexOf('\n')).trimmed();
                    m_port = quint16(line.mid(line.lastIndexOf(':') + 1).toUInt());
                    if (m_port != 0)
                        return true;
                    *error = QStringLiteral("gateway's first line is not HOST:PORT: ") +
                             QString::fromUtf8(line);
                    return false;
                }
            }
            m_gateway.waitForFinished(kPollMs); // the bench may block: it is not product code
        }
        *error = QStringLiteral("the gateway printed no address within %1 ms").arg(kGatewayStartMs);
        return false;
    }

    void stopGateway()
    {
        if (m_gateway.state() == QProcess::NotRunning)
            return;
        m_gateway.terminate();
        if (!m_gateway.waitForFinished(5000))
            m_gateway.kill();
        m_gateway.waitForFinished(1000);
    }

    void startConnects()
    {
        while (m_connecting < kConnectWindow && m_started < m_options.devices)
            connectDevice(m_started++);
    }

    void connectDevice(int index)
    {
        ++m_connecting;
        Device& device = m_devices[size_t(index)];
        device.client = new InternalClient(this);
        fleet::ClientSettings settings;
        settings.connectTimeoutMs = kConnectTimeoutMs;
        device.client->setSettings(settings);
        connect(device.client, &InternalClient::connected, this, [this, index] {
            m_devices[size_t(index)].connected = true;
            ++m_connected;
            --m_connecting;
            startConnects();
            if (m_connected == m_options.devices)
                startTraffic();
        });
        connect(device.client, &InternalClient::statusAnswered, this,
                [this, index](const QByteArray&, double roundTripMs) {
                    onAnswered(index, roundTripMs);
                });
        connect(device.client, &InternalClient::errorOccurred, this,
                [this, index](InternalClient::Error error, const QString& detail) {
                    Device& failed = m_devices[size_t(index)];
                    if (!failed.connected) {
                        --m_connecting;
                        QTextStream(stderr)
                            << "fleet-bench fleet: device " << index
                            << " failed to connect: " << InternalClient::errorName(error) << ": "
                            << detail << '\n';
                        QCoreApplication::exit(1);
                        return;
                    }
                    ++m_errors;
                    if (m_errors <= 5) {
                        QTextStream(stderr)
                            << "fleet-bench fleet: device " << index << ": "
                            << InternalClient::errorName(error) << ": " << detail << '\n';
                    }
                    failed.connected = false;
                    if (failed.timer)
                        failed.timer->stop();
                });
        const fleet::DeviceIdentity identity{fleet::ModuleNumber::Example, 0,
                                             QStringLiteral("bench-%1").arg(index),
                                             QStringLiteral("fleet-bench"), 0};
        device.client->connectToServer(QStringLiteral("127.0.0.1"), m_port, identity);
    }

    // Every device sends at the same rate, their phases spread evenly over one period, so the
    // gateway sees a steady stream rather than a burst per period.
    // Every device sends at the same rate, their phases spread evenly over one period, so the
    // gateway sees a steady stream rather than a burst per period.
    void startTraffic()
    {
        QTextStream(stderr) << "fleet-bench fleet: " << m_connected << " devices connected in "
                            << m_clock.elapsed() << " ms\n";
        m_periodNs = qint64(std::llround(1e9 / m_options.rate));
        m_traffic.start();
        if (m_options.perDeviceTimers) {
            startPerDeviceTimers();
        } else {
            // One 1 ms tick sends for every device whose moment has come: a thousand timers
            // would cost a thousand wakeups (each a poll over every socket) per period.
            auto* wheel = new QTimer(this);
            wheel->setTimerType(Qt::PreciseTimer);
            wheel->setInterval(1);
            connect(wheel, &QTimer::timeout, this, &FleetBench::turnWheel);
            wheel->start();
            m_wheel = wheel;
            turnWheel();
        }
        QTimer::singleShot(int(m_options.warmupSeconds * 1000), Qt::PreciseTimer, this,
                           [this] { startWindow(); });
    }

    void startPerDeviceTimers()
    {
        const int periodMs = std::max(1, int(m_periodNs / 1000000));
        for (int i = 0; i < m_options.devices; ++i) {
            Device& device = m_devices[size_t(i)];
            device.timer = new QTimer(this);
            device.timer->setTimerType(Qt::PreciseTimer);
            device.timer->setInterval(periodMs);
            connect(device.timer, &QTimer::timeout, this, [this, i] { timerTick(i); });
            const int phase = int(qint64(periodMs) * i / m_options.devices);
            device.nextDueNs = qint64(phase) * 1000000;
            QTimer::singleShot(phase, Qt::PreciseTimer, device.timer, [this, i] {
                m_devices[size_t(i)].timer->start();
                timerTick(i);
            });
        }
    }

    // Send number s (all devices in phase order, period after period) is due at
    // (s / N) * period + (s % N) * period / N.
    void turnWheel()
    {
        const qint64 devices = m_options.devices;
        const qint64 now = m_traffic.nsecsElapsed();
        for (;;) {
            const qint64 device = m_sequence % devices;
            const qint64 due = (m_sequence / devices) * m_periodNs + device * m_periodNs / devices;
            if (due > now)
                break;
            tick(int(device), due);
            ++m_sequence;
        }
    }

    void timerTick(int index)
    {
        Device& device = m_devices[size_t(index)];
        const qint64 due = device.nextDueNs;
        device.nextDueNs += m_periodNs;
        tick(index, due);
    }

    // No coordinated omission: a tick that finds the previous status unanswered is not
    // dropped but owed, and every status's latency counts from the moment it was due, so a
    // stalled gateway shows as latency instead of as fewer, faster samples.
    void tick(int index, qint64 dueNs)
    {
        Device& device = m_devices[size_t(index)];
        if (!device.connected)
            return; // destroyed by an error, already counted
        if (device.client->state() != InternalClient::State::Connected) {
            if (device.owed++ == 0)
                device.owedDueNs = dueNs;
            return;
        }
        send(device, dueNs);
    }

    void send(Device& device, qint64 dueNs)
    {
        if (m_traffic.nsecsElapsed() - dueNs > kLateNs)
            ++m_lateTicks;
        device.sentDueNs = dueNs;
        if (device.client->sendStatus(m_payload, kStatusTimeoutMs) ==
            InternalClient::Error::NoError)
            ++m_sent;
    }

    void onAnswered(int index, double serviceMs)
    {
        ++m_answered;
        Device& device = m_devices[size_t(index)];
        if (m_measuring) {
            ++m_answeredInWindow;
            m_rtts.push_back(double(m_traffic.nsecsElapsed() - device.sentDueNs) / 1e6);
            m_serviceRtts.push_back(serviceMs);
        }
        if (device.owed > 0 && device.connected) {
            --device.owed;
            const qint64 due = device.owedDueNs;
            device.owedDueNs += m_periodNs;
            send(device, due);
        }
    }

    void startWindow()
    {
        m_measuring = true;
        m_rtts.reserve(size_t(m_options.devices * m_options.rate * m_options.seconds * 1.2));
        m_serviceRtts.reserve(m_rtts.capacity());
        m_window.start();
        m_cpuSelfStart = cpuSecondsSelf();
        m_cpuGatewayStart = cpuSecondsOf(m_gateway.processId());
        m_waitSelfStart = runQueueWaitSeconds(0);
        m_waitGatewayStart = runQueueWaitSeconds(m_gateway.processId());
        m_sentAtWindowStart = m_sent;
        m_lateAtWindowStart = m_lateTicks;
        QTimer::singleShot(int(m_options.seconds * 1000), Qt::PreciseTimer, this,
                           [this] { finish(); });
    }

    void finish()
    {
        m_measuring = false;
        const double seconds = double(m_window.nsecsElapsed()) / 1e9;
        const double cpuSelf = cpuSecondsSelf() - m_cpuSelfStart;
        const double cpuGateway = cpuSecondsOf(m_gateway.processId()) - m_cpuGatewayStart;
        const double waitSelf = runQueueWaitSeconds(0) - m_waitSelfStart;
        const double waitGateway = runQueueWaitSeconds(m_gateway.processId()) - m_waitGatewayStart;
        for (Device& device : m_devices) {
            if (device.timer)
                device.timer->stop();
        }
        if (m_wheel)
            m_wheel->stop();
        std::sort(m_rtts.begin(), m_rtts.end());
        std::sort(m_serviceRtts.begin(), m_serviceRtts.end());
        const double rssSelf = residentMb(0);
        const double rssGateway = residentMb(m_gateway.processId());
        const auto kbPerDevice = [this](double mb, double baselineMb) {
            return (mb - baselineMb) * 1024.0 / m_options.devices;
        };
        QTextStream out(stdout);
        out << QStringLiteral(
                   "statuses_per_s=%1 p50_ms=%2 p99_ms=%3 late_ticks=%4 service_p99_ms=%5 "
                   "cpu_s_devices=%6 cpu_s_gateway=%7 rss_mb_devices=%8 rss_mb_gateway=%9 ")
                   .arg(double(m_answeredInWindow) / seconds, 0, 'f', 0)
                   .arg(percentile(m_rtts, 50), 0, 'f', 3)
                   .arg(percentile(m_rtts, 99), 0, 'f', 3)
                   .arg(m_lateTicks - m_lateAtWindowStart)
                   .arg(percentile(m_serviceRtts, 99), 0, 'f', 3)
                   .arg(cpuSelf, 0, 'f', 2)
                   .arg(cpuGateway, 0, 'f', 2)
                   .arg(rssSelf, 0, 'f', 1)
                   .arg(rssGateway, 0, 'f', 1)
            << QStringLiteral("kb_per_device_devices=%1 kb_per_device_gateway=%2")
                   .arg(kbPerDevice(rssSelf, m_rssSelfBaseline), 0, 'f', 1)
                   .arg(kbPerDevice(rssGateway, m_rssGatewayBaseline), 0, 'f', 1)
            << '\n';
        out.flush();
        QTextStream(stderr) << "fleet-bench fleet: " << m_options.devices << " devices x "
                            << m_options.rate << " Hz for " << seconds << " s: sent "
                            << (m_sent - m_sentAtWindowStart) << ", answered " << m_answeredInWindow
                            << " (with the answers to statuses in flight when the window opened)"
                            << ", late ticks (sent over 1 ms after due, e.g. behind an "
                               "unanswered status) "
                            << (m_lateTicks - m_lateAtWindowStart) << ", errors " << m_errors
                            << ", max rtt " << (m_rtts.empty() ? 0.0 : m_rtts.back())
                            << " ms; waiting for a CPU while runnable: devices " << waitSelf
                            << " s, gateway " << waitGateway << " s; load average " << loadAverage()
                            << '\n';
        QCoreApplication::exit(m_errors == 0 ? 0 : 1);
    }

    BenchOptions m_options;
    QProcess m_gateway;
    QTemporaryDir m_outputDir;
    QString m_gatewayOutput;
    quint16 m_port = 0;
    std::vector<Device> m_devices;
    const QByteArray m_payload = QByteArrayLiteral("{\"pressed\": true}");
    QElapsedTimer m_clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    QElapsedTimer m_window;
    QElapsedTimer m_traffic;
    QTimer* m_wheel = nullptr;
    qint64 m_periodNs = 0;
    qint64 m_sequence = 0;
    int m_started = 0;
    int m_connecting = 0;
    int m_connected = 0;
    qint64 m_sent = 0;
    qint64 m_answered = 0;
    qint64 m_answeredInWindow = 0;
    qint64 m_lateTicks = 0;
    qint64 m_sentAtWindowStart = 0;
    qint64 m_lateAtWindowStart = 0;
    double m_rssSelfBaseline = 0;    // before any device existed
    double m_rssGatewayBaseline = 0; // listening, before any device connected
    int m_errors = 0;
    bool m_measuring = false;
    std::vector<double> m_rtts;        // from the moment each status was due
    std::vector<double> m_serviceRtts; // from the moment it left (the client's own RTT)
    double m_cpuSelfStart = 0;
    double m_cpuGatewayStart = 0;
    double m_waitSelfStart = 0;
    double m_waitGatewayStart = 0;
};

bool parseOptions(const QStringList& arguments, BenchOptions* options, QString* error)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& flag = arguments.at(i);
        if (flag == QLatin1String("--per-device-timers")) {
            options->perDeviceTimers = true;
            continue;
        }
        if (flag == QLatin1String("--glib")) {
            options->glib = true;
            continue;
        }
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(flag);
            return false;
        }
        const QString value = arguments.at(++i);
        bool ok = false;
        if (flag == QLatin1String("--devices")) {
            options->devices = value.toInt(&ok);
            ok = ok && options->devices > 0;
        } else if (flag == QLatin1String("--rate")) {
            options->rate = value.toDouble(&ok);
            ok = ok && options->rate > 0 && options->rate <= 1000;
        } else if (flag == QLatin1String("--seconds")) {
            options->seconds = value.toDouble(&ok);
            ok = ok && options->seconds > 0;
        } else if (flag == QLatin1String("--warmup")) {
            options->warmupSeconds = value.toDouble(&ok);
            ok = ok && options->warmupSeconds >= 0;
        } else if (flag == QLatin1String("--gateway")) {
            options->gateway = value;
            ok = true;
        } else {
            *error = QStringLiteral("unknown option %1").arg(flag);
            return false;
        }
        if (!ok) {
            *error = QStringLiteral("%1: '%2' is not a valid value").arg(flag, value);
            return false;
        }
    }
    if (options->gateway.isEmpty()) {
        // Build tree layout: build/tests/bench/fleet-bench next to build/app/gateway/fleet-gateway.
        options->gateway = QDir(QCoreApplication::applicationDirPath())
                               .filePath(QStringLiteral("../../app/gateway/fleet-gateway"));
    }
    if (!QFileInfo(options->gateway).isExecutable()) {
        *error = QStringLiteral("no fleet-gateway executable at %1 (use --gateway PATH)")
                     .arg(QDir::cleanPath(options->gateway));
        return false;
    }
    return true;
}

// The devices run on the epoll dispatcher, as in fleet-device and fleet-gateway (benchmain
// installs it for this subcommand): glib's walks a list of every socket notifier on each
// write, a quarter of the CPU per status with a thousand sockets. The dispatcher is chosen
// when QCoreApplication is created, before this subcommand runs, so --glib restarts the bench
// once with FLEET_BENCH_DISPATCHER=glib to measure that one instead. Returns only if the
// restart failed.
void restartWithGlib()
{
    if (qEnvironmentVariableIsSet("FLEET_BENCH_DISPATCHER"))
        return;
    ::setenv("FLEET_BENCH_DISPATCHER", "glib", 1);
    std::vector<QByteArray> storage;
    for (const QString& argument : QCoreApplication::arguments())
        storage.push_back(argument.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& argument : storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execv("/proc/self/exe", argv.data());
    QTextStream(stderr) << "fleet-bench fleet: cannot restart with glib; measuring with epoll\n";
}

int runFleetBench(const QStringList& arguments)
{
    BenchOptions options;
    QString error;
    if (!parseOptions(arguments, &options, &error)) {
        QTextStream(stderr) << "fleet-bench fleet: " << error << '\n';
        return 2;
    }
    if (options.glib)
        restartWithGlib();
    FleetBench bench(options);
    return bench.run();
}

const BenchRegistration
    registration("fleet",
                 "fleet [--devices N] [--rate R] [--seconds T] [--warmup S] [--gateway PATH] "
                 "[--per-device-timers] [--glib]   N devices "
                 "(default 1000) x R statuses/s (10) against a fleet-gateway process for T s (10)",
                 &runFleetBench, BenchDispatcher::Epoll);

} // namespace
