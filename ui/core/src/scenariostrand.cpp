#include "scenariostrand.h"

#include "behaviour.h"
#include "devicesession.h"
#include "gatewaylink.h"
#include "hostport.h"
#include "scenariomatch.h"
#include "sessionstatus.h"

#include <QLocale>
#include <QPointer>
#include <QTimer>

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

ScenarioRunner::Strand::Strand(ScenarioRunner* runner, const QList<ScenarioStep>* steps,
                               Strand* parent)
    : m_runner(runner)
    , m_parent(parent)
{
    m_stack.append({steps, 0, 1, 1, {}});
}

ScenarioRunner::Strand::~Strand()
{
    delete m_context;
    delete m_anchor;
}

void ScenarioRunner::Strand::resume()
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

void ScenarioRunner::Strand::abort(const QString& reason)
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

void ScenarioRunner::Strand::waitForHold()
{
    m_runner->m_waitingForHold.push_back([this, alive = QPointer<QObject>(m_anchor)] {
        if (alive)
            postResume();
    });
}

void ScenarioRunner::Strand::postResume()
{
    if (m_resumePosted)
        return;
    m_resumePosted = true;
    QTimer::singleShot(0, m_runner, [this, alive = QPointer<QObject>(m_anchor)] {
        if (alive)
            resume();
    });
}

void ScenarioRunner::Strand::startNext()
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

void ScenarioRunner::Strand::end()
{
    m_done = true;
    if (m_parent)
        m_parent->childFinished(this);
    else
        m_runner->strandFinished(this);
}

void ScenarioRunner::Strand::begin(const ScenarioStep& step, Frame& frame)
{
    Device* device = step.device.isEmpty() ? nullptr : m_runner->device(step.device);
    switch (step.kind) {
    case ScenarioStep::Kind::Connect:
        return connectDevice(step, frame, device);
    case ScenarioStep::Kind::Send:
        return send(step, device);
    case ScenarioStep::Kind::ExpectCommand:
        m_sawMismatch = false;
        return waitFor(step, device, [this, &step, device] { return takeCommand(step, device); });
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

bool ScenarioRunner::Strand::runsItself(ScenarioStep::Kind kind)
{
    return kind != ScenarioStep::Kind::Repeat && kind != ScenarioStep::Kind::Together;
}

bool ScenarioRunner::Strand::connected(const DeviceSession* session)
{
    return session->status() == SessionStatus::Connected ||
           session->status() == SessionStatus::AwaitingCommand;
}

void ScenarioRunner::Strand::connectDevice(const ScenarioStep& step, const Frame& frame,
                                           Device* device)
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

void ScenarioRunner::Strand::send(const ScenarioStep& step, Device* device)
{
    QByteArray bytes;
    QString error;
    if (!device->payloadBytes(step.payload, &bytes, &error))
        return finishStep(false, error);
    trySend(step, device, bytes);
}

void ScenarioRunner::Strand::trySend(const ScenarioStep& step, Device* device,
                                     const QByteArray& bytes)
{
    DeviceSession* session = device->session();
    if (!session->canSend()) {
        if (!connected(session))
            return finishStep(false, QStringLiteral("device \"%1\" is not connected (%2)")
                                         .arg(step.device, sessionStatusName(session->status())));
        if (m_stepClock.elapsed() > Scenario::kDefaultWithinMs)
            return finishStep(false, QStringLiteral("the previous status got no answer "
                                                    "within %1")
                                         .arg(milliseconds(Scenario::kDefaultWithinMs)));
        return after(kSendRetryMs, [this, &step, device, bytes] { trySend(step, device, bytes); });
    }
    QString error;
    if (!session->sendStatus(bytes, kDefaultStatusTimeoutMs, &error)) {
        m_failError = session->lastError();
        return finishStep(false, error);
    }
    finishStep(true);
}

std::optional<QString> ScenarioRunner::Strand::takeCommand(const ScenarioStep& step, Device* device)
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

std::optional<QString> ScenarioRunner::Strand::takeError(const ScenarioStep& step, Device* device)
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

void ScenarioRunner::Strand::waitFor(const ScenarioStep& step, Device* device,
                                     std::function<std::optional<QString>()> verdict)
{
    auto check = [this, token = m_token, verdict] {
        if (token != m_token || !m_waiting)
            return;
        if (const std::optional<QString> outcome = verdict())
            finishStep(outcome->isEmpty(), *outcome);
    };
    QObject::connect(device, &ScenarioDeviceRun::changed, m_context, check);
    after(step.withinMs, [this, &step, device] { finishStep(false, timeoutReason(step, device)); });
    check();
}

QString ScenarioRunner::Strand::timeoutReason(const ScenarioStep& step, Device* device) const
{
    const QString within = milliseconds(step.withinMs);
    switch (step.kind) {
    case ScenarioStep::Kind::ExpectCommand:
        if (!m_sawMismatch)
            return QStringLiteral("expected %1 within %2, got no command")
                .arg(scenariomatch::describe(step.match), within);
        return QStringLiteral("expected %1 within %2, got %3 after %4")
            .arg(scenariomatch::describe(step.match), within, scenariomatch::quote(m_lastMismatch),
                 milliseconds(m_lastMismatchMs));
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

void ScenarioRunner::Strand::gateway(const ScenarioStep& step, Device* device)
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

void ScenarioRunner::Strand::after(int ms, std::function<void()> then)
{
    QTimer::singleShot(ms, m_context, [this, token = m_token, then = std::move(then)] {
        if (token == m_token && m_waiting)
            then();
    });
}

void ScenarioRunner::Strand::childFinished(Strand* child)
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

void ScenarioRunner::Strand::finishStep(bool passed, const QString& reason)
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

} // namespace fleet
