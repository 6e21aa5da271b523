#include "behavioursettingsview.h"

#include "behaviour.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace fleet {

BehaviourSettingsView::BehaviourSettingsView(Behaviour* behaviour, QWidget* parent)
    : QWidget(parent)
    , m_behaviour(behaviour)
{
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_message = new QLabel;
    m_message->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addWidget(m_message);
    rebuild();
}

QWidget* BehaviourSettingsView::editor(const QString& key) const
{
    return findChild<QWidget*>(QStringLiteral("setting_") + key);
}

QString BehaviourSettingsView::message() const
{
    return m_message->text();
}

void BehaviourSettingsView::rebuild()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    if (!m_behaviour)
        return;
    for (const Behaviour::Setting& setting : m_behaviour->settings()) {
        QWidget* field = nullptr;
        if (!setting.choices.isEmpty()) {
            auto* combo = new QComboBox;
            combo->addItems(setting.choices);
            combo->setCurrentText(setting.value);
            connect(combo, &QComboBox::activated, this,
                    [this, combo, key = setting.key] { apply(key, combo->currentText()); });
            field = combo;
        } else {
            auto* edit = new QLineEdit(setting.value);
            connect(edit, &QLineEdit::editingFinished, this,
                    [this, edit, key = setting.key] { apply(key, edit->text()); });
            field = edit;
        }
        field->setObjectName(QStringLiteral("setting_") + setting.key);
        field->setToolTip(setting.help);
        auto* label = new QLabel(setting.label);
        label->setToolTip(setting.help);
        m_form->addRow(label, field);
    }
}

void BehaviourSettingsView::apply(const QString& key, const QString& value)
{
    if (!m_behaviour)
        return;
    QString error;
    if (!m_behaviour->setSetting(key, value, &error)) {
        m_message->setText(tr("Not changed: %1").arg(error));
    } else {
        m_message->clear();
    }
    // Show what the behaviour holds now (its own spelling, or the old value after an error).
    for (const Behaviour::Setting& setting : m_behaviour->settings()) {
        if (setting.key != key)
            continue;
        if (auto* combo = qobject_cast<QComboBox*>(editor(key)))
            combo->setCurrentText(setting.value);
        else if (auto* edit = qobject_cast<QLineEdit*>(editor(key)))
            edit->setText(setting.value);
    }
}

} // namespace fleet
