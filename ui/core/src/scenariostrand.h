#pragma once

// Private to ui/core: how ScenarioRunner runs its steps (docs/scenarios.md#running).

#include "scenariodevicerun.h"
#include "scenariorunner.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <vector>

namespace fleet {

class DeviceSession;

class ScenarioRunner::Device : public ScenarioDeviceRun {
public:
    using ScenarioDeviceRun::ScenarioDeviceRun;
};

// A line of steps run one after the other: the run itself, or one branch of `together`.
// Each step gets a fresh context object that owns its timers and connections; callbacks also
// check the step's token, so nothing of a finished step can act on the next one.
class ScenarioRunner::Strand {
public:
    Strand(ScenarioRunner* runner, const QList<ScenarioStep>* steps, Strand* parent = nullptr);
    ~Strand();

    bool failed() const { return m_failed; }

    // Runs steps until one waits or the strand ends; quick steps run in a row, a yield to the
    // event loop every kStepsPerPass of them.
    void resume();

    // Ends whatever runs now as failed with `reason` (a stop).
    void abort(const QString& reason);

private:
    struct Frame {
        const QList<ScenarioStep>* steps;
        int index;
        int round;
        int rounds;
        QString roundSuffix;
    };

    // Moving along the steps.
    void waitForHold();
    void postResume();
    void startNext();
    void end();
    void begin(const ScenarioStep& step, Frame& frame);

    // A step that runs itself, rather than through the steps inside it.
    static bool runsItself(ScenarioStep::Kind kind);
    static bool connected(const DeviceSession* session);

    // The steps, one function each (docs/scenarios.md#steps).
    void connectDevice(const ScenarioStep& step, const Frame& frame, Device* device);
    void send(const ScenarioStep& step, Device* device);
    // A status still awaiting its answer is waited out (up to the default window), not
    // reported as an error: steps do not race the gateway's answer.
    void trySend(const ScenarioStep& step, Device* device, const QByteArray& bytes);
    std::optional<QString> takeCommand(const ScenarioStep& step, Device* device);
    std::optional<QString> takeError(const ScenarioStep& step, Device* device);
    void gateway(const ScenarioStep& step, Device* device);

    // Looks at `verdict` now and on every change of the device until the step's window ends:
    // nullopt while undecided, an empty string for a pass, else the reason it failed.
    void waitFor(const ScenarioStep& step, Device* device,
                 std::function<std::optional<QString>()> verdict);
    QString timeoutReason(const ScenarioStep& step, Device* device) const;
    // `then` once `ms` have passed, unless the step has ended by then.
    void after(int ms, std::function<void()> then);
    void childFinished(Strand* child);
    void finishStep(bool passed, const QString& reason = {});

    ScenarioRunner* m_runner;
    Strand* m_parent;
    QObject* m_context = nullptr;              // the current step's timers and connections
    QObject* m_anchor = new QObject(m_runner); // lives as long as the strand: posted resumes
    QList<Frame> m_stack;
    const ScenarioStep* m_step = nullptr;
    QString m_label;
    QElapsedTimer m_stepClock;
    quint64 m_token = 0;
    bool m_waiting = false;
    bool m_done = false;
    bool m_failed = false;
    bool m_resumePosted = false;
    // expect_command / expect_error: what arrived that did not match, for the reason.
    QByteArray m_lastMismatch;
    qint64 m_lastMismatchMs = 0;
    bool m_sawMismatch = false;
    QString m_lastError;
    InternalClient::Error m_failError = InternalClient::Error::NoError;
    // together: one strand per branch, each running its branch as a one-step list.
    std::list<QList<ScenarioStep>> m_branches;
    std::vector<std::unique_ptr<Strand>> m_children;
    int m_childrenLeft = 0;
};

} // namespace fleet
