#pragma once

#include "deviceoptions.h"
#include "eventprinter.h"
#include "latencystats.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QList>
#include <QObject>

namespace fleet {

class EmulatedDevice;

// Runs the --devices K emulated devices of one fleet-device invocation and turns their outcome
// into the summary and the exit code.
class DeviceRunner : public QObject {
    Q_OBJECT
public:
    DeviceRunner(const DeviceOptions& options, EventPrinter* printer, QObject* parent = nullptr);
    ~DeviceRunner() override;

    void start();
    // SIGINT/SIGTERM: abandon every device now, then report as usual.
    void stop();
    // The output's reader fell behind (true) or caught up: the devices hold or resume their
    // statuses (docs/architecture.md#tool-output).
    void setOutputBacklogged(bool backlogged);
    int devicesHoldingStatus() const;

    int exitCode() const;
    RunSummary summary() const;

signals:
    void finished(int exitCode);

protected:
    void timerEvent(QTimerEvent* event) override;

private:
    void startNextConnects();
    int connectsAllowedByRamp() const;
    void onDeviceFinished();
    void reportIfDone();

    DeviceOptions m_options;
    EventPrinter* m_printer;
    LatencyStats m_stats;
    QList<EmulatedDevice*> m_devices;
    QElapsedTimer m_clock;
    QBasicTimer m_rampTimer; // the next connect --ramp lets start
    int m_started = 0;
    int m_connecting = 0;
    int m_finished = 0;
    bool m_interrupted = false;
    bool m_reported = false;
    bool m_outputBacklogged = false;
    InternalClient::Error m_firstError = InternalClient::Error::NoError;
};

} // namespace fleet
