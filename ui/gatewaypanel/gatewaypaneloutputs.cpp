#include "gatewaypaneloutputs.h"

#include "behaviourio.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>

namespace fleet {

namespace {

QString actionName(GatewayPanelOutputs::Action action)
{
    switch (action) {
    case GatewayPanelOutputs::Action::Off:
        return GatewayPanelOutputs::tr("off");
    case GatewayPanelOutputs::Action::On:
        return GatewayPanelOutputs::tr("on");
    case GatewayPanelOutputs::Action::Toggle:
        return GatewayPanelOutputs::tr("toggle");
    }
    return {};
}

} // namespace

GatewayPanelOutputs::GatewayPanelOutputs(QWidget* parent)
    : QWidget(parent)
{
    m_base = new QComboBox;
    m_base->addItem(tr("outNum from 1"), 1);
    m_base->addItem(tr("outNum from 0"), 0);
    m_base->setToolTip(tr("How commands number the outputs. Statuses count from 1, the module's "
                          "first command from 0; which the firmware reads is not public, so "
                          "match the device's own setting."));
    m_row = new QHBoxLayout;
    m_row->setContentsMargins(0, 0, 0, 0);
    m_row->setSpacing(2);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Outputs")));
    layout->addLayout(m_row);
    layout->addStretch(1);
    layout->addWidget(m_base);
    setVisible(false);
}

bool GatewayPanelOutputs::setDevice(quint32 module, quint32 deviceType)
{
    qDeleteAll(m_buttons);
    m_buttons.clear();
    const int outputs = module == IoBehaviour::kModule ? IoBehaviour::outputCount(deviceType) : 0;
    for (int number = 1; number <= outputs; ++number) {
        auto* button = new QToolButton;
        button->setObjectName(QStringLiteral("output%1").arg(number));
        button->setText(QString::number(number));
        button->setToolTip(
            tr("Queue a toggle of output %1; the arrow queues on or off").arg(number));
        button->setPopupMode(QToolButton::MenuButtonPopup);
        auto* menu = new QMenu(button);
        for (Action action : {Action::On, Action::Off, Action::Toggle}) {
            QAction* item = menu->addAction(tr("Output %1 %2").arg(number).arg(actionName(action)));
            connect(item, &QAction::triggered, this,
                    [this, number, action] { trigger(number, action); });
        }
        button->setMenu(menu);
        connect(button, &QToolButton::clicked, this,
                [this, number] { trigger(number, Action::Toggle); });
        m_row->addWidget(button);
        m_buttons.append(button);
    }
    setVisible(outputs > 0);
    return outputs > 0;
}

int GatewayPanelOutputs::outputBase() const
{
    return m_base->currentData().toInt();
}

void GatewayPanelOutputs::setOutputBase(int base)
{
    m_base->setCurrentIndex(m_base->findData(base == 0 ? 0 : 1));
}

QByteArray GatewayPanelOutputs::command(int number, Action action, int base)
{
    // The module's key order and no spaces, as its first command writes them.
    return "[{\"outNum\":" + QByteArray::number(number - 1 + base) +
           ",\"actType\":" + QByteArray::number(int(action)) + "}]";
}

QByteArray GatewayPanelOutputs::command(int number, Action action) const
{
    return command(number, action, outputBase());
}

void GatewayPanelOutputs::trigger(int number, Action action)
{
    if (number < 1 || number > m_buttons.size())
        return;
    emit commandChosen(command(number, action),
                       tr("output %1 %2").arg(number).arg(actionName(action)));
}

QToolButton* GatewayPanelOutputs::button(int number) const
{
    return number >= 1 && number <= m_buttons.size() ? m_buttons.at(number - 1) : nullptr;
}

} // namespace fleet
