#pragma once

#include "internalclient.h"
#include "scenario.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

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
    const QList<ScenarioStepResult>& results() const { return m_results; }
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
    QElapsedTimer m_clock;
    bool m_running = false;
    bool m_failed = false;
};

// The run as JUnit XML (one testsuite, one testcase per step as it ran), for CI.
QByteArray scenarioJUnit(const ScenarioRunner& runner);

} // namespace fleet
