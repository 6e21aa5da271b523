#include "ioboardface.h"

#include "behaviourio.h"
#include "lamp.h"
#include "roundbutton.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace fleet {

IoBoardFace::IoBoardFace(IoBehaviour* behaviour, QWidget* parent)
    : QWidget(parent)
    , m_behaviour(behaviour)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* inputsBox = new QGroupBox(tr("Inputs (checked = high)"));
    auto* inputs = new QHBoxLayout(inputsBox);
    for (int i = 1; i <= behaviour->inputCount(); ++i) {
        auto* input = new QToolButton;
        input->setObjectName(QStringLiteral("input%1").arg(i));
        input->setText(QString::number(i));
        input->setCheckable(true);
        input->setMinimumSize(34, 30);
        input->setToolTip(tr("Input %1: pull-up, so an open input reads high (true)").arg(i));
        connect(input, &QToolButton::toggled, this, [this, i](bool on) {
            if (m_behaviour)
                m_behaviour->setInput(i, on);
        });
        inputs->addWidget(input);
        m_inputs.append(input);
    }
    inputs->addStretch();
    layout->addWidget(inputsBox);

    if (behaviour->outputCount() > 0) {
        auto* outputsBox = new QGroupBox(tr("Outputs (from commands) and error flags"));
        auto* outputs = new QGridLayout(outputsBox);
        for (int i = 1; i <= behaviour->outputCount(); ++i) {
            auto* lamp = new Lamp(QString::number(i));
            lamp->setObjectName(QStringLiteral("output%1").arg(i));
            lamp->setColor(QColor(40, 200, 60));
            lamp->setDiameter(20);
            auto* error = new QCheckBox(tr("err"));
            error->setToolTip(tr("Report output %1 with outErr true").arg(i));
            connect(error, &QCheckBox::toggled, this, [this, i](bool on) {
                if (m_behaviour)
                    m_behaviour->setOutputError(i, on);
            });
            outputs->addWidget(lamp, 0, i - 1, Qt::AlignHCenter);
            outputs->addWidget(error, 1, i - 1, Qt::AlignHCenter);
            m_outputs.append(lamp);
            m_errors.append(error);
        }
        outputs->setColumnStretch(behaviour->outputCount(), 1);
        layout->addWidget(outputsBox);
    }

    if (behaviour->countsButtonPresses()) {
        m_press = new QPushButton(tr("Press the board's button"));
        m_press->setObjectName(QStringLiteral("pressButton"));
        m_press->setToolTip(tr("Counted into butPr of the next status"));
        connect(m_press, &QPushButton::clicked, this, [this] {
            if (m_behaviour)
                m_behaviour->pressButton();
        });
        layout->addWidget(m_press);
    } else if (behaviour->deviceType() == IoBehaviour::kButtonType) {
        m_bigButton = new RoundButton(tr("PUSH"));
        m_bigButton->setToolTip(tr("Hold: input 1 reads false while pressed"));
        connect(m_bigButton, &RoundButton::pressed, this, [this] {
            if (m_behaviour)
                m_behaviour->setButtonHeld(true);
        });
        connect(m_bigButton, &RoundButton::released, this, [this] {
            if (m_behaviour)
                m_behaviour->setButtonHeld(false);
        });
        layout->addWidget(m_bigButton, 0, Qt::AlignHCenter);
    }
    m_note = new QLabel;
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    layout->addStretch();

    connect(behaviour, &Behaviour::changed, this, &IoBoardFace::refresh);
    refresh();
}

QToolButton* IoBoardFace::inputSwitch(int number) const
{
    return number >= 1 && number <= m_inputs.size() ? m_inputs.at(number - 1) : nullptr;
}

Lamp* IoBoardFace::outputLamp(int number) const
{
    return number >= 1 && number <= m_outputs.size() ? m_outputs.at(number - 1) : nullptr;
}

QCheckBox* IoBoardFace::errorCheck(int number) const
{
    return number >= 1 && number <= m_errors.size() ? m_errors.at(number - 1) : nullptr;
}

void IoBoardFace::refresh()
{
    if (!m_behaviour)
        return;
    for (int i = 1; i <= m_inputs.size(); ++i) {
        QToolButton* input = m_inputs.at(i - 1);
        const QSignalBlocker blocker(input);
        input->setChecked(m_behaviour->input(i));
        // The arrow says high or low whatever the style makes of a checked tool button.
        input->setText(QStringLiteral("%1 %2").arg(i).arg(m_behaviour->input(i) ? QChar(0x2191)
                                                                                : QChar(0x2193)));
    }
    for (int i = 1; i <= m_outputs.size(); ++i) {
        m_outputs.at(i - 1)->setOn(m_behaviour->output(i));
        m_outputs.at(i - 1)->setError(m_behaviour->outputError(i));
        const QSignalBlocker blocker(m_errors.at(i - 1));
        m_errors.at(i - 1)->setChecked(m_behaviour->outputError(i));
    }
    if (m_press)
        m_press->setText(tr("Press the board's button (%1 since the last status)")
                             .arg(m_behaviour->pressesSinceStatus()));
    if (m_bigButton)
        m_bigButton->setShownDown(!m_behaviour->input(1));
    m_note->setText(m_behaviour->lastCommandNote().isEmpty()
                        ? tr("No command yet.")
                        : tr("Last command: %1").arg(m_behaviour->lastCommandNote()));
}

} // namespace fleet
