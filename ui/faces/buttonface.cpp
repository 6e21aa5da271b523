#include "buttonface.h"

#include "behaviourbutton.h"
#include "lamp.h"
#include "roundbutton.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace fleet {

ButtonFace::ButtonFace(ButtonBehaviour* behaviour, QWidget* parent)
    : QWidget(parent)
    , m_behaviour(behaviour)
{
    m_button = new RoundButton(tr("PUSH"));
    m_button->setObjectName(QStringLiteral("faceButton"));
    m_button->setToolTip(tr("Hold to press; the status {\"pressed\": true} goes out at once."));
    m_latch = new QCheckBox(tr("Latch (a click presses or releases)"));
    m_lamp = new Lamp(tr("Lamp"));
    m_lamp->setObjectName(QStringLiteral("faceLamp"));
    m_lamp->setDiameter(56);
    m_lamp->setToolTip(tr("Lit by the command {\"lit_up\": true}; the example module lights it "
                          "while the button is released."));
    m_state = new QLabel;
    m_state->setWordWrap(true);

    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_button);
    row->addSpacing(24);
    row->addWidget(m_lamp, 0, Qt::AlignVCenter);
    row->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_latch);
    layout->addWidget(m_state);
    layout->addStretch();

    connect(m_button, &RoundButton::pressed, this, [this] {
        if (m_behaviour && !m_latch->isChecked())
            m_behaviour->setPressed(true);
    });
    connect(m_button, &RoundButton::released, this, [this] {
        if (m_behaviour && !m_latch->isChecked())
            m_behaviour->setPressed(false);
    });
    connect(m_button, &RoundButton::clicked, this, [this] {
        if (m_behaviour && m_latch->isChecked())
            m_behaviour->setPressed(!m_behaviour->isPressed());
    });
    connect(behaviour, &Behaviour::changed, this, &ButtonFace::refresh);
    refresh();
}

void ButtonFace::refresh()
{
    if (!m_behaviour)
        return;
    m_button->setShownDown(m_behaviour->isPressed());
    m_lamp->setOn(m_behaviour->isLit());
    QString text = m_behaviour->isPressed() ? tr("Pressed") : tr("Released");
    text += m_behaviour->isLit() ? tr(" · lamp on") : tr(" · lamp off");
    if (!m_behaviour->lastCommandNote().isEmpty())
        text += tr(" · last command: %1").arg(m_behaviour->lastCommandNote());
    m_state->setText(text);
}

} // namespace fleet
