// MainWindow's workspaces (docs/workspaces.md): File › Open workspace…, Open recent, Save
// workspace (as…), the parts panels contribute and the window title. The file format itself is
// console-core's (workspace.h).

#include "mainwindow.h"

#include "banner.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "trafficlogview.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

namespace fleet {

namespace {

const char* const kFileFilter =
    QT_TRANSLATE_NOOP("MainWindow", "Workspaces (*.json);;All files (*)");

// Opening a workspace closes every tab: a connected one loses its connection (and its slot on
// the gateway), and edits not saved in a workspace are gone. Asked first, window-modal and
// open()ed, never exec()ed.
void askBeforeReplacing(QWidget* parent, const QString& fileName, int connected, bool unsaved,
                        std::function<void()> onOpen)
{
    auto* box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("openWorkspaceQuestion"));
    box->setIcon(QMessageBox::Question);
    box->setWindowTitle(MainWindow::tr("Open workspace"));
    QString text = MainWindow::tr("Open \"%1\"? Its devices replace the open tabs")
                       .arg(QFileInfo(fileName).fileName());
    if (connected > 0)
        text += MainWindow::tr(", and %1 will be disconnected")
                    .arg(connected == 1 ? MainWindow::tr("1 connected device")
                                        : MainWindow::tr("%1 connected devices").arg(connected));
    box->setText(text + QLatin1Char('.'));
    box->setInformativeText(unsaved
                                ? MainWindow::tr("The open workspace has changes that are "
                                                 "not saved: Save workspace first to keep them.")
                                : MainWindow::tr("Save workspace first to keep the open tabs."));
    QPushButton* open = box->addButton(MainWindow::tr("Open workspace"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(open);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [box, open, onOpen = std::move(onOpen)](QAbstractButton* button) {
                         if (button == open)
                             onOpen();
                         box->close();
                     });
    box->open();
}

} // namespace

void MainWindow::connectWorkspaceActions()
{
    connect(m_actions.openWorkspace, &QAction::triggered, this, &MainWindow::chooseWorkspaceToOpen);
    connect(m_actions.saveWorkspace, &QAction::triggered, this, [this] {
        if (m_workspaceFile.isEmpty())
            chooseWorkspaceToSave();
        else
            saveWorkspace(m_workspaceFile);
    });
    connect(m_actions.saveWorkspaceAs, &QAction::triggered, this,
            &MainWindow::chooseWorkspaceToSave);
    // A file may have gone since the list was filled: looked at again each time it opens.
    connect(m_actions.recentWorkspaces, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
}

bool MainWindow::openWorkspace(const QString& fileName, GatewayRun gateway)
{
    const QString path = QFileInfo(fileName).absoluteFilePath();
    Workspace workspace;
    WorkspaceError error;
    QStringList warnings;
    if (!Workspace::load(path, &workspace, &error, &warnings)) {
        QString text =
            tr("The workspace could not be opened: %1. Nothing was changed.").arg(error.toString());
        if (!QFileInfo::exists(path) && m_recentWorkspaces.contains(path)) {
            rememberRecent(path, false);
            text += tr(" It was removed from File › Open recent.");
        }
        m_banners->showMessage(BannerArea::Level::Error, text);
        return false;
    }
    int connected = 0;
    for (DeviceSessionPage* page : pages())
        connected += page->session()->isActive() ? 1 : 0;
    if (connected == 0 && !isWindowModified()) {
        applyWorkspace(workspace, path, gateway, warnings);
        return true;
    }
    const QPointer<MainWindow> self(this);
    askBeforeReplacing(this, path, connected, isWindowModified(),
                       [self, workspace, path, gateway, warnings] {
                           if (self)
                               self->applyWorkspace(workspace, path, gateway, warnings);
                       });
    return true;
}

void MainWindow::applyWorkspace(const Workspace& workspace, const QString& fileName,
                                GatewayRun gateway, const QStringList& warnings)
{
    // The workspace brings its own layout: presenting (and a demo tour with it) ends first, as
    // F11 would, so the workspace's window replaces the operator's and not the presentation's,
    // which leaving later would lay back over it (docs/demo.md#presentation-mode).
    if (m_actions.presentation->isChecked())
        m_actions.presentation->trigger();
    m_restoring = true;
    while (m_tabs->count() > 0)
        closeDevice(m_tabs->count() - 1);
    m_deviceJson.clear();

    m_gatewayConfig = workspace.gateway;
    applyGatewayPolicy();
    if (gateway == GatewayRun::FollowWorkspace) {
        if (m_gatewayConfig.enabled && !m_gateway->isListening())
            startEmbeddedGateway();
        else if (!m_gatewayConfig.enabled && m_gateway->isListening())
            stopEmbeddedGateway();
    }
    m_trafficView = workspace.trafficView;
    // The log dock takes its view once when installed (consoledocks.cpp); a workspace opened
    // later hands it the new one here.
    if (auto* view = findChild<TrafficLogView*>())
        view->applyViewConfig(m_trafficView);

    for (const WorkspaceDevice& device : workspace.devices) {
        DeviceSessionPage* page = addDevice(device.config);
        if (!device.json.isEmpty())
            m_deviceJson.insert(page, device.json);
    }
    if (workspace.currentDevice < m_tabs->count())
        m_tabs->setCurrentIndex(workspace.currentDevice);
    if (!workspace.windowGeometry.isEmpty())
        restoreGeometry(workspace.windowGeometry);
    if (!workspace.windowState.isEmpty())
        restoreState(workspace.windowState);
    fitToScreen();

    m_workspaceBase = workspace;
    m_workspaceBase.devices.clear();
    for (auto it = m_parts.cbegin(); it != m_parts.cend(); ++it)
        it->restore(workspace.parts.value(it.key()));
    m_workspaceFile = fileName;
    m_restoring = false;

    setWindowModified(false);
    updateWindowTitle();
    updateActions();
    rememberRecent(fileName, true);
    m_saveTimer->start(); // the settings file follows: the next start restores this session
    for (const QString& warning : warnings)
        m_banners->showMessage(BannerArea::Level::Warning, warning);
    const int count = int(workspace.devices.size());
    statusBar()->showMessage(tr("Opened workspace %1 (%2)")
                                 .arg(QDir::toNativeSeparators(fileName),
                                      count == 1 ? tr("1 device") : tr("%1 devices").arg(count)),
                             kStatusMessageMs);
}

Workspace MainWindow::currentWorkspace() const
{
    Workspace workspace = m_workspaceBase;
    for (DeviceSessionPage* page : pages())
        workspace.devices.append({page->config(), m_deviceJson.value(page)});
    workspace.currentDevice = qMax(0, m_tabs->currentIndex());
    workspace.gateway = m_gatewayConfig;
    workspace.trafficView = m_trafficView;
    workspace.windowGeometry = m_geometryOverride.isEmpty() ? saveGeometry() : m_geometryOverride;
    workspace.windowState = m_layoutOverride.isEmpty() ? saveState() : m_layoutOverride;
    for (auto it = m_parts.cbegin(); it != m_parts.cend(); ++it) {
        const QJsonValue value = it->save();
        if (value.isUndefined())
            workspace.parts.remove(it.key());
        else
            workspace.parts.insert(it.key(), value);
    }
    return workspace;
}

bool MainWindow::saveWorkspace(const QString& fileName, QString* error)
{
    const QString path = QFileInfo(fileName).absoluteFilePath();
    const Workspace workspace = currentWorkspace();
    QString why;
    if (!workspace.save(path, &why)) {
        m_banners->showMessage(BannerArea::Level::Error,
                               tr("%1. The open tabs are as they were.").arg(why));
        if (error)
            *error = why;
        return false;
    }
    m_workspaceBase = workspace;
    m_workspaceBase.devices.clear();
    m_workspaceBase.version = Workspace::kFormatVersion;
    m_workspaceFile = path;
    setWindowModified(false);
    updateWindowTitle();
    rememberRecent(path, true);
    m_saveTimer->start();
    statusBar()->showMessage(tr("Saved workspace %1").arg(QDir::toNativeSeparators(path)),
                             kStatusMessageMs);
    return true;
}

void MainWindow::addWorkspacePart(const QString& key, std::function<QJsonValue()> save,
                                  std::function<void(const QJsonValue&)> restore)
{
    m_parts.insert(key, {std::move(save), restore});
    if (!m_workspaceFile.isEmpty() && m_workspaceBase.parts.contains(key))
        restore(m_workspaceBase.parts.value(key));
}

void MainWindow::markWorkspaceModified()
{
    // Without a workspace file there is nothing to be modified against (the settings file
    // keeps the session anyway).
    if (!m_restoring && !m_workspaceFile.isEmpty())
        setWindowModified(true);
}

// Non-modal file dialogs: open()ed, answered through a signal.
void MainWindow::chooseWorkspaceToOpen()
{
    auto* dialog = new QFileDialog(this, tr("Open workspace"),
                                   m_workspaceFile.isEmpty() ? QDir::homePath()
                                                             : QFileInfo(m_workspaceFile).path(),
                                   tr(kFileFilter));
    dialog->setObjectName(QStringLiteral("openWorkspaceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& file) { openWorkspace(file); });
    dialog->open();
}

void MainWindow::chooseWorkspaceToSave()
{
    auto* dialog = new QFileDialog(this, tr("Save workspace"),
                                   m_workspaceFile.isEmpty() ? QDir::homePath() : m_workspaceFile,
                                   tr(kFileFilter));
    dialog->setObjectName(QStringLiteral("saveWorkspaceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("json"));
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& file) { saveWorkspace(file); });
    dialog->open();
}

void MainWindow::rememberRecent(const QString& fileName, bool add)
{
    m_recentWorkspaces.removeAll(fileName);
    if (add)
        m_recentWorkspaces.prepend(fileName);
    while (m_recentWorkspaces.size() > kMaxRecentWorkspaces)
        m_recentWorkspaces.removeLast();
    fillRecentMenu();
    m_saveTimer->start();
}

void MainWindow::fillRecentMenu()
{
    QMenu* menu = m_actions.recentWorkspaces;
    menu->clear();
    for (int i = 0; i < m_recentWorkspaces.size(); ++i) {
        const QString file = m_recentWorkspaces[i];
        const bool exists = QFileInfo::exists(file);
        QString text = QStringLiteral("&%1 %2").arg(i + 1).arg(
            QDir::toNativeSeparators(file).replace(QLatin1Char('&'), QStringLiteral("&&")));
        if (!exists)
            text += tr(" (missing)");
        QAction* action = menu->addAction(text);
        action->setData(file);
        // A missing file stays listed, greyed, until the operator clears the list or it comes
        // back (a network drive, a USB stick).
        action->setEnabled(exists);
        action->setStatusTip(exists ? tr("Open this workspace") : tr("This file is not there"));
        // Queued: opening refills this menu, which deletes the action still being triggered.
        connect(
            action, &QAction::triggered, this, [this, file] { openWorkspace(file); },
            Qt::QueuedConnection);
    }
    if (!m_recentWorkspaces.isEmpty())
        menu->addSeparator();
    QAction* clear = menu->addAction(tr("&Clear list"));
    clear->setObjectName(QStringLiteral("clearRecentWorkspaces"));
    clear->setEnabled(!m_recentWorkspaces.isEmpty());
    connect(
        clear, &QAction::triggered, this,
        [this] {
            m_recentWorkspaces.clear();
            fillRecentMenu();
            m_saveTimer->start();
        },
        Qt::QueuedConnection);
}

void MainWindow::updateWindowTitle()
{
    if (m_workspaceFile.isEmpty()) {
        setWindowTitle(tr("Fleet Device Console"));
        return;
    }
    // "[*]" is where Qt shows the modified mark (setWindowModified).
    setWindowTitle(tr("%1[*] — Fleet Device Console").arg(QFileInfo(m_workspaceFile).fileName()));
}

} // namespace fleet
