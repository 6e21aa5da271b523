#include "devicerunner.h"

#include "emulateddevice.h"

#include <QTimerEvent>

#include <algorithm>

#include <cmath>

namespace fleet {

namespace {

// Connects in flight at once. QTcpServer listens with a backlog of 50: a burst of a thousand
// SYNs overflows it, and the kernel's 1 s SYN retry then exceeds the connect timeout.
constexpr int kConnectWindow = 32;

} // namespace

DeviceRunner::DeviceRunner(const DeviceOptions& options, EventPrinter* printer, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_printer(printer)
{
}

DeviceRunner::~DeviceRunner() = default;

void DeviceRunner::start()
{
    m_clock.start();
    for (int i = 0; i < m_options.devices; ++i) {
        auto* device =
            new EmulatedDevice(m_options.identityFor(i), m_options, m_printer, &m_stats, this);
        connect(device, &EmulatedDevice::connectSettled, this, [this] {
            --m_connecting;
            startNextConnects();
        });
        connect(device, &EmulatedDevice::finished, this, &DeviceRunner::onDeviceFinished);
        device->setOutputPaused(m_outputBacklogged);
        m_devices.append(device);
    }
    startNextConnects();
}

void DeviceRunner::startNextConnects()
{
    const int allowed = connectsAllowedByRamp();
    while (!m_interrupted && m_connecting < kConnectWindow && m_started < m_devices.size() &&
           m_started < allowed) {
        ++m_connecting;
        m_devices.at(m_started++)->start();
    }
    // The window has room but the ramp says wait: come back when the next connect is due.
    if (!m_interrupted && m_started < m_devices.size() && m_started >= allowed &&
        !m_rampTimer.isActive()) {
        const qint64 dueMs =
            qint64(std::ceil(double(m_started) * 1000.0 / m_options.rampPerSecond));
        m_rampTimer.start(int(qMax<qint64>(1, dueMs - m_clock.elapsed())), this);
    }
}

// --ramp N/s: connect number k (0-based) may start k/N seconds after the run began.
int DeviceRunner::connectsAllowedByRamp() const
{
    if (m_options.rampPerSecond <= 0)
        return int(m_devices.size());
    const qint64 allowed = m_clock.elapsed() * m_options.rampPerSecond / 1000 + 1;
    return int(qMin<qint64>(allowed, m_devices.size()));
}

void DeviceRunner::timerEvent(QTimerEvent* event)
{
    if (event->timerId() != m_rampTimer.timerId())
        return QObject::timerEvent(event);
    m_rampTimer.stop();
    startNextConnects();
}

void DeviceRunner::setOutputBacklogged(bool backlogged)
{
    if (backlogged == m_outputBacklogged)
        return;
    m_outputBacklogged = backlogged;
    for (EmulatedDevice* device : std::as_const(m_devices))
        device->setOutputPaused(backlogged);
}

int DeviceRunner::devicesHoldingStatus() const
{
    return int(
        std::count_if(m_devices.cbegin(), m_devices.cend(),
                      [](const EmulatedDevice* device) { return device->isHoldingStatus(); }));
}

void DeviceRunner::stop()
{
    if (m_interrupted)
        return;
    m_interrupted = true;
    m_rampTimer.stop();
    // Devices never started count as finished: nothing of theirs is pending.
    m_finished += int(m_devices.size()) - m_started;
    for (int i = 0; i < m_started; ++i)
        m_devices.at(i)->stop(); // each still running one reports finished() right away
    reportIfDone();
}

void DeviceRunner::onDeviceFinished()
{
    ++m_finished;
    auto* device = qobject_cast<EmulatedDevice*>(sender());
    if (device && device->error() != InternalClient::Error::NoError &&
        m_firstError == InternalClient::Error::NoError)
        m_firstError = device->error();
    reportIfDone();
}

void DeviceRunner::reportIfDone()
{
    if (m_finished < m_devices.size() || m_reported)
        return;
    m_reported = true;
    m_printer->summary(summary());
    emit finished(exitCode());
}

RunSummary DeviceRunner::summary() const
{
    RunSummary s;
    s.devices = int(m_devices.size());
    for (const EmulatedDevice* device : m_devices) {
        s.statuses += device->statusesSent();
        s.answered += device->statusesAnswered();
        s.pushed += device->commandsPushed();
        if (device->error() != InternalClient::Error::NoError)
            ++s.errors;
    }
    s.seconds = double(m_clock.nsecsElapsed()) / 1e9;
    if (m_stats.count() > 0) {
        s.rttP50Ms = m_stats.percentile(50);
        s.rttP99Ms = m_stats.percentile(99);
    }
    s.interrupted = m_interrupted;
    return s;
}

// The first error decides (the one that usually caused the others); without errors, every
// status must have been answered, except in an open-ended run (--count 0) that the operator
// stopped, where the status in flight at that moment is simply abandoned.
int DeviceRunner::exitCode() const
{
    switch (InternalClient::errorFamily(m_firstError)) {
    case InternalClient::ErrorFamily::Communication:
        return ExitCode::Communication;
    case InternalClient::ErrorFamily::Connect:
        return ExitCode::Connect;
    case InternalClient::ErrorFamily::Usage:
        return ExitCode::Failure; // a call the tool should never make: a bug, not bad flags
    case InternalClient::ErrorFamily::None:
        break;
    }
    if (m_options.count == 0)
        return ExitCode::Success;
    for (const EmulatedDevice* device : m_devices) {
        if (device->statusesAnswered() < m_options.count)
            return ExitCode::Failure;
    }
    return ExitCode::Success;
}

} // namespace fleet
