#pragma once

#include <QGroupBox>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace fleet {

class GatewayLink;

// How the embedded gateway behaves, edited in place: the modules it serves, how long its
// module takes to answer, empty answers, and explaining or reference-strict events. Every
// change goes to the server's policy at once (it applies from the next message on).
class GatewayPanelPolicyBox : public QGroupBox {
    Q_OBJECT
public:
    explicit GatewayPanelPolicyBox(GatewayLink* server, QWidget* parent = nullptr);

    // Shows the server's policy (the console or a script may have set it).
    void readPolicy();

    QCheckBox* moduleCheck(quint32 module) const;
    QLineEdit* extraModulesEdit() const { return m_extraModules; }
    QSpinBox* answerDelayBox() const { return m_delay; }
    QCheckBox* emptyAnswersCheck() const { return m_emptyAnswers; }
    QComboBox* modeCombo() const { return m_mode; }

signals:
    // The operator's input cannot become a policy (the previous one stays); empty when fixed.
    void problem(const QString& text);

private:
    void applyPolicy();

    GatewayLink* m_server;
    QList<QCheckBox*> m_moduleChecks;
    QLineEdit* m_extraModules = nullptr;
    QSpinBox* m_delay = nullptr;
    QCheckBox* m_emptyAnswers = nullptr;
    QComboBox* m_mode = nullptr;
};

} // namespace fleet
