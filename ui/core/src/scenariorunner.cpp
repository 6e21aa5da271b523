#include "scenariorunner.h"

#include "behaviour.h"
#include "devicesession.h"
#include "gatewaylink.h"
#include "hostport.h"
#include "scenariodevicerun.h"
#include "scenariomatch.h"
#include "sessionstatus.h"

#include <QLocale>
#include <QPointer>
#include <QTimer>
#include <QXmlStreamWriter>

#include <list>

namespace fleet {

namespace {

// Steps that finish at once run in a row; after this many the strand yields to the event loop
// so that a `repeat` of a million quick steps cannot freeze the window.
constexpr int kStepsPerPass = 64;
constexpr int kSendRetryMs = 20;

QString milliseconds(qint64 ms)
{
    return QLocale(QLocale::English).toString(ms) + QStringLiteral(" ms");
}

} // namespace

class ScenarioRunner::Device : public ScenarioDeviceRun {
public:
    using ScenarioDeviceRun::ScenarioDeviceRun;
};

// A line of steps run one after the other: the run itself, or one branch of `together`.
// Each step gets a fresh context object that owns its timers and connections; callbacks also
// check the step's token, so nothing of a finished step can act on the next one.
class ScenarioRunner::Strand {
public:
    Strand(ScenarioRunner* runner, const QList<ScenarioStep>* steps, Strand* parent = nullptr)
        : m_runner(runner)
        , m_parent(parent)
    {
        m_stack.append({steps, 0, 1, 1, {}});
    }

    ~Strand()
    {
        delete m_context;
        delete m_anchor;
    }

    bool failed() const { return m_failed; }

    // Runs steps until one waits or the strand ends; quick steps run in a row, a yield to the
    // event loop every kStepsPerPass of them.
    void resume()
    {
        m_resumePosted = false;
        for (int ran = 0; ran < kStepsPerPass; ++ran) {
            if (m_done || m_waiting)
                return;
            if (m_runner->m_held)
                return waitForHold();
            startNext();
        }
        postResume();
    }

    // Ends whatever runs now as failed with `reason` (a stop).
    void abort(const QString& reason)
    {
        if (m_done)
            return;
        for (auto& child : m_children)
            child->abort(reason);
        if (m_waiting) {
            finishStep(false, reason); // ends the strand
            return;
        }
        // Between two steps: no step to fail, but the strand ends, and its parent hears so.
        m_failed = true;
        end();
    }

private:
    struct Frame {
        const QList<ScenarioStep>* steps;
        int index;
        int round;
        int rounds;
        QString roundSuffix;
    };

    void waitForHold()
    {
        m_runner->m_waitingForHold.push_back([this, alive = QPointer<QObject>(m_anchor)] {
            if (alive)
                postResume();
        });
    }

    void postResume()
    {
        if (m_resumePosted)
            return;
        m_resumePosted = true;
        QTimer::singleShot(0, m_runner, [this, alive = QPointer<QObject>(m_anchor)] {
            if (alive)
                resume();
        });
    }

    void startNext()
    {
        while (!m_stack.isEmpty()) {
            Frame& frame = m_stack.last();
            if (frame.index < frame.steps->size())
                break;
            if (frame.round < frame.rounds) {
                ++frame.round;
                frame.index = 0;
                frame.roundSuffix =
                    QStringLiteral(" round %1 of %2").arg(frame.round).arg(frame.rounds);
                continue;
            }
            m_stack.removeLast();
        }
        if (m_stack.isEmpty())
            return end();
        Frame& frame = m_stack.last();
        const ScenarioStep& step = frame.steps->at(frame.index++);
        m_step = &step;
        m_label = step.label() + frame.roundSuffix;
        m_stepClock.start();
        ++m_token;
        if (m_context)
            m_context->deleteLater();
        m_context = new QObject;
        m_waiting = true;
        if (runsItself(step.kind))
            ++m_runner->m_stepsRunning;
        emit m_runner->stepStarted(m_label);
        begin(step, frame);
    }

    void end()
    {
        m_done = true;
        if (m_parent)
            m_parent->childFinished(this);
        else
            m_runner->strandFinished(this);
    }

    void begin(const ScenarioStep& step, Frame& frame)
    {
        Device* device = step.device.isEmpty() ? nullptr : m_runner->device(step.device);
        switch (step.kind) {
        case ScenarioStep::Kind::Connect:
            return connectDevice(step, frame, device);
        case ScenarioStep::Kind::Send:
            return send(step, device);
        case ScenarioStep::Kind::ExpectCommand:
            m_sawMismatch = false;
            return waitFor(step, device,
                           [this, &step, device] { return takeCommand(step, device); });
        case ScenarioStep::Kind::ExpectError:
            m_lastError.clear();
            return waitFor(step, device, [this, &step, device] { return takeError(step, device); });
        case ScenarioStep::Kind::ExpectState:
            return waitFor(step, device, [&step, device]() -> std::optional<QString> {
                if (device->behaviour()->stateText() == step.state)
                    return QString();
                return std::nullopt;
            });
        case ScenarioStep::Kind::Wait:
            return after(step.waitMs, [this] { finishStep(true); });
        case ScenarioStep::Kind::Repeat:
            m_stack.append(
                {&step.steps, 0, 1, step.count,
                 step.count > 1 ? QStringLiteral(" round 1 of %1").arg(step.count) : QString()});
            m_waiting = false; // the rounds' steps report themselves
            return;
        case ScenarioStep::Kind::Together:
            m_children.clear();
            m_branches.clear();
            for (const ScenarioStep& branch : step.steps)
                m_branches.push_back(QList<ScenarioStep>{branch});
            m_childrenLeft = int(m_branches.size());
            for (const QList<ScenarioStep>& branch : m_branches)
                m_children.push_back(std::make_unique<Strand>(m_runner, &branch, this));
            for (auto& child : m_children)
                child->postResume();
            return;
        case ScenarioStep::Kind::Disconnect:
            device->session()->disconnectFromServer();
            return finishStep(true);
        case ScenarioStep::Kind::Gateway:
            return gateway(step, device);
        }
    }

    // A step that runs itself, rather than through the steps inside it.
    static bool runsItself(ScenarioStep::Kind kind)
    {
        return kind != ScenarioStep::Kind::Repeat && kind != ScenarioStep::Kind::Together;
    }

    static bool connected(const DeviceSession* session)
    {
        return session->status() == SessionStatus::Connected ||
               session->status() == SessionStatus::AwaitingCommand;
    }

    void connectDevice(const ScenarioStep& step, const Frame& frame, Device* device)
    {
        DeviceSession* session = device->session();
        if (connected(session))
            return finishStep(true);
        const QString server =
            !m_runner->m_serverOverride.isEmpty()
                ? m_runner->m_serverOverride
                : device->spec().server.value_or(
                      m_runner->m_scenario.server().value_or(m_runner->m_defaultServer));
        QString error;
        const std::optional<HostPort> address = HostPort::parse(server, &error);
        if (!address)
            return finishStep(false, error);
        device->unreadErrors().clear();
        if (!session->connectToServer(address->host, address->port, device->spec().identity,
                                      ClientSettings{}, &error))
            return finishStep(false, error);
        // Followed by an expectation of this device's error, the connect only starts the
        // handshake: the expectation judges how it ends (docs/scenarios.md#steps).
        if (frame.index < frame.steps->size()) {
            const ScenarioStep& next = frame.steps->at(frame.index);
            if (next.kind == ScenarioStep::Kind::ExpectError && next.device == step.device)
                return finishStep(true);
        }
        waitFor(step, device, [this, session, device]() -> std::optional<QString> {
            if (connected(session))
                return QString();
            if (!device->unreadErrors().isEmpty()) {
                m_failError = device->unreadErrors().takeFirst();
                return QStringLiteral("refused: %1 (%2)")
                    .arg(InternalClient::errorName(m_failError), session->lastErrorDetail());
            }
            return std::nullopt;
        });
    }

    void send(const ScenarioStep& step, Device* device)
    {
        QByteArray bytes;
        QString error;
        if (!device->payloadBytes(step.payload, &bytes, &error))
            return finishStep(false, error);
        trySend(step, device, bytes);
    }

    // A status still awaiting its answer is waited out (up to the default window), not
    // reported as an error: steps do not race the gateway's answer.
    void trySend(const ScenarioStep& step, Device* device, const QByteArray& bytes)
    {
        DeviceSession* session = device->session();
        if (!session->canSend()) {
            if (!connected(session))
                return finishStep(false,
                                  QStringLiteral("device \"%1\" is not connected (%2)")
                                      .arg(step.device, sessionStatusName(session->status())));
            if (m_stepClock.elapsed() > Scenario::kDefaultWithinMs)
                return finishStep(false, QStringLiteral("the previous status got no answer "
                                                        "within %1")
                                             .arg(milliseconds(Scenario::kDefaultWithinMs)));
            return after(kSendRetryMs,
                         [this, &step, device, bytes] { trySend(step, device, bytes); });
        }
        QString error;
        if (!session->sendStatus(bytes, kDefaultStatusTimeoutMs, &error)) {
            m_failError = session->lastError();
            return finishStep(false, error);
        }
        finishStep(true);
    }

    std::optional<QString> takeCommand(const ScenarioStep& step, Device* device)
    {
        QList<ScenarioDeviceRun::Command>& unread = device->unreadCommands();
        while (!unread.isEmpty()) {
            const ScenarioDeviceRun::Command command = unread.takeFirst();
            if (scenariomatch::matches(step.match, device->spec().identity.module, command.data))
                return QString();
            m_lastMismatch = command.data;
            m_lastMismatchMs = m_stepClock.elapsed();
            m_sawMismatch = true;
        }
        return std::nullopt;
    }

    std::optional<QString> takeError(const ScenarioStep& step, Device* device)
    {
        QList<InternalClient::Error>& unread = device->unreadErrors();
        while (!unread.isEmpty()) {
            const QString name = InternalClient::errorName(unread.takeFirst());
            if (name == step.errorName)
                return QString();
            m_lastError = name;
        }
        return std::nullopt;
    }

    // Looks at `verdict` now and on every change of the device until the step's window ends:
    // nullopt while undecided, an empty string for a pass, else the reason it failed.
    void waitFor(const ScenarioStep& step, Device* device,
                 std::function<std::optional<QString>()> verdict)
    {
        auto check = [this, token = m_token, verdict] {
            if (token != m_token || !m_waiting)
                return;
            if (const std::optional<QString> outcome = verdict())
                finishStep(outcome->isEmpty(), *outcome);
        };
        QObject::connect(device, &ScenarioDeviceRun::changed, m_context, check);
        after(step.withinMs,
              [this, &step, device] { finishStep(false, timeoutReason(step, device)); });
        check();
    }

    QString timeoutReason(const ScenarioStep& step, Device* device) const
    {
        const QString within = milliseconds(step.withinMs);
        switch (step.kind) {
        case ScenarioStep::Kind::ExpectCommand:
            if (!m_sawMismatch)
                return QStringLiteral("expected %1 within %2, got no command")
                    .arg(scenariomatch::describe(step.match), within);
            return QStringLiteral("expected %1 within %2, got %3 after %4")
                .arg(scenariomatch::describe(step.match), within,
                     scenariomatch::quote(m_lastMismatch), milliseconds(m_lastMismatchMs));
        case ScenarioStep::Kind::ExpectError:
            return QStringLiteral("expected the error %1 within %2, got %3")
                .arg(step.errorName, within,
                     m_lastError.isEmpty() ? QStringLiteral("none") : m_lastError);
        case ScenarioStep::Kind::ExpectState:
            return QStringLiteral("expected the state \"%1\" within %2, the device is \"%3\"")
                .arg(step.state, within, device->behaviour()->stateText());
        case ScenarioStep::Kind::Connect:
            return QStringLiteral("not connected within %1 (%2)")
                .arg(within, sessionStatusName(device->session()->status()));
        default:
            return QStringLiteral("did not finish within %1").arg(within);
        }
    }

    void gateway(const ScenarioStep& step, Device* device)
    {
        GatewayLink* gateway = m_runner->m_gateway;
        if (!gateway)
            return finishStep(false, QStringLiteral("gateway steps need the embedded gateway "
                                                    "(run the scenario in the console)"));
        QString error;
        bool ok = true;
        QByteArray bytes;
        switch (step.gatewayAction) {
        case ScenarioStep::GatewayAction::Delay: {
            GatewayPolicy policy = gateway->policy();
            policy.answerDelayMs = step.waitMs;
            gateway->setPolicy(policy);
            break;
        }
        case ScenarioStep::GatewayAction::Disconnect:
            ok = gateway->disconnectDevice(device->spec().identity, &error);
            break;
        case ScenarioStep::GatewayAction::Queue:
        case ScenarioStep::GatewayAction::Push:
            ok = device->payloadBytes(step.payload, &bytes, &error);
            if (ok && step.gatewayAction == ScenarioStep::GatewayAction::Queue)
                ok = gateway->queueCommand(device->spec().identity, bytes, &error);
            else if (ok)
                ok = gateway->pushCommand(device->spec().identity, bytes, &error);
            break;
        }
        finishStep(ok, error);
    }

    void after(int ms, std::function<void()> then)
    {
        QTimer::singleShot(ms, m_context, [this, token = m_token, then = std::move(then)] {
            if (token == m_token && m_waiting)
                then();
        });
    }

    void childFinished(Strand* child)
    {
        // One branch failed: the run ends, so the others stop now rather than at their end.
        if (child->failed() && m_waiting) {
            for (auto& other : m_children) {
                if (other.get() != child)
                    other->abort(QStringLiteral("stopped: a step beside it failed"));
            }
        }
        if (--m_childrenLeft > 0 || !m_waiting)
            return;
        bool allPassed = true;
        for (const auto& child : m_children)
            allPassed = allPassed && !child->failed();
        finishStep(allPassed, allPassed ? QString() : QStringLiteral("a step inside failed"));
    }

    void finishStep(bool passed, const QString& reason = {})
    {
        if (!m_waiting)
            return;
        m_waiting = false;
        if (runsItself(m_step->kind))
            --m_runner->m_stepsRunning;
        ++m_token; // the step's timers and checks are void from here on
        ScenarioStepResult result;
        result.label = m_label;
        result.line = m_step->line;
        result.outcome =
            passed ? ScenarioStepResult::Outcome::Passed : ScenarioStepResult::Outcome::Failed;
        result.reason = passed ? QString() : reason;
        result.elapsedMs = m_stepClock.elapsed();
        result.kind = m_step->kind;
        result.clientError = std::exchange(m_failError, InternalClient::Error::NoError);
        m_runner->record(result);
        if (!passed) {
            m_failed = true;
            return end();
        }
        postResume();
    }

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

ScenarioRunner::ScenarioRunner(Scenario scenario, QObject* parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
{
}

ScenarioRunner::~ScenarioRunner()
{
    m_main.reset();
    m_devices.clear();
}

ScenarioRunner::Device* ScenarioRunner::device(const QString& key) const
{
    for (const auto& device : m_devices) {
        if (device->spec().key == key)
            return device.get();
    }
    return nullptr;
}

void ScenarioRunner::start()
{
    m_results.clear();
    m_stepCount = 0;
    m_failureCount = 0;
    m_stepsRunning = 0;
    m_waitingForHold.clear();
    m_failed = false;
    m_running = true;
    m_clock.start();
    m_devices.clear();
    for (const ScenarioDevice& spec : m_scenario.devices()) {
        auto device = std::make_unique<Device>(spec, kMaxUnreadCommands);
        device->setClock([this] { return m_clock.elapsed(); });
        connect(
            device.get(), &ScenarioDeviceRun::clientCreated, this,
            [this, key = spec.key](InternalClient* client) { emit clientCreated(client, key); });
        QString error;
        if (!device->prepare(&error)) {
            ScenarioStepResult failure;
            failure.label = QStringLiteral("devices");
            failure.outcome = ScenarioStepResult::Outcome::Failed;
            failure.reason = error;
            record(failure);
            m_failed = true;
            QTimer::singleShot(0, this, &ScenarioRunner::finish);
            return;
        }
        m_devices.push_back(std::move(device));
    }
    m_main = std::make_unique<Strand>(this, &m_scenario.steps());
    QTimer::singleShot(0, this, [this] {
        if (m_main)
            m_main->resume();
    });
}

void ScenarioRunner::stop()
{
    if (!m_running)
        return;
    if (m_main)
        m_main->abort(QStringLiteral("stopped"));
    m_failed = true;
    finish();
}

bool ScenarioRunner::passed() const
{
    return !m_running && !m_failed && m_stepCount > 0;
}

void ScenarioRunner::setHeld(bool held)
{
    if (held == m_held)
        return;
    m_held = held;
    if (!held) {
        for (const std::function<void()>& resume : std::exchange(m_waitingForHold, {}))
            resume();
    }
}

bool ScenarioRunner::isPausedByHold() const
{
    return m_held && m_stepsRunning == 0 && !m_waitingForHold.empty();
}

void ScenarioRunner::strandFinished(Strand* strand)
{
    if (strand->failed())
        m_failed = true;
    // Leave the strand's own call stack before tearing it down.
    QTimer::singleShot(0, this, &ScenarioRunner::finish);
}

void ScenarioRunner::record(const ScenarioStepResult& result)
{
    const bool failed = result.outcome == ScenarioStepResult::Outcome::Failed;
    ++m_stepCount;
    m_failureCount += failed;
    m_failed = m_failed || failed;
    if (failed || m_results.size() < kMaxListedResults)
        m_results.append(result);
    emit stepFinished(result);
}

void ScenarioRunner::finish()
{
    if (!m_running)
        return;
    m_running = false;
    for (const auto& device : m_devices)
        device->session()->disconnectFromServer();
    emit finished(!m_failed);
}

QByteArray scenarioJUnit(const ScenarioRunner& runner)
{
    QByteArray xml;
    QXmlStreamWriter writer(&xml);
    writer.setAutoFormatting(true);
    writer.writeStartDocument();
    writer.writeStartElement(QStringLiteral("testsuite"));
    writer.writeAttribute(QStringLiteral("name"), runner.scenario().name());
    writer.writeAttribute(QStringLiteral("tests"), QString::number(runner.stepCount()));
    writer.writeAttribute(QStringLiteral("failures"), QString::number(runner.failureCount()));
    writer.writeAttribute(QStringLiteral("time"),
                          QString::number(runner.elapsedMs() / 1000.0, 'f', 3));
    for (const ScenarioStepResult& result : runner.results()) {
        writer.writeStartElement(QStringLiteral("testcase"));
        writer.writeAttribute(QStringLiteral("classname"), runner.scenario().name());
        writer.writeAttribute(QStringLiteral("name"), result.label);
        writer.writeAttribute(QStringLiteral("file"), runner.scenario().fileName());
        writer.writeAttribute(QStringLiteral("line"), QString::number(result.line));
        writer.writeAttribute(QStringLiteral("time"),
                              QString::number(result.elapsedMs / 1000.0, 'f', 3));
        if (result.outcome == ScenarioStepResult::Outcome::Failed) {
            writer.writeStartElement(QStringLiteral("failure"));
            writer.writeAttribute(QStringLiteral("message"), result.reason);
            writer.writeCharacters(result.reason);
            writer.writeEndElement();
        } else if (result.outcome == ScenarioStepResult::Outcome::Skipped) {
            writer.writeEmptyElement(QStringLiteral("skipped"));
        }
        writer.writeEndElement();
    }
    const qint64 unlisted = runner.stepCount() - runner.results().size();
    if (unlisted > 0) {
        writer.writeTextElement(
            QStringLiteral("system-out"),
            QStringLiteral("%1 more passed steps ran and are counted in \"tests\"; the report "
                           "lists the first %2.")
                .arg(QLocale(QLocale::English).toString(unlisted),
                     QLocale(QLocale::English).toString(ScenarioRunner::kMaxListedResults)));
    }
    writer.writeEndElement();
    writer.writeEndDocument();
    return xml;
}

} // namespace fleet
