#include "signalpipe.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fleet {

namespace {

int g_pipe[2] = {-1, -1};
constexpr int kWatchedSignals[] = {SIGINT, SIGTERM};

extern "C" void onTerminationSignal(int signalNumber)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    // A full pipe means the event loop already has signals to handle: dropping one is fine.
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

SignalPipe::SignalPipe(QObject* parent)
    : QObject(parent)
{
    if (::pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
        m_error = QStringLiteral("cannot create the signal pipe: %1").arg(systemError());
        return;
    }
    struct sigaction action {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signalNumber : kWatchedSignals) {
        if (::sigaction(signalNumber, &action, nullptr) != 0) {
            m_error = QStringLiteral("cannot install the handler for signal %1: %2")
                          .arg(signalNumber)
                          .arg(systemError());
            restoreDefaults();
            return;
        }
    }
    m_notifier = new QSocketNotifier(qintptr(g_pipe[0]), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalPipe::drain);
}

SignalPipe::~SignalPipe()
{
    delete m_notifier; // before its descriptor closes
    restoreDefaults();
}

void SignalPipe::restoreDefaults()
{
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (int signalNumber : kWatchedSignals)
        ::sigaction(signalNumber, &action, nullptr);
    for (int& fd : g_pipe) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

void SignalPipe::drain()
{
    unsigned char bytes[16];
    ssize_t got = 0;
    while ((got = ::read(g_pipe[0], bytes, sizeof bytes)) > 0) {
        for (ssize_t i = 0; i < got; ++i)
            emit terminationRequested(int(bytes[i]));
    }
}

} // namespace fleet
