#pragma once

#include "behaviour.h"

#include <QList>

namespace fleet {

// An IO module board (docs/modules.md#io-module): Arduino Opta (2/1), Mega (2/2), Uno (2/3) or
// the Button (2/4). Inputs are the operator's switches, outputs follow the commands
// (actType 0 off, 1 on, 2 toggle), the Opta's button presses are counted between statuses, and
// the operator can raise an output's error flag. Every status samples everything, numbered
// from 1 as the devices number them.
//
// Two choices the module's public sources leave open are settings: whether commands number
// outputs from 0 (as the module's first command does) or from 1 (as statuses do), and whether
// a command identical to the previous one is applied again (the gateway repeats the last
// command after every status, so applying a repeated toggle flips the output on every round
// trip).
class IoBehaviour final : public Behaviour {
    Q_OBJECT
public:
    static constexpr quint32 kModule = 2;
    static constexpr quint32 kButtonType = 4;
    // The Arduino internal client sends a status every second.
    static constexpr int kDefaultPeriodMs = 1000;

    explicit IoBehaviour(quint32 deviceType, QObject* parent = nullptr);

    static bool supports(quint32 deviceType);
    static int inputCount(quint32 deviceType);
    static int outputCount(quint32 deviceType);

    Kind kind() const override { return Kind::Io; }
    QString title() const override;
    quint32 module() const override { return kModule; }
    quint32 deviceType() const override { return m_type; }

    int inputCount() const { return int(m_inputs.size()); }
    int outputCount() const { return int(m_outputs.size()); }
    // Whether the board has a counted push button (only the Opta counts presses).
    bool countsButtonPresses() const { return m_type == 1; }

    // number is 1-based, as in statuses. Inputs have pull-ups: an open input reads true.
    bool input(int number) const;
    void setInput(int number, bool state);
    bool output(int number) const;
    QString stateText() const override;
    bool outputError(int number) const;
    void setOutputError(int number, bool error);
    // The Opta's button: one press, counted into the next status (other boards report 0).
    void pressButton();
    int pressesSinceStatus() const { return m_presses; }
    // The Button device (2/4): held down reads input 1 false, released true.
    void setButtonHeld(bool held);

    // Output numbering of commands: 0 (outNum 0 is output 1) or 1 (outNum 1 is output 1).
    int outputBase() const { return m_outputBase; }
    void setOutputBase(int base);
    bool applyRepeatedCommands() const { return m_applyRepeated; }
    void setApplyRepeatedCommands(bool on);

    QByteArray status() const override;
    QList<Setting> settings() const override;
    bool setSetting(const QString& key, const QString& value, QString* error = nullptr) override;

protected:
    void advance(qint64, qint64) override {}
    CommandOutcome apply(const QByteArray& command) override;
    void statusTaken() override;

private:
    struct Output {
        bool on = false;
        bool error = false;
    };

    quint32 m_type;
    QList<bool> m_inputs;
    QList<Output> m_outputs;
    int m_presses = 0;
    int m_outputBase = 1;
    bool m_applyRepeated = false;
    QByteArray m_lastCommand; // null before the first command
};

} // namespace fleet
