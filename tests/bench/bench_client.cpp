// fleet-bench client: status/command round trips per second through the asynchronous
// fleet::InternalClient, against a plain blocking POSIX-socket client as the baseline, both
// talking to the same in-process responder running in its own thread.
//
// The two clients take turns in short slices (kSliceMs) until each ran for --seconds: on a
// shared, loaded machine the load drifts by the second, and alternating makes both rates see
// the same drift, so their ratio stays meaningful even when the absolute rates do not.

#include "benchmain.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
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

struct Options {
    double seconds = kDefaultSeconds;
    int payloadBytes = kDefaultPayloadBytes;
};

struct Rate {
    qint64 roundTrips = 0;
    qint64 elapsedNs = 0;
    double perSecond() const
    {
        return elapsedNs > 0 ? double(roundTrips) * 1e9 / double(elapsedNs) : 0;
    }
};

fleet::DeviceIdentity benchDevice()
{
    fleet::DeviceIdentity device;
    // The transparent module accepts any payload (docs/modules.md#transparent-module).
    device.module = fleet::ModuleNumber::Transparent;
    device.deviceType = 0;
    device.role = QStringLiteral("bench");
    device.name = QStringLiteral("fleet-bench");
    return device;
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
        m_slice.start();
        send();
        if (m_error.isEmpty())
            m_loop.exec();
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
    explicit RawDevice(const QByteArray& payload)
        : m_payload(payload.toStdString())
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
        benchDevice().toProto(m_request.mutable_deviceconnect()->mutable_device());
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

    bool runSlice(qint64 sliceNs, Rate* rate, QString* error)
    {
        QElapsedTimer slice;
        slice.start();
        do {
            // Built and parsed per round trip, as any real client must.
            m_request.Clear();
            auto* status = m_request.mutable_devicestatus();
            benchDevice().toProto(status->mutable_device());
            status->set_statusdata(m_payload);
            if (!sendFrame(fleet::encodeFrame(m_request), error) || !receiveReply(error))
                return false;
            if (!m_reply.has_devicecommand()) {
                *error = QStringLiteral("raw client: the answer is not a DeviceCommand");
                return false;
            }
            ++rate->roundTrips;
        } while (slice.nsecsElapsed() < sliceNs);
        rate->elapsedNs += slice.nsecsElapsed();
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
    out << QStringLiteral("client_rt_per_s=%1 raw_rt_per_s=%2 ratio=%3")
               .arg(qRound64(asyncRate.perSecond()))
               .arg(qRound64(rawRate.perSecond()))
               .arg(ratio, 0, 'f', 2)
        << '\n';
    return 0;
}

const BenchRegistration registration(
    "client",
    "client [--seconds S] [--payload-bytes N]   async client vs raw socket round trips "
    "(defaults: 3 s each, 64 bytes)",
    &runClientBench);

} // namespace
