// MainWindow's device tabs: adding a device (new, duplicate, a living
// device), closing one (asking first while it is connected), the tab's text, icon and tooltip,
// and what a device's tab says when the embedded gateway closed its connection.

#include "mainwindow.h"

#include "banner.h"
#include "closeconfirmation.h"
#include "coalescedrefresh.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "sessionstatusicon.h"

#include <QAction>
#include <QPointer>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>

#include <algorithm>
#include <utility>

namespace fleet {

namespace {

// A new device gets a slot of its own, so that it is not its sibling's rival: "lamp" becomes
// "lamp-2" (named "Lamp (lamp-2)"), and a copy of "lamp-2" becomes "lamp-3" ("Lamp (lamp-3)"),
// not "lamp-2-2".
DeviceConfig withOwnRole(DeviceConfig config, const QList<DeviceIdentity>& taken)
{
    const QString oldRole = config.identity.role;
    static const QRegularExpression numbered(QStringLiteral("^(.+)-([0-9]{1,6})$"));
    const QRegularExpressionMatch match = numbered.match(oldRole);
    QString role = uniqueRole(config.identity, taken);
    if (role != oldRole && match.hasMatch()) {
        DeviceIdentity candidate = config.identity;
        const auto isTaken = [&taken](const DeviceIdentity& identity) {
            return std::any_of(taken.begin(), taken.end(), [&identity](const DeviceIdentity& t) {
                return t.sameSlot(identity);
            });
        };
        int n = match.captured(2).toInt();
        do
            candidate.role = QStringLiteral("%1-%2").arg(match.captured(1)).arg(++n);
        while (isTaken(candidate));
        role = candidate.role;
    }
    if (role == oldRole)
        return config;
    QString& name = config.identity.name;
    const QString oldSuffix = QStringLiteral(" (%1)").arg(oldRole);
    if (name.endsWith(oldSuffix))
        name.chop(oldSuffix.size());
    if (!name.isEmpty())
        name += QStringLiteral(" (%1)").arg(role);
    config.identity.role = role;
    return config;
}

} // namespace

DeviceSessionPage* MainWindow::addDevice(const DeviceConfig& config)
{
    auto* page = new DeviceSessionPage(config);
    page->setEmbeddedGateway(m_gateway->host(), m_gateway->port());
    const int index = m_tabs->addTab(page, page->title());
    m_tabs->setCurrentIndex(index);
    m_stack->setCurrentIndex(0);
    updateTab(page);
    connect(page, &DeviceSessionPage::titleChanged, this, [this, page] { updateTab(page); });
    // Every status a device sends flips its state twice: the tabs follow at the refresh's pace,
    // not the network's (docs/performance.md#repaints); the actions follow the page's controls,
    // which keep that pace already, so a shortcut is enabled exactly when its button is.
    connect(page, &DeviceSessionPage::statusChanged, m_chromeRefresh, &CoalescedRefresh::request);
    connect(page, &DeviceSessionPage::controlsChanged, this, &MainWindow::updateActions);
    connect(page, &DeviceSessionPage::configChanged, this, [this] {
        updateActions();
        scheduleSave();
    });
    connect(page->session(), &DeviceSession::clientCreated, this,
            [this, page](InternalClient* client) { emit clientCreated(client, page); });
    connect(page, &DeviceSessionPage::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusMessageMs); });
    if (!page->restoreProblems().isEmpty()) {
        m_banners->showMessage(
            BannerArea::Level::Warning,
            tr("%1: its behaviour came back with changes: %2.")
                .arg(page->title(), page->restoreProblems().join(QStringLiteral("; "))));
    }
    emit pageAdded(page);
    scheduleSave();
    return page;
}

DeviceSessionPage* MainWindow::newDevice()
{
    const DeviceConfig config =
        currentPage() ? currentPage()->config() : DeviceConfig::exampleButton();
    QList<DeviceIdentity> taken;
    for (DeviceSessionPage* page : pages())
        taken.append(page->config().identity);
    return addDevice(withOwnRole(config, taken));
}

DeviceSessionPage* MainWindow::duplicateDevice()
{
    return currentPage() ? newDevice() : nullptr;
}

DeviceSessionPage* MainWindow::newLivingDevice(const QString& behaviour)
{
    QList<DeviceIdentity> taken;
    for (DeviceSessionPage* page : pages())
        taken.append(page->config().identity);
    return addDevice(withOwnRole(DeviceConfig::livingDevice(behaviour), taken));
}

void MainWindow::closeDevice(int index)
{
    auto* page = qobject_cast<DeviceSessionPage*>(m_tabs->widget(index));
    if (!page)
        return;
    page->disconnectFromServer();
    m_deviceJson.remove(page);
    m_tabs->removeTab(index);
    emit pageRemoved(page);
    page->deleteLater();
    m_stack->setCurrentIndex(m_tabs->count() > 0 ? 0 : 1);
    updateActions();
    scheduleSave();
}

void MainWindow::requestCloseDevice(int index)
{
    auto* page = qobject_cast<DeviceSessionPage*>(m_tabs->widget(index));
    if (!page)
        return;
    if (!page->session()->isActive() || !m_actions.askBeforeClosing->isChecked()) {
        closeDevice(index);
        return;
    }
    const QPointer<DeviceSessionPage> asked(page);
    askBeforeClosingConnected(this, page->title(), [this, asked](bool dontAskAgain) {
        if (dontAskAgain)
            m_actions.askBeforeClosing->setChecked(false);
        if (asked) // tabs may have moved or closed meanwhile
            closeDevice(m_tabs->indexOf(asked));
    });
}

QList<DeviceSessionPage*> MainWindow::pages() const
{
    QList<DeviceSessionPage*> result;
    for (int i = 0; i < m_tabs->count(); ++i)
        result.append(qobject_cast<DeviceSessionPage*>(m_tabs->widget(i)));
    return result;
}

DeviceSessionPage* MainWindow::currentPage() const
{
    return qobject_cast<DeviceSessionPage*>(m_tabs->currentWidget());
}

// When the embedded gateway closes a console device's connection, the device's tab can say
// why (takeover, the operator, the gateway stopping, a missed answer deadline) instead of
// only "closed".
void MainWindow::tellDeviceWhyClosed(const GatewayEvent& event)
{
    if (!event.hasDevice)
        return;
    // A takeover: the newcomer's connect follows the displaced device's drop at once; name it.
    if (event.kind == GatewayEvent::Kind::Connected) {
        for (const QPointer<DeviceSession>& session : std::exchange(m_takenOver, {})) {
            if (session && session->identity().sameSlot(event.device))
                session->noteGatewayClose(tr("taken over by '%1' with priority %2")
                                              .arg(event.device.name)
                                              .arg(event.device.priority));
        }
        return;
    }
    // The device closed it itself, or was refused: the client already knows exactly why.
    if (event.kind != GatewayEvent::Kind::Disconnected ||
        event.reason == GatewayEvent::Reason::PeerClosed ||
        event.reason == GatewayEvent::Reason::ConnectRejected)
        return;
    QString why = GatewayEvent::reasonSentence(event.reason);
    if (!event.detail.isEmpty() && event.detail != why)
        why += QStringLiteral(" (%1)").arg(event.detail);
    for (DeviceSessionPage* page : pages()) {
        DeviceSession* session = page->session();
        if (!session->isActive() || session->identity() != event.device)
            continue;
        session->noteGatewayClose(why);
        if (event.reason == GatewayEvent::Reason::Takeover)
            m_takenOver.append(session);
    }
}

void MainWindow::updateTab(DeviceSessionPage* page)
{
    const int index = m_tabs->indexOf(page);
    if (index < 0)
        return;
    const SessionStatus status = page->shownStatus(); // as the page's indicator says
    m_tabs->setTabText(index, page->title());
    // A new icon lays the tab bar out again: only when the state shown changes.
    QTabBar* bar = m_tabs->tabBar();
    if (bar->tabData(index) != QVariant(int(status))) {
        bar->setTabData(index, int(status));
        m_tabs->setTabIcon(index, sessionStatusIcon(status));
    }
    m_tabs->setTabToolTip(
        index, QStringLiteral("%1\n%2").arg(page->identityText(), sessionStatusName(status)));
}

} // namespace fleet
