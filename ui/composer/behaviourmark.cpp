#include "behaviourmark.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace fleet {

BehaviourMark::BehaviourMark(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("behaviourMark"));
    m_label = new QLabel;
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_back = new QPushButton(tr("Back to behaviour"));
    m_back->setObjectName(QStringLiteral("backToBehaviour"));
    m_back->setAutoDefault(false);
    m_back->setToolTip(tr("The behaviour sends its statuses again; the composer shows the next "
                          "one (your text stays in Undo)."));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_back);
    connect(m_back, &QPushButton::clicked, this, &BehaviourMark::backRequested);
    setMode(Mode::Off);
}

void BehaviourMark::setMode(Mode mode)
{
    m_mode = mode;
    switch (mode) {
    case Mode::Off:
        m_label->clear();
        break;
    case Mode::Synced:
        // One short line: the composer shares a 768-pixel-high screen with the docks.
        m_label->setText(tr("The behaviour's next status — edit it to send your own"));
        setToolTip(tr("In sync: the composer shows the status the behaviour sends next, byte "
                      "for byte, and Send sends it now. Editing it makes the device manual."));
        setStyleSheet(QStringLiteral("#behaviourMark { background: #e8f1fb; border: 1px solid "
                                     "#90b4dc; border-radius: 4px; } QLabel { color: #1f4e79; }"));
        break;
    case Mode::Manual:
        m_label->setText(tr("Manual — the behaviour's statuses are paused"));
        setToolTip(tr("Send and auto-send send the typed bytes; commands still reach the "
                      "behaviour and its face follows them. Back to behaviour shows its next "
                      "status here and sends it."));
        setStyleSheet(QStringLiteral("#behaviourMark { background: #fff3cd; border: 1px solid "
                                     "#b26a00; border-radius: 4px; } QLabel { color: #6b3f00; "
                                     "font-weight: bold; }"));
        break;
    }
    m_back->setVisible(mode == Mode::Manual);
    setVisible(mode == Mode::Manual || (mode == Mode::Synced && m_showsSynced));
}

void BehaviourMark::setShowsSynced(bool shows)
{
    m_showsSynced = shows;
    setMode(m_mode);
}

QString BehaviourMark::text() const
{
    return isHidden() ? QString() : m_label->text();
}

} // namespace fleet
