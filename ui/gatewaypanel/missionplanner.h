#pragma once

#include "gatewayevent.h"
#include "modulecatalog.h"

#include <QDockWidget>
#include <QHash>
#include <QTimer>

#include <optional>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

class GatewayLink;
class MissionStopPicker;

// The embedded gateway's mission planner: plays the fleet side for a connected vehicle
// (mission module 1, type 1). The operator picks the stops on a map (MissionStopPicker) and
// queues START to them, or STOP, for one of the connected vehicles — queued as the cloud's
// commands are (the module removes each stop as the vehicle reports it reached), or pushed as
// they are (docs/modules.md#device-behaviour). The command's encoding follows the vehicle's
// last status unless the operator picks one (docs/modules.md#mission-module). Below, the
// vehicle's queue and the mission the module last sent it, so each reached stop is seen to go.
class MissionPlanner : public QDockWidget {
    Q_OBJECT
public:
    // The vehicle list and the mission line are updated at most this often.
    static constexpr int kRefreshIntervalMs = 200;

    explicit MissionPlanner(GatewayLink* server, QWidget* parent = nullptr);

    // Chooses the vehicle on this connection; false when it is no connected vehicle.
    bool selectVehicle(quint64 connectionId);
    std::optional<GatewayDeviceInfo> vehicle() const;

    // The encoding commands are sent in: the operator's choice, or the flavour of the
    // vehicle's last status (JSON before any status).
    MissionEncoding encoding() const;
    // Follow the vehicle's status (nullopt) or always use one flavour.
    void setEncodingChoice(std::optional<MissionEncoding> encoding);

    // START to the planned stops / STOP, in encoding(); nullopt with *error.
    std::optional<QByteArray> startCommand(QString* error = nullptr) const;
    QByteArray stopCommand() const;

    // The operator's buttons; false with *error (also shown).
    bool queueStart(QString* error = nullptr);
    bool queueStop(QString* error = nullptr);
    bool pushStart(QString* error = nullptr);
    bool pushStop(QString* error = nullptr);

    // Re-reads the connected vehicles now (tests; otherwise throttled).
    void flushNow();

    MissionStopPicker* picker() const { return m_picker; }
    QComboBox* vehicleCombo() const { return m_vehicles; }
    QComboBox* encodingCombo() const { return m_encoding; }
    QPushButton* queueStartButton() const { return m_queueStart; }
    QPushButton* queueStopButton() const { return m_queueStop; }
    // Push now, its menu holding "Push START now" and "Push STOP now".
    QToolButton* pushButton() const { return m_push; }
    QAction* pushStartAction() const { return m_pushStart; }
    QAction* pushStopAction() const { return m_pushStop; }
    // "2 command(s) queued · the module's mission: START, route 'Yard loop', 1 stop: …"
    QString vehicleStateText() const;
    QString messageText() const;

private:
    QWidget* buildVehicleRow();
    QWidget* buildActions();
    void onEvent(const GatewayEvent& event);
    void scheduleRefresh();
    void updateActions();
    bool send(MissionCommand::Action action, bool push, QString* error);
    void showMessage(const QString& text, bool error);

    GatewayLink* m_server;
    QTimer m_refreshTimer;
    QList<GatewayDeviceInfo> m_list; // the connected vehicles, in the combo's order
    std::optional<quint64> m_selected;
    bool m_listed = false;                    // the vehicle combo was filled once
    QHash<quint64, QByteArray> m_lastCommand; // per vehicle connection: the module's last answer

    MissionStopPicker* m_picker = nullptr;
    QComboBox* m_vehicles = nullptr;
    QComboBox* m_encoding = nullptr;
    QPushButton* m_queueStart = nullptr;
    QPushButton* m_queueStop = nullptr;
    QToolButton* m_push = nullptr;
    QAction* m_pushStart = nullptr;
    QAction* m_pushStop = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace fleet
