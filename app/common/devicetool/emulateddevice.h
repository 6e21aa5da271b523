#pragma once

#include "deviceidentity.h"
#include "eventprinter.h"
#include "internalclient.h"
#include "payloadtemplate.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>

namespace fleet {

class Behaviour;
class EventPrinter;
class LatencyStats;
struct DeviceOptions;

// One emulated device: connects, sends the payload --count times (or until stopped), paced by
// --interval, and reports every command. Ends with finished(), after an error, after the last
// answer, or when stopped.
class EmulatedDevice : public QObject {
    Q_OBJECT
public:
    EmulatedDevice(const DeviceIdentity& identity, const DeviceOptions& options,
                   EventPrinter* printer, LatencyStats* stats, QObject* parent = nullptr);
    ~EmulatedDevice() override;

    void start();
    // Abandons the device at once (a status in flight is not awaited): the operator asked to stop.
    void stop();
    // While the output's reader is behind, the next status waits
    // (docs/architecture.md#tool-output): answers and pushed commands still arrive and are printed,
    // but no new status goes out.
    void setOutputPaused(bool paused);

    const DeviceIdentity& identity() const { return m_identity; }
    bool isFinished() const { return m_finished; }
    bool isHoldingStatus() const { return m_statusHeld; }
    qint64 statusesSent() const { return m_sent; }
    qint64 statusesAnswered() const { return m_answered; }
    qint64 commandsPushed() const { return m_pushed; }
    InternalClient::Error error() const { return m_error; }

signals:
    // The handshake finished (or failed): the runner may start the next device's connect.
    void connectSettled();
    void finished();

private:
    void onConnected();
    void onStatusAnswered(const QByteArray& command, double roundTripMs);
    void onCommandReceived(const QByteArray& data, bool pushed, bool empty);
    void onError(InternalClient::Error error, const QString& detail);
    void onTimer();
    void sendNext();
    bool countReached() const;
    void finish();
    // --behave: the command goes into the behaviour; what changed is printed as a state event.
    void applyToBehaviour(const QByteArray& command);
    // A state event when the state changed; atStatus: a status goes out now, so a driving
    // vehicle reports where it is (at most once per status).
    void reportBehaviour(bool atStatus);
    int behaviourDelayMs() const; // until the behaviour's next status may be due

    DeviceIdentity m_identity;
    const DeviceOptions& m_options;
    EventPrinter* m_printer;
    LatencyStats* m_stats;
    QPointer<InternalClient> m_client;
    QTimer m_timer; // paces statuses, and defers work out of the client's own signals
    QElapsedTimer m_sinceSend;
    qint64 m_sent = 0;
    qint64 m_answered = 0;
    qint64 m_pushed = 0;
    InternalClient::Error m_error = InternalClient::Error::NoError;
    bool m_connectSettled = false;
    bool m_finished = false;
    bool m_outputPaused = false;
    bool m_statusHeld = false;                   // a status came due while the output was paused
    std::unique_ptr<Behaviour> m_behaviour;      // --behave: the statuses come from it
    QElapsedTimer m_lifetime;                    // the behaviour's clock
    std::optional<DeviceStateReport> m_reported; // the state event printed last
    TemplateState m_templateState;               // --template: {{seq}} and toggles of this device
};

} // namespace fleet
