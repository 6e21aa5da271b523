#include "behaviourpanel.h"

#include "behaviour.h"
#include "behaviourbutton.h"
#include "behaviourdriver.h"
#include "behaviourio.h"
#include "behaviourmap.h"
#include "behaviourmark.h"
#include "behavioursettingsview.h"
#include "behaviourvehicle.h"
#include "buttonface.h"
#include "elidedlabel.h"
#include "ioboardface.h"
#include "modulecatalog.h"
#include "payloadtext.h"
#include "vehicleface.h"

#include <QComboBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace fleet {

BehaviourPanel::BehaviourPanel(DeviceSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_driver(new BehaviourDriver(session, this))
{
    m_choice = new QComboBox;
    m_choice->setObjectName(QStringLiteral("behaviourCombo"));
    m_choice->setToolTip(tr("None: you write every status. A behaviour: the device lives — it "
                            "sends on change and on heartbeat and applies every command."));
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_nextStatus = new ElidedLabel;
    m_nextStatus->setObjectName(QStringLiteral("nextStatus"));
    m_mark = new BehaviourMark;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_mark);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_nextStatus);
    m_mark->setShowsSynced(false); // in sync the composer says so; manual shows here too
    setVisible(false);
    connect(m_mark, &BehaviourMark::backRequested, this, [this] { setManual(false); });
    // A status taken may change the next one (an IO board's press counter starts again).
    connect(m_driver, &BehaviourDriver::statusSent, this, &BehaviourPanel::refreshNextStatus);

    connect(m_choice, &QComboBox::activated, this,
            [this](int index) { setActive(m_choice->itemData(index).toBool()); });
    refreshChoice();
}

BehaviourPanel::~BehaviourPanel()
{
    m_driver->setBehaviour(nullptr);
    // The faces go before the behaviour they show (QWidget would delete them after the
    // members). The choice box belongs to the page's layout and may be gone already.
    while (m_tabs->count() > 0)
        delete m_tabs->widget(0);
}

void BehaviourPanel::setDevice(quint32 module, quint32 deviceType)
{
    if (module == m_module && deviceType == m_deviceType)
        return;
    m_module = module;
    m_deviceType = deviceType;
    if (m_behaviour && (m_behaviour->module() != module || m_behaviour->deviceType() != deviceType))
        setActive(false);
    refreshChoice();
}

void BehaviourPanel::refreshChoice()
{
    const QSignalBlocker blocker(m_choice);
    m_choice->clear();
    m_choice->addItem(tr("None (payload sender)"), false);
    std::unique_ptr<Behaviour> probe = Behaviour::create(m_module, m_deviceType);
    if (probe)
        m_choice->addItem(probe->title(), true);
    m_choice->setCurrentIndex(m_behaviour ? 1 : 0);
    m_choice->setEnabled(probe != nullptr);
    if (!probe)
        m_choice->setToolTip(tr("No behaviour for %1, %2: a payload sender only")
                                 .arg(ModuleCatalog::moduleName(m_module),
                                      ModuleCatalog::deviceTypeName(m_module, m_deviceType)));
}

void BehaviourPanel::setActive(bool on)
{
    if (on != isActive())
        activate(on, nullptr, nullptr);
}

void BehaviourPanel::activate(bool on, const BehaviourConfig* restore, QStringList* problems)
{
    // Quietly: activeChanged() below tells the page what the composer shows now (a device
    // left manual for None keeps the operator's text).
    m_manual = false;
    m_driver->setSendingSuspended(false);
    m_driver->setBehaviour(nullptr);
    while (m_tabs->count() > 0) {
        QWidget* page = m_tabs->widget(0);
        m_tabs->removeTab(0);
        delete page;
    }
    m_face = nullptr;
    m_settings = nullptr;
    m_behaviour.reset();
    if (on)
        m_behaviour = Behaviour::create(m_module, m_deviceType);
    if (m_behaviour && restore)
        restoreInto(*restore, problems); // before the faces: they show what was restored
    if (m_behaviour) {
        Behaviour* behaviour = m_behaviour.get();
        switch (behaviour->kind()) {
        case Behaviour::Kind::Button:
            m_face = new ButtonFace(static_cast<ButtonBehaviour*>(behaviour));
            break;
        case Behaviour::Kind::Io:
            m_face = new IoBoardFace(static_cast<IoBehaviour*>(behaviour));
            break;
        case Behaviour::Kind::Vehicle:
            m_face = new VehicleFace(static_cast<VehicleBehaviour*>(behaviour));
            break;
        }
        m_settings = new BehaviourSettingsView(behaviour);
        m_tabs->addTab(m_face, behaviour->title());
        m_tabs->addTab(m_settings, tr("Settings"));
        connect(behaviour, &Behaviour::changed, this, &BehaviourPanel::refreshNextStatus);
        m_driver->setBehaviour(behaviour);
    }
    m_mark->setMode(m_behaviour ? BehaviourMark::Mode::Synced : BehaviourMark::Mode::Off);
    m_lastStatus.clear();
    setVisible(isActive());
    refreshChoice();
    emit activeChanged(isActive());
    refreshNextStatus();
    refreshConfig();
}

void BehaviourPanel::setManual(bool manual)
{
    manual = manual && isActive();
    if (manual == m_manual)
        return;
    m_manual = manual;
    m_driver->setSendingSuspended(manual);
    m_mark->setMode(manual ? BehaviourMark::Mode::Manual : BehaviourMark::Mode::Synced);
    emit manualChanged(manual); // first: the composer leaves sync before the next status
    m_lastStatus.clear();       // the label's wording changes with the mode
    refreshNextStatus();
    refreshConfig();
}

BehaviourConfig BehaviourPanel::config() const
{
    BehaviourConfig config;
    if (!m_behaviour)
        return config;
    config.name = behaviourKey(m_module, m_deviceType);
    for (const Behaviour::Setting& setting : m_behaviour->settings())
        config.settings.append({setting.key, setting.value});
    if (m_behaviour->kind() == Behaviour::Kind::Vehicle) {
        const auto* vehicle = static_cast<const VehicleBehaviour*>(m_behaviour.get());
        const QString source = vehicle->map().sourceName();
        config.mapFile = source == OsmMap::demoMapFile() ? QString() : source;
        config.route = vehicle->route().name;
    }
    config.manual = m_manual;
    return config;
}

void BehaviourPanel::applyConfig(const BehaviourConfig& config, QStringList* problems)
{
    const QString fits = behaviourKey(m_module, m_deviceType);
    if (!config.isNone() && config.name != fits) {
        problems->append(tr("behaviour \"%1\" is not one this device has (%2)")
                             .arg(config.name, fits.isEmpty() ? tr("none") : fits));
    }
    if (config.isNone() || config.name != fits) {
        setActive(false);
        return;
    }
    activate(true, &config, problems);
    setManual(config.manual);
    refreshConfig();
}

void BehaviourPanel::restoreInto(const BehaviourConfig& config, QStringList* problems)
{
    if (m_behaviour->kind() == Behaviour::Kind::Vehicle) {
        auto* vehicle = static_cast<VehicleBehaviour*>(m_behaviour.get());
        QString error;
        if (!config.mapFile.isEmpty() && !vehicle->loadMap(config.mapFile, {}, &error))
            problems->append(tr("%1; the built-in demo map is used").arg(error));
        if (!config.route.isEmpty() && !vehicle->setMap(vehicle->sharedMap(), config.route, &error))
            problems->append(
                tr("%1; the vehicle starts on \"%2\"").arg(error, vehicle->route().name));
    }
    for (const auto& [key, value] : config.settings) {
        QString error;
        if (!m_behaviour->setSetting(key, value, &error))
            problems->append(tr("setting %1; the default is used").arg(error));
    }
}

void BehaviourPanel::refreshConfig()
{
    const BehaviourConfig current = config();
    if (current == m_lastConfig)
        return;
    m_lastConfig = current;
    emit configChanged();
}

void BehaviourPanel::setStatusTimeoutMs(int timeoutMs)
{
    m_driver->setStatusTimeoutMs(timeoutMs);
}

QString BehaviourPanel::nextStatusText() const
{
    return m_nextStatus->text();
}

void BehaviourPanel::refreshNextStatus()
{
    if (!m_behaviour)
        return;
    refreshConfig(); // a START may have switched the vehicle's route
    const QByteArray status = m_behaviour->status();
    if (status == m_lastStatus)
        return;
    m_lastStatus = status;
    m_nextStatus->setText(
        m_manual ? tr("Paused — the behaviour would send: %1").arg(payloadLine(status, 400))
                 : tr("Next status: %1").arg(payloadLine(status, 400)));
    emit nextStatusChanged(status);
}

} // namespace fleet
