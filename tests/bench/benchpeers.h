#pragma once

// What the client benchmarks share (fleet-bench client, device-json, events): CPU clocks of the
// calling thread, an in-process responder answering in its own thread, and the raw blocking
// client that is the floor of a round trip (docs/performance.md#client-round-trip).

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include "InternalProtocol.pb.h"
#include "deviceidentity.h"
#include "framecodec.h"

namespace benchpeers {

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
inline qint64 threadSystemNs()
{
    rusage usage{};
    ::getrusage(RUSAGE_THREAD, &usage);
    return qint64(usage.ru_stime.tv_sec) * 1000000000 + qint64(usage.ru_stime.tv_usec) * 1000;
}

// CPU time of the calling thread: the responder thread's work is not in it.
// --cpu N: the calling thread runs on that CPU only; false when the system refuses.
inline bool pinThisThread(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set) == 0;
}

inline qint64 threadCpuNs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

inline fleet::DeviceIdentity benchDevice(const QString& role = QStringLiteral("bench"))
{
    fleet::DeviceIdentity device;
    // The transparent module accepts any payload (docs/modules.md#transparent-module).
    device.module = fleet::ModuleNumber::Transparent;
    device.deviceType = 0;
    device.role = role;
    device.name = QStringLiteral("fleet-bench");
    return device;
}

inline QString dispatcherName()
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

inline QString loadAverage()
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
    // cpu >= 0: the responder's thread runs on that CPU only (port() is 0 if that fails).
    explicit ResponderThread(int cpu = -1)
    {
        m_responder = new Responder;
        m_responder->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_responder, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_responder,
            [this, cpu] {
                if (cpu < 0 || pinThisThread(cpu))
                    m_port = m_responder->listen();
            },
            Qt::BlockingQueuedConnection);
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

// The baseline: what a minimal blocking client costs on the same machine and responder.
class RawDevice {
public:
    // How the blocking client reads an answer (docs/performance.md#cpu-per-round-trip):
    // - WholeFrame: recv() into a large buffer, which takes a small answer in one system call;
    //   the strict floor, two system calls per round trip.
    // - HeaderThenBody: recv() the 4-byte header, then exactly the body it announces; the
    //   shape of the plain C client issue 16 measured as its floor ("one write, two reads"),
    //   three system calls per round trip like an event-driven client.
    enum class Reads { WholeFrame, HeaderThenBody };

    explicit RawDevice(const QByteArray& payload, const QString& role = QStringLiteral("bench"),
                       Reads reads = Reads::WholeFrame)
        : m_payload(payload.toStdString())
        , m_device(benchDevice(role))
        , m_reads(reads)
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
        if (m_reads == Reads::HeaderThenBody)
            return receiveHeaderThenBody(error);
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

    bool receiveHeaderThenBody(QString* error)
    {
        char header[fleet::kFrameHeaderBytes];
        if (!receiveExactly(header, sizeof header, error))
            return false;
        const quint32 length = fleet::decodeFrameLength(QByteArrayView(header, sizeof header));
        if (length > m_reader.maxFrameBytes()) {
            *error = QStringLiteral("raw client: a reply of %1 bytes is too large").arg(length);
            return false;
        }
        m_body.resize(qsizetype(length)); // keeps its capacity: no allocation per answer
        if (!receiveExactly(m_body.data(), length, error))
            return false;
        if (!m_reply.ParseFromArray(m_body.constData(), int(length))) {
            *error = QStringLiteral("raw client: a reply does not parse");
            return false;
        }
        return true;
    }

    bool receiveExactly(char* into, size_t size, QString* error)
    {
        size_t received = 0;
        while (received < size) {
            const ssize_t n = ::recv(m_fd, into + received, size - received, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return fail(error, n == 0 ? "recv(): connection closed" : "recv()");
            received += size_t(n);
        }
        return true;
    }

    bool fail(QString* error, const char* what)
    {
        *error = QStringLiteral("raw client: %1: %2")
                     .arg(QLatin1String(what), QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }

    std::string m_payload;
    fleet::DeviceIdentity m_device;
    Reads m_reads;
    int m_fd = -1;
    char m_buffer[64 * 1024];
    QByteArray m_body; // Reads::HeaderThenBody
    fleet::FrameReader m_reader;
    InternalProtocol::InternalClient m_request;
    InternalProtocol::InternalServer m_reply;
};

} // namespace benchpeers
