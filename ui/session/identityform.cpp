#include "identityform.h"

#include "modulecatalog.h"
#include "numbercombo.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fleet {

namespace {

constexpr int kMaxSpin = 2147483647;

QSpinBox* makeSpin(int minimum, int maximum, const QString& suffix, const QString& tip)
{
    auto* spin = new QSpinBox;
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    spin->setToolTip(tip);
    spin->setAccelerated(true);
    return spin;
}

// A line under a field: red for a problem, grey for a note. Empty lines take no space.
QLabel* makeFieldLine(bool problem)
{
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setStyleSheet(problem ? QStringLiteral("color: #c62828;")
                                 : QStringLiteral("color: palette(mid);"));
    label->hide();
    return label;
}

void showLine(QLabel* label, const QString& text)
{
    label->setText(text);
    label->setToolTip(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

IdentityForm::IdentityForm(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildDeviceGroup());
    layout->addWidget(buildServerGroup());
    layout->addStretch(1);
    // Fields may shrink below their size hints (a priority spin box sizes itself for ten
    // digits): the form has to fit a narrow column next to the composer.
    for (QWidget* field : findChildren<QWidget*>()) {
        if (qobject_cast<QSpinBox*>(field) || qobject_cast<QLineEdit*>(field) ||
            qobject_cast<QComboBox*>(field))
            field->setMinimumWidth(60);
    }

    QList<QPair<quint32, QString>> modules;
    for (quint32 number : ModuleCatalog::knownModules())
        modules.append({number, ModuleCatalog::moduleName(number)});
    m_module->setEntries(modules);
    setConfig(DeviceConfig::exampleButton());
}

QWidget* IdentityForm::buildDeviceGroup()
{
    auto* group = new QGroupBox(tr("Device"));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_module = new NumberCombo(tr("module"));
    m_module->setToolTip(tr("The module this device belongs to. Pick a known module or type "
                            "any number (custom modules travel as their number)."));
    m_deviceType = new NumberCombo(tr("device type"));
    m_deviceType->setToolTip(tr("The device type within the module. Known types are listed; "
                                "any number can be typed."));
    m_role = new QLineEdit;
    m_role->setPlaceholderText(tr("e.g. button, autonomy"));
    m_role->setToolTip(tr("Module, type and role together name the device slot on the "
                          "gateway: two devices with the same three compete for it."));
    m_name = new QLineEdit;
    m_name->setPlaceholderText(tr("a label, not part of the slot"));
    m_priority = makeSpin(0, kMaxSpin, QString(),
                          tr("Smaller number = higher priority; 0 is the highest. A device "
                             "with a higher priority takes over an occupied slot."));

    m_moduleProblem = makeFieldLine(true);
    m_deviceTypeProblem = makeFieldLine(true);
    m_deviceTypeNote = makeFieldLine(false);
    m_moduleProblem->setObjectName(QStringLiteral("moduleProblem"));
    m_deviceTypeProblem->setObjectName(QStringLiteral("deviceTypeProblem"));
    m_deviceTypeNote->setObjectName(QStringLiteral("deviceTypeNote"));

    form->addRow(tr("&Module"), m_module);
    form->addRow(QString(), m_moduleProblem);
    form->addRow(tr("Device &type"), m_deviceType);
    form->addRow(QString(), m_deviceTypeProblem);
    form->addRow(QString(), m_deviceTypeNote);
    form->addRow(tr("&Role"), m_role);
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Priority"), m_priority);

    connect(m_module, &NumberCombo::numberChanged, this, [this] {
        if (!m_updating)
            followModule();
        onEdited();
    });
    connect(m_deviceType, &NumberCombo::numberChanged, this, [this] {
        if (!m_updating)
            showLine(m_deviceTypeNote, QString()); // the operator has chosen since
        onEdited();
    });
    connect(m_role, &QLineEdit::textChanged, this, &IdentityForm::onEdited);
    connect(m_name, &QLineEdit::textChanged, this, &IdentityForm::onEdited);
    connect(m_priority, &QSpinBox::valueChanged, this, &IdentityForm::onEdited);
    return group;
}

QWidget* IdentityForm::buildServerGroup()
{
    auto* group = new QGroupBox(tr("Server"));
    auto* form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_host = new QLineEdit;
    m_host->setToolTip(tr("Host name or IPv4/IPv6 address of the module gateway's internal "
                          "server."));
    m_port = makeSpin(1, 65535, QString(), tr("TCP port of the internal server."));
    m_serverNote = new QLabel;
    m_serverNote->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_embeddedButton = new QPushButton(tr("&Embedded"));
    m_embeddedButton->setToolTip(tr("Connect to the gateway emulator inside this console."));
    m_port8888Button = new QPushButton(QStringLiteral("8888"));
    m_port8888Button->setToolTip(tr("Port 8888: the reference gateway's default."));
    m_port1636Button = new QPushButton(QStringLiteral("1636"));
    m_port1636Button->setToolTip(tr("Port 1636: the reference gateway's container image."));
    auto* presets = new QHBoxLayout;
    presets->setContentsMargins(0, 0, 0, 0);
    for (QPushButton* button : {m_embeddedButton, m_port8888Button, m_port1636Button})
        button->setAutoDefault(false);
    m_port8888Button->setMinimumWidth(40);
    m_port1636Button->setMinimumWidth(40);
    presets->addWidget(m_embeddedButton, 2);
    presets->addWidget(m_port8888Button, 1);
    presets->addWidget(m_port1636Button, 1);

    m_connectTimeout = makeSpin(1, 3600 * 1000, tr(" ms"),
                                tr("How long one connect attempt (TCP connect and the "
                                   "gateway's connect response) may take."));
    m_connectTimeout->setSingleStep(100);
    m_connectAttempts = makeSpin(1, 100, QString(),
                                 tr("Connect attempts before giving up (the reference client "
                                    "makes one)."));
    m_resendAttempts = makeSpin(0, 100, QString(),
                                tr("After a failed status exchange: how many times to reconnect "
                                   "and resend the same status (the reference client: once)."));

    m_hostProblem = makeFieldLine(true);
    m_hostProblem->setObjectName(QStringLiteral("hostProblem"));
    form->addRow(tr("&Host"), m_host);
    form->addRow(QString(), m_hostProblem);
    form->addRow(tr("P&ort"), m_port);
    form->addRow(QString(), presets);
    form->addRow(QString(), m_serverNote);
    // Short labels keep the column narrow; the tooltips say the rest.
    form->addRow(tr("Connect timeout"), m_connectTimeout);
    form->addRow(tr("Attempts"), m_connectAttempts);
    form->addRow(tr("Resends"), m_resendAttempts);

    connect(m_embeddedButton, &QPushButton::clicked, this, [this] {
        setServer(m_embeddedHost, m_embeddedPort, true);
        onEdited();
    });
    connect(m_port8888Button, &QPushButton::clicked, this, [this] {
        setServer(m_host->text().isEmpty() ? QStringLiteral("127.0.0.1") : m_host->text(), 8888,
                  false);
        onEdited();
    });
    connect(m_port1636Button, &QPushButton::clicked, this, [this] {
        setServer(m_host->text().isEmpty() ? QStringLiteral("127.0.0.1") : m_host->text(),
                  kAlternativeGatewayPort, false);
        onEdited();
    });
    // Typing an address by hand means "not the embedded gateway any more".
    auto manualEdit = [this] {
        if (m_updating)
            return;
        m_followEmbedded = false;
        m_serverNote->clear();
        onEdited();
    };
    connect(m_host, &QLineEdit::textEdited, this, manualEdit);
    connect(m_port, &QSpinBox::valueChanged, this, manualEdit);
    connect(m_connectTimeout, &QSpinBox::valueChanged, this, &IdentityForm::onEdited);
    connect(m_connectAttempts, &QSpinBox::valueChanged, this, &IdentityForm::onEdited);
    connect(m_resendAttempts, &QSpinBox::valueChanged, this, &IdentityForm::onEdited);
    return group;
}

void IdentityForm::setConfig(const DeviceConfig& config)
{
    m_updating = true;
    m_module->setNumber(config.identity.module);
    refreshDeviceTypes();
    showLine(m_deviceTypeNote, QString());
    m_deviceType->setNumber(config.identity.deviceType);
    m_role->setText(config.identity.role);
    m_name->setText(config.identity.name);
    m_priority->setValue(int(qMin<quint32>(config.identity.priority, kMaxSpin)));
    m_connectTimeout->setValue(config.connectTimeoutMs);
    m_connectAttempts->setValue(config.connectAttempts);
    m_resendAttempts->setValue(config.resendAttempts);
    m_updating = false;
    if (config.useEmbeddedGateway && !m_embeddedHost.isEmpty())
        setServer(m_embeddedHost, m_embeddedPort, true);
    else
        setServer(config.host, config.port, config.useEmbeddedGateway);
    onEdited();
}

bool IdentityForm::readConfig(DeviceConfig* config, QString* error) const
{
    DeviceConfig result = *config;
    QString problem;
    if (!m_module->number(&result.identity.module, &problem) ||
        !m_deviceType->number(&result.identity.deviceType, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    if (m_host->text().trimmed().isEmpty()) {
        if (error)
            *error = tr("server host: empty, enter a host name or address");
        return false;
    }
    result.identity.role = m_role->text();
    result.identity.name = m_name->text();
    result.identity.priority = quint32(m_priority->value());
    result.host = m_host->text().trimmed();
    result.port = quint16(m_port->value());
    result.useEmbeddedGateway = m_followEmbedded;
    result.connectTimeoutMs = m_connectTimeout->value();
    result.connectAttempts = m_connectAttempts->value();
    result.resendAttempts = m_resendAttempts->value();
    *config = result;
    return true;
}

quint32 IdentityForm::module() const
{
    quint32 value = 0;
    return m_module->number(&value) ? value : 0;
}

quint32 IdentityForm::deviceType() const
{
    quint32 value = 0;
    return m_deviceType->number(&value) ? value : 0;
}

void IdentityForm::setEmbeddedGateway(const QString& host, quint16 port)
{
    m_embeddedHost = host;
    m_embeddedPort = port;
    m_embeddedButton->setEnabled(!host.isEmpty() && m_module->isEnabled());
    m_embeddedButton->setToolTip(host.isEmpty()
                                     ? tr("The embedded gateway is not running.")
                                     : tr("Connect to the gateway emulator inside this console "
                                          "(%1:%2).")
                                           .arg(host)
                                           .arg(port));
    if (m_followEmbedded && !host.isEmpty())
        setServer(host, port, true);
    else if (m_followEmbedded)
        m_serverNote->setText(tr("embedded gateway (not running)"));
}

void IdentityForm::setLocked(bool locked)
{
    const QList<QWidget*> fields{m_module,         m_deviceType,      m_role,
                                 m_name,           m_priority,        m_host,
                                 m_port,           m_port8888Button,  m_port1636Button,
                                 m_connectTimeout, m_connectAttempts, m_resendAttempts};
    for (QWidget* field : fields)
        field->setEnabled(!locked);
    m_embeddedButton->setEnabled(!locked && !m_embeddedHost.isEmpty());
}

QString IdentityForm::problemText() const
{
    return m_problem;
}

QString IdentityForm::deviceTypeNote() const
{
    return m_deviceTypeNote->isHidden() ? QString() : m_deviceTypeNote->text();
}

void IdentityForm::refreshDeviceTypes()
{
    QList<QPair<quint32, QString>> types;
    const ModuleInfo* info = ModuleCatalog::module(module());
    if (info) {
        for (const DeviceTypeInfo& type : info->deviceTypes)
            types.append({type.number, type.name});
    }
    m_deviceType->setEntries(types);
    m_deviceType->lineEdit()->setPlaceholderText(
        info && info->acceptsAnyDeviceType ? tr("any number") : tr("a number"));
}

// The operator picked another module: a type picked from the old module's list follows to the
// new module's first type; a number the operator typed stays, with a note when the new module
// does not know it (custom types are legal, docs/protocol.md#schema).
void IdentityForm::followModule()
{
    quint32 type = 0;
    const bool hadType = m_deviceType->number(&type);
    const bool wasListed = hadType && m_deviceType->findData(type) >= 0;
    const QString oldName = m_deviceType->currentText();
    refreshDeviceTypes();
    const ModuleInfo* info = ModuleCatalog::module(module());
    if (!hadType || !info || info->acceptsAnyDeviceType || info->deviceTypes.isEmpty() ||
        m_deviceType->findData(type) >= 0) {
        showLine(m_deviceTypeNote, QString());
        return;
    }
    if (wasListed) {
        const DeviceTypeInfo& first = info->deviceTypes.first();
        m_deviceType->setNumber(first.number);
        showLine(m_deviceTypeNote, tr("Device type follows the module: %1 (was %2).")
                                       .arg(m_deviceType->currentText(), oldName));
        return;
    }
    showLine(m_deviceTypeNote,
             tr("%1 is not a known type of %2; kept as typed.").arg(type).arg(info->name));
}

void IdentityForm::showFieldProblems()
{
    QString moduleProblem;
    QString typeProblem;
    quint32 unused = 0;
    m_module->number(&unused, &moduleProblem);
    m_deviceType->number(&unused, &typeProblem);
    const QString hostProblem = m_host->text().trimmed().isEmpty()
                                    ? tr("server host: empty, enter a host name or address")
                                    : QString();
    showLine(m_moduleProblem, moduleProblem);
    showLine(m_deviceTypeProblem, typeProblem);
    showLine(m_hostProblem, hostProblem);
}

void IdentityForm::setServer(const QString& host, quint16 port, bool followEmbedded)
{
    m_updating = true;
    m_host->setText(host);
    m_port->setValue(port);
    m_updating = false;
    m_followEmbedded = followEmbedded;
    m_serverNote->setText(followEmbedded ? tr("→ the embedded gateway") : QString());
}

void IdentityForm::onEdited()
{
    if (m_updating)
        return;
    DeviceConfig probe;
    QString problem;
    m_problem = readConfig(&probe, &problem) ? QString() : problem;
    showFieldProblems();
    emit changed();
    emit deviceKindChanged(module(), deviceType());
}

} // namespace fleet
