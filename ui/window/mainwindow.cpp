#include "mainwindow.h"

#include "autosender.h"
#include "banner.h"
#include "coalescedrefresh.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "identityform.h"
#include "infodialog.h"
#include "networkthread.h"
#include "nodevicespage.h"
#include "sessionstatusicon.h"
#include "statuscomposer.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QLabel>
#include <QLoggingCategory>
#include <QMenu>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

Q_LOGGING_CATEGORY(lcUi, "fleet.ui", QtInfoMsg)

// A static library's resources are only linked in when something refers to them; this does,
// for every program that shows the window (the console, tests, the screenshot demo).
static void initConsoleResources()
{
    Q_INIT_RESOURCE(fleet_console);
}

namespace fleet {

namespace {
// Settings are written shortly after the last change, so that a crash loses little and a
// burst of typing costs one write.
constexpr int kSaveDelayMs = 1000;
constexpr QSize kDefaultWindowSize(1280, 800);
constexpr int kFreshDockShare = 30; // percent of the window a newly placed dock starts with
constexpr int kStatusLabelMinWidth = 160;
} // namespace

MainWindow::MainWindow(const QString& settingsFile, QWidget* parent)
    : QMainWindow(parent)
    , m_store(settingsFile)
    , m_network(NetworkThread::acquire())
    , m_gateway(new GatewayController(this))
{
    initConsoleResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/fleet-console.svg")));
    setObjectName(QStringLiteral("mainWindow"));
    m_actions = ConsoleActions::create(this);
    m_chromeRefresh = new CoalescedRefresh(
        [this] {
            for (DeviceSessionPage* page : pages())
                updateTab(page);
        },
        this);
    buildCentral();
    m_saveTimer = new QTimer(this);
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(kSaveDelayMs);
    connect(m_saveTimer, &QTimer::timeout, this, [this] {
        QString error;
        if (!saveSettings(&error))
            statusBar()->showMessage(error, kStatusMessageMs);
    });
    connect(m_gateway, &GatewayController::listeningChanged, this,
            &MainWindow::updateGatewayStatus);
    connect(m_gateway, &GatewayController::startFailed, this, [this](const QString& error) {
        m_banners->showMessage(BannerArea::Level::Error,
                               tr("The embedded gateway could not start: %1. Devices can still "
                                  "connect to other gateways; Gateway › Embedded gateway running "
                                  "tries again.")
                                   .arg(error));
    });
    connect(m_gateway, &GatewayController::started, this, [this] {
        if (!m_gateway->fallbackNote().isEmpty())
            m_banners->showMessage(BannerArea::Level::Info,
                                   tr("Embedded gateway on %1: %2.")
                                       .arg(m_gateway->address(), m_gateway->fallbackNote()));
    });
    connect(m_gateway->link(), &GatewayLink::gatewayEvent, this, &MainWindow::tellDeviceWhyClosed);
    connect(m_gateway->link(), &GatewayLink::policyChanged, this, [this] {
        const GatewayPolicy& policy = m_gateway->link()->policy();
        m_gatewayConfig.supportedModules = policy.supportedModules;
        m_gatewayConfig.answerDelayMs = policy.answerDelayMs;
        m_gatewayConfig.emptyAnswers = policy.emptyAnswers;
        m_gatewayConfig.explainSilentDrops = policy.explainSilentDrops;
        scheduleSave();
    });
    connectActions();
    restoreSettings();
    updateGatewayStatus();
    updateActions();
    updateWindowTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentral()
{
    m_banners = new BannerArea;
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("deviceTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    auto* plus = new QToolButton;
    plus->setDefaultAction(m_actions.newDevice);
    plus->setToolButtonStyle(Qt::ToolButtonIconOnly);
    plus->setAutoRaise(true);
    m_tabs->setCornerWidget(plus, Qt::TopRightCorner);

    QWidget* empty = createNoDevicesPage(m_actions.newDevice);

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_tabs);
    m_stack->addWidget(empty);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_banners);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_gatewayStatus = new QLabel;
    m_gatewayStatus->setObjectName(QStringLiteral("gatewayStatus"));
    // A long address or fallback note must not widen the window: the label may be cut, its
    // tooltip says it all.
    m_gatewayStatus->setMinimumWidth(kStatusLabelMinWidth);
    statusBar()->addPermanentWidget(m_gatewayStatus);

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &MainWindow::requestCloseDevice);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        updateActions();
        scheduleSave();
    });
    connect(m_tabs->tabBar(), &QTabBar::tabMoved, this, &MainWindow::scheduleSave);
}

void MainWindow::connectActions()
{
    const ConsoleActions& a = m_actions;
    auto onPage = [this](auto function) {
        return [this, function] {
            if (DeviceSessionPage* page = currentPage())
                function(page);
        };
    };
    connect(a.newDevice, &QAction::triggered, this, [this] { newDevice(); });
    connect(a.duplicateDevice, &QAction::triggered, this, [this] { duplicateDevice(); });
    for (QAction* action : a.newLivingDevices) {
        connect(action, &QAction::triggered, this,
                [this, action] { newLivingDevice(action->data().toString()); });
    }
    connect(a.closeDevice, &QAction::triggered, this, [this] {
        if (m_tabs->currentIndex() >= 0)
            requestCloseDevice(m_tabs->currentIndex());
    });
    connect(a.askBeforeClosing, &QAction::toggled, this, &MainWindow::scheduleSave);
    connect(a.nextDevice, &QAction::triggered, this, [this] {
        if (m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
    });
    connect(a.previousDevice, &QAction::triggered, this, [this] {
        if (m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) %
                                    m_tabs->count());
    });
    connect(a.loadPayload, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->composer()->chooseFile(); }));
    connect(a.undo, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->composer()->undo(); }));
    connect(a.redo, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->composer()->redo(); }));
    connect(a.quit, &QAction::triggered, this, &QMainWindow::close);
    connect(a.connectDevice, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->connectToServer(); }));
    connect(a.disconnectDevice, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->disconnectFromServer(); }));
    connect(a.send, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->send(false); }));
    connect(a.sendAnyway, &QAction::triggered, this,
            onPage([](DeviceSessionPage* page) { page->send(true); }));
    connect(a.autoSend, &QAction::triggered, this, [this](bool on) {
        if (DeviceSessionPage* page = currentPage())
            page->setAutoSend(on);
        updateActions();
    });
    for (QAction* action : a.formats) {
        connect(action, &QAction::triggered, this, [this, action] {
            if (DeviceSessionPage* page = currentPage()) {
                QString error;
                if (!page->composer()->setFormat(PayloadFormat(action->data().toInt()), &error))
                    statusBar()->showMessage(error, kStatusMessageMs);
            }
        });
    }
    connect(a.gatewayRunning, &QAction::triggered, this, [this](bool on) {
        m_gatewayConfig.enabled = on;
        if (on)
            startEmbeddedGateway();
        else
            stopEmbeddedGateway();
        scheduleSave();
    });
    connect(a.shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(a.about, &QAction::triggered, this, &MainWindow::showAbout);
    connectWorkspaceActions();
}

void MainWindow::restoreSettings()
{
    m_restoring = true;
    const SettingsStore::LoadResult loaded = m_store.load();
    if (loaded.corrupt) {
        qCWarning(lcUi).noquote() << loaded.message();
        m_banners->showMessage(BannerArea::Level::Error, loaded.message());
    }
    if (!loaded.notes.isEmpty()) {
        qCWarning(lcUi).noquote() << loaded.notesMessage();
        m_banners->showMessage(BannerArea::Level::Warning, loaded.notesMessage());
    }
    const ConsoleSettings& settings = loaded.settings;
    m_gatewayConfig = settings.gateway;
    m_trafficView = settings.trafficView;
    m_actions.askBeforeClosing->setChecked(settings.askBeforeClosingConnected);
    m_recentWorkspaces = settings.recentWorkspaces;
    fillRecentMenu();
    applyGatewayPolicy(); // the gateway panel's settings of the last session
    for (const DeviceConfig& device : settings.devices)
        addDevice(device);
    if (settings.currentDevice >= 0 && settings.currentDevice < m_tabs->count())
        m_tabs->setCurrentIndex(settings.currentDevice);
    if (settings.windowGeometry.isEmpty() || !restoreGeometry(settings.windowGeometry))
        resize(kDefaultWindowSize);
    if (!settings.windowState.isEmpty())
        restoreState(settings.windowState);
    fitToScreen();
    m_restoring = false;
}

// The gateway panel reads the policy; m_gatewayConfig holds what the operator set there.
void MainWindow::applyGatewayPolicy()
{
    GatewayPolicy policy = m_gateway->link()->policy();
    policy.supportedModules = m_gatewayConfig.supportedModules;
    policy.answerDelayMs = m_gatewayConfig.answerDelayMs;
    policy.emptyAnswers = m_gatewayConfig.emptyAnswers;
    policy.explainSilentDrops = m_gatewayConfig.explainSilentDrops;
    m_gateway->link()->setPolicy(policy);
}

void MainWindow::startEmbeddedGateway(std::optional<quint16> exactPort)
{
    if (exactPort)
        m_gateway->startExact(*exactPort);
    else
        m_gateway->start(m_gatewayConfig.port);
    updateGatewayStatus();
}

void MainWindow::stopEmbeddedGateway()
{
    m_gateway->stop();
    updateGatewayStatus();
}

void MainWindow::connectCurrentDeviceTo(const QString& host, quint16 port)
{
    DeviceSessionPage* page = currentPage();
    if (!page)
        page = addDevice(DeviceConfig::exampleButton());
    DeviceConfig config = page->config();
    config.host = host;
    config.port = port;
    config.useEmbeddedGateway = false;
    page->identityForm()->setConfig(config);
    page->connectToServer();
}

void MainWindow::setTrafficViewConfig(const TrafficViewConfig& config)
{
    if (config == m_trafficView)
        return;
    m_trafficView = config;
    scheduleSave();
}

// A geometry saved on a bigger screen (or the default size on a small one) is cut to the
// screen's available area, so that no control ends up below or beside it.
void MainWindow::fitToScreen()
{
    const QScreen* current = screen() ? screen() : QGuiApplication::primaryScreen();
    if (!current || isMaximized() || isFullScreen())
        return;
    const QRect available = current->availableGeometry();
    // The window frame (title bar, borders) is known once shown; before that, guess none.
    const QMargins frame(geometry().left() - frameGeometry().left(),
                         geometry().top() - frameGeometry().top(),
                         frameGeometry().right() - geometry().right(),
                         frameGeometry().bottom() - geometry().bottom());
    const QRect room = available.marginsRemoved(frame);
    QRect fitted = geometry();
    fitted.setSize(fitted.size().boundedTo(room.size()));
    if (fitted.right() > room.right())
        fitted.moveRight(room.right());
    if (fitted.bottom() > room.bottom())
        fitted.moveBottom(room.bottom());
    fitted.moveLeft(qMax(fitted.left(), room.left()));
    fitted.moveTop(qMax(fitted.top(), room.top()));
    if (fitted != geometry())
        setGeometry(fitted);
}

void MainWindow::addDock(QDockWidget* dock, Qt::DockWidgetArea area)
{
    if (dock->objectName().isEmpty())
        dock->setObjectName(dock->windowTitle());
    // A dock that was part of the saved layout goes back where the operator left it.
    if (!restoreDockWidget(dock)) {
        addDockWidget(area, dock);
        m_freshDocks.append(dock);
    }
    m_actions.viewMenu->addAction(dock->toggleViewAction());
}

QString MainWindow::gatewayStatusText() const
{
    return m_gateway->statusText();
}

ConsoleSettings MainWindow::currentSettings() const
{
    ConsoleSettings settings;
    for (DeviceSessionPage* page : pages())
        settings.devices.append(page->config());
    settings.currentDevice = qMax(0, m_tabs->currentIndex());
    settings.gateway = m_gatewayConfig;
    settings.trafficView = m_trafficView;
    settings.askBeforeClosingConnected = m_actions.askBeforeClosing->isChecked();
    settings.windowGeometry = m_geometryOverride.isEmpty() ? saveGeometry() : m_geometryOverride;
    settings.windowState = m_layoutOverride.isEmpty() ? saveState() : m_layoutOverride;
    settings.recentWorkspaces = m_recentWorkspaces;
    return settings;
}

bool MainWindow::saveSettings(QString* error)
{
    m_saveTimer->stop();
    return m_store.save(currentSettings(), error);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QString error;
    if (!saveSettings(&error))
        qCWarning(lcUi).noquote() << error;
    for (DeviceSessionPage* page : pages())
        page->disconnectFromServer();
    event->accept();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    fitToScreen(); // now the frame is known
    // Docks placed for the first time take what they ask for; the device page is what the
    // operator came for, so they start at about a third of the window's height (or width).
    QList<QDockWidget*> vertical;
    QList<QDockWidget*> horizontal;
    for (const QPointer<QDockWidget>& dock : std::as_const(m_freshDocks)) {
        if (!dock)
            continue;
        const Qt::DockWidgetArea area = dockWidgetArea(dock);
        (area == Qt::TopDockWidgetArea || area == Qt::BottomDockWidgetArea ? vertical : horizontal)
            .append(dock);
    }
    m_freshDocks.clear();
    if (!vertical.isEmpty())
        resizeDocks(vertical, QList<int>(vertical.size(), height() * kFreshDockShare / 100),
                    Qt::Vertical);
    if (!horizontal.isEmpty())
        resizeDocks(horizontal, QList<int>(horizontal.size(), width() * kFreshDockShare / 100),
                    Qt::Horizontal);
}

void MainWindow::scheduleSave()
{
    if (m_restoring)
        return;
    m_saveTimer->start();
    markWorkspaceModified();
}

void MainWindow::updateGatewayStatus()
{
    const bool listening = m_gateway->isListening();
    const QColor color = listening ? sessionStatusColor(SessionStatus::Connected)
                                   : sessionStatusColor(m_gateway->errorString().isEmpty()
                                                            ? SessionStatus::Disconnected
                                                            : SessionStatus::Failed);
    m_gatewayStatus->setText(QStringLiteral("<span style=\"color:%1\">●</span> %2")
                                 .arg(color.name(), m_gateway->statusText().toHtmlEscaped()));
    m_gatewayStatus->setToolTip(m_gateway->fallbackNote());
    {
        QSignalBlocker blocker(m_actions.gatewayRunning);
        m_actions.gatewayRunning->setChecked(listening);
    }
    for (DeviceSessionPage* page : pages())
        page->setEmbeddedGateway(m_gateway->host(), m_gateway->port());
}

void MainWindow::updateActions()
{
    DeviceSessionPage* page = currentPage();
    const bool active = page && page->session()->isActive();
    m_actions.closeDevice->setEnabled(page);
    m_actions.duplicateDevice->setEnabled(page);
    m_actions.nextDevice->setEnabled(m_tabs->count() > 1);
    m_actions.previousDevice->setEnabled(m_tabs->count() > 1);
    m_actions.loadPayload->setEnabled(page);
    m_actions.undo->setEnabled(page && page->composer()->canUndo());
    m_actions.redo->setEnabled(page && page->composer()->canRedo());
    m_actions.connectDevice->setEnabled(page && page->canConnect());
    m_actions.disconnectDevice->setEnabled(active);
    m_actions.send->setEnabled(page && page->composer()->sendButton()->isEnabled());
    m_actions.sendAnyway->setEnabled(page && page->composer()->sendAnywayButton()->isEnabled());
    m_actions.autoSend->setEnabled(page);
    QSignalBlocker blocker(m_actions.autoSend);
    m_actions.autoSend->setChecked(page && page->autoSender()->isRunning());
    for (QAction* action : m_actions.formats)
        action->setEnabled(page);
}

void MainWindow::showShortcuts()
{
    showInfoDialog(this, tr("Keyboard shortcuts"), m_actions.shortcutTable());
}

void MainWindow::showAbout()
{
    showInfoDialog(
        this, tr("About Fleet Device Console"),
        tr("<h3>Fleet Device Console %1</h3><p>Become a device on a Fleet Protocol v2 "
           "network: configure an identity, connect to an internal server, send "
           "statuses and watch the commands.</p><p>Settings: %2</p>")
            .arg(QApplication::applicationVersion(), m_store.fileName().toHtmlEscaped()));
}

} // namespace fleet
