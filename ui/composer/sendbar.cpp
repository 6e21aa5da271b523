#include "sendbar.h"

#include "deviceconfig.h"
#include "elidedlabel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fleet {

SendBar::SendBar(QWidget* parent)
    : QWidget(parent)
{
    m_timeout = new QSpinBox;
    m_timeout->setRange(0, 3600 * 1000);
    m_timeout->setSingleStep(100);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setAccelerated(true);
    m_timeout->setToolTip(tr("How long to wait for the command that answers this status (per "
                             "attempt; a failed attempt reconnects and resends)."));
    m_timeout->setValue(kDefaultStatusTimeoutMs);
    m_send = new QPushButton(tr("Send"));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setDefault(true);
    m_send->setIcon(QIcon(QStringLiteral(":/icons/send.svg")));
    m_sendAnyway = new QPushButton(tr("Send anyway"));
    m_sendAnyway->setObjectName(QStringLiteral("sendAnywayButton"));
    m_sendAnyway->setToolTip(tr("Send the payload despite the errors above, e.g. to see how a "
                                "gateway treats bad data (Ctrl+Shift+Return)."));
    m_sendAnyway->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_sendAnyway->hide();
    m_autoSend = new QCheckBox(tr("Auto-send every"));
    m_autoSend->setToolTip(tr("Send the editor's status again and again, so the device stays "
                              "connected to a real gateway (Ctrl+R). Stops on the first error."));
    m_interval = new QSpinBox;
    m_interval->setRange(1, 3600 * 1000);
    m_interval->setSingleStep(100);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setAccelerated(true);
    m_interval->setValue(kDefaultAutoSendIntervalMs);
    m_autoInfo = new ElidedLabel;
    m_autoInfo->setObjectName(QStringLiteral("autoSendInfo"));

    auto* grid = new QVBoxLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* sendRow = new QHBoxLayout;
    sendRow->addWidget(new QLabel(tr("Answer timeout")));
    sendRow->addWidget(m_timeout);
    sendRow->addStretch(1);
    sendRow->addWidget(m_sendAnyway);
    sendRow->addWidget(m_send);
    auto* autoRow = new QHBoxLayout;
    autoRow->addWidget(m_autoSend);
    autoRow->addWidget(m_interval);
    autoRow->addWidget(m_autoInfo, 1);
    grid->addLayout(sendRow);
    grid->addLayout(autoRow);

    connect(m_send, &QPushButton::clicked, this, [this] { emit sendRequested(false); });
    connect(m_sendAnyway, &QPushButton::clicked, this, [this] { emit sendRequested(true); });
    connect(m_autoSend, &QCheckBox::toggled, this, &SendBar::autoSendToggled);
    connect(m_timeout, &QSpinBox::valueChanged, this, &SendBar::valuesChanged);
    connect(m_interval, &QSpinBox::valueChanged, this, &SendBar::valuesChanged);
}

int SendBar::timeoutMs() const
{
    return m_timeout->value();
}

void SendBar::setTimeoutMs(int timeoutMs)
{
    m_timeout->setValue(timeoutMs);
}

int SendBar::intervalMs() const
{
    return m_interval->value();
}

void SendBar::setIntervalMs(int intervalMs)
{
    m_interval->setValue(intervalMs);
}

void SendBar::setSendState(bool available, const QString& unavailableReason, bool decoded,
                           bool errors)
{
    m_send->setEnabled(available && decoded && !errors);
    m_sendAnyway->setVisible(errors && decoded);
    m_sendAnyway->setEnabled(available && decoded && errors);
    QString tip;
    if (!available)
        tip = unavailableReason;
    else if (errors)
        tip = tr("The payload has errors (see above); use Send anyway to send it regardless.");
    else
        tip = tr("Send this status and wait for its command (Ctrl+Return).");
    m_send->setToolTip(tip);
}

void SendBar::setAutoSendState(bool running, const QString& info)
{
    {
        QSignalBlocker blocker(m_autoSend);
        m_autoSend->setChecked(running);
    }
    m_interval->setEnabled(!running);
    m_autoInfo->setText(info);
}

QString SendBar::autoSendInfo() const
{
    return m_autoInfo->text();
}

} // namespace fleet
