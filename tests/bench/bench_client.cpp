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

namespace {

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
};

struct Rate {
    qint64 roundTrips = 0;
    qint64 elapsedNs = 0;
    qint64 cpuNs = 0;    // this thread's CPU time (user + system) during the round trips
    qint64 systemNs = 0; // the system (kernel) part of it, from getrusage(RUSAGE_THREAD)
    double perSecond() const
    {
        return elapsedNs > 0 ? double(roundTrips) * 1e9 / double(elapsedNs) : 0;
    }
    double cpuMicrosecondsPerRoundTrip() const
    {
        return roundTrips > 0 ? double(cpuNs) / 1e3 / double(roundTrips) : 0;
    }
    double systemMicrosecondsPerRoundTrip() const
    {
        return roundTrips > 0 ? double(systemNs) / 1e3 / double(roundTrips) : 0;
    }
};

// The kernel's share of this thread's CPU time (sampled by the scheduler tick: meaningful
// over many round trips, not over one).
qint64 threadSystemNs()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return qint64(usage.ru_stime.tv_sec) * 1000000000 + qint64(usage.ru_stime.tv_usec) * 1000;
}

// CPU time of the calling thread: the responder thread's work is not in it.
qint64 threadCpuNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

fleet::DeviceIdentity benchDevice(const QString& role = QStringLiteral("bench"))
{
    fleet::DeviceIdentity device;
    // The transparent module accepts any payload (docs/modules.md#transparent-module).
    device.module = fleet::ModuleNumber::Transparent;
    device.deviceType = 0;
    device.role = role;
    device.name = QStringLiteral("fleet-bench");
    return device;
}

QString dispatcherName()
{
    const QAbstractEventDispatcher* dispatcher = QAbstractEventDispatcher::instance();
    if (!dispatcher)
        return QStringLiteral("none");
    const QString name = QString::fromLatin1(dispatcher->metaObject()->className());
    if (name.contains(QLatin1String("Epoll")))
        return QStringLiteral("epoll");
    if (name.contains(QLatin1String("Glib")))
        return QStringLiteral("glib");
    return QStringLiteral("qt");
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(file.readAll().split(' ').value(0));
}

// Answers each DeviceConnect with OK and each DeviceStatus with a DeviceCommand echoing the
// status bytes, correctly framed and in one write. Lives in its own thread so that both
// clients pay for a real cross-thread, cross-socket round trip.
class Responder : public QObject {
public:
    // Called in the responder's thread.
    quint16 listen()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        connect(m_server, &QTcpServer::newConnection, this, &Responder::accept);
        return m_server->serverPort();
    }

private:
    struct Peer {
        QPointer<QTcpSocket> socket;
        fleet::FrameReader reader;
    };

    void accept()
    {
        while (QTcpSocket* socket = m_server->nextPendingConnection()) {
            socket->setParent(this);
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            auto peer = std::make_shared<Peer>();
            peer->socket = socket;
            connect(socket, &QTcpSocket::readyRead, this, [this, peer] { read(*peer); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void read(Peer& peer)
    {
        peer.reader.append(peer.socket->readAll());
        while (auto body = peer.reader.nextFrame()) {
            if (!m_request.ParseFromArray(body->constData(), int(body->size()))) {
                peer.socket->abort();
                return;
            }
            m_reply.Clear();
            if (m_request.has_deviceconnect()) {
                auto* response = m_reply.mutable_deviceconnectresponse();
                response->set_responsetype(InternalProtocol::DeviceConnectResponse::OK);
                *response->mutable_device() = m_request.deviceconnect().device();
            } else if (m_request.has_devicestatus()) {
                auto* command = m_reply.mutable_devicecommand();
                *command->mutable_device() = m_request.devicestatus().device();
                command->set_commanddata(m_request.devicestatus().statusdata());
            } else {
                peer.socket->abort();
                return;
            }
            peer.socket->write(fleet::encodeFrame(m_reply));
        }
        if (peer.reader.hasError())
            peer.socket->abort();
    }

    QTcpServer* m_server = nullptr;
    // Reused between frames: the responder's cost is the same for both clients anyway.
    InternalProtocol::InternalClient m_request;
    InternalProtocol::InternalServer m_reply;
};

// Runs the responder in its own thread for the lifetime of this object.
class ResponderThread {
public:
    ResponderThread()
    {
        m_responder = new Responder;
        m_responder->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_responder, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_responder, [this] { m_port = m_responder->listen(); }, Qt::BlockingQueuedConnection);
    }
    ~ResponderThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    quint16 port() const { return m_port; }

private:
    QThread m_thread;
    Responder* m_responder = nullptr;
    quint16 m_port = 0;
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

// The baseline: what a minimal blocking client costs on the same machine and responder.
class RawDevice {
public:
    explicit RawDevice(const QByteArray& payload, const QString& role = QStringLiteral("bench"))
        : m_payload(payload.toStdString())
        , m_device(benchDevice(role))
    {
    }
    ~RawDevice()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawDevice(const RawDevice&) = delete;
    RawDevice& operator=(const RawDevice&) = delete;

    bool connectTo(quint16 port, QString* error)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0)
            return fail(error, "socket()");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
            return fail(error, "connect()");
        const int one = 1;
        if (::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
            return fail(error, "setsockopt(TCP_NODELAY)");

        m_request.Clear();
        m_device.toProto(m_request.mutable_deviceconnect()->mutable_device());
        if (!sendFrame(fleet::encodeFrame(m_request), error) || !receiveReply(error))
            return false;
        if (!m_reply.has_deviceconnectresponse() ||
            m_reply.deviceconnectresponse().responsetype() !=
                InternalProtocol::DeviceConnectResponse::OK) {
            *error = QStringLiteral("raw client: the connect was not answered with OK");
            return false;
        }
        return true;
    }

    // Round trips for about sliceNs, or exactly `count` of them when count > 0.
    bool runSlice(qint64 sliceNs, Rate* rate, QString* error, qint64 count = 0)
    {
        const qint64 cpuStart = threadCpuNs();
        const qint64 systemStart = threadSystemNs();
        QElapsedTimer slice;
        slice.start();
        qint64 done = 0;
        do {
            // Built and parsed per round trip, as any real client must.
            m_request.Clear();
            auto* status = m_request.mutable_devicestatus();
            m_device.toProto(status->mutable_device());
            status->set_statusdata(m_payload);
            if (!sendFrame(fleet::encodeFrame(m_request), error) || !receiveReply(error))
                return false;
            if (!m_reply.has_devicecommand()) {
                *error = QStringLiteral("raw client: the answer is not a DeviceCommand");
                return false;
            }
            ++rate->roundTrips;
            ++done;
        } while (count > 0 ? done < count : slice.nsecsElapsed() < sliceNs);
        rate->elapsedNs += slice.nsecsElapsed();
        rate->cpuNs += threadCpuNs() - cpuStart;
        rate->systemNs += threadSystemNs() - systemStart;
        return true;
    }

private:
    // Header and body in one send(), as docs/protocol.md#framing asks.
    bool sendFrame(const QByteArray& frame, QString* error)
    {
        qsizetype sent = 0;
        while (sent < frame.size()) {
            const ssize_t n =
                ::send(m_fd, frame.constData() + sent, size_t(frame.size() - sent), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return fail(error, "send()");
            sent += n;
        }
        return true;
    }

    // Reads until one whole frame is there (frames may span several recv() calls) and parses it.
    bool receiveReply(QString* error)
    {
        while (true) {
            if (auto body = m_reader.nextFrame()) {
                if (!m_reply.ParseFromArray(body->constData(), int(body->size()))) {
                    *error = QStringLiteral("raw client: a reply does not parse");
                    return false;
                }
                return true;
            }
            if (m_reader.hasError()) {
                *error = QStringLiteral("raw client: %1").arg(m_reader.errorString());
                return false;
            }
            const ssize_t n = ::recv(m_fd, m_buffer, sizeof m_buffer, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return fail(error, n == 0 ? "recv(): connection closed" : "recv()");
            m_reader.append(QByteArrayView(m_buffer, n));
        }
    }

    bool fail(QString* error, const char* what)
    {
        *error = QStringLiteral("raw client: %1: %2")
                     .arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }

    std::string m_payload;
    fleet::DeviceIdentity m_device;
    int m_fd = -1;
    char m_buffer[64 * 1024];
    fleet::FrameReader m_reader;
    InternalProtocol::InternalClient m_request;
    InternalProtocol::InternalServer m_reply;
};

std::optional<Options> parseOptions(const QStringList& arguments, QString* error)
{
    Options options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& name = arguments[i];
        if (name != QLatin1String("--seconds") && name != QLatin1String("--payload-bytes")) {
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

    ResponderThread responder;
    if (responder.port() == 0) {
        err << "fleet-bench client: the responder could not listen on 127.0.0.1\n";
        return 1;
    }
    AsyncDevice async(payload);
    RawDevice raw(payload);
    if (!async.connectTo(responder.port(), &error) || !raw.connectTo(responder.port(), &error)) {
        err << "fleet-bench client: " << error << '\n';
        return 1;
    }
    const qint64 totalNs = qint64(options->seconds * 1e9);
    const qint64 sliceNs = std::min<qint64>(qint64(kSliceMs) * 1000000, totalNs);
    Rate asyncRate;
    Rate rawRate;
    while (asyncRate.elapsedNs < totalNs || rawRate.elapsedNs < totalNs) {
        if (asyncRate.elapsedNs < totalNs &&
            !async.runSlice(std::min(sliceNs, totalNs - asyncRate.elapsedNs), &asyncRate, &error)) {
            err << "fleet-bench client: " << error << '\n';
            return 1;
        }
        if (rawRate.elapsedNs < totalNs &&
            !raw.runSlice(std::min(sliceNs, totalNs - rawRate.elapsedNs), &rawRate, &error)) {
            err << "fleet-bench client: " << error << '\n';
            return 1;
        }
    }
    const double ratio = rawRate.perSecond() > 0 ? asyncRate.perSecond() / rawRate.perSecond() : 0;
    const double clientCpu = asyncRate.cpuMicrosecondsPerRoundTrip();
    const double rawCpu = rawRate.cpuMicrosecondsPerRoundTrip();
    const double cpuRatio = rawCpu > 0 ? clientCpu / rawCpu : 0;
    out << QStringLiteral("client_rt_per_s=%1 raw_rt_per_s=%2 ratio=%3 client_cpu_us_per_rt=%4 "
                          "raw_cpu_us_per_rt=%5 cpu_ratio=%6 cpu_ratio_target<=%7 dispatcher=%8")
               .arg(qRound64(asyncRate.perSecond()))
               .arg(qRound64(rawRate.perSecond()))
               .arg(ratio, 0, 'f', 2)
               .arg(clientCpu, 0, 'f', 2)
               .arg(rawCpu, 0, 'f', 2)
               .arg(cpuRatio, 0, 'f', 2)
               .arg(kClientCpuRatioTarget, 0, 'f', 2)
               .arg(dispatcherName())
        << '\n';
    err << "fleet-bench client: " << asyncRate.roundTrips << " client and " << rawRate.roundTrips
        << " raw round trips; kernel part of the CPU per round trip: client "
        << QString::number(asyncRate.systemMicrosecondsPerRoundTrip(), 'f', 2) << " us, raw "
        << QString::number(rawRate.systemMicrosecondsPerRoundTrip(), 'f', 2) << " us; load average "
        << loadAverage() << '\n';
    return 0;
}

const BenchRegistration registration(
    "client",
    "client [--seconds S] [--payload-bytes N]   async client vs raw socket: round trips and CPU "
    "per round trip (defaults: 3 s each, 64 bytes)",
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
