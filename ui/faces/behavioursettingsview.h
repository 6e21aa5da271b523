#pragma once

#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QFormLayout;
class QLabel;
QT_END_NAMESPACE

namespace fleet {

class Behaviour;

// A behaviour's settings, visible and editable: the [open] choices of
// docs/modules.md#device-behaviour among them. Choices are combo boxes, numbers line edits;
// each says why it is a choice in its tooltip. A value the behaviour refuses is reported
// under the form and the field shows the behaviour's value again.
class BehaviourSettingsView : public QWidget {
    Q_OBJECT
public:
    explicit BehaviourSettingsView(Behaviour* behaviour, QWidget* parent = nullptr);

    // The editor of a setting (QComboBox or QLineEdit); nullptr for unknown keys.
    QWidget* editor(const QString& key) const;
    QString message() const;

private:
    void apply(const QString& key, const QString& value);
    void rebuild();

    QPointer<Behaviour> m_behaviour;
    QFormLayout* m_form = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace fleet
