#include "gatewaypanel.h"

#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewaypanelcommand.h"
#include "gatewaypaneldevices.h"
#include "gatewaypaneloutputs.h"
#include "gatewaypanelpolicy.h"
#include "modulecatalog.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace fleet {

namespace {

// Statuses and the module's answers: one per device per status, far too many to list unless
// asked for. Everything else (connections, drops, operator actions) is always listed.
bool isRoutineTraffic(const GatewayEvent& event)
{
    return event.kind == GatewayEvent::Kind::StatusReceived ||
           (event.kind == GatewayEvent::Kind::CommandSent &&
            event.source != GatewayEvent::Source::Pushed &&
            event.source != GatewayEvent::Source::Queued);
}

} // namespace

GatewayPanel::GatewayPanel(GatewayController* controller, QWidget* parent)
    : QDockWidget(tr("Embedded gateway"), parent)
    , m_controller(controller)
    , m_devices(new GatewayPanelDeviceModel(this))
{
    setObjectName(QStringLiteral("gatewayPanelDock"));
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* lower = new QSplitter(Qt::Vertical);
    lower->addWidget(buildDeviceBox());
    lower->addWidget(buildEventBox());
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildServerRow());
    m_policy = new GatewayPanelPolicyBox(controller->link());
    connect(m_policy, &GatewayPanelPolicyBox::problem, this, [this](const QString& text) {
        if (text.isEmpty())
            m_message->hide();
        else
            showMessage(text, true);
    });
    layout->addWidget(m_policy);
    layout->addWidget(m_message);
    layout->addWidget(lower, 1);
    setWidget(content);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &GatewayPanel::flushNow);
    connect(m_controller, &GatewayController::listeningChanged, this,
            &GatewayPanel::updateServerState);
    connect(m_controller, &GatewayController::startFailed, this,
            [this](const QString& error) { showMessage(error, true); });
    connect(server(), &GatewayLink::devicesChanged, this, &GatewayPanel::scheduleRefresh);
    connect(server(), &GatewayLink::gatewayEvent, this, &GatewayPanel::onEvent);
    // The mirror allowed it, the server (a moment later) did not: say so where it was asked.
    connect(server(), &GatewayLink::actionFailed, this,
            [this](const QString& why) { showMessage(why, true); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &GatewayPanel::onSelectionChanged);
    connect(m_devices, &QAbstractItemModel::rowsRemoved, this, &GatewayPanel::onSelectionChanged);

    m_devices->refresh(server()->connectedDevices());
    updateServerState();
    updateActions();
}

GatewayLink* GatewayPanel::server() const
{
    return m_controller->link();
}

QWidget* GatewayPanel::buildServerRow()
{
    m_address = new QLabel;
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_port = new QSpinBox;
    m_port->setRange(0, 65535);
    m_port->setValue(GatewayController::kFirstPort);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setToolTip(tr("The port to listen on, on 127.0.0.1. The reference gateway uses "
                          "8888; its container image 1636."));
    m_start = new QPushButton(tr("Start"));
    m_stop = new QPushButton(tr("Stop"));
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_stop, &QPushButton::clicked, this, &GatewayPanel::stop);

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_address, 1);
    layout->addWidget(new QLabel(tr("Port")));
    layout->addWidget(m_port);
    layout->addWidget(m_start);
    layout->addWidget(m_stop);
    return row;
}

QWidget* GatewayPanel::buildDeviceBox()
{
    m_table = new QTableView;
    m_table->setModel(m_devices);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(GatewayPanelDeviceModel::LastStatusColumn,
                                                      QHeaderView::Stretch);
    m_table->setColumnWidth(GatewayPanelDeviceModel::DeviceColumn, 180);
    m_table->setColumnWidth(GatewayPanelDeviceModel::ConnectedSinceColumn, 72);
    m_table->setColumnWidth(GatewayPanelDeviceModel::PriorityColumn, 56);
    m_table->setColumnWidth(GatewayPanelDeviceModel::StatusesColumn, 64);
    m_table->setColumnWidth(GatewayPanelDeviceModel::QueuedColumn, 56);

    m_editor = new GatewayPanelCommandEditor;
    m_outputs = new GatewayPanelOutputs;
    connect(m_outputs, &GatewayPanelOutputs::commandChosen, this,
            &GatewayPanel::queueOutputCommand);
    m_planMission = new QPushButton(tr("Plan mission…"));
    m_planMission->setToolTip(tr("Pick the vehicle's stops on the map and queue START or STOP"));
    m_planMission->hide();
    connect(m_planMission, &QPushButton::clicked, this, [this] {
        if (m_selectedConnection)
            emit planMissionRequested(*m_selectedConnection);
    });
    m_selection = new QLabel;
    m_selection->setWordWrap(true);
    // Two ways to command a device, as in the real gateway (docs/modules.md#device-behaviour):
    // the queue stands in for the cloud, whose commands pass through the module's command
    // generation (the example module overwrites them, the mission module removes reached
    // stops); a push is the operator's way to put exact bytes on the wire.
    m_queue = new QPushButton(tr("Queue (via module)"));
    m_queue->setToolTip(tr("Answer one of the device's next statuses with this command, as the "
                           "cloud's commands are in the real gateway: the module's command "
                           "generation sees it first and may change it (at most %1 wait).")
                            .arg(kMaxQueuedCommands));
    m_push = new QPushButton(tr("Push now (as is)"));
    m_push->setToolTip(tr("Send these exact bytes at once, without a status asking for them "
                          "and without the module's command generation."));
    m_commandNote = new QLabel(tr("Queue: the module's command generation sees it, as the "
                                  "cloud's commands in the real gateway · Push now: sent as is, "
                                  "at once"));
    m_commandNote->setWordWrap(true);
    m_disconnect = new QPushButton(tr("Disconnect"));
    m_disconnect->setToolTip(tr("Close the device's connection."));
    connect(m_queue, &QPushButton::clicked, this, [this] { queueCommand(); });
    connect(m_push, &QPushButton::clicked, this, [this] { pushCommand(); });
    connect(m_disconnect, &QPushButton::clicked, this, [this] { disconnectDevice(); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_queue);
    buttons->addWidget(m_push);
    buttons->addWidget(m_planMission);
    buttons->addStretch(1);
    buttons->addWidget(m_disconnect);
    auto* actions = new QWidget;
    auto* actionLayout = new QVBoxLayout(actions);
    actionLayout->setContentsMargins(0, 0, 0, 0);
    actionLayout->addWidget(m_selection);
    actionLayout->addWidget(m_outputs);
    actionLayout->addWidget(m_editor, 1);
    actionLayout->addWidget(m_commandNote);
    actionLayout->addLayout(buttons);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_table);
    splitter->addWidget(actions);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    return splitter;
}

QWidget* GatewayPanel::buildEventBox()
{
    m_events = new QPlainTextEdit;
    m_events->setReadOnly(true);
    // Explanations are long sentences: wrapped, they read without scrolling sideways.
    m_events->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_events->setMaximumBlockCount(kMaxEventLines);
    m_showTraffic = new QCheckBox(tr("Also list every status and answer"));
    auto* clear = new QPushButton(tr("Clear"));
    connect(clear, &QPushButton::clicked, m_events, &QPlainTextEdit::clear);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Events")), 1);
    top->addWidget(m_showTraffic);
    top->addWidget(clear);
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_events, 1);
    return box;
}

bool GatewayPanel::start()
{
    m_message->hide();
    m_controller->startExact(quint16(m_port->value()));
    // A failure reported at once (a gateway on this thread) is already shown (startFailed).
    return m_controller->isListening() || m_controller->isStarting();
}

void GatewayPanel::stop()
{
    m_controller->stop();
}

void GatewayPanel::updateServerState()
{
    const bool listening = m_controller->isListening();
    m_address->setText(listening ? tr("Listening on %1").arg(m_controller->address())
                                 : tr("Stopped"));
    m_start->setEnabled(!listening);
    m_stop->setEnabled(listening);
    m_port->setEnabled(!listening);
    scheduleRefresh();
}

QString GatewayPanel::eventLine(const GatewayEvent& event, bool explain)
{
    const bool silentDrop = event.kind == GatewayEvent::Kind::StatusUnanswered ||
                            (event.kind == GatewayEvent::Kind::Disconnected &&
                             (event.reason == GatewayEvent::Reason::InvalidStatus ||
                              event.reason == GatewayEvent::Reason::AnswerDeadline));
    if (!silentDrop)
        return event.toText();
    GatewayEvent shown = event;
    // The close that follows a drop repeats the reason; the "no answer" line carries it.
    shown.detail.clear();
    if (explain && event.kind == GatewayEvent::Kind::StatusUnanswered) {
        // Said the way the operator asks it: why did my device get nothing back?
        shown.detail = QStringLiteral("no answer: ") + event.detail +
                       QStringLiteral(" (the reference gateway drops such a status "
                                      "silently and closes the connection)");
    }
    return shown.toText();
}

void GatewayPanel::onEvent(const GatewayEvent& event)
{
    switch (event.kind) {
    case GatewayEvent::Kind::Listening:
    case GatewayEvent::Kind::Stopped:
        updateServerState();
        break;
    case GatewayEvent::Kind::StatusReceived:
    case GatewayEvent::Kind::CommandSent:
    case GatewayEvent::Kind::CommandQueued:
        scheduleRefresh(); // counters, last status, queue length
        break;
    default:
        break;
    }
    if (isRoutineTraffic(event) && !m_showTraffic->isChecked())
        return;
    m_pendingLines.append(eventLine(event, server()->policy().explainSilentDrops));
    scheduleRefresh();
}

void GatewayPanel::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void GatewayPanel::flushNow()
{
    m_refreshTimer.stop();
    if (!m_pendingLines.isEmpty()) {
        m_events->appendPlainText(m_pendingLines.join(QLatin1Char('\n')));
        m_pendingLines.clear();
    }
    m_devices->refresh(server()->connectedDevices());
    updateActions();
}

void GatewayPanel::selectDevice(int row)
{
    m_table->selectRow(row);
}

std::optional<GatewayDeviceInfo> GatewayPanel::selectedDevice() const
{
    if (!m_selectedConnection)
        return std::nullopt;
    const int row = m_devices->rowOfConnection(*m_selectedConnection);
    if (row < 0)
        return std::nullopt;
    return m_devices->device(row);
}

void GatewayPanel::onSelectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const std::optional<quint64> before = m_selectedConnection;
    m_selectedConnection.reset();
    if (!rows.isEmpty())
        m_selectedConnection = m_devices->device(rows.first().row()).connectionId;
    if (m_selectedConnection != before) {
        const std::optional<GatewayDeviceInfo> info = selectedDevice();
        const quint32 module = info ? info->device.module : 0;
        const quint32 type = info ? info->device.deviceType : 0;
        if (info)
            m_editor->setDevice(module, type);
        m_outputs->setDevice(module, type);
        // The mission module's vehicle (docs/modules.md#mission-module).
        m_planMission->setVisible(module == 1 && type == 1);
    }
    updateActions();
}

void GatewayPanel::updateActions()
{
    const std::optional<GatewayDeviceInfo> info = selectedDevice();
    for (QPushButton* button : {m_queue, m_push, m_disconnect, m_planMission})
        button->setEnabled(info.has_value());
    m_editor->setEnabled(info.has_value());
    m_outputs->setEnabled(info.has_value());
    if (!info) {
        m_selection->setText(tr("Select a connected device to queue or push a command."));
        return;
    }
    m_selection->setText(
        tr("<b>%1</b> · %n command(s) queued", nullptr, info->queuedCommands)
            .arg(GatewayPanelDeviceModel::deviceText(info->device).toHtmlEscaped()));
}

bool GatewayPanel::queueCommand(QString* error)
{
    const std::optional<GatewayDeviceInfo> info = selectedDevice();
    QString why = info ? QString() : tr("no device selected");
    const std::optional<QByteArray> command = info ? m_editor->command(&why) : std::nullopt;
    if (command && server()->queueCommand(info->device, *command, &why)) {
        showMessage(tr("Queued %n byte(s) for %1: its next status is answered from them, "
                       "through the module's command generation.",
                       nullptr, int(command->size()))
                        .arg(info->device.role),
                    false);
        flushNow();
        return true;
    }
    showMessage(tr("Cannot queue the command: %1").arg(why), true);
    if (error)
        *error = why;
    return false;
}

void GatewayPanel::queueOutputCommand(const QByteArray& command, const QString& description)
{
    // Through the editor and the Queue button's path: the operator sees the bytes that went
    // and can push or edit them from there.
    m_editor->setCommand(command);
    QString why;
    if (queueCommand(&why))
        showMessage(tr("Queued %1: %2").arg(description, QString::fromUtf8(command)), false);
}

bool GatewayPanel::pushCommand(QString* error)
{
    const std::optional<GatewayDeviceInfo> info = selectedDevice();
    QString why = info ? QString() : tr("no device selected");
    const std::optional<QByteArray> command = info ? m_editor->command(&why) : std::nullopt;
    if (command && server()->pushCommand(info->device, *command, &why)) {
        showMessage(tr("Pushed %n byte(s) to %1 as they are.", nullptr, int(command->size()))
                        .arg(info->device.role),
                    false);
        return true;
    }
    showMessage(tr("Cannot push the command: %1").arg(why), true);
    if (error)
        *error = why;
    return false;
}

bool GatewayPanel::disconnectDevice(QString* error)
{
    const std::optional<GatewayDeviceInfo> info = selectedDevice();
    QString why = info ? QString() : tr("no device selected");
    if (info && server()->disconnectDevice(info->device, &why)) {
        showMessage(tr("Disconnected %1.").arg(info->device.toString()), false);
        return true;
    }
    showMessage(tr("Cannot disconnect: %1").arg(why), true);
    if (error)
        *error = why;
    return false;
}

void GatewayPanel::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
    m_message->show();
}

QString GatewayPanel::addressText() const
{
    return m_address->text();
}

QString GatewayPanel::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

QString GatewayPanel::eventLogText() const
{
    return m_events->toPlainText();
}

} // namespace fleet
