#pragma once

#include "consoleactions.h"
#include "gatewayevent.h"
#include "settingsstore.h"
#include "workspace.h"

#include <QHash>
#include <QJsonValue>
#include <QMainWindow>
#include <QMap>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QDockWidget;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTimer;
QT_END_NAMESPACE

namespace fleet {

class BannerArea;
class CoalescedRefresh;
class DeviceSession;
class DeviceSessionPage;
class GatewayController;
class InternalClient;
class NetworkThread;

// The console window: one tab per device session, the embedded gateway's address in the
// status bar, non-modal banners, menus and toolbar, and docks (addDock) that panels such as
// the traffic log plug into. Settings are restored from and saved to one ini file.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Loads settingsFile (a damaged one is reported in a banner and set aside).
    explicit MainWindow(const QString& settingsFile, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Starts the embedded gateway: on exactly `exactPort` when given (0 = any free port),
    // else on the saved port or the next free one. Devices that use the embedded gateway
    // follow its address. Asynchronous: the status bar and the devices follow when it listens
    // (GatewayController::started), a banner says why when it cannot.
    void startEmbeddedGateway(std::optional<quint16> exactPort = std::nullopt);
    void stopEmbeddedGateway();
    // The saved choice (Gateway › Embedded gateway running); on by default.
    bool gatewayEnabled() const { return m_gatewayConfig.enabled; }
    // --connect HOST:PORT: the current device gets this server and connects.
    void connectCurrentDeviceTo(const QString& host, quint16 port);

    DeviceSessionPage* addDevice(const DeviceConfig& config);
    // A copy of the current device with a role of its own (a new slot, not a rival).
    DeviceSessionPage* newDevice();
    // New device › Example button / IO board (Opta) / Autonomous vehicle: that identity with
    // a role of its own and its behaviour chosen (DeviceConfig::livingDevice()).
    DeviceSessionPage* newLivingDevice(const QString& behaviour);
    // Device › Duplicate device (Ctrl+D): newDevice() when there is a current device; nullptr
    // when there is none.
    DeviceSessionPage* duplicateDevice();
    // Closes at once (no question).
    void closeDevice(int index);
    // The tab's close button and File › Close device: a connected device asks first, unless
    // the operator said not to (File › Ask before closing a connected device).
    void requestCloseDevice(int index);
    QList<DeviceSessionPage*> pages() const;
    DeviceSessionPage* currentPage() const;
    QTabWidget* tabs() const { return m_tabs; }

    // Adds a panel; it gets a View menu entry to show and hide it, and its place is saved
    // with the window state (give the dock an objectName).
    void addDock(QDockWidget* dock, Qt::DockWidgetArea area = Qt::BottomDockWidgetArea);

    GatewayController* gateway() const { return m_gateway; }
    BannerArea* banners() const { return m_banners; }
    const ConsoleActions& actions() const { return m_actions; }
    QString gatewayStatusText() const;
    QString settingsFileName() const { return m_store.fileName(); }

    // The traffic log's filters and columns as last saved; the log dock reports changes.
    const TrafficViewConfig& trafficViewConfig() const { return m_trafficView; }
    void setTrafficViewConfig(const TrafficViewConfig& config);

    ConsoleSettings currentSettings() const;
    // While a mode lays the docks out for a while (presentation mode), the layout saved to
    // the settings and workspaces is the one it will restore; empty: the window's own.
    void setSavedLayoutOverride(const QByteArray& state, const QByteArray& geometry = {})
    {
        m_layoutOverride = state;
        m_geometryOverride = geometry;
    }
    bool saveSettings(QString* error = nullptr);

    // Workspaces (docs/workspaces.md). Whether opening a workspace starts or stops the
    // embedded gateway as the file says; at start-up the command line decides that instead.
    enum class GatewayRun { FollowWorkspace, LeaveAsIs };
    // File › Open workspace…: reads the whole file first. A bad file changes nothing and is
    // named in a banner (file, line, column, key path); false then. A good one replaces the
    // device tabs, the gateway setup, the traffic log's view, the layout and the parts; with
    // devices connected the operator is asked first (non-modal) and the open waits for "Open".
    bool openWorkspace(const QString& fileName, GatewayRun gateway = GatewayRun::FollowWorkspace);
    // File › Save workspace (as…): writes currentWorkspace(); the file becomes the window's
    // workspace. False with a banner (and *error) when the file cannot be written.
    bool saveWorkspace(const QString& fileName, QString* error = nullptr);
    // What Save workspace writes: the tabs, the gateway setup, the view, the layout, the parts,
    // over what the open workspace file held (its unknown keys and parts are kept).
    Workspace currentWorkspace() const;
    QString workspaceFileName() const { return m_workspaceFile; } // empty: none open or saved
    QStringList recentWorkspaces() const { return m_recentWorkspaces; }
    // A panel's share of the workspace under `key` in "parts": save() gives its value (an
    // undefined value leaves it out), restore() gets it back when a workspace opens (undefined
    // when the file has none). Registered after a workspace was opened, restore() gets that
    // workspace's value at once.
    void addWorkspacePart(const QString& key, std::function<QJsonValue()> save,
                          std::function<void(const QJsonValue&)> restore);

public slots:
    // A panel's part changed: the title's modified mark shows it.
    void markWorkspaceModified();

signals:
    void pageAdded(fleet::DeviceSessionPage* page);
    void pageRemoved(fleet::DeviceSessionPage* page);
    // Any device's new client (one per Connect), e.g. for a traffic log to hook its frames:
    // connect to this once, before connecting devices, and every client is seen.
    void clientCreated(fleet::InternalClient* client, fleet::DeviceSessionPage* page);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    // How long a message stays in the status bar (mainwindow.cpp, devicetabs.cpp,
    // workspaceactions.cpp).
    static constexpr int kStatusMessageMs = 8000;

    void buildCentral();
    void connectActions();
    void restoreSettings();
    void fitToScreen();
    void scheduleSave();
    void updateGatewayStatus();
    void updateActions();
    void showShortcuts();
    void showAbout();
    void applyGatewayPolicy();
    // devicetabs.cpp (with addDevice() and the other public device functions)
    void tellDeviceWhyClosed(const GatewayEvent& event);
    void updateTab(DeviceSessionPage* page);
    // workspaceactions.cpp
    void connectWorkspaceActions();
    void applyWorkspace(const Workspace& workspace, const QString& fileName, GatewayRun gateway,
                        const QStringList& warnings);
    void chooseWorkspaceToOpen();
    void chooseWorkspaceToSave();
    void rememberRecent(const QString& fileName, bool add);
    void fillRecentMenu();
    void updateWindowTitle();

    SettingsStore m_store;
    std::shared_ptr<NetworkThread> m_network; // the embedded gateway's and devices' sockets
    ConsoleActions m_actions;
    GatewayConfig m_gatewayConfig;
    TrafficViewConfig m_trafficView;
    GatewayController* m_gateway = nullptr;
    BannerArea* m_banners = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTabWidget* m_tabs = nullptr;
    CoalescedRefresh* m_chromeRefresh = nullptr; // the tabs' states
    QLabel* m_gatewayStatus = nullptr;
    QList<QPointer<DeviceSession>> m_takenOver; // displaced, until the newcomer is known
    QTimer* m_saveTimer = nullptr;
    bool m_restoring = false;
    QList<QPointer<QDockWidget>> m_freshDocks; // placed without a saved place: sized on show

    struct WorkspacePart {
        std::function<QJsonValue()> save;
        std::function<void(const QJsonValue&)> restore;
    };
    QString m_workspaceFile; // absolute; empty until a workspace is opened or saved
    // The open workspace as read or last saved, without its devices: the keys and parts this
    // console does not know, written back on save.
    Workspace m_workspaceBase;
    QHash<const DeviceSessionPage*, QJsonObject> m_deviceJson; // each tab's object as read
    QMap<QString, WorkspacePart> m_parts;
    QStringList m_recentWorkspaces;
    QByteArray m_layoutOverride;
    QByteArray m_geometryOverride; // saveGeometry() while presenting full screen
};

} // namespace fleet
