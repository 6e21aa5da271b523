#include "devicesessionpage.h"

#include "autosender.h"
#include "behaviour.h"
#include "behaviourdriver.h"
#include "behaviourpanel.h"
#include "coalescedrefresh.h"
#include "commandinspector.h"
#include "connectionindicator.h"
#include "devicesession.h"
#include "identityform.h"
#include "modulecatalog.h"
#include "rttsparkline.h"
#include "statuscomposer.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

namespace fleet {

DeviceSessionPage::DeviceSessionPage(const DeviceConfig& config, QWidget* parent)
    : QWidget(parent)
    , m_session(new DeviceSession(this))
    , m_autoSender(new AutoSender(this))
    , m_viewRefresh(new CoalescedRefresh([this] { refreshView(); }, this))
    , m_lastValid(config)
{
    buildLayout();
    m_form->setConfig(config);
    m_composer->setDevice(config.identity.module, config.identity.deviceType);
    m_composer->setTemplateDevice(config.identity);
    m_composer->setDraft(config.draft);
    m_composer->setTimeoutMs(config.statusTimeoutMs);
    m_composer->setAutoSendIntervalMs(config.autoSendIntervalMs);
    m_inspector->setModule(config.identity.module);
    m_behaviourPanel->setDevice(config.identity.module, config.identity.deviceType);
    m_operatorDraft = config.draft;

    connect(m_form, &IdentityForm::changed, this, &DeviceSessionPage::onFormChanged);
    connect(m_form, &IdentityForm::deviceKindChanged, this, [this](quint32 module, quint32 type) {
        m_composer->setDevice(module, type);
        m_inspector->setModule(module);
        m_behaviourPanel->setDevice(module, type);
    });
    connect(m_behaviourPanel, &BehaviourPanel::activeChanged, this,
            &DeviceSessionPage::onBehaviourActive);
    connect(m_behaviourPanel, &BehaviourPanel::manualChanged, this,
            &DeviceSessionPage::onBehaviourManual);
    connect(m_behaviourPanel, &BehaviourPanel::nextStatusChanged, m_composer,
            &StatusComposer::showBehaviourStatus);
    connect(m_behaviourPanel, &BehaviourPanel::configChanged, this,
            &DeviceSessionPage::configChanged);
    connect(m_composer, &StatusComposer::edited, this, &DeviceSessionPage::onComposerEdited);
    connect(m_composer, &StatusComposer::backToBehaviourRequested, this,
            [this] { m_behaviourPanel->setManual(false); });
    // The saved behaviour, its settings, map and route; a manual device gets its typed
    // status back rather than the behaviour's.
    m_behaviourPanel->applyConfig(config.behaviour, &m_restoreProblems);
    if (m_behaviourPanel->isManual())
        m_composer->setDraft(config.draft);
    connect(m_composer, &StatusComposer::draftChanged, this, &DeviceSessionPage::configChanged);
    connect(m_composer, &StatusComposer::sendRequested, this, &DeviceSessionPage::send);
    connect(m_composer, &StatusComposer::autoSendToggled, this, &DeviceSessionPage::setAutoSend);
    connect(m_connect, &QPushButton::clicked, this, &DeviceSessionPage::connectToServer);
    connect(m_disconnect, &QPushButton::clicked, this, &DeviceSessionPage::disconnectFromServer);

    m_awaitingShown = new QTimer(this);
    m_awaitingShown->setSingleShot(true);
    m_awaitingShown->setInterval(kAwaitingShownAfterMs);
    connect(m_awaitingShown, &QTimer::timeout, this, [this] {
        m_statusShown = false;
        m_viewRefresh->flush();
        emit statusChanged(m_session->status()); // the tab follows the indicator
    });
    connect(m_session, &DeviceSession::statusChanged, this, &DeviceSessionPage::onSessionStatus);
    connect(m_session, &DeviceSession::commandReceived, this, &DeviceSessionPage::onCommand);
    connect(m_session, &DeviceSession::notice, this, [this](const QString& text) {
        // After the state it follows: the next state change clears a note.
        m_viewRefresh->flush();
        // A closed connection has its own note (onSessionStatus), which says why.
        if (m_session->status() != SessionStatus::ClosedByGateway)
            m_indicator->setNote(text);
        emit message(text);
    });
    connect(m_autoSender, &AutoSender::due, this, &DeviceSessionPage::onAutoSendDue);
    connect(m_autoSender, &AutoSender::changed, this, [this] {
        m_autoSendShown = false;
        m_viewRefresh->request();
    });
    onSessionStatus(m_session->status());
}

DeviceSessionPage::~DeviceSessionPage() = default;

void DeviceSessionPage::buildLayout()
{
    m_indicator = new ConnectionIndicator;
    m_connect = new QPushButton(tr("Connect"));
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setToolTip(tr("Connect to the server and register this device (Ctrl+K)."));
    m_connect->setIcon(QIcon(QStringLiteral(":/icons/connect.svg")));
    m_disconnect = new QPushButton(tr("Disconnect"));
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_disconnect->setToolTip(tr("Close the connection (Ctrl+Shift+K)."));
    m_disconnect->setIcon(QIcon(QStringLiteral(":/icons/disconnect.svg")));
    for (QPushButton* button : {m_connect, m_disconnect}) {
        button->setAutoDefault(false);
        button->setMinimumHeight(32);
    }
    auto* top = new QHBoxLayout;
    top->addWidget(m_indicator, 1);
    m_sparkline = new RttSparkline;
    top->addWidget(m_sparkline);
    m_behaviourPanel = new BehaviourPanel(m_session);
    top->addWidget(m_behaviourPanel->choiceCombo());
    top->addWidget(m_connect);
    top->addWidget(m_disconnect);

    m_form = new IdentityForm;
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMinimumWidth(280);

    m_composer = new StatusComposer;
    auto* composerBox = new QGroupBox(tr("Status"));
    (new QVBoxLayout(composerBox))->addWidget(m_composer);
    m_inspector = new CommandInspector;
    auto* inspectorBox = new QGroupBox(tr("Command"));
    (new QVBoxLayout(inspectorBox))->addWidget(m_inspector);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(formScroll);
    m_splitter->addWidget(composerBox);
    m_splitter->addWidget(m_behaviourPanel); // hidden while the behaviour is None
    m_splitter->addWidget(inspectorBox);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setStretchFactor(3, 1);
    m_splitter->setSizes({340, 450, 450, 450});
    m_splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addLayout(top);
    layout->addWidget(m_splitter, 1);
}

bool DeviceSessionPage::canConnect() const
{
    return !m_session->isActive() && m_form->problemText().isEmpty();
}

DeviceConfig DeviceSessionPage::config() const
{
    DeviceConfig config = m_lastValid;
    m_form->readConfig(&config); // keeps m_lastValid's fields when the form has an error
    config.draft = m_composer->draft();
    config.statusTimeoutMs = m_composer->timeoutMs();
    config.autoSendIntervalMs = m_composer->autoSendIntervalMs();
    config.behaviour = m_behaviourPanel->config();
    if (m_composer->behaviourMode() == StatusComposer::BehaviourMode::Synced)
        config.draft = m_operatorDraft;
    return config;
}

QString DeviceSessionPage::title() const
{
    const DeviceConfig current = config();
    if (!current.identity.name.trimmed().isEmpty())
        return current.identity.name.trimmed();
    if (!current.identity.role.trimmed().isEmpty())
        return current.identity.role.trimmed();
    return tr("device");
}

QString DeviceSessionPage::identityText() const
{
    const DeviceIdentity identity = config().identity;
    return tr("%1 (%2), %3 (%4), role \"%5\", name \"%6\", priority %7")
        .arg(ModuleCatalog::moduleName(identity.module))
        .arg(identity.module)
        .arg(ModuleCatalog::deviceTypeName(identity.module, identity.deviceType))
        .arg(identity.deviceType)
        .arg(identity.role, identity.name)
        .arg(identity.priority);
}

void DeviceSessionPage::setEmbeddedGateway(const QString& host, quint16 port)
{
    m_form->setEmbeddedGateway(host, port);
}

void DeviceSessionPage::connectToServer()
{
    DeviceConfig target = m_lastValid;
    QString problem;
    if (!m_form->readConfig(&target, &problem)) {
        emit message(tr("Cannot connect: %1").arg(problem));
        return;
    }
    m_lastValid = target;
    m_autoSender->stop();
    QString error;
    if (!m_session->connectToServer(target.host, target.port, target.identity,
                                    target.clientSettings(), &error)) {
        emit message(tr("Cannot connect: %1").arg(error));
    }
    updateControls();
}

void DeviceSessionPage::disconnectFromServer()
{
    m_autoSender->stop(tr("disconnected"));
    m_session->disconnectFromServer();
}

void DeviceSessionPage::send(bool anyway)
{
    sendFromComposer(anyway, false);
}

void DeviceSessionPage::setAutoSend(bool on)
{
    if (!on) {
        m_autoSender->stop();
        return;
    }
    if (m_behaviourPanel->isActive() && !m_behaviourPanel->isManual()) {
        m_composer->setAutoSendState(false, tr("the behaviour sends on its own; edit the status "
                                               "(manual) or choose None to auto-send your own"));
        return;
    }
    if (!m_session->isActive()) {
        m_composer->setAutoSendState(false, tr("connect first, then start auto-send"));
        return;
    }
    m_autoSender->start(m_composer->autoSendIntervalMs());
}

bool DeviceSessionPage::sendFromComposer(bool anyway, bool automatic)
{
    if (m_behaviourPanel->isActive() && !m_behaviourPanel->isManual()) {
        // In sync the composer shows the behaviour's next status: Send sends it now, as the
        // behaviour's own (the heartbeat starts again, an IO board's press count is taken).
        QString error;
        if (!m_behaviourPanel->driver()->sendNow(&error)) {
            emit message(tr("Not sent: %1").arg(error));
            return false;
        }
        m_viewRefresh->request();
        return true;
    }
    // A template expands now, with this send's clock, and is validated as it will go out.
    const ComposerCheck check = m_composer->checkForSend();
    QString problem;
    if (!check.decoded)
        problem = tr("the editor content does not parse: %1").arg(check.firstError());
    else if (check.hasErrors() && !anyway)
        problem = tr("the payload has errors (%1); use Send anyway to send it regardless")
                      .arg(check.firstError());
    QString error;
    if (problem.isEmpty() && !m_session->sendStatus(check.bytes, m_composer->timeoutMs(), &error))
        problem = error;
    if (!problem.isEmpty()) {
        if (automatic)
            m_autoSender->stop(problem);
        else
            emit message(tr("Not sent: %1").arg(problem));
        return false;
    }
    m_composer->templateSent(); // {{seq}} and {{toggle}} move on per status that went out
    if (automatic)
        m_autoSender->countSent();
    m_viewRefresh->request();
    return true;
}

void DeviceSessionPage::onAutoSendDue()
{
    if (m_session->canSend()) {
        sendFromComposer(false, true);
    } else if (m_session->isActive()) {
        m_autoSender->countSkipped(); // still connecting or awaiting the previous answer
    } else {
        m_autoSender->stop(tr("not connected"));
    }
}

void DeviceSessionPage::onBehaviourActive(bool on)
{
    m_behaviourPanel->setStatusTimeoutMs(m_composer->timeoutMs());
    if (!on) {
        // A payload sender again: the composer keeps the last status shown (Undo brings
        // back what was typed before).
        m_composer->setBehaviourMode(StatusComposer::BehaviourMode::Off);
        emit configChanged();
        return;
    }
    // One sender at a time: the behaviour sends on change and on heartbeat.
    m_autoSender->stop(tr("the behaviour sends on its own"));
    if (m_composer->behaviourMode() == StatusComposer::BehaviourMode::Off)
        m_operatorDraft = m_composer->draft();
    m_composer->setBehaviourMode(StatusComposer::BehaviourMode::Synced);
    m_composer->showBehaviourStatus(m_behaviourPanel->behaviour()->status());
}

void DeviceSessionPage::onBehaviourManual(bool manual)
{
    if (manual) {
        m_composer->setBehaviourMode(StatusComposer::BehaviourMode::Manual);
        emit message(
            tr("%1 is manual: your status is sent, the behaviour's are paused.").arg(title()));
        return;
    }
    m_autoSender->stop(tr("the behaviour sends again"));
    m_operatorDraft = m_composer->draft(); // the typed status stays saved (and one Undo away)
    m_composer->setBehaviourMode(StatusComposer::BehaviourMode::Synced);
    m_composer->showBehaviourStatus(m_behaviourPanel->behaviour()->status());
    emit configChanged();
}

// An edit that changes the bytes makes the device manual; a view change (Hex, Base64) that
// still shows the behaviour's next status keeps it in sync.
void DeviceSessionPage::onComposerEdited()
{
    if (m_composer->behaviourMode() != StatusComposer::BehaviourMode::Synced)
        return;
    if (!m_composer->holds(m_behaviourPanel->behaviour()->status()))
        m_behaviourPanel->setManual(true);
}

void DeviceSessionPage::onSessionStatus(SessionStatus status)
{
    if (status == SessionStatus::Failed)
        m_autoSender->stop(InternalClient::errorName(m_session->lastError()));
    else if (status == SessionStatus::Disconnected)
        m_autoSender->stop(tr("disconnected"));
    // A status goes out: the screen says so only if its answer is slow enough to be seen
    // waiting for (docs/performance.md#repaints); a device sending every 10 ms reads
    // "Connected", not a flicker between two states.
    if (status == SessionStatus::AwaitingCommand) {
        m_previousStatus = status;
        m_awaitingShown->start();
        emit statusChanged(status);
        return;
    }
    const bool answered =
        status == SessionStatus::Connected && m_previousStatus == SessionStatus::AwaitingCommand;
    const bool answeredUnseen = answered && m_awaitingShown->isActive();
    m_awaitingShown->stop();
    m_previousStatus = status;
    if (!answeredUnseen) {
        m_statusShown = false;
        // Back from a wait that was shown: at the refresh's pace. Every other change (connected
        // at last, closed, failed) at once.
        if (answered)
            m_viewRefresh->request();
        else
            m_viewRefresh->flush();
    }
    emit statusChanged(status);
}

void DeviceSessionPage::onCommand(const QByteArray& data, bool pushed, bool, double roundTripMs)
{
    // Every command reaches the history; the views render once per refresh.
    if (m_pendingCommands.size() >= m_inspector->history()->capacity())
        m_pendingCommands.removeFirst(); // would fall out of the history at once anyway
    m_pendingCommands.append({QDateTime::currentDateTime(), data, pushed, roundTripMs, {}});
    if (!pushed && m_autoSender->isRunning())
        m_autoSender->countAnswered();
    m_viewRefresh->request();
}

void DeviceSessionPage::refreshView()
{
    if (!m_statusShown) {
        m_statusShown = true;
        const SessionStatus status = m_session->status();
        m_shownStatus = status;
        m_indicator->setStatus(status, m_session->statusSince(), m_session->serverAddress());
        if (status == SessionStatus::Failed) {
            m_indicator->setError(m_session->lastError(), m_session->lastErrorDetail(),
                                  m_session->lastErrorCause());
        } else if (status == SessionStatus::ClosedByGateway) {
            m_indicator->setNote(
                tr("The gateway closed this connection at %1: %2. The next send reconnects.")
                    .arg(m_session->statusSince().toString(QStringLiteral("HH:mm:ss")),
                         m_session->closeReason()));
        }
    }
    if (!m_pendingCommands.isEmpty()) {
        m_inspector->showCommands(m_pendingCommands);
        m_pendingCommands.clear();
    }
    if (!m_autoSendShown) {
        m_autoSendShown = true;
        m_composer->setAutoSendState(m_autoSender->isRunning(), m_autoSender->info());
    }
    updateControls();
    emit controlsChanged();
}

void DeviceSessionPage::onFormChanged()
{
    DeviceConfig current = m_lastValid;
    if (m_form->readConfig(&current))
        m_lastValid = current;
    m_composer->setTemplateDevice(m_lastValid.identity);
    updateControls();
    emit titleChanged();
    emit configChanged();
}

void DeviceSessionPage::updateControls()
{
    const bool active = m_session->isActive();
    m_form->setLocked(active);
    const QString formProblem = m_form->problemText();
    m_connect->setEnabled(!active && formProblem.isEmpty());
    // A disabled button still shows its tooltip: it says what to fix.
    m_connect->setToolTip(formProblem.isEmpty() || active
                              ? tr("Connect to the server and register this device (Ctrl+K).")
                              : tr("Cannot connect: %1").arg(formProblem));
    m_disconnect->setEnabled(active);
    QString reason;
    if (!active)
        reason = tr("Connect first: Send needs a connected device.");
    else if (!m_session->canSend())
        reason = tr("Waiting: the previous status has no answer yet, or the handshake is "
                    "still running.");
    m_composer->setSendAvailable(m_session->canSend(), reason);
}

} // namespace fleet
