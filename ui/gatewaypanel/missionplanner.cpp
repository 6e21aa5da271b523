#include "missionplanner.h"

#include "gatewaylink.h"
#include "gatewaypaneldevices.h"
#include "mapcanvas.h"
#include "missionstoppicker.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace fleet {

namespace {

constexpr quint32 kMissionModule = 1;
constexpr quint32 kAutonomyType = 1;
constexpr int kFollowStatus = -1; // the encoding combo's "as the vehicle sends" item

bool isVehicle(const DeviceIdentity& device)
{
    return device.module == kMissionModule && device.deviceType == kAutonomyType;
}

QString encodingName(MissionEncoding encoding)
{
    return encoding == MissionEncoding::Json ? QStringLiteral("JSON") : QStringLiteral("protobuf");
}

// Where the vehicle says it is: its status's position, state and next stop, read from either
// encoding through the catalog's JSON form of it (docs/modules.md#mission-module).
std::optional<MapCanvas::ReportedVehicle> reportedVehicle(const QByteArray& status)
{
    const QJsonObject object =
        QJsonDocument::fromJson(ModuleCatalog::prettyStatus(kMissionModule, status).toUtf8())
            .object();
    const QJsonObject position = object.value(QLatin1String("telemetry"))
                                     .toObject()
                                     .value(QLatin1String("position"))
                                     .toObject();
    if (!position.value(QLatin1String("latitude")).isDouble() ||
        !position.value(QLatin1String("longitude")).isDouble())
        return std::nullopt;
    MapCanvas::ReportedVehicle vehicle;
    vehicle.latitude = position.value(QLatin1String("latitude")).toDouble();
    vehicle.longitude = position.value(QLatin1String("longitude")).toDouble();
    vehicle.state = object.value(QLatin1String("state")).toString();
    vehicle.nextStop =
        object.value(QLatin1String("nextStop")).toObject().value(QLatin1String("name")).toString();
    return vehicle;
}

// The dock's content. Docks scroll when short (a QScrollArea around the content), and a
// scroll area asks content with wrapping labels for its height at the viewport's width — which
// a layout computes from every child's preferred size (the map's, the lists'), so the planner
// would scroll in a bottom dock it fits at its minimum size. Its height for any width is its
// minimum height instead.
class PlannerContent : public QWidget {
public:
    int heightForWidth(int) const override { return minimumSizeHint().height(); }
};

} // namespace

MissionPlanner::MissionPlanner(GatewayLink* server, QWidget* parent)
    : QDockWidget(tr("Mission planner"), parent)
    , m_server(server)
{
    setObjectName(QStringLiteral("missionPlannerDock"));
    m_picker = new MissionStopPicker;
    m_picker->stopsColumn()->insertWidget(0, buildVehicleRow());
    m_picker->missionColumn()->addWidget(buildActions());
    auto* content = new PlannerContent;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_picker);
    setWidget(content);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &MissionPlanner::flushNow);
    connect(m_server, &GatewayLink::devicesChanged, this, &MissionPlanner::scheduleRefresh);
    connect(m_server, &GatewayLink::gatewayEvent, this, &MissionPlanner::onEvent);
    connect(m_server, &GatewayLink::actionFailed, this,
            [this](const QString& why) { showMessage(why, true); });
    connect(m_picker, &MissionStopPicker::planChanged, this, &MissionPlanner::updateActions);
    flushNow();
}

QWidget* MissionPlanner::buildVehicleRow()
{
    m_vehicles = new QComboBox;
    m_vehicles->setToolTip(tr("The connected vehicle (mission module, type 1) to command"));
    m_vehicles->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_vehicles->setMinimumContentsLength(12);
    connect(m_vehicles, &QComboBox::activated, this,
            [this](int index) { selectVehicle(m_vehicles->itemData(index).toULongLong()); });
    m_encoding = new QComboBox;
    m_encoding->addItem(QString(), kFollowStatus);
    m_encoding->addItem(QStringLiteral("JSON"), int(MissionEncoding::Json));
    m_encoding->addItem(QStringLiteral("protobuf"), int(MissionEncoding::Protobuf));
    m_encoding->setToolTip(tr("The command's encoding. Mission module 1.3 and later speak JSON, "
                              "earlier ones protobuf; Auto follows the vehicle's last status"));
    connect(m_encoding, &QComboBox::activated, this, &MissionPlanner::updateActions);

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Vehicle")));
    layout->addWidget(m_vehicles, 1);
    layout->addWidget(m_encoding);
    return row;
}

QWidget* MissionPlanner::buildActions()
{
    // Queue plays the cloud: the module removes each stop the vehicle reports reached. Push
    // puts the bytes on the wire at once, around the module (docs/modules.md#device-behaviour).
    m_queueStart = new QPushButton(tr("Queue START"));
    m_queueStart->setToolTip(tr("Queue START to the planned stops, as the cloud would: the "
                                "module removes each stop once the vehicle reports it reached"));
    m_queueStop = new QPushButton(tr("Queue STOP"));
    m_queueStop->setToolTip(tr("Queue STOP: the vehicle halts and goes IDLE"));
    m_push = new QToolButton;
    m_push->setText(tr("Push now"));
    m_push->setToolTip(tr("Send START or STOP at once, as it is, around the module"));
    m_push->setPopupMode(QToolButton::InstantPopup);
    auto* pushMenu = new QMenu(m_push);
    m_pushStart = pushMenu->addAction(tr("Push START now"));
    m_pushStart->setToolTip(tr("Send START to the planned stops at once, as it is"));
    m_pushStop = pushMenu->addAction(tr("Push STOP now"));
    m_pushStop->setToolTip(tr("Send STOP at once, as it is"));
    m_push->setMenu(pushMenu);
    connect(m_queueStart, &QPushButton::clicked, this, [this] { queueStart(); });
    connect(m_queueStop, &QPushButton::clicked, this, [this] { queueStop(); });
    connect(m_pushStart, &QAction::triggered, this, [this] { pushStart(); });
    connect(m_pushStop, &QAction::triggered, this, [this] { pushStop(); });
    m_state = new QLabel;
    m_state->setObjectName(QStringLiteral("vehicleMission"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_queueStart);
    buttons->addWidget(m_queueStop);
    buttons->addWidget(m_push);
    buttons->addStretch(1);
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(buttons);
    layout->addWidget(m_state);
    layout->addWidget(m_message);
    return box;
}

bool MissionPlanner::selectVehicle(quint64 connectionId)
{
    // A vehicle that connected since the last refresh is listed first.
    if (m_refreshTimer.isActive())
        flushNow();
    for (const GatewayDeviceInfo& info : m_list) {
        if (info.connectionId == connectionId) {
            m_selected = connectionId;
            const QSignalBlocker blocker(m_vehicles);
            m_vehicles->setCurrentIndex(m_vehicles->findData(connectionId));
            updateActions();
            return true;
        }
    }
    return false;
}

std::optional<GatewayDeviceInfo> MissionPlanner::vehicle() const
{
    for (const GatewayDeviceInfo& info : m_list) {
        if (m_selected && info.connectionId == *m_selected)
            return info;
    }
    return std::nullopt;
}

MissionEncoding MissionPlanner::encoding() const
{
    const int choice = m_encoding->currentData().toInt();
    if (choice != kFollowStatus)
        return MissionEncoding(choice);
    const std::optional<GatewayDeviceInfo> info = vehicle();
    // Before its first status a vehicle's flavour is unknown; JSON is the current module's.
    if (!info || info->lastStatusMs == 0)
        return MissionEncoding::Json;
    return ModuleCatalog::missionEncoding(info->lastStatus);
}

void MissionPlanner::setEncodingChoice(std::optional<MissionEncoding> encoding)
{
    m_encoding->setCurrentIndex(m_encoding->findData(encoding ? int(*encoding) : kFollowStatus));
    updateActions();
}

std::optional<QByteArray> MissionPlanner::startCommand(QString* error) const
{
    MissionCommand command;
    if (!m_picker->mission(&command, error))
        return std::nullopt;
    return ModuleCatalog::encodeMissionCommand(command, encoding());
}

QByteArray MissionPlanner::stopCommand() const
{
    MissionCommand stop;
    stop.action = MissionCommand::Action::Stop;
    return ModuleCatalog::encodeMissionCommand(stop, encoding());
}

bool MissionPlanner::queueStart(QString* error)
{
    return send(MissionCommand::Action::Start, false, error);
}

bool MissionPlanner::queueStop(QString* error)
{
    return send(MissionCommand::Action::Stop, false, error);
}

bool MissionPlanner::pushStart(QString* error)
{
    return send(MissionCommand::Action::Start, true, error);
}

bool MissionPlanner::pushStop(QString* error)
{
    return send(MissionCommand::Action::Stop, true, error);
}

bool MissionPlanner::send(MissionCommand::Action action, bool push, QString* error)
{
    const std::optional<GatewayDeviceInfo> info = vehicle();
    QString why = info ? QString() : tr("no vehicle connected to the embedded gateway");
    std::optional<QByteArray> command;
    if (info)
        command = action == MissionCommand::Action::Start ? startCommand(&why) : stopCommand();
    const bool sent = command && (push ? m_server->pushCommand(info->device, *command, &why)
                                       : m_server->queueCommand(info->device, *command, &why));
    const QString what =
        action == MissionCommand::Action::Start
            ? tr("START to %1").arg(m_picker->plannedStops().join(QStringLiteral(", ")))
            : tr("STOP");
    if (!sent) {
        showMessage(push ? tr("Cannot push %1: %2").arg(what, why)
                         : tr("Cannot queue %1: %2").arg(what, why),
                    true);
        if (error)
            *error = why;
        return false;
    }
    showMessage(push ? tr("Pushed %1 to %2 (%3, %n byte(s)).", nullptr, int(command->size()))
                           .arg(what, info->device.role, encodingName(encoding()))
                     : tr("Queued %1 for %2 (%3, %n byte(s)).", nullptr, int(command->size()))
                           .arg(what, info->device.role, encodingName(encoding())),
                false);
    flushNow();
    return true;
}

void MissionPlanner::onEvent(const GatewayEvent& event)
{
    if (!event.hasDevice || !isVehicle(event.device))
        return;
    switch (event.kind) {
    case GatewayEvent::Kind::CommandSent:
        m_lastCommand.insert(event.connectionId, event.data);
        scheduleRefresh();
        break;
    case GatewayEvent::Kind::Disconnected:
        m_lastCommand.remove(event.connectionId);
        scheduleRefresh();
        break;
    case GatewayEvent::Kind::StatusReceived:
    case GatewayEvent::Kind::CommandQueued:
        scheduleRefresh(); // the status's encoding, the queue length
        break;
    default:
        break;
    }
}

void MissionPlanner::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void MissionPlanner::flushNow()
{
    m_refreshTimer.stop();
    QList<GatewayDeviceInfo> vehicles;
    for (const GatewayDeviceInfo& info : m_server->connectedDevices()) {
        if (isVehicle(info.device))
            vehicles.append(info);
    }
    // The combo is rebuilt only when the vehicles changed, so an open popup stays usable.
    bool same = vehicles.size() == m_list.size();
    for (qsizetype i = 0; same && i < vehicles.size(); ++i)
        same = vehicles.at(i).connectionId == m_list.at(i).connectionId;
    m_list = vehicles;
    if (!same || !m_listed) {
        m_listed = true;
        const QSignalBlocker blocker(m_vehicles);
        m_vehicles->clear();
        for (const GatewayDeviceInfo& info : m_list)
            m_vehicles->addItem(
                tr("%1 '%2' (#%3)").arg(info.device.role, info.device.name).arg(info.connectionId),
                QVariant::fromValue(info.connectionId));
        if (m_list.isEmpty())
            m_vehicles->addItem(tr("no vehicle connected"));
    }
    // A vehicle that left is replaced by the first one there is: with one vehicle connected
    // the planner needs no choosing at all.
    if (!vehicle())
        m_selected.reset();
    if (!m_selected && !m_list.isEmpty())
        m_selected = m_list.first().connectionId;
    if (m_selected) {
        const QSignalBlocker blocker(m_vehicles);
        m_vehicles->setCurrentIndex(m_vehicles->findData(QVariant::fromValue(*m_selected)));
    }
    updateActions();
}

QString MissionPlanner::vehicleStateText() const
{
    return m_state->text();
}

QString MissionPlanner::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void MissionPlanner::updateActions()
{
    const std::optional<GatewayDeviceInfo> info = vehicle();
    m_vehicles->setEnabled(!m_list.isEmpty());
    const bool planned = !m_picker->plannedStops().isEmpty();
    m_queueStart->setEnabled(info && planned);
    m_pushStart->setEnabled(info && planned);
    m_queueStop->setEnabled(info.has_value());
    m_pushStop->setEnabled(info.has_value());
    m_push->setEnabled(info.has_value());
    const bool known = info && info->lastStatusMs != 0;
    m_encoding->setItemText(0, tr("Auto (%1)").arg(encodingName(encoding())));
    m_encoding->setItemData(0,
                            known ? tr("As the vehicle's last status is encoded")
                                  : tr("JSON until the vehicle's first status shows its encoding"),
                            Qt::ToolTipRole);
    m_picker->canvas()->setReportedVehicle(info ? reportedVehicle(info->lastStatus) : std::nullopt);
    if (!info) {
        m_state->setText(tr("Connect a vehicle (module 1, type 1) to the embedded gateway to "
                            "send it a mission."));
        return;
    }
    const QByteArray last = m_lastCommand.value(info->connectionId);
    const QString mission = m_lastCommand.contains(info->connectionId)
                                ? ModuleCatalog::describeCommand(kMissionModule, last)
                                : tr("none sent yet");
    m_state->setText(
        tr("%n command(s) queued · last sent: %1", nullptr, info->queuedCommands).arg(mission));
}

void MissionPlanner::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
    m_message->show();
}

} // namespace fleet
