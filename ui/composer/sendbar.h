#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace fleet {

class ElidedLabel;

// The composer's bottom rows: the answer timeout, Send and (only while the payload has
// errors) Send anyway, and the auto-send checkbox with its interval and running count.
class SendBar : public QWidget {
    Q_OBJECT
public:
    explicit SendBar(QWidget* parent = nullptr);

    int timeoutMs() const;
    void setTimeoutMs(int timeoutMs);
    int intervalMs() const;
    void setIntervalMs(int intervalMs);

    // available: the session takes a status now (else unavailableReason is Send's tooltip);
    // decoded: the editor content parses; errors: validation found errors.
    void setSendState(bool available, const QString& unavailableReason, bool decoded, bool errors);
    void setAutoSendState(bool running, const QString& info);
    QString autoSendInfo() const;

    QPushButton* sendButton() const { return m_send; }
    QPushButton* sendAnywayButton() const { return m_sendAnyway; }
    QCheckBox* autoSendCheck() const { return m_autoSend; }

signals:
    void sendRequested(bool anyway);
    void autoSendToggled(bool on);
    void valuesChanged(); // timeout or interval edited

private:
    QSpinBox* m_timeout = nullptr;
    QPushButton* m_send = nullptr;
    QPushButton* m_sendAnyway = nullptr;
    QCheckBox* m_autoSend = nullptr;
    QSpinBox* m_interval = nullptr;
    ElidedLabel* m_autoInfo = nullptr;
};

} // namespace fleet
