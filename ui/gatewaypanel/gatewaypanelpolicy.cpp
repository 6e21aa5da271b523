#include "gatewaypanelpolicy.h"

#include "gatewaylink.h"
#include "modulecatalog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>

namespace fleet {

GatewayPanelPolicyBox::GatewayPanelPolicyBox(GatewayLink* server, QWidget* parent)
    : QGroupBox(tr("Behaviour"), parent)
    , m_server(server)
{
    auto* modules = new QHBoxLayout;
    for (quint32 module : ModuleCatalog::knownModules()) {
        auto* check = new QCheckBox(
            QStringLiteral("%1 (%2)").arg(ModuleCatalog::moduleName(module)).arg(module));
        check->setProperty("module", module);
        connect(check, &QCheckBox::toggled, this, &GatewayPanelPolicyBox::applyPolicy);
        m_moduleChecks.append(check);
        modules->addWidget(check);
    }
    m_extraModules = new QLineEdit;
    m_extraModules->setPlaceholderText(tr("other module numbers, e.g. 1001, 1002"));
    m_extraModules->setToolTip(tr("Custom modules the gateway serves: it accepts their devices "
                                  "and answers with the default command."));
    connect(m_extraModules, &QLineEdit::editingFinished, this, &GatewayPanelPolicyBox::applyPolicy);
    modules->addWidget(m_extraModules, 1);

    m_delay = new QSpinBox;
    m_delay->setRange(0, 60'000);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setToolTip(tr("How long the emulated module takes to answer a status. Above the "
                           "gateway's %1 ms deadline the connection closes without an answer, "
                           "as the reference gateway does.")
                            .arg(kReferenceAnswerDeadlineMs));
    connect(m_delay, &QSpinBox::valueChanged, this, &GatewayPanelPolicyBox::applyPolicy);
    m_emptyAnswers = new QCheckBox(tr("Answer with empty commands (push-only devices)"));
    connect(m_emptyAnswers, &QCheckBox::toggled, this, &GatewayPanelPolicyBox::applyPolicy);
    m_mode = new QComboBox;
    m_mode->addItem(tr("Explaining: say why a status gets no answer"), true);
    m_mode->addItem(tr("Reference-strict: silent drops, as the reference gateway"), false);
    m_mode->setToolTip(tr("On the wire both modes behave as the reference gateway; they differ "
                          "in what the event log tells."));
    connect(m_mode, &QComboBox::currentIndexChanged, this, &GatewayPanelPolicyBox::applyPolicy);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Modules"), modules);
    auto* delayRow = new QHBoxLayout;
    delayRow->addWidget(m_delay);
    delayRow->addWidget(m_emptyAnswers, 1);
    form->addRow(tr("Answer delay"), delayRow);
    form->addRow(tr("Events"), m_mode);
    readPolicy();
}

void GatewayPanelPolicyBox::readPolicy()
{
    const GatewayPolicy policy = m_server->policy();
    QStringList extra;
    for (quint32 module : policy.supportedModules) {
        if (!moduleCheck(module))
            extra.append(QString::number(module));
    }
    // Showing the policy must not write it back half-read.
    const QSignalBlocker blockDelay(m_delay);
    const QSignalBlocker blockEmpty(m_emptyAnswers);
    const QSignalBlocker blockMode(m_mode);
    const QSignalBlocker blockExtra(m_extraModules);
    for (QCheckBox* check : std::as_const(m_moduleChecks)) {
        const QSignalBlocker blockCheck(check);
        check->setChecked(policy.supportedModules.contains(check->property("module").toUInt()));
    }
    m_extraModules->setText(extra.join(QStringLiteral(", ")));
    m_delay->setValue(policy.answerDelayMs);
    m_emptyAnswers->setChecked(policy.emptyAnswers);
    m_mode->setCurrentIndex(m_mode->findData(policy.explainSilentDrops));
}

void GatewayPanelPolicyBox::applyPolicy()
{
    GatewayPolicy policy = m_server->policy();
    QList<quint32> modules;
    for (const QCheckBox* check : std::as_const(m_moduleChecks)) {
        if (check->isChecked())
            modules.append(check->property("module").toUInt());
    }
    const QStringList tokens = m_extraModules->text().split(
        QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (const QString& token : tokens) {
        bool ok = false;
        const uint module = token.toUInt(&ok);
        if (!ok) {
            // The previous policy stays, and the text stays for the operator to fix.
            emit problem(tr("'%1' is no module number: other modules are numbers such as "
                            "1001, separated by commas")
                             .arg(token));
            return;
        }
        if (!modules.contains(module))
            modules.append(module);
    }
    policy.supportedModules = modules;
    policy.answerDelayMs = m_delay->value();
    policy.emptyAnswers = m_emptyAnswers->isChecked();
    policy.explainSilentDrops = m_mode->currentData().toBool();
    m_server->setPolicy(policy);
    emit problem({});
}

QCheckBox* GatewayPanelPolicyBox::moduleCheck(quint32 module) const
{
    for (QCheckBox* check : m_moduleChecks) {
        if (check->property("module").toUInt() == module)
            return check;
    }
    return nullptr;
}

} // namespace fleet
