#pragma once

#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
QT_END_NAMESPACE

namespace fleet {

class ButtonBehaviour;
class Lamp;
class RoundButton;

// The example button's face (docs/modules.md#example-module): a big round button the operator
// holds (or latches) and the lamp the module's command lights.
class ButtonFace : public QWidget {
    Q_OBJECT
public:
    explicit ButtonFace(ButtonBehaviour* behaviour, QWidget* parent = nullptr);

    RoundButton* button() const { return m_button; }
    Lamp* lamp() const { return m_lamp; }
    QCheckBox* latchCheck() const { return m_latch; }

private:
    void refresh();

    QPointer<ButtonBehaviour> m_behaviour;
    RoundButton* m_button = nullptr;
    QCheckBox* m_latch = nullptr;
    Lamp* m_lamp = nullptr;
    QLabel* m_state = nullptr;
};

} // namespace fleet
