#pragma once

#include "internalclient.h"
#include "scenario.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace fleet {

class GatewayLink;

// One step as it ran (a step inside `repeat` runs, and is reported, once per round).
struct ScenarioStepResult {
    enum class Outcome { Passed, Failed, Skipped };
    QString label; // "steps[3].steps[1] (expect_command)", with " round 2" inside repeats
    int line = 0;
    Outcome outcome = Outcome::Passed;
    QString reason; // why it failed: "expected … within 2,000 ms, got … after 1.2 ms"
    qint64 elapsedMs = 0;
    ScenarioStep::Kind kind = ScenarioStep::Kind::Wait;
    // The client's error when a connect was refused or a send failed (exit codes follow it).
    InternalClient::Error clientError = InternalClient::Error::NoError;
};

// Runs a Scenario (docs/scenarios.md#running) against a gateway: one device session per device
// (with its behaviour when it has one), the steps in order, `together` steps at the same time.
// Everything waits on events with a deadline, never blocks and never spins a nested loop; the
// first failed step ends the run (the steps not run are reported as skipped).
class ScenarioRunner : public QObject {
    Q_OBJECT
public:
    // Commands a device received and no expectation looked at yet, at most this many (the
    // oldest go first): a gateway that answers every heartbeat cannot grow the runner.
    static constexpr int kMaxUnreadCommands = 256;
    // results() lists the first this many steps and every failed one; the rest are only
    // counted, so a `repeat` of a million steps cannot grow the runner without bound.
    static constexpr int kMaxListedResults = 10000;

    explicit ScenarioRunner(Scenario scenario, QObject* parent = nullptr);
    ~ScenarioRunner() override;

    // Where devices without a server of their own (in the file) connect: "HOST:PORT".
    void setDefaultServer(const QString& server) { m_defaultServer = server; }
    // Forces every device to this server, whatever the file says (fleet-device --server).
    void setServerOverride(const QString& server) { m_serverOverride = server; }
    // The embedded gateway, for `gateway` steps; without one they fail, naming why.
    void setGateway(GatewayLink* gateway) { m_gateway = gateway; }

    const Scenario& scenario() const { return m_scenario; }
    void start();
    // Stops at once: the running steps fail as stopped, devices disconnect.
    void stop();
    bool isRunning() const { return m_running; }
    bool passed() const;
    // Holds the run between steps: the steps running now go on to their end, the next ones
    // wait until the hold is lifted (fleet-device while its output's reader is behind,
    // docs/architecture.md#tool-output). Time held counts in no step's time.
    void setHeld(bool held);
    // Held, and every line of steps is waiting for the hold to lift (none is running a step).
    bool isPausedByHold() const;
    // The steps as they ran, at most kMaxListedResults passed ones (see stepCount()).
    const QList<ScenarioStepResult>& results() const { return m_results; }
    // Every step reported, listed in results() or not.
    qint64 stepCount() const { return m_stepCount; }
    qint64 failureCount() const { return m_failureCount; }
    qint64 elapsedMs() const { return m_clock.isValid() ? m_clock.elapsed() : 0; }

signals:
    void stepStarted(const QString& label);
    void stepFinished(const fleet::ScenarioStepResult& result);
    void finished(bool passed);
    // A device's new client (one per connect), before its first frame goes out: the
    // console's traffic log hooks its frames.
    void clientCreated(fleet::InternalClient* client, const QString& deviceKey);

private:
    class Device;
    class Strand;
    friend class Strand;

    Device* device(const QString& key) const;
    void strandFinished(Strand* strand);
    void record(const ScenarioStepResult& result);
    void finish();

    Scenario m_scenario;
    QString m_defaultServer = QStringLiteral("127.0.0.1:8888");
    QString m_serverOverride;
    GatewayLink* m_gateway = nullptr;
    std::vector<std::unique_ptr<Device>> m_devices;
    std::unique_ptr<Strand> m_main;
    QList<ScenarioStepResult> m_results;
    qint64 m_stepCount = 0;
    qint64 m_failureCount = 0;
    bool m_held = false;
    int m_stepsRunning = 0; // steps begun and not finished, `repeat` and `together` aside
    std::vector<std::function<void()>> m_waitingForHold; // resumes of the strands held
    QElapsedTimer m_clock;
    bool m_running = false;
    bool m_failed = false;
};

// The run as JUnit XML (one testsuite, one testcase per step as it ran), for CI.
QByteArray scenarioJUnit(const ScenarioRunner& runner);

} // namespace fleet
