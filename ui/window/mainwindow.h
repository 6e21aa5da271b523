#pragma once

#include "consoleactions.h"
#include "gatewayevent.h"
#include "settingsstore.h"

#include <QMainWindow>
#include <QPointer>

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
class DeviceSession;
class DeviceSessionPage;
class GatewayController;
class InternalClient;

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
    // follow its address.
    bool startEmbeddedGateway(std::optional<quint16> exactPort = std::nullopt);
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
    bool saveSettings(QString* error = nullptr);

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
    void buildCentral();
    void connectActions();
    void restoreSettings();
    void fitToScreen();
    void tellDeviceWhyClosed(const GatewayEvent& event);
    void scheduleSave();
    void updateGatewayStatus();
    void updateActions();
    void updateTab(DeviceSessionPage* page);
    void showShortcuts();
    void showAbout();

    SettingsStore m_store;
    ConsoleActions m_actions;
    GatewayConfig m_gatewayConfig;
    TrafficViewConfig m_trafficView;
    GatewayController* m_gateway = nullptr;
    BannerArea* m_banners = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTabWidget* m_tabs = nullptr;
    QLabel* m_gatewayStatus = nullptr;
    QList<QPointer<DeviceSession>> m_takenOver; // displaced, until the newcomer is known
    QTimer* m_saveTimer = nullptr;
    bool m_restoring = false;
    QList<QPointer<QDockWidget>> m_freshDocks; // placed without a saved place: sized on show
};

} // namespace fleet
