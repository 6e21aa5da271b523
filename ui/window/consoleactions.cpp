#include "consoleactions.h"

#include "payloadformat.h"

#include <QAction>
#include <QIcon>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>
#include <QToolButton>

namespace fleet {

namespace {

QAction* makeAction(QMainWindow* window, const QString& text, const QKeySequence& shortcut,
                    const QString& tip, const QString& icon = {})
{
    auto* action = new QAction(text, window);
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setToolTip(
            QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
    } else {
        action->setToolTip(tip);
    }
    action->setStatusTip(tip);
    if (!icon.isEmpty())
        action->setIcon(QIcon(QStringLiteral(":/icons/%1.svg").arg(icon)));
    return action;
}

} // namespace

ConsoleActions ConsoleActions::create(QMainWindow* window)
{
    ConsoleActions a;
    const auto tr = [](const char* text) { return QMainWindow::tr(text); };
    a.newDevice = makeAction(window, tr("&New device"), QKeySequence::New,
                             tr("Add a device session (a copy of the current one, with its own "
                                "role)"),
                             QStringLiteral("new-device"));
    const struct {
        const char* text;
        const char* key;
        const char* tip;
    } living[] = {
        {"Example &button", "button",
         "A new example-module button (1000/0) with its behaviour: press it, watch the lamp"},
        {"&IO board (Opta)", "io",
         "A new Arduino Opta board (2/1) with its behaviour: switches in, LEDs out"},
        {"&Autonomous vehicle", "vehicle",
         "A new vehicle (1/1) on the demo map with its behaviour: connect, queue a mission, "
         "watch it drive"},
    };
    for (const auto& entry : living) {
        QAction* action = makeAction(window, tr(entry.text), QKeySequence(), tr(entry.tip));
        action->setData(QString::fromLatin1(entry.key));
        a.newLivingDevices.append(action);
    }
    a.newDeviceMenu = new QMenu(tr("&New device"), window);
    a.newDeviceMenu->setIcon(QIcon(QStringLiteral(":/icons/new-device.svg")));
    a.newDeviceMenu->addAction(a.newDevice);
    a.newDeviceMenu->addSeparator();
    a.newDeviceMenu->addActions(a.newLivingDevices);
    a.duplicateDevice =
        makeAction(window, tr("&Duplicate device"), QKeySequence(Qt::CTRL | Qt::Key_D),
                   tr("A copy of the current device (identity, server, status draft, "
                      "behaviour) with a role of its own"));
    a.closeDevice = makeAction(window, tr("&Close device"), QKeySequence(Qt::CTRL | Qt::Key_W),
                               tr("Disconnect and close the current device session"));
    a.askBeforeClosing =
        makeAction(window, tr("&Ask before closing a connected device"), QKeySequence(),
                   tr("Closing a connected device's tab asks first"));
    a.askBeforeClosing->setCheckable(true);
    a.askBeforeClosing->setChecked(true);
    a.nextDevice = makeAction(window, tr("Ne&xt device"), QKeySequence(Qt::CTRL | Qt::Key_PageDown),
                              tr("Show the next device tab"));
    a.previousDevice =
        makeAction(window, tr("&Previous device"), QKeySequence(Qt::CTRL | Qt::Key_PageUp),
                   tr("Show the previous device tab"));
    a.openWorkspace =
        makeAction(window, tr("&Open workspace…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                   tr("Replace the open devices with a saved workspace's devices, gateway "
                      "setup and layout"));
    a.recentWorkspaces = new QMenu(tr("Open &recent"), window);
    a.recentWorkspaces->setObjectName(QStringLiteral("recentWorkspaces"));
    a.saveWorkspace = makeAction(window, tr("&Save workspace"), QKeySequence::Save,
                                 tr("Save the devices, gateway setup and layout as a workspace "
                                    "file"));
    a.saveWorkspaceAs = makeAction(window, tr("Save workspace &as…"),
                                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                                   tr("Save the workspace under another file name"));
    a.loadPayload = makeAction(window, tr("&Load payload file…"), QKeySequence::Open,
                               tr("Use a file's bytes as the current device's status"));
    a.undo = makeAction(window, tr("&Undo"), QKeySequence::Undo,
                        tr("Undo the last change of the status (text and format together)"));
    a.redo = makeAction(window, tr("&Redo"), QKeySequence::Redo,
                        tr("Redo the change of the status that was undone"));
    a.quit = makeAction(window, tr("&Quit"), QKeySequence(Qt::CTRL | Qt::Key_Q),
                        tr("Save settings and quit"));
    a.connectDevice = makeAction(window, tr("&Connect"), QKeySequence(Qt::CTRL | Qt::Key_K),
                                 tr("Connect the current device"), QStringLiteral("connect"));
    a.disconnectDevice =
        makeAction(window, tr("&Disconnect"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
                   tr("Disconnect the current device"), QStringLiteral("disconnect"));
    a.send = makeAction(window, tr("&Send status"), QKeySequence(Qt::CTRL | Qt::Key_Return),
                        tr("Send the composer's status and wait for the command"),
                        QStringLiteral("send"));
    a.sendAnyway =
        makeAction(window, tr("Send &anyway"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return),
                   tr("Send the status despite validation errors"));
    a.autoSend = makeAction(window, tr("A&uto-send"), QKeySequence(Qt::CTRL | Qt::Key_R),
                            tr("Send the status every N ms until stopped or an error occurs"),
                            QStringLiteral("auto-send"));
    a.autoSend->setCheckable(true);
    const PayloadFormat formats[] = {PayloadFormat::Text, PayloadFormat::JsonPretty,
                                     PayloadFormat::JsonCompact, PayloadFormat::Hex,
                                     PayloadFormat::Base64};
    int key = Qt::Key_1;
    for (PayloadFormat format : formats) {
        QAction* action = makeAction(window, payloadformat::formatName(format),
                                     QKeySequence(Qt::CTRL | Qt::Key(key++)),
                                     tr("Show the status in this format (converts, never loses "
                                        "bytes)"));
        action->setData(int(format));
        a.formats.append(action);
    }
    a.gatewayRunning = makeAction(window, tr("Embedded &gateway running"), QKeySequence(),
                                  tr("Start or stop the gateway emulator inside the console"),
                                  QStringLiteral("gateway"));
    a.gatewayRunning->setCheckable(true);
    a.shortcuts = makeAction(window, tr("&Keyboard shortcuts"), QKeySequence::HelpContents,
                             tr("List the keyboard shortcuts"));
    a.about = makeAction(window, tr("&About Fleet Device Console"), QKeySequence(),
                         tr("Version and what this is"));
    a.presentation = makeAction(window, tr("&Presentation"), QKeySequence(Qt::Key_F11),
                                tr("Large fonts, the device faces, the sequence diagram and a "
                                   "caption for an audience; the expert panes hidden"));
    a.presentation->setCheckable(true);
    a.demoTour = makeAction(window, tr("&Demo tour"), QKeySequence(),
                            tr("A guided walk through the protocol on the embedded gateway"));

    QMenuBar* bar = window->menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addActions({a.newDevice, a.closeDevice, a.askBeforeClosing});
    file->addSeparator();
    file->addAction(a.openWorkspace);
    file->addMenu(a.recentWorkspaces);
    file->addActions({a.saveWorkspace, a.saveWorkspaceAs});
    file->addSeparator();
    file->addAction(a.loadPayload);
    file->addSeparator();
    file->addAction(a.quit);
    QMenu* edit = bar->addMenu(tr("&Edit"));
    edit->addActions({a.undo, a.redo});
    QMenu* device = bar->addMenu(tr("&Device"));
    device->addMenu(a.newDeviceMenu);
    device->addAction(a.duplicateDevice);
    device->addSeparator();
    device->addActions({a.connectDevice, a.disconnectDevice});
    device->addSeparator();
    device->addActions({a.nextDevice, a.previousDevice});
    device->addSeparator();
    device->addActions({a.send, a.sendAnyway, a.autoSend});
    QMenu* format = device->addMenu(tr("Status &format"));
    format->addActions(a.formats);
    QMenu* gateway = bar->addMenu(tr("&Gateway"));
    gateway->addAction(a.gatewayRunning);
    a.gatewayMenu = gateway;
    a.viewMenu = bar->addMenu(tr("&View"));
    QMenu* help = bar->addMenu(tr("&Help"));
    help->addActions({a.demoTour, a.shortcuts, a.about});

    a.toolBar = window->addToolBar(tr("Main"));
    a.toolBar->setObjectName(QStringLiteral("mainToolBar"));
    a.toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    a.toolBar->setMovable(false);
    a.toolBar->addActions({a.newDevice, a.connectDevice, a.disconnectDevice});
    // Click: a copy of the current device; the arrow: the living devices.
    if (auto* button = qobject_cast<QToolButton*>(a.toolBar->widgetForAction(a.newDevice))) {
        button->setObjectName(QStringLiteral("newDeviceButton"));
        button->setMenu(a.newDeviceMenu);
        button->setPopupMode(QToolButton::MenuButtonPopup);
    }
    a.toolBar->addSeparator();
    a.toolBar->addActions({a.send, a.autoSend});
    a.viewMenu->addAction(a.presentation);
    a.viewMenu->addAction(a.toolBar->toggleViewAction());
    a.viewMenu->addSeparator();
    return a;
}

QString ConsoleActions::shortcutTable() const
{
    QList<QAction*> all{
        newDevice,     duplicateDevice, closeDevice,      nextDevice,  previousDevice,
        openWorkspace, saveWorkspace,   saveWorkspaceAs,  loadPayload, undo,
        redo,          connectDevice,   disconnectDevice, send,        sendAnyway,
        autoSend};
    all += formats;
    all += {presentation, shortcuts, quit};
    QString rows;
    for (QAction* action : all) {
        if (action->shortcut().isEmpty())
            continue;
        rows +=
            QStringLiteral("<tr><td style=\"padding-right:16px\"><b>%1</b></td><td>%2</td></tr>")
                .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                     action->text().remove(QLatin1Char('&')).toHtmlEscaped());
    }
    return QStringLiteral("<table>%1</table>").arg(rows);
}

} // namespace fleet
