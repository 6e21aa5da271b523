#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QPushButton;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

class IoBehaviour;
class Lamp;
class RoundButton;

// An IO board's face (docs/modules.md#io-module): input switches numbered like the hardware
// (checked = high; pull-ups make an open input high), output LEDs lit from the commands with
// an error flag each, the Opta's counted button, and the Button device's one big button.
class IoBoardFace : public QWidget {
    Q_OBJECT
public:
    explicit IoBoardFace(IoBehaviour* behaviour, QWidget* parent = nullptr);

    QToolButton* inputSwitch(int number) const; // 1-based; nullptr when there is none
    Lamp* outputLamp(int number) const;
    QCheckBox* errorCheck(int number) const;
    QPushButton* pressButton() const { return m_press; }

private:
    void refresh();

    QPointer<IoBehaviour> m_behaviour;
    QList<QToolButton*> m_inputs;
    QList<Lamp*> m_outputs;
    QList<QCheckBox*> m_errors;
    QPushButton* m_press = nullptr;
    RoundButton* m_bigButton = nullptr;
    QLabel* m_note = nullptr;
};

} // namespace fleet
