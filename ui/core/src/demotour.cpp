// The guided demo's script and its runner (docs/demo.md#the-demo-tour). Every caption states
// what the embedded gateway does, per docs/protocol.md#identity-and-arbitration (the slot,
// priorities, refusals, takeovers) and docs/protocol.md#conversation (one command per status,
// silence as the only rejection).
#include "demotour.h"

#include "gatewaylink.h"
#include "internalclient.h"

#include <QHostAddress>

#include <algorithm>

namespace fleet {

namespace {

using Kind = GatewayEvent::Kind;
using Reason = GatewayEvent::Reason;

// The example module's statuses (docs/modules.md#example-module).
const QByteArray kPressed = QByteArrayLiteral("{\"pressed\": true}");
const QByteArray kReleased = QByteArrayLiteral("{\"pressed\": false}");
// Not the bytes the example module compares against: it answers nothing.
const QByteArray kMalformed = QByteArrayLiteral("{\"pressed\": maybe}");

constexpr int kAlreadyConnected = 1; // ResponseType, docs/protocol.md#schema

} // namespace

bool DemoExpectation::matches(const GatewayEvent& event) const
{
    if (event.kind != kind || !event.hasDevice || event.device.name != device)
        return false;
    if (responseType >= 0 && event.responseType != responseType)
        return false;
    return reason == Reason::None || event.reason == reason;
}

QString DemoExpectation::describe() const
{
    switch (kind) {
    case Kind::Connected:
        return QObject::tr("the gateway accepting %1").arg(device);
    case Kind::Rejected:
        return QObject::tr("the gateway refusing %1").arg(device);
    case Kind::StatusReceived:
        return QObject::tr("%1's status reaching the gateway").arg(device);
    case Kind::CommandSent:
        return QObject::tr("a command for %1").arg(device);
    case Kind::StatusUnanswered:
        return QObject::tr("the gateway dropping %1's status").arg(device);
    case Kind::Disconnected:
        return QObject::tr("the gateway closing %1's connection (%2)")
            .arg(device, GatewayEvent::reasonSentence(reason));
    default:
        return QObject::tr("%1: %2").arg(device, GatewayEvent::kindName(kind));
    }
}

QList<DemoStep> demoTourSteps()
{
    const auto tr = [](const char* text) { return QObject::tr(text); };
    QList<DemoStep> steps;

    DemoStep connect;
    connect.key = QStringLiteral("connect-a-device");
    connect.title = tr("Connect a device");
    connect.caption = tr("A button, b1, connects to the gateway and asks for its slot: the "
                         "example module's button slot, with priority 1. Nobody holds that "
                         "slot, so the gateway answers OK and b1 may talk.");
    connect.action = DemoStep::Action::Connect;
    connect.device = QStringLiteral("b1");
    connect.priority = 1;
    connect.expected = {{Kind::Connected, QStringLiteral("b1")}};
    steps.append(connect);

    DemoStep status;
    status.key = QStringLiteral("send-a-status");
    status.title = tr("Send a status");
    status.caption = tr("b1 reports its state: the button is pressed. The gateway hands the "
                        "status to the example module and sends the module's answer straight "
                        "back as a command: lamp off. Every status gets exactly one command.");
    status.action = DemoStep::Action::SendStatus;
    status.device = QStringLiteral("b1");
    status.payload = kPressed;
    status.expected = {{Kind::StatusReceived, QStringLiteral("b1")},
                       {Kind::CommandSent, QStringLiteral("b1")}};
    steps.append(status);

    DemoStep command;
    command.key = QStringLiteral("get-a-command-back");
    command.title = tr("Get a command back");
    command.caption = tr("b1 lets go of the button. The module decides from the new status "
                         "and answers lamp on: the example module lights the lamp while the "
                         "button is released.");
    command.action = DemoStep::Action::SendStatus;
    command.device = QStringLiteral("b1");
    command.payload = kReleased;
    command.expected = {{Kind::CommandSent, QStringLiteral("b1")}};
    steps.append(command);

    DemoStep refused;
    refused.key = QStringLiteral("a-second-device-is-refused");
    refused.title = tr("A second device is refused");
    refused.caption = tr("A second button, b2, asks for the same slot (same module, device "
                         "type and role) with the same priority, 1. A slot has one device: the "
                         "gateway refuses b2 with ALREADY_CONNECTED and closes its connection. "
                         "b1 keeps the slot.");
    refused.action = DemoStep::Action::Connect;
    refused.device = QStringLiteral("b2");
    refused.priority = 1;
    refused.expected = {{Kind::Rejected, QStringLiteral("b2"), kAlreadyConnected},
                        {Kind::Disconnected, QStringLiteral("b2"), -1, Reason::ConnectRejected}};
    steps.append(refused);

    DemoStep takeover;
    takeover.key = QStringLiteral("a-higher-priority-takes-over");
    takeover.title = tr("A higher priority takes over");
    takeover.caption = tr("A third button, b3, asks for the slot with priority 0. A lower number "
                          "wins, so this time the gateway says OK: it drops b1's connection and "
                          "b3 takes over the slot.");
    takeover.action = DemoStep::Action::Connect;
    takeover.device = QStringLiteral("b3");
    takeover.priority = 0;
    takeover.expected = {{Kind::Disconnected, QStringLiteral("b1"), -1, Reason::Takeover},
                         {Kind::Connected, QStringLiteral("b3")}};
    steps.append(takeover);

    DemoStep malformed;
    malformed.key = QStringLiteral("a-malformed-status-is-dropped");
    malformed.title = tr("A malformed status is dropped");
    malformed.caption = tr("b3 sends a status the example module cannot read: {\"pressed\": "
                           "maybe}. The protocol has no error message. The gateway sends no "
                           "answer at all, then closes b3's connection.");
    malformed.action = DemoStep::Action::SendStatus;
    malformed.device = QStringLiteral("b3");
    malformed.payload = kMalformed;
    malformed.expected = {{Kind::StatusUnanswered, QStringLiteral("b3"), -1, Reason::InvalidStatus},
                          {Kind::Disconnected, QStringLiteral("b3"), -1, Reason::InvalidStatus}};
    steps.append(malformed);
    return steps;
}

DemoTour::DemoTour(GatewayLink* gateway, QObject* parent)
    : QObject(parent)
    , m_gateway(gateway)
    , m_steps(demoTourSteps())
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(kStepTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_waitingForSlot) {
            fail(tr("The tour's earlier devices did not leave the gateway within %1 s.")
                     .arg(kStepTimeoutMs / 1000));
            return;
        }
        QStringList missing;
        for (const DemoExpectation& expectation : std::as_const(m_waiting))
            missing.append(expectation.describe());
        fail(tr("Nothing showed %1 within %2 s.")
                 .arg(missing.join(tr(" and ")))
                 .arg(kStepTimeoutMs / 1000));
    });
    connect(m_gateway, &GatewayLink::gatewayEvent, this, &DemoTour::onGatewayEvent);
    connect(m_gateway, &GatewayLink::devicesChanged, this, [this] {
        if (m_waitingForSlot && !tourDeviceConnected()) {
            m_waitingForSlot = false;
            run(0);
        }
    });
}

DemoTour::~DemoTour()
{
    closeDevices();
}

bool DemoTour::canNext() const
{
    return m_state == StepState::Done && m_target + 1 < stepCount();
}

bool DemoTour::canBack() const
{
    return m_target > 0 && m_state != StepState::Idle;
}

void DemoTour::start()
{
    goTo(0);
}

void DemoTour::next()
{
    if (!canNext())
        return;
    ++m_target;
    run(m_target);
}

void DemoTour::back()
{
    if (canBack())
        goTo(m_target - 1);
}

void DemoTour::retry()
{
    goTo(qMax(0, m_target));
}

void DemoTour::stop()
{
    m_timeout.stop();
    m_waiting.clear();
    m_waitingForSlot = false;
    closeDevices();
    m_target = -1;
    m_running = -1;
    m_state = StepState::Idle;
    emit changed();
}

void DemoTour::goTo(int index)
{
    m_timeout.stop();
    m_waiting.clear();
    closeDevices();
    m_target = index;
    m_running = -1;
    m_problem.clear();
    m_state = StepState::Running;
    emit changed();
    beginWhenSlotFree();
}

// A replay connects b1 again: it must wait until the gateway has let the closed devices go,
// or the old holder would refuse it.
void DemoTour::beginWhenSlotFree()
{
    if (!m_gateway->isListening()) {
        fail(tr("The embedded gateway is not running (Gateway › Embedded gateway running)."));
        return;
    }
    if (tourDeviceConnected()) {
        m_waitingForSlot = true;
        m_timeout.start();
        return;
    }
    run(0);
}

bool DemoTour::tourDeviceConnected() const
{
    const QList<GatewayDeviceInfo> devices = m_gateway->connectedDevices();
    return std::any_of(devices.begin(), devices.end(),
                       [](const GatewayDeviceInfo& info) { return info.device.role == kRole; });
}

void DemoTour::run(int index)
{
    m_running = index;
    m_state = StepState::Running;
    m_waiting = m_steps[index].expected;
    m_timeout.start();
    emit stepStarted(index);
    emit changed();
    act(m_steps[index]);
}

void DemoTour::act(const DemoStep& step)
{
    if (step.action == DemoStep::Action::Connect) {
        auto* client = new InternalClient(this);
        ClientSettings settings;
        // One try each: a refused or displaced device stays refused, as the step shows.
        settings.resendAttempts = 0;
        client->setSettings(settings);
        m_clients.insert(step.device, client);
        emit clientCreated(client);
        DeviceIdentity device;
        device.module = ModuleNumber::Example;
        device.deviceType = 0;
        device.role = kRole;
        device.name = step.device;
        device.priority = step.priority;
        const QHostAddress address = m_gateway->serverAddress();
        const QString host =
            address.isLoopback() || address == QHostAddress::Any || address == QHostAddress::AnyIPv4
                ? QStringLiteral("127.0.0.1")
                : address.toString();
        client->connectToServer(host, m_gateway->serverPort(), device);
        return;
    }
    InternalClient* client = m_clients.value(step.device);
    // The gateway reports a device connected as it sends the OK; the device has it a moment
    // later. A replay reaches this step at once, so the status waits for the device's side.
    if (client && (client->state() == InternalClient::State::Connecting ||
                   client->state() == InternalClient::State::Handshaking)) {
        connect(
            client, &InternalClient::connected, this, [this, step] { act(step); },
            Qt::SingleShotConnection);
        return;
    }
    // Likewise the previous status's answer: the gateway reports it as it sends it.
    if (client && client->state() == InternalClient::State::AwaitingCommand) {
        connect(
            client, &InternalClient::statusAnswered, this, [this, step] { act(step); },
            Qt::SingleShotConnection);
        return;
    }
    const InternalClient::Error error = client ? client->sendStatus(step.payload, kStatusTimeoutMs)
                                               : InternalClient::Error::ContextDestroyed;
    if (error != InternalClient::Error::NoError)
        fail(tr("%1 could not send its status: %2")
                 .arg(step.device, InternalClient::errorSentence(error)));
}

bool DemoTour::isTourDevice(const GatewayEvent& event) const
{
    return event.hasDevice && event.device.role == kRole;
}

void DemoTour::onGatewayEvent(const GatewayEvent& event)
{
    if (m_state != StepState::Running || m_waitingForSlot || !isTourDevice(event))
        return;
    for (qsizetype i = 0; i < m_waiting.size(); ++i) {
        if (m_waiting[i].matches(event)) {
            m_waiting.removeAt(i);
            if (m_waiting.isEmpty())
                // After the gateway's handler returns: the next step may connect a device.
                QMetaObject::invokeMethod(this, &DemoTour::onStepComplete, Qt::QueuedConnection);
            return;
        }
    }
    // A refusal no step expects: the slot is held by something the tour does not know.
    if (event.kind == GatewayEvent::Kind::Rejected)
        fail(tr("The gateway refused %1 (%2): %3")
                 .arg(event.device.name, GatewayEvent::responseTypeName(event.responseType),
                      event.detail));
}

void DemoTour::onStepComplete()
{
    if (m_state != StepState::Running || !m_waiting.isEmpty() || m_running < 0)
        return;
    m_timeout.stop();
    const int done = m_running;
    if (done < m_target) { // replaying towards the step shown
        run(done + 1);
        return;
    }
    m_state = StepState::Done;
    emit stepDone(done);
    emit changed();
}

void DemoTour::fail(const QString& why)
{
    m_timeout.stop();
    m_waiting.clear();
    m_waitingForSlot = false;
    m_problem = why;
    m_state = StepState::Failed;
    emit stepFailed(m_target, why);
    emit changed();
}

void DemoTour::closeDevices()
{
    for (InternalClient* client : std::as_const(m_clients)) {
        client->destroy();
        client->deleteLater();
    }
    m_clients.clear();
}

} // namespace fleet
