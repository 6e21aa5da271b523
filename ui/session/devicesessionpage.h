#pragma once

#include "commandhistorymodel.h"
#include "deviceconfig.h"
#include "sessionstatus.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QTimer;
class QPushButton;
class QSplitter;
QT_END_NAMESPACE

namespace fleet {

class AutoSender;
class BehaviourPanel;
class CoalescedRefresh;
class CommandInspector;
class ConnectionIndicator;
class DeviceSession;
class IdentityForm;
class RttSparkline;
class StatusComposer;

// One device: identity form, connection indicator, status composer and command inspector,
// wired to its own DeviceSession. The main window holds one page per tab.
class DeviceSessionPage : public QWidget {
    Q_OBJECT
public:
    explicit DeviceSessionPage(const DeviceConfig& config, QWidget* parent = nullptr);
    ~DeviceSessionPage() override;

    // The form's identity and server (the last valid values while the form has an error),
    // the composer's draft, timeout and auto-send interval.
    DeviceConfig config() const;
    // "button" or the device name: what the tab says.
    QString title() const;
    QString identityText() const; // "Example module (1000), type 0, role button, …"

    void setEmbeddedGateway(const QString& host, quint16 port);
    // Not connected and every identity/server field parses (the Connect button's state).
    bool canConnect() const;

    DeviceSession* session() const { return m_session; }
    IdentityForm* identityForm() const { return m_form; }
    StatusComposer* composer() const { return m_composer; }
    CommandInspector* inspector() const { return m_inspector; }
    ConnectionIndicator* indicator() const { return m_indicator; }
    AutoSender* autoSender() const { return m_autoSender; }
    // The device's behaviour (None or a living device) and its face, beside the composer.
    BehaviourPanel* behaviourPanel() const { return m_behaviourPanel; }
    QPushButton* connectButton() const { return m_connect; }
    QPushButton* disconnectButton() const { return m_disconnect; }
    QSplitter* splitter() const { return m_splitter; }
    // The state the indicator and the device's tab show. "Awaiting command" only once an
    // answer has taken kAwaitingShownAfterMs: a quicker exchange leaves "Connected" on screen
    // instead of a flash per status (docs/performance.md#repaints).
    SessionStatus shownStatus() const { return m_shownStatus; }
    static constexpr int kAwaitingShownAfterMs = 100;
    // The latest round trips beside the connection state (fed by the Charts dock's series).
    RttSparkline* sparkline() const { return m_sparkline; }
    // What of the saved behaviour could not be restored (a map that no longer loads, a
    // setting the behaviour refuses), one entry each; empty when all of it came back.
    QStringList restoreProblems() const { return m_restoreProblems; }

public slots:
    void connectToServer();
    void disconnectFromServer();
    void send(bool anyway = false);
    void setAutoSend(bool on);

signals:
    void titleChanged();
    void statusChanged(fleet::SessionStatus status);
    void configChanged();
    // Something to tell the operator in passing (status bar).
    void message(const QString& text);
    // The page's controls show the session's state now (the window's actions follow them).
    void controlsChanged();

private:
    void buildLayout();
    void onSessionStatus(SessionStatus status);
    void onCommand(const QByteArray& data, bool pushed, bool empty, double roundTripMs);
    void onAutoSendDue();
    // The indicator, the latest command, the auto-send count and the controls, from the
    // session's state now: at most once per CoalescedRefresh interval while traffic flows.
    void refreshView();
    bool sendFromComposer(bool anyway, bool automatic);
    void onFormChanged();
    void updateControls();
    void onBehaviourActive(bool on);
    void onBehaviourManual(bool manual);
    void onComposerEdited();

    DeviceSession* m_session = nullptr;
    AutoSender* m_autoSender = nullptr;
    CoalescedRefresh* m_viewRefresh = nullptr;
    SessionStatus m_previousStatus = SessionStatus::NotConnected;
    SessionStatus m_shownStatus = SessionStatus::NotConnected;
    QTimer* m_awaitingShown = nullptr; // single shot: the answer is late enough to show the wait
    bool m_statusShown = false;        // the indicator shows the session's state
    bool m_autoSendShown = false;      // the composer shows the auto-sender's count
    QList<CommandRecord> m_pendingCommands; // not yet in the inspector
    IdentityForm* m_form = nullptr;
    ConnectionIndicator* m_indicator = nullptr;
    StatusComposer* m_composer = nullptr;
    CommandInspector* m_inspector = nullptr;
    BehaviourPanel* m_behaviourPanel = nullptr;
    QPushButton* m_connect = nullptr;
    QPushButton* m_disconnect = nullptr;
    QSplitter* m_splitter = nullptr;
    RttSparkline* m_sparkline = nullptr;
    DeviceConfig m_lastValid; // what config() falls back to while the form has an error
    // The operator's own draft while the composer shows the behaviour's statuses: what is
    // saved as the draft then, so a synced composer never loses what was typed before.
    ComposerDraft m_operatorDraft;
    QStringList m_restoreProblems;
};

} // namespace fleet
