#pragma once

#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QAction;
class QMainWindow;
class QMenu;
class QToolBar;
QT_END_NAMESPACE

namespace fleet {

// The main window's actions, menus and toolbar in one place, so that shortcuts are defined
// once and listed from the same data in Help › Keyboard shortcuts.
struct ConsoleActions {
    QAction* newDevice = nullptr;
    // New device › Example button, IO board (Opta), Autonomous vehicle: a living device with
    // its behaviour chosen (data(): the behaviour's key, deviceconfig.h behaviourKey()).
    QList<QAction*> newLivingDevices;
    QMenu* newDeviceMenu = nullptr;     // on the toolbar's New device button and in Device
    QAction* duplicateDevice = nullptr; // a copy of the current device, a role of its own
    QAction* closeDevice = nullptr;
    QAction* askBeforeClosing = nullptr; // checkable: a connected device's close asks first
    QAction* nextDevice = nullptr;
    QAction* previousDevice = nullptr;
    // File › Save workspace, Save workspace as…, Open workspace…, Open recent ▸
    // (docs/workspaces.md).
    QAction* saveWorkspace = nullptr;
    QAction* saveWorkspaceAs = nullptr;
    QAction* openWorkspace = nullptr;
    QMenu* recentWorkspaces = nullptr; // filled by the window: one action per file
    QAction* loadPayload = nullptr;
    QAction* undo = nullptr; // the composer's history: text and format together
    QAction* redo = nullptr;
    QAction* quit = nullptr;
    QAction* connectDevice = nullptr;
    QAction* disconnectDevice = nullptr;
    QAction* send = nullptr;
    QAction* sendAnyway = nullptr;
    QAction* autoSend = nullptr;
    QList<QAction*> formats; // Text, JSON pretty, JSON compact, Hex, Base64
    QAction* gatewayRunning = nullptr;
    QAction* shortcuts = nullptr;
    QAction* about = nullptr;
    // View › Presentation (F11, checkable) and Help › Demo tour (docs/demo.md).
    QAction* presentation = nullptr;
    QAction* demoTour = nullptr;

    QMenu* viewMenu = nullptr;    // docks add their toggle actions here
    QMenu* gatewayMenu = nullptr; // the gateway's panels add their actions here
    QToolBar* toolBar = nullptr;

    // Creates the actions with the window as parent and fills its menu bar and toolbar.
    static ConsoleActions create(QMainWindow* window);
    // Rich-text table of every action that has a shortcut.
    QString shortcutTable() const;
};

} // namespace fleet
