#pragma once

#include "gatewayevent.h"

#include <QDockWidget>
#include <QStringList>
#include <QTimer>

#include <optional>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
QT_END_NAMESPACE

namespace fleet {

class GatewayController;
class GatewayPanelCommandEditor;
class GatewayPanelDeviceModel;
class GatewayPanelOutputs;
class GatewayPanelPolicyBox;
class GatewayLink;

// The embedded gateway's dock: start and stop it, choose how it behaves (served modules,
// answer delay, explaining or reference-strict events), see the connected devices, and for
// the selected one queue a command, push one now, or disconnect it — for an IO board also by
// its output buttons, for a vehicle through the mission planner. Below, the gateway's events,
// explained or not as the mode says.
class GatewayPanel : public QDockWidget {
    Q_OBJECT
public:
    // Events kept in the log; older ones scroll away.
    static constexpr int kMaxEventLines = 2000;
    // Device rows and event lines are updated at most this often, whatever the traffic.
    static constexpr int kRefreshIntervalMs = 200;

    explicit GatewayPanel(GatewayController* controller, QWidget* parent = nullptr);

    // Listens on the port box's port (0: any free one). False when that failed at once, with
    // the reason in the panel; the reason of a later failure is shown when it arrives.
    bool start();
    void stop();

    // The operator's actions on the selected device; false with *error (also shown).
    bool queueCommand(QString* error = nullptr);
    bool pushCommand(QString* error = nullptr);
    bool disconnectDevice(QString* error = nullptr);

    void selectDevice(int row);
    std::optional<GatewayDeviceInfo> selectedDevice() const;

    // One line of the event log. In reference-strict mode the reasons the reference gateway
    // keeps to itself (why a status got no answer) are left out.
    static QString eventLine(const GatewayEvent& event, bool explain);

    // Moves buffered events into the log and re-reads the device list now (tests).
    void flushNow();

    GatewayLink* server() const;
    GatewayPanelDeviceModel* deviceModel() const { return m_devices; }
    GatewayPanelCommandEditor* commandEditor() const { return m_editor; }
    // The selected IO board's output buttons (hidden for other devices).
    GatewayPanelOutputs* outputButtons() const { return m_outputs; }
    // Shown for a selected vehicle: opens the mission planner on it.
    QPushButton* planMissionButton() const { return m_planMission; }
    QTableView* deviceTable() const { return m_table; }
    QString addressText() const;
    QString messageText() const;
    QString eventLogText() const;
    QSpinBox* portBox() const { return m_port; }
    GatewayPanelPolicyBox* policyBox() const { return m_policy; }
    QCheckBox* showTrafficCheck() const { return m_showTraffic; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* queueButton() const { return m_queue; }
    QPushButton* pushButton() const { return m_push; }
    QPushButton* disconnectButton() const { return m_disconnect; }
    // The one-line note saying what Queue and Push now each do.
    QLabel* commandNoteLabel() const { return m_commandNote; }

signals:
    // The operator wants to plan a mission for the vehicle on this connection.
    void planMissionRequested(quint64 connectionId);

private:
    QWidget* buildServerRow();
    QWidget* buildDeviceBox();
    QWidget* buildEventBox();
    void onEvent(const GatewayEvent& event);
    void onSelectionChanged();
    void queueOutputCommand(const QByteArray& command, const QString& description);
    void updateServerState();
    void updateActions();
    void scheduleRefresh();
    void showMessage(const QString& text, bool error);

    GatewayController* m_controller;
    GatewayPanelDeviceModel* m_devices;
    QTimer m_refreshTimer;
    QStringList m_pendingLines;
    std::optional<quint64> m_selectedConnection;

    QLabel* m_address = nullptr;
    QSpinBox* m_port = nullptr;
    QPushButton* m_start = nullptr;
    QPushButton* m_stop = nullptr;
    GatewayPanelPolicyBox* m_policy = nullptr;
    QTableView* m_table = nullptr;
    GatewayPanelCommandEditor* m_editor = nullptr;
    GatewayPanelOutputs* m_outputs = nullptr;
    QPushButton* m_planMission = nullptr;
    QLabel* m_selection = nullptr;
    QPushButton* m_queue = nullptr;
    QPushButton* m_push = nullptr;
    QPushButton* m_disconnect = nullptr;
    QLabel* m_commandNote = nullptr;
    QCheckBox* m_showTraffic = nullptr;
    QPlainTextEdit* m_events = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace fleet
