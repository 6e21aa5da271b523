#include "syncclient.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

namespace fleet::sync {

using Error = fleet::InternalClient::Error;

namespace {

std::string whatText(Error error, const QString& detail)
{
    const QString text = detail.isEmpty() ? fleet::InternalClient::errorSentence(error) : detail;
    return (fleet::InternalClient::errorName(error) + QStringLiteral(": ") + text).toStdString();
}

int clampToInt(qint64 value)
{
    return int(std::clamp<qint64>(value, 0, std::numeric_limits<int>::max()));
}

// Runs a local event loop until the asynchronous client reports the awaited success, an
// error, or its destruction. Only this file may wait (docs/architecture.md#house-style): the sync
// API exists for programs that want exactly that.
class Waiter {
public:
    explicit Waiter(fleet::InternalClient* client)
        : m_client(client)
    {
        QObject::connect(client, &fleet::InternalClient::errorOccurred, &m_loop,
                         [this](Error error, const QString& detail) { finish(error, detail); });
        // destroy() from an event handled during the wait ends it too. errorOccurred, if
        // any, comes in the same call stack and is recorded before the loop returns.
        QObject::connect(client, &fleet::InternalClient::stateChanged, &m_loop,
                         [this](fleet::InternalClient::State state) {
                             if (state == fleet::InternalClient::State::Destroyed)
                                 finish(Error::NoError, {});
                         });
    }

    // Lives exactly as long as the wait: connections made with it as context end with it.
    QObject* context() { return &m_loop; }

    template <typename Signal> void succeedOn(Signal signal)
    {
        QObject::connect(m_client, signal, &m_loop, [this] {
            m_succeeded = true;
            finish(Error::NoError, {});
        });
    }

    // Returns normally on success, throws otherwise. `what` names the call for messages.
    void wait(int boundMs, const char* what)
    {
        if (!m_done) {
            QTimer guard;
            guard.setSingleShot(true);
            bool guardFired = false;
            QObject::connect(&guard, &QTimer::timeout, &m_loop, [this, &guardFired] {
                guardFired = true;
                m_loop.quit();
            });
            guard.start(boundMs);
            m_loop.exec();
            if (guardFired && !m_done) {
                QObject::disconnect(m_client, nullptr, &m_loop, nullptr);
                m_client->destroy();
                throw ServerTookTooLong(
                    QStringLiteral("%1 did not finish within %2 ms, although every wait of the "
                                   "protocol should have ended before; the client was destroyed")
                        .arg(QLatin1String(what))
                        .arg(boundMs));
            }
        }
        if (m_succeeded)
            return;
        Error error = m_error;
        QString detail = m_detail;
        if (error == Error::NoError)
            error = m_client->error();
        if (error == Error::NoError) {
            error = Error::ContextDestroyed;
            detail = QStringLiteral("the client was destroyed during %1").arg(QLatin1String(what));
        }
        throwError(error, detail);
    }

private:
    void finish(Error error, const QString& detail)
    {
        m_done = true;
        if (error != Error::NoError && m_error == Error::NoError) {
            m_error = error;
            m_detail = detail;
        }
        m_loop.quit();
    }

    fleet::InternalClient* m_client;
    QEventLoop m_loop;
    bool m_done = false;
    bool m_succeeded = false;
    Error m_error = Error::NoError;
    QString m_detail;
};

// Clears the re-entrancy flag however the blocking call ends.
class BusyScope {
public:
    explicit BusyScope(bool& busy)
        : m_busy(busy)
    {
        m_busy = true;
    }
    ~BusyScope() { m_busy = false; }
    BusyScope(const BusyScope&) = delete;
    BusyScope& operator=(const BusyScope&) = delete;

private:
    bool& m_busy;
};

} // namespace

Exception::Exception(Error error, const QString& detail)
    : std::runtime_error(whatText(error, detail))
    , m_error(error)
    , m_detail(detail)
{
}

fleet::InternalClient::ErrorFamily Exception::family() const
{
    return fleet::InternalClient::errorFamily(m_error);
}

QString Exception::name() const
{
    return fleet::InternalClient::errorName(m_error);
}

AlreadyConnected::AlreadyConnected(const QString& detail)
    : ConnectException(Error::AlreadyConnected, detail)
{
}
ModuleNotSupported::ModuleNotSupported(const QString& detail)
    : ConnectException(Error::ModuleNotSupported, detail)
{
}
DeviceNotSupported::DeviceNotSupported(const QString& detail)
    : ConnectException(Error::DeviceNotSupported, detail)
{
}
HigherPriorityAlreadyConnected::HigherPriorityAlreadyConnected(const QString& detail)
    : ConnectException(Error::HigherPriorityAlreadyConnected, detail)
{
}
ConnectionRefused::ConnectionRefused(const QString& detail)
    : CommunicationException(Error::ConnectionRefused, detail)
{
}
CommunicationError::CommunicationError(const QString& detail)
    : CommunicationException(Error::CommunicationError, detail)
{
}
ServerTookTooLong::ServerTookTooLong(const QString& detail)
    : CommunicationException(Error::ServerTookTooLong, detail)
{
}
DeviceIncorrect::DeviceIncorrect(const QString& detail)
    : CommunicationException(Error::DeviceIncorrect, detail)
{
}
CommandIncorrect::CommandIncorrect(const QString& detail)
    : CommunicationException(Error::CommandIncorrect, detail)
{
}
FrameTooLarge::FrameTooLarge(const QString& detail)
    : CommunicationException(Error::FrameTooLarge, detail)
{
}
NoCommand::NoCommand(const QString& detail)
    : Exception(Error::NoCommand, detail)
{
}
ContextDestroyed::ContextDestroyed(const QString& detail)
    : Exception(Error::ContextDestroyed, detail)
{
}
InvalidTimeout::InvalidTimeout(const QString& detail)
    : Exception(Error::InvalidTimeout, detail)
{
}

void throwError(Error error, const QString& detail)
{
    switch (error) {
    case Error::AlreadyConnected:
        throw AlreadyConnected(detail);
    case Error::ModuleNotSupported:
        throw ModuleNotSupported(detail);
    case Error::DeviceNotSupported:
        throw DeviceNotSupported(detail);
    case Error::HigherPriorityAlreadyConnected:
        throw HigherPriorityAlreadyConnected(detail);
    case Error::ConnectionRefused:
        throw ConnectionRefused(detail);
    case Error::CommunicationError:
        throw CommunicationError(detail);
    case Error::ServerTookTooLong:
        throw ServerTookTooLong(detail);
    case Error::DeviceIncorrect:
        throw DeviceIncorrect(detail);
    case Error::CommandIncorrect:
        throw CommandIncorrect(detail);
    case Error::FrameTooLarge:
        throw FrameTooLarge(detail);
    case Error::NoCommand:
        throw NoCommand(detail);
    case Error::ContextDestroyed:
        throw ContextDestroyed(detail);
    case Error::InvalidTimeout:
        throw InvalidTimeout(detail);
    case Error::NotConnected:
    case Error::StatusPending:
        throw Exception(error, detail);
    case Error::NoError:
        break;
    }
    // Reaching here is a caller bug; still report it rather than returning from [[noreturn]].
    throw Exception(error, QStringLiteral("internal error: throwError() called without an error"
                                          " (%1)")
                               .arg(detail));
}

InternalClient::InternalClient(const QString& host, quint16 port, const DeviceIdentity& device,
                               const ClientSettings& settings)
    : m_device(device)
{
    if (!QCoreApplication::instance()) {
        throw Exception(Error::NotConnected,
                        QStringLiteral("fleet::sync::InternalClient needs a QCoreApplication: "
                                       "create one before the client"));
    }
    m_client = std::make_unique<fleet::InternalClient>();
    m_client->setSettings(settings);

    BusyScope busy(m_busy);
    Waiter waiter(m_client.get());
    waiter.succeedOn(&fleet::InternalClient::connected);
    const Error refused = m_client->connectToServer(host, port, device);
    if (refused != Error::NoError)
        throwError(refused, QStringLiteral("connectToServer() refused by a new client"));
    const qint64 boundMs =
        qint64(std::max(1, settings.connectAttempts)) * std::max(0, settings.connectTimeoutMs) +
        kSafetyMarginMs;
    waiter.wait(clampToInt(boundMs), "connecting");
}

InternalClient::~InternalClient()
{
    if (m_client)
        m_client->destroy();
}

void InternalClient::checkUsable(const char* call) const
{
    if (m_client->state() == fleet::InternalClient::State::Destroyed) {
        const QString why = m_client->error() == Error::NoError
                                ? QStringLiteral("destroy() was called")
                                : QStringLiteral("an earlier %1 error destroyed it")
                                      .arg(fleet::InternalClient::errorName(m_client->error()));
        throw ContextDestroyed(
            QStringLiteral("%1 on a destroyed client (%2); create a new client to connect again")
                .arg(QLatin1String(call), why));
    }
}

void InternalClient::sendStatus(const QByteArray& payload, double timeoutSeconds)
{
    // Same order as the reference: a destroyed context is reported before a bad argument.
    checkUsable("sendStatus()");
    if (m_busy) {
        throw Exception(Error::StatusPending,
                        QStringLiteral("sendStatus() called while another blocking call of this "
                                       "client is in progress (from an event handled during its "
                                       "wait)"));
    }
    if (std::isnan(timeoutSeconds) || timeoutSeconds < 0 || timeoutSeconds > kMaxTimeoutSeconds) {
        throw InvalidTimeout(QStringLiteral("sendStatus() timeout of %1 s: it must be a number "
                                            "of seconds from 0 to %2")
                                 .arg(timeoutSeconds)
                                 .arg(kMaxTimeoutSeconds, 0, 'f', 0));
    }
    // Rounded up, so that a tiny positive timeout does not become "no time at all".
    const int timeoutMs = int(std::ceil(timeoutSeconds * 1000.0));

    BusyScope busy(m_busy);
    Waiter waiter(m_client.get());
    QObject::connect(
        m_client.get(), &fleet::InternalClient::statusAnswered, waiter.context(),
        [this](const QByteArray&, double roundTripMs) { m_lastRoundTripMs = roundTripMs; });
    waiter.succeedOn(&fleet::InternalClient::statusAnswered);
    const Error refused = m_client->sendStatus(payload, timeoutMs);
    if (refused != Error::NoError)
        throwError(refused, QStringLiteral("sendStatus() refused by the client in state %1")
                                .arg(fleet::InternalClient::stateName(m_client->state())));
    const ClientSettings& settings = m_client->settings();
    const qint64 rounds = 1 + std::max(0, settings.resendAttempts);
    const qint64 boundMs = rounds * timeoutMs +
                           (rounds - 1) * qint64(std::max(1, settings.connectAttempts)) *
                               std::max(0, settings.connectTimeoutMs) +
                           kSafetyMarginMs;
    waiter.wait(clampToInt(boundMs), "sendStatus()");
}

QByteArray InternalClient::command() const
{
    checkUsable("command()");
    QByteArray data;
    const Error error = m_client->command(&data);
    if (error == Error::NoCommand) {
        throw NoCommand(QStringLiteral("no command yet: command() needs a status answered by "
                                       "sendStatus() first"));
    }
    if (error != Error::NoError)
        throwError(error, QStringLiteral("command() refused"));
    return data;
}

void InternalClient::destroy()
{
    m_client->destroy();
}

bool InternalClient::isDestroyed() const
{
    return m_client->state() == fleet::InternalClient::State::Destroyed;
}

} // namespace fleet::sync
