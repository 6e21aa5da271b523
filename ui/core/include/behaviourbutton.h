#pragma once

#include "behaviour.h"

namespace fleet {

// The example module's button (docs/modules.md#example-module): pressed or released by the
// operator, its lamp lit by the command {"lit_up": true}. It sends {"pressed": true} or
// {"pressed": false}, byte for byte as the module demands, on every change and every
// heartbeat (5 s, as the module's example client).
class ButtonBehaviour final : public Behaviour {
    Q_OBJECT
public:
    static constexpr quint32 kModule = 1000;
    static constexpr quint32 kDeviceType = 0;
    static constexpr int kDefaultPeriodMs = 5000;

    explicit ButtonBehaviour(QObject* parent = nullptr);

    Kind kind() const override { return Kind::Button; }
    QString title() const override { return tr("Example button"); }
    quint32 module() const override { return kModule; }
    quint32 deviceType() const override { return kDeviceType; }

    bool isPressed() const { return m_pressed; }
    void setPressed(bool pressed);
    // Whether the last command lit the lamp (dark until a command says otherwise).
    bool isLit() const { return m_lit; }
    QString stateText() const override
    {
        return m_lit ? QStringLiteral("lamp on") : QStringLiteral("lamp off");
    }

    QByteArray status() const override;
    QList<Setting> settings() const override;

protected:
    void advance(qint64, qint64) override {}
    CommandOutcome apply(const QByteArray& command) override;

private:
    bool m_pressed = false;
    bool m_lit = false;
};

} // namespace fleet
