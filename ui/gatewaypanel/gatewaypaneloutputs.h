#pragma once

#include <QByteArray>
#include <QList>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QHBoxLayout;
class QLabel;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

// One button per output of the selected IO board (docs/modules.md#io-module), numbered like
// the hardware (1 …): a click toggles the output, the button's menu switches it on or off.
// Each makes the one-entry command [{"outNum":n,"actType":t}] (actType 0 off, 1 on, 2 toggle)
// and hands it to the panel, which queues it like a typed command. Whether commands count
// outputs from 0 or from 1 is not public (the module's first command uses 0, statuses 1), so
// the base is the operator's visible choice, 1 by default as in the console's IO behaviour.
class GatewayPanelOutputs : public QWidget {
    Q_OBJECT
public:
    enum class Action { Off = 0, On = 1, Toggle = 2 }; // the module's actType numbers

    explicit GatewayPanelOutputs(QWidget* parent = nullptr);

    // Shows a button per output of IO boards (module 2), nothing for other devices. Returns
    // whether the row has buttons (the Button device, 2/4, has no outputs).
    bool setDevice(quint32 module, quint32 deviceType);
    int outputCount() const { return int(m_buttons.size()); }

    // outNum of the first output: 0 or 1.
    int outputBase() const;
    void setOutputBase(int base);

    // The command for output `number` (1-based, as on the board) with the chosen base.
    QByteArray command(int number, Action action) const;
    static QByteArray command(int number, Action action, int base);

    // What clicking output `number`'s button or its menu entry does (tests, shortcuts).
    void trigger(int number, Action action);
    QToolButton* button(int number) const; // 1-based; nullptr when there is none

signals:
    void commandChosen(const QByteArray& command, const QString& description);

private:
    QHBoxLayout* m_row = nullptr;
    QList<QToolButton*> m_buttons;
    QComboBox* m_base = nullptr;
};

} // namespace fleet
