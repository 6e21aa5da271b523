#include "tcptransport_p.h"

#include <QEvent>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace fleet {

// A socket notifier that calls its transport directly: QSocketNotifier's activated() signal
// would add a signal emission per readiness on the round trip's path.
class TransportNotifier : public QSocketNotifier {
public:
    TransportNotifier(int fd, Type type, TcpTransport* transport)
        : QSocketNotifier(qintptr(fd), type, transport)
        , m_transport(transport)
    {
    }

protected:
    bool event(QEvent* event) override
    {
        if (event->type() != QEvent::SockAct)
            return QSocketNotifier::event(event);
        if (type() == Read)
            m_transport->onReadReady();
        else
            m_transport->onWriteReady();
        return true;
    }

private:
    TcpTransport* const m_transport;
};

namespace {

// The socket address of `address`, with an IPv6 scope given by number or interface name.
bool toSocketAddress(const QHostAddress& address, quint16 port, sockaddr_storage* storage,
                     socklen_t* length)
{
    std::memset(storage, 0, sizeof *storage);
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto* ipv4 = reinterpret_cast<sockaddr_in*>(storage);
        ipv4->sin_family = AF_INET;
        ipv4->sin_port = htons(port);
        ipv4->sin_addr.s_addr = htonl(address.toIPv4Address());
        *length = sizeof *ipv4;
        return true;
    }
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto* ipv6 = reinterpret_cast<sockaddr_in6*>(storage);
        ipv6->sin6_family = AF_INET6;
        ipv6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&ipv6->sin6_addr, bytes.c, sizeof bytes.c);
        if (const QString scope = address.scopeId(); !scope.isEmpty()) {
            bool numeric = false;
            const uint index = scope.toUInt(&numeric);
            ipv6->sin6_scope_id =
                numeric ? index : uint(QNetworkInterface::interfaceIndexFromName(scope));
        }
        *length = sizeof *ipv6;
        return true;
    }
    return false;
}

} // namespace

TcpTransport::TcpTransport(TcpTransportListener* listener, QObject* parent)
    : QObject(parent)
    , m_listener(listener)
{
}

TcpTransport::~TcpTransport()
{
    close();
}

void TcpTransport::connectToHost(const QString& host, quint16 port)
{
    m_port = port;
    QHostAddress literal;
    if (literal.setAddress(host)) {
        m_addresses = {literal};
        m_state = State::Connecting;
        tryNextAddress();
        return;
    }
    m_state = State::LookingUp;
    m_lookupId = QHostInfo::lookupHost(host, this, &TcpTransport::onLookedUp);
}

void TcpTransport::onLookedUp(const QHostInfo& info)
{
    m_lookupId = -1;
    if (m_state != State::LookingUp)
        return;
    m_state = State::Connecting;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        failLater(info.error() != QHostInfo::NoError ? info.errorString()
                                                     : QStringLiteral("Host not found"));
        return;
    }
    m_addresses = info.addresses();
    tryNextAddress();
}

// Every address in turn, as QTcpSocket does; the error of the last one is the one reported.
void TcpTransport::tryNextAddress()
{
    while (!m_addresses.isEmpty()) {
        const QHostAddress address = m_addresses.takeFirst();
        sockaddr_storage storage{};
        socklen_t length = 0;
        if (!toSocketAddress(address, m_port, &storage, &length)) {
            m_errorString = QStringLiteral("%1 is not an IP address").arg(address.toString());
            continue;
        }
        m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (m_fd < 0) {
            m_errorString = qt_error_string(errno);
            continue;
        }
        // A non-blocking connect finishes later, or fails at once; EINTR leaves it under way.
        if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&storage), length) == 0 ||
            errno == EINPROGRESS || errno == EINTR) {
            // Writable once connected or failed (a failure also reports as writable).
            m_writeNotifier = new TransportNotifier(m_fd, QSocketNotifier::Write, this);
            return;
        }
        m_errorString = qt_error_string(errno);
        closeDescriptor();
    }
    failLater(m_errorString);
}

void TcpTransport::onConnectFinished()
{
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
        error = errno;
    if (error == EINPROGRESS || error == EALREADY)
        return; // not finished after all
    if (error != 0) {
        m_errorString = qt_error_string(error);
        closeDescriptor();
        tryNextAddress();
        return;
    }
    m_addresses.clear();
    m_state = State::Connected;
    // Without TCP_NODELAY, Nagle plus delayed ACKs cap a request/response protocol at a few
    // dozen exchanges per second (docs/protocol.md#framing).
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_writeNotifier->setEnabled(false); // again only while bytes wait for the kernel
    m_readNotifier = new TransportNotifier(m_fd, QSocketNotifier::Read, this);
    m_listener->transportConnected();
}

void TcpTransport::onReadReady()
{
    if (m_state == State::Connected)
        m_listener->transportReadable();
}

void TcpTransport::onWriteReady()
{
    if (m_state == State::Connecting)
        onConnectFinished();
    else if (m_state == State::Connected)
        flushUnwritten();
}

qint64 TcpTransport::read(char* data, qint64 maxSize)
{
    if (m_state != State::Connected)
        return -1;
    for (;;) {
        const ssize_t n = ::recv(m_fd, data, size_t(maxSize), 0);
        if (n > 0)
            return n;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        // The end: the level-triggered notifier would report it for ever, so stop here.
        m_peerClosed = n == 0;
        if (n < 0)
            m_errorString = qt_error_string(errno);
        else
            m_errorString = QStringLiteral("The remote host closed the connection");
        m_failurePending = false; // this return value is the report
        closeDescriptor();
        m_state = State::Closed;
        return -1;
    }
}

void TcpTransport::write(const QByteArray& frame)
{
    if (m_state != State::Connected || m_failurePending)
        return;
    if (bytesToWrite() > 0) {
        m_unwritten.remove(0, m_unwrittenOffset);
        m_unwrittenOffset = 0;
        m_unwritten.append(frame);
        return;
    }
    // The hot path: one send(), which takes the whole frame.
    const qint64 sent = sendSome(frame.constData(), frame.size());
    if (sent < 0 || sent == frame.size())
        return;
    // The rest waits, sharing the frame's bytes rather than copying them.
    m_unwritten = frame;
    m_unwrittenOffset = sent;
    m_writeNotifier->setEnabled(true);
}

void TcpTransport::flushUnwritten()
{
    const qint64 sent = sendSome(m_unwritten.constData() + m_unwrittenOffset, bytesToWrite());
    if (sent < 0)
        return;
    m_unwrittenOffset += sent;
    if (bytesToWrite() == 0) {
        m_unwritten.clear();
        m_unwrittenOffset = 0;
        m_writeNotifier->setEnabled(false);
    }
}

qint64 TcpTransport::sendSome(const char* data, qint64 size)
{
    for (;;) {
        // MSG_NOSIGNAL: a peer gone away is an error to report, not a SIGPIPE.
        const ssize_t n = ::send(m_fd, data, size_t(size), MSG_NOSIGNAL);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        failLater(qt_error_string(errno));
        return -1;
    }
}

void TcpTransport::failLater(const QString& why)
{
    m_errorString = why;
    m_failurePending = true;
    // Nothing more to write; what the peer sent before the failure can still be read.
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!std::exchange(m_failurePending, false))
                return; // closed meanwhile, or read() reported the end first
            m_listener->transportFailed();
        },
        Qt::QueuedConnection);
}

void TcpTransport::close()
{
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    m_failurePending = false;
    m_addresses.clear();
    closeDescriptor();
    m_state = State::Closed;
}

void TcpTransport::closeDescriptor()
{
    // Unregistered before the descriptor closes, whose number may come back at once; deleted
    // later, because this often runs inside one of their own notifications.
    for (TransportNotifier** notifier : {&m_readNotifier, &m_writeNotifier}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_unwritten.clear();
    m_unwrittenOffset = 0;
}

} // namespace fleet
