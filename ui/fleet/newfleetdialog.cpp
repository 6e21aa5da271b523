#include "newfleetdialog.h"

#include "behaviour.h"
#include "modulecatalog.h"
#include "numbercombo.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fleet {

namespace {

constexpr int kMaxPriority = 1000000;
constexpr int kMaxIntervalMs = 3600 * 1000;

QSpinBox* spinBox(int minimum, int maximum, const QString& suffix = {})
{
    auto* box = new QSpinBox;
    box->setRange(minimum, maximum);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

} // namespace

NewFleetDialog::NewFleetDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("New fleet"));
    setObjectName(QStringLiteral("newFleetDialog"));
    m_module = new NumberCombo(tr("module"));
    QList<QPair<quint32, QString>> modules;
    for (quint32 module : ModuleCatalog::knownModules())
        modules.append({module, ModuleCatalog::moduleName(module)});
    m_module->setEntries(modules);
    m_type = spinBox(0, 1000000);
    m_role = new QLineEdit;
    m_name = new QLineEdit;
    m_priority = spinBox(0, kMaxPriority);
    m_count = spinBox(1, FleetModel::kMaxDevices);
    m_count->setObjectName(QStringLiteral("fleetCount"));
    m_count->setValue(10);
    m_behave = new QCheckBox(tr("Behave as the module's device (statuses on change and "
                                "heartbeat, commands applied)"));
    m_behave->setObjectName(QStringLiteral("fleetBehave"));
    m_payload = new QLineEdit;
    m_interval = spinBox(0, kMaxIntervalMs, tr(" ms"));
    m_interval->setObjectName(QStringLiteral("fleetInterval"));
    m_interval->setSpecialValueText(tr("only when started by hand"));
    m_start = new QCheckBox(tr("Connect and start sending now"));
    m_start->setChecked(true);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("fleetError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("&Module"), m_module);
    form->addRow(tr("Device &type"), m_type);
    form->addRow(tr("&Role (each gets -1, -2, …)"), m_role);
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Priority"), m_priority);
    form->addRow(tr("&Devices"), m_count);
    form->addRow(QString(), m_behave);
    form->addRow(tr("P&ayload"), m_payload);
    form->addRow(tr("Send &every"), m_interval);
    form->addRow(QString(), m_start);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create fleet"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &NewFleetDialog::tryAccept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_module, &NumberCombo::numberChanged, this, &NewFleetDialog::onModuleChanged);
    connect(m_type, &QSpinBox::valueChanged, this, &NewFleetDialog::onModuleChanged);
    connect(m_behave, &QCheckBox::toggled, m_payload, &QWidget::setDisabled);
    setSeed(DeviceConfig::exampleButton());
}

void NewFleetDialog::setSeed(const DeviceConfig& device)
{
    m_seed = device;
    m_module->setNumber(device.identity.module);
    m_type->setValue(int(device.identity.deviceType));
    m_role->setText(device.identity.role);
    m_name->setText(device.identity.name);
    m_priority->setValue(int(qMin<quint32>(device.identity.priority, kMaxPriority)));
    m_payload->setText(device.draft.text);
    m_interval->setValue(qMin(device.autoSendIntervalMs, kMaxIntervalMs));
    m_behave->setChecked(!device.behaviour.isNone());
    onModuleChanged();
}

void NewFleetDialog::onModuleChanged()
{
    quint32 module = 0;
    const bool known = m_module->number(&module);
    const bool behaves = known && Behaviour::exists(module, quint32(m_type->value()));
    m_behave->setEnabled(behaves);
    if (!behaves)
        m_behave->setChecked(false);
}

bool NewFleetDialog::fleetTemplate(FleetTemplate* fleet, QString* error) const
{
    FleetTemplate result;
    result.device = m_seed;
    result.device.behaviour = {};
    if (!m_module->number(&result.device.identity.module, error))
        return false;
    result.device.identity.deviceType = quint32(m_type->value());
    result.device.identity.role = m_role->text().trimmed();
    result.device.identity.name = m_name->text();
    result.device.identity.priority = quint32(m_priority->value());
    if (result.device.identity.role.isEmpty()) {
        *error = tr("role: a fleet's devices need a role to suffix");
        return false;
    }
    result.count = m_count->value();
    result.behave = m_behave->isChecked();
    result.intervalMs = m_interval->value();
    result.device.draft.text = m_payload->text();
    *fleet = result;
    return true;
}

bool NewFleetDialog::startAtOnce() const
{
    return m_start->isChecked();
}

void NewFleetDialog::tryAccept()
{
    FleetTemplate fleet;
    QString error;
    if (!fleetTemplate(&fleet, &error)) {
        showError(error);
        return; // the fields stay as typed
    }
    m_error->hide();
    emit fleetRequested(fleet, startAtOnce()); // the receiver accepts or calls showError()
}

void NewFleetDialog::showError(const QString& text)
{
    m_error->setText(text);
    m_error->show();
}

} // namespace fleet
