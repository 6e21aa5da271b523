// fleet-bench hostile: the attacks of the hardening issue, at their sizes, against a fleet-gateway
// process, each while a well-behaved device (in a thread of its own, so the attackers' work here
// does not delay it) sends a status every 10 ms. Prints the gateway's peak RSS, the bystander's
// round trips and whether a device arriving at the end is served (README "Limits and hardening").
#include "benchmain.h"

#include "deviceidentity.h"
#include "envelope.h"
#include "framecodec.h"
#include "internalclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <vector>

using fleet::DeviceIdentity;
using fleet::InternalClient;

namespace {

constexpr int kGatewayStartMs = 10000;
constexpr int kBystanderPeriodMs = 10;
constexpr int kStatusTimeoutMs = 5000;

struct HostileOptions {
    QString attack = QStringLiteral("all");
    double seconds = 10.0;
    QString gateway;
    QStringList gatewayArguments; // after --: passed to fleet-gateway
};

// VmRSS or VmHWM of a process in MB, -1 when unreadable.
double memoryMb(qint64 pid, const QByteArray& field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

void raiseOwnDescriptorLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// Runs the loop for ms milliseconds (the bench may wait: it is not product code).
void runFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool runUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        runFor(5);
    }
    return true;
}

// The well-behaved device, on its own thread and event loop.
class Bystander : public QThread {
public:
    Bystander(quint16 port, const QString& role)
        : m_port(port)
        , m_role(role)
    {
    }
    void stopAndWait()
    {
        quit();
        wait();
    }
    // Round trips so far, and how many statuses failed.
    std::vector<double> roundTrips() const
    {
        QMutexLocker lock(&m_mutex);
        return m_rtts;
    }
    int failures() const
    {
        QMutexLocker lock(&m_mutex);
        return m_failures;
    }
    bool isConnected() const
    {
        QMutexLocker lock(&m_mutex);
        return m_connected;
    }

protected:
    void run() override
    {
        InternalClient client;
        QTimer timer;
        bool pressed = false;
        const DeviceIdentity device{fleet::ModuleNumber::Example, 0, m_role,
                                    QStringLiteral("bystander"), 0};
        const auto send = [&] {
            if (client.state() != InternalClient::State::Connected)
                return;
            pressed = !pressed;
            client.sendStatus(pressed ? QByteArray("{\"pressed\": true}")
                                      : QByteArray("{\"pressed\": false}"),
                              kStatusTimeoutMs);
        };
        QObject::connect(&client, &InternalClient::connected, [&] {
            QMutexLocker lock(&m_mutex);
            m_connected = true;
        });
        QObject::connect(&client, &InternalClient::statusAnswered,
                         [&](const QByteArray&, double roundTripMs) {
                             QMutexLocker lock(&m_mutex);
                             m_rtts.push_back(roundTripMs);
                         });
        QObject::connect(&client, &InternalClient::errorOccurred, [&] {
            QMutexLocker lock(&m_mutex);
            ++m_failures;
            m_connected = false;
        });
        QObject::connect(&timer, &QTimer::timeout, send);
        timer.start(kBystanderPeriodMs);
        client.connectToServer(QStringLiteral("127.0.0.1"), m_port, device);
        exec();
    }

private:
    quint16 m_port;
    QString m_role;
    mutable QMutex m_mutex;
    std::vector<double> m_rtts;
    int m_failures = 0;
    bool m_connected = false;
};

// A raw attacking connection.
class Peer {
public:
    Peer(quint16 port, qint64 readBufferBytes)
    {
        m_socket.setReadBufferSize(readBufferBytes); // 0: reads everything; small: reads nothing
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
            if (m_discardInput)
                m_socket.readAll();
        });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    QTcpSocket& socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool isClosed() const { return m_socket.state() == QAbstractSocket::UnconnectedState; }
    void setDiscardInput(bool discard) { m_discardInput = discard; }

private:
    QTcpSocket m_socket;
    bool m_discardInput = false;
};

QByteArray connectFrame(const DeviceIdentity& device)
{
    return fleet::encodeEnvelopeFrame(fleet::Envelope::connect(device));
}

QByteArray statusFrame(const DeviceIdentity& device, const QByteArray& payload)
{
    return fleet::encodeEnvelopeFrame(fleet::Envelope::status(device, payload));
}

DeviceIdentity attacker(const QString& role, const QString& name = QStringLiteral("attacker"),
                        quint32 priority = 0)
{
    return {fleet::ModuleNumber::Example, 0, role, name, priority};
}

class HostileBench {
public:
    explicit HostileBench(const HostileOptions& options)
        : m_options(options)
    {
    }

    int run()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));
        raiseOwnDescriptorLimit();
        const QStringList all{QStringLiteral("flood"),      QStringLiteral("trickle"),
                              QStringLiteral("idle"),       QStringLiteral("garbage"),
                              QStringLiteral("split"),      QStringLiteral("takeover"),
                              QStringLiteral("big-status"), QStringLiteral("nested-status")};
        const QStringList attacks = m_options.attack == QLatin1String("all")
                                        ? all
                                        : m_options.attack.split(QLatin1Char(','));
        int failures = 0;
        for (const QString& attack : attacks) {
            if (!all.contains(attack)) {
                QTextStream(stderr) << "fleet-bench hostile: unknown attack " << attack
                                    << " (one of " << all.join(QLatin1Char(',')) << ")\n";
                return 2;
            }
            failures += runAttack(attack) ? 0 : 1;
        }
        return failures == 0 ? 0 : 1;
    }

private:
    bool startGateway(QString* error)
    {
        m_gateway = std::make_unique<QProcess>();
        m_gatewayOutput = m_outputDir.filePath(QStringLiteral("gateway.out"));
        QFile::remove(m_gatewayOutput);
        m_gateway->setStandardOutputFile(m_gatewayOutput);
        m_gateway->setStandardErrorFile(m_outputDir.filePath(QStringLiteral("gateway.err")));
        m_gateway->start(m_options.gateway,
                         QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                     QStringLiteral("--quiet"), QStringLiteral("--no-stdin")} +
                             m_options.gatewayArguments);
        if (!m_gateway->waitForStarted(kGatewayStartMs)) {
            *error = QStringLiteral("cannot start %1").arg(m_options.gateway);
            return false;
        }
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < kGatewayStartMs && m_gateway->state() == QProcess::Running) {
            QFile output(m_gatewayOutput);
            if (output.open(QIODevice::ReadOnly) && output.readAll().contains('\n')) {
                output.seek(0);
                const QByteArray line = output.readLine().trimmed();
                m_port = quint16(line.mid(line.lastIndexOf(':') + 1).toUInt());
                return m_port != 0;
            }
            m_gateway->waitForFinished(10);
        }
        *error = QStringLiteral("the gateway printed no address");
        return false;
    }

    void stopGateway()
    {
        m_gateway->terminate();
        if (!m_gateway->waitForFinished(5000))
            m_gateway->kill();
        m_gateway->waitForFinished(1000);
    }

    // Samples the gateway's RSS while `attack` runs for the configured time.
    bool runAttack(const QString& name)
    {
        QString error;
        if (!startGateway(&error)) {
            QTextStream(stderr) << "fleet-bench hostile: " << error << '\n';
            return false;
        }
        const qint64 pid = m_gateway->processId();
        const double rssStart = memoryMb(pid, "VmRSS");
        Bystander bystander(m_port, QStringLiteral("bystander"));
        bystander.start();
        runUntil([&] { return bystander.isConnected(); }, 5000);

        double rssPeak = rssStart;
        QTimer sampler;
        QObject::connect(&sampler, &QTimer::timeout,
                         [&] { rssPeak = qMax(rssPeak, memoryMb(pid, "VmRSS")); });
        sampler.start(50);
        QElapsedTimer clock;
        clock.start();
        const int durationMs = int(m_options.seconds * 1000);
        std::vector<std::unique_ptr<Peer>> peers;
        QString note = attack(name, durationMs, &peers);
        runUntil([&] { return clock.elapsed() >= durationMs; }, durationMs + 1000);
        sampler.stop();

        // A device arriving now must be served.
        const bool served = newDeviceServed();
        bystander.stopAndWait();
        const std::vector<double> rtts = bystander.roundTrips();
        const double rssEnd = memoryMb(pid, "VmRSS");
        const double rssHwm = memoryMb(pid, "VmHWM");
        rssPeak = qMax(rssPeak, rssHwm);
        const bool alive = m_gateway->state() == QProcess::Running;
        peers.clear();
        stopGateway();
        const double limitMb = name == QLatin1String("trickle") ? 400 : 150;
        QTextStream(stdout) << QString::asprintf(
            "attack=%s rss_start_mb=%.1f rss_peak_mb=%.1f rss_end_mb=%.1f bystander_rts=%zu "
            "bystander_failures=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f new_device=%s gateway=%s "
            "%s  target rss<%.0f MB, p99<20 ms\n",
            qPrintable(name), rssStart, rssPeak, rssEnd, rtts.size(), bystander.failures(),
            percentile(rtts, 50), percentile(rtts, 99), percentile(rtts, 100),
            served ? "served" : "NOT-SERVED", alive ? "running" : "DIED", qPrintable(note),
            limitMb);
        return served && alive;
    }

    bool newDeviceServed()
    {
        InternalClient client;
        bool answered = false;
        bool failed = false;
        QObject::connect(&client, &InternalClient::connected, [&] {
            client.sendStatus(QByteArray("{\"pressed\": true}"), kStatusTimeoutMs);
        });
        QObject::connect(&client, &InternalClient::statusAnswered, [&] { answered = true; });
        QObject::connect(&client, &InternalClient::errorOccurred, [&] { failed = true; });
        client.connectToServer(QStringLiteral("127.0.0.1"), m_port,
                               attacker(QStringLiteral("newcomer")));
        runUntil([&] { return answered || failed; }, 15000);
        return answered;
    }

    // Starts the attack; peers live until the gateway stops. Returns a note for the line.
    QString attack(const QString& name, int durationMs, std::vector<std::unique_ptr<Peer>>* peers)
    {
        const auto newPeer = [&](qint64 readBuffer = 0) {
            peers->push_back(std::make_unique<Peer>(m_port, readBuffer));
            Peer* peer = peers->back().get();
            runUntil([peer] { return peer->isConnected() || peer->isClosed(); }, 5000);
            return peer;
        };
        if (name == QLatin1String("flood")) {
            // Never reads; statuses as fast as the socket takes them, each answer carrying the
            // longest name the gateway accepts.
            Peer* peer = newPeer(4096);
            const DeviceIdentity device =
                attacker(QStringLiteral("flood"), QString(4000, QLatin1Char('n')));
            peer->socket().write(connectFrame(device));
            const QByteArray burst =
                statusFrame(device, QByteArray("{\"pressed\": true}")).repeated(256);
            auto* pump = new QTimer(&peer->socket());
            QObject::connect(pump, &QTimer::timeout, [peer, burst] {
                if (peer->socket().bytesToWrite() < 4 * 1024 * 1024)
                    peer->socket().write(burst);
            });
            pump->start(1);
            return QStringLiteral("(one peer, statuses without reading, 4000-byte name)");
        }
        if (name == QLatin1String("trickle")) {
            // 100 peers: a 16 MiB frame announced, all but its last byte sent, then a byte
            // every 1.5 s.
            constexpr int kPeers = 100;
            constexpr int kFrame = 16 * 1024 * 1024;
            const QByteArray header = QByteArray::fromRawData("\x00\x00\x00\x01", 4); // 16 MiB LE
            const QByteArray body(kFrame - 2, 'z');
            for (int i = 0; i < kPeers; ++i) {
                Peer* peer = newPeer();
                peer->socket().write(header + body);
                auto* trickle = new QTimer(&peer->socket());
                QObject::connect(trickle, &QTimer::timeout,
                                 [peer] { peer->socket().write(QByteArray(1, 'z')); });
                trickle->start(1500);
                if (!runUntil(
                        [peer] { return peer->socket().bytesToWrite() == 0 || peer->isClosed(); },
                        durationMs))
                    break;
            }
            return QStringLiteral("(100 peers x 16 MiB partial frames, a byte per 1.5 s)");
        }
        if (name == QLatin1String("idle")) {
            for (int i = 0; i < 1100; ++i)
                newPeer();
            return QStringLiteral("(1,100 connections that never send a connect)");
        }
        if (name == QLatin1String("garbage")) {
            auto* pump = new QTimer;
            QObject::connect(pump, &QTimer::timeout, [this, peers] {
                if (peers->size() > 20000)
                    return;
                for (int i = 0; i < 20; ++i) {
                    peers->push_back(std::make_unique<Peer>(m_port, 0));
                    Peer* peer = peers->back().get();
                    peer->setDiscardInput(true);
                    QByteArray bytes(512, Qt::Uninitialized);
                    for (char& c : bytes)
                        c = char(std::rand() & 0xff);
                    QObject::connect(&peer->socket(), &QTcpSocket::connected,
                                     [peer, bytes] { peer->socket().write(bytes); });
                }
            });
            pump->start(5);
            QTimer::singleShot(durationMs, pump, &QObject::deleteLater);
            return QStringLiteral("(4,000 peers/s sending 512 random bytes)");
        }
        if (name == QLatin1String("split")) {
            // 50 devices whose frames arrive one byte per write.
            for (int i = 0; i < 50; ++i) {
                Peer* peer = newPeer();
                peer->setDiscardInput(true);
                const DeviceIdentity device = attacker(QStringLiteral("split-%1").arg(i));
                auto stream = std::make_shared<QByteArray>(connectFrame(device));
                for (int s = 0; s < 1000; ++s)
                    *stream += statusFrame(device, s % 2 ? QByteArray("{\"pressed\": true}")
                                                         : QByteArray("{\"pressed\": false}"));
                auto offset = std::make_shared<qsizetype>(0);
                auto* dribble = new QTimer(&peer->socket());
                QObject::connect(dribble, &QTimer::timeout, [peer, stream, offset] {
                    if (*offset < stream->size())
                        peer->socket().write(stream->mid((*offset)++, 1));
                });
                dribble->start(1);
            }
            return QStringLiteral("(50 devices, one byte per write)");
        }
        if (name == QLatin1String("takeover")) {
            // 1,000 contenders for one slot, ever stronger, repeated.
            auto* storm = new QTimer;
            auto round = std::make_shared<int>(0);
            QObject::connect(storm, &QTimer::timeout, [this, peers, round] {
                if (peers->size() > 20000)
                    return;
                for (int i = 0; i < 50; ++i) {
                    peers->push_back(std::make_unique<Peer>(m_port, 0));
                    Peer* peer = peers->back().get();
                    peer->setDiscardInput(true);
                    const DeviceIdentity device =
                        attacker(QStringLiteral("contested"), QStringLiteral("c"),
                                 quint32(1000000 - (*round)++));
                    QObject::connect(&peer->socket(), &QTcpSocket::connected, [peer, device] {
                        peer->socket().write(connectFrame(device));
                    });
                }
            });
            storm->start(10);
            QTimer::singleShot(durationMs, storm, &QObject::deleteLater);
            return QStringLiteral("(5,000 contenders/s for one slot)");
        }
        // Big and nested statuses (item 7 of the issue): a new device every 50 ms sends a
        // 8 MiB JSON status, or JSON nested 100,000 deep, and reads (discards) what comes back.
        const bool nested = name == QLatin1String("nested-status");
        QByteArray payload;
        if (nested)
            payload = QByteArray(100000, '[') + QByteArray(100000, ']');
        else
            payload = "{\"pressed\": true, \"pad\": \"" + QByteArray(8 * 1024 * 1024, 'p') + "\"}";
        auto* pump = new QTimer;
        auto count = std::make_shared<int>(0);
        QObject::connect(pump, &QTimer::timeout, [this, peers, payload, count] {
            if (peers->size() > 2000)
                return;
            peers->push_back(std::make_unique<Peer>(m_port, 0));
            Peer* peer = peers->back().get();
            peer->setDiscardInput(true);
            const DeviceIdentity device = attacker(QStringLiteral("heavy-%1").arg((*count)++));
            const QByteArray bytes = connectFrame(device) + statusFrame(device, payload);
            QObject::connect(&peer->socket(), &QTcpSocket::connected,
                             [peer, bytes] { peer->socket().write(bytes); });
        });
        pump->start(50);
        QTimer::singleShot(durationMs, pump, &QObject::deleteLater);
        return nested ? QStringLiteral("(a device every 50 ms: JSON nested 100,000 deep)")
                      : QStringLiteral("(a device every 50 ms: an 8 MiB JSON status)");
    }

    HostileOptions m_options;
    QTemporaryDir m_outputDir;
    std::unique_ptr<QProcess> m_gateway;
    QString m_gatewayOutput;
    quint16 m_port = 0;
};

int runHostileBench(const QStringList& arguments)
{
    HostileOptions options;
    const int separator = int(arguments.indexOf(QStringLiteral("--")));
    const QStringList own = separator >= 0 ? arguments.mid(0, separator) : arguments;
    if (separator >= 0)
        options.gatewayArguments = arguments.mid(separator + 1);
    for (int i = 0; i < own.size(); ++i) {
        const QString& argument = own[i];
        const QString value = own.value(i + 1);
        if (argument == QLatin1String("--attack")) {
            options.attack = value;
            ++i;
        } else if (argument == QLatin1String("--seconds")) {
            options.seconds = value.toDouble();
            ++i;
        } else if (argument == QLatin1String("--gateway")) {
            options.gateway = value;
            ++i;
        } else {
            QTextStream(stderr) << "fleet-bench hostile: unknown argument " << argument << '\n';
            return 2;
        }
    }
    if (options.gateway.isEmpty())
        options.gateway = QCoreApplication::applicationDirPath() +
                          QStringLiteral("/../../app/gateway/fleet-gateway");
    if (!QFile::exists(options.gateway)) {
        QTextStream(stderr) << "fleet-bench hostile: no fleet-gateway at " << options.gateway
                            << " (use --gateway PATH)\n";
        return 2;
    }
    return HostileBench(options).run();
}

const BenchRegistration registration(
    "hostile",
    "hostile [--attack flood|trickle|idle|garbage|split|takeover|big-status|nested-status|all] "
    "[--seconds T] [--gateway PATH] [-- GATEWAY-OPTIONS]: each attack of the hardening issue "
    "for T s (10) against a fleet-gateway process; prints its RSS and a bystander's p99",
    &runHostileBench);

} // namespace
