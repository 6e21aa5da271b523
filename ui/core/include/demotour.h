#pragma once

#include "gatewayevent.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

namespace fleet {

class GatewayLink;
class InternalClient;

// A gateway event that shows a demo step really happened: its kind, the tour device it is
// about (by name), and for refusals and closes the response type or the reason.
struct DemoExpectation {
    GatewayEvent::Kind kind = GatewayEvent::Kind::Connected;
    QString device; // the tour device's name, "b1"
    int responseType = -1;
    GatewayEvent::Reason reason = GatewayEvent::Reason::None;

    bool matches(const GatewayEvent& event) const;
    QString describe() const; // "b1's connect accepted", for a failed step's message
};

// One step of the guided demo (docs/demo.md#the-demo-tour): what a tour device does, the
// caption that explains it, and the gateway events that prove it happened.
struct DemoStep {
    enum class Action { Connect, SendStatus };

    QString key;     // the step's anchor in docs/demo.md: "takeover"
    QString title;   // "A higher priority takes over"
    QString caption; // what the room should understand, true to what the gateway does
    Action action = Action::Connect;
    QString device;       // the tour device acting: "b1"
    quint32 priority = 0; // Connect: its priority (lower number wins)
    QByteArray payload;   // SendStatus: the status bytes
    QList<DemoExpectation> expected;
};

// The tour's script: connect, status, command, refusal, takeover, malformed status.
QList<DemoStep> demoTourSteps();

// Runs the guided demo on a gateway (the console's embedded one) with devices of its own:
// each step acts, then waits for the gateway's events that prove it (a refusal, a takeover)
// before it counts as done. Back goes to a consistent state the simple, truthful way: the
// tour's devices are closed and steps 1 … N−1 are replayed on fresh ones. Widget-free; the
// Help › Demo tour bar drives it. Never blocks: the gateway's events and one timer per step.
class DemoTour : public QObject {
    Q_OBJECT
public:
    enum class StepState { Idle, Running, Done, Failed };
    Q_ENUM(StepState)

    // How long a step may wait for its events before it is reported as failed.
    static constexpr int kStepTimeoutMs = 5000;
    // A status's answer wait; the tour's statuses are answered in microseconds.
    static constexpr int kStatusTimeoutMs = 2000;
    // The tour's devices use a role of their own, so the operator's own buttons do not hold
    // their slot (a slot is module, device type and role).
    static inline const QString kRole = QStringLiteral("demo-button");

    explicit DemoTour(GatewayLink* gateway, QObject* parent = nullptr);
    ~DemoTour() override;

    const QList<DemoStep>& steps() const { return m_steps; }
    int stepCount() const { return int(m_steps.size()); }
    // The step shown: the one running or done; -1 before start(). While replaying, the step
    // the replay is heading for.
    int current() const { return m_target; }
    StepState state() const { return m_state; }
    bool isReplaying() const { return m_state == StepState::Running && m_running < m_target; }
    int runningStep() const { return m_running; }
    QString problem() const { return m_problem; } // why the step failed
    bool canNext() const;
    bool canBack() const;

    // Fresh devices, then step 1.
    void start();
    void next();
    void back();
    // The same step again on fresh devices (after a failure).
    void retry();
    // Closes the tour's devices; the tour is idle.
    void stop();

signals:
    void stepStarted(int index);
    void stepDone(int index);
    void stepFailed(int index, const QString& why);
    // Every device the tour creates, before its first frame (for the traffic log).
    void clientCreated(fleet::InternalClient* client);
    // current(), state() or isReplaying() changed.
    void changed();

private:
    void goTo(int index);
    void beginWhenSlotFree();
    bool tourDeviceConnected() const;
    void run(int index);
    void act(const DemoStep& step);
    void onGatewayEvent(const GatewayEvent& event);
    void onStepComplete();
    void fail(const QString& why);
    void closeDevices();
    bool isTourDevice(const GatewayEvent& event) const;

    GatewayLink* m_gateway;
    QList<DemoStep> m_steps;
    QHash<QString, InternalClient*> m_clients; // by device name
    int m_target = -1;
    int m_running = -1;
    StepState m_state = StepState::Idle;
    QList<DemoExpectation> m_waiting; // the running step's events not seen yet
    bool m_waitingForSlot = false;
    QString m_problem;
    QTimer m_timeout;
};

} // namespace fleet
