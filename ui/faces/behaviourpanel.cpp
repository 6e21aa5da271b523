#include "behaviourpanel.h"

#include "behaviour.h"
#include "behaviourbutton.h"
#include "behaviourdriver.h"
#include "behaviourio.h"
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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_nextStatus);
    setVisible(false);

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
    if (on == isActive())
        return;
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
        refreshNextStatus();
    }
    setVisible(isActive());
    refreshChoice();
    emit activeChanged(isActive());
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
    const QString text = tr("Next status: %1").arg(payloadLine(m_behaviour->status(), 400));
    if (text != m_nextStatus->text())
        m_nextStatus->setText(text);
}

} // namespace fleet
