#include "demotourbar.h"

#include "demotour.h"

#include <QBoxLayout>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>

namespace fleet {

DemoTourBar::DemoTourBar(DemoTour* tour, QWidget* parent)
    : QDockWidget(tr("Demo tour"), parent)
{
    m_tour = tour;
    setObjectName(QStringLiteral("demoTour"));
    // A bar, not a panel: it stays where it is and closes through its own button.
    setFeatures(QDockWidget::NoDockWidgetFeatures);
    setTitleBarWidget(new QWidget(this));

    auto* content = new QWidget;
    content->setObjectName(QStringLiteral("demoTourContent"));
    content->setAutoFillBackground(true);
    QPalette shade = content->palette();
    shade.setColor(QPalette::Window, QColor(0xe8, 0xf0, 0xfb));
    shade.setColor(QPalette::WindowText, Qt::black);
    content->setPalette(shade);

    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("demoTourTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("demoTourCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("demoTourStatus"));
    m_status->setWordWrap(true);

    m_back = new QPushButton(tr("◀ Back"));
    m_back->setObjectName(QStringLiteral("demoTourBack"));
    m_next = new QPushButton(tr("Next ▶"));
    m_next->setObjectName(QStringLiteral("demoTourNext"));
    m_next->setDefault(true);
    m_retry = new QPushButton(tr("Try again"));
    m_retry->setObjectName(QStringLiteral("demoTourRetry"));
    m_close = new QPushButton(tr("Close tour"));
    m_close->setObjectName(QStringLiteral("demoTourClose"));

    auto* text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_caption);
    text->addWidget(m_status);
    auto* buttons = new QVBoxLayout;
    auto* steps = new QHBoxLayout;
    steps->addWidget(m_back);
    steps->addWidget(m_next);
    buttons->addLayout(steps);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_close);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(content);
    layout->setContentsMargins(12, 8, 12, 8);
    layout->addLayout(text, 1);
    layout->addLayout(buttons);
    setWidget(content);

    // A presenter's remote sends Page Down and Page Up.
    auto* forward = new QShortcut(QKeySequence(Qt::Key_PageDown), this);
    forward->setContext(Qt::WindowShortcut);
    connect(forward, &QShortcut::activated, m_tour, &DemoTour::next);
    auto* backward = new QShortcut(QKeySequence(Qt::Key_PageUp), this);
    backward->setContext(Qt::WindowShortcut);
    connect(backward, &QShortcut::activated, m_tour, &DemoTour::back);
    m_next->setToolTip(tr("Next step (Page Down)"));
    m_back->setToolTip(tr("Previous step, replayed on fresh devices (Page Up)"));

    connect(m_back, &QPushButton::clicked, m_tour, &DemoTour::back);
    connect(m_next, &QPushButton::clicked, m_tour, &DemoTour::next);
    connect(m_retry, &QPushButton::clicked, m_tour, &DemoTour::retry);
    connect(m_close, &QPushButton::clicked, this, &DemoTourBar::closeRequested);
    connect(m_tour, &DemoTour::changed, this, &DemoTourBar::refresh);
    m_caption->setMinimumHeight(m_caption->fontMetrics().lineSpacing() * 3 + 4);
    refresh();
}

QString DemoTourBar::titleText() const
{
    return m_title->text();
}

QString DemoTourBar::captionText() const
{
    return m_caption->text();
}

QString DemoTourBar::statusText() const
{
    return m_status->text();
}

// A dock ignores a wrapped label's height for its width: the caption gets room for three
// lines of whatever font it has (presentation mode makes it larger).
void DemoTourBar::changeEvent(QEvent* event)
{
    QDockWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        m_caption->setMinimumHeight(m_caption->fontMetrics().lineSpacing() * 3 + 4);
}

void DemoTourBar::refresh()
{
    const int index = m_tour->current();
    if (index < 0 || index >= m_tour->stepCount()) {
        m_title->setText(tr("Demo tour"));
        m_caption->setText(tr("A guided walk through the protocol on the embedded gateway."));
        m_status->clear();
    } else {
        const DemoStep& step = m_tour->steps().at(index);
        m_title->setText(
            tr("Step %1 of %2 · %3").arg(index + 1).arg(m_tour->stepCount()).arg(step.title));
        m_caption->setText(step.caption);
        switch (m_tour->state()) {
        case DemoTour::StepState::Running:
            m_status->setText(m_tour->isReplaying()
                                  ? tr("Setting the scene on fresh devices: replaying step %1…")
                                        .arg(m_tour->runningStep() + 1)
                                  : tr("Waiting for the gateway…"));
            break;
        case DemoTour::StepState::Done:
            m_status->setText(index + 1 < m_tour->stepCount()
                                  ? tr("✓ Seen on the gateway. Next when you are ready.")
                                  : tr("✓ Seen on the gateway. That is the whole tour."));
            break;
        case DemoTour::StepState::Failed:
            m_status->setText(tr("✗ %1").arg(m_tour->problem()));
            break;
        case DemoTour::StepState::Idle:
            m_status->clear();
            break;
        }
    }
    m_back->setEnabled(m_tour->canBack());
    m_next->setEnabled(m_tour->canNext());
    m_retry->setVisible(m_tour->state() == DemoTour::StepState::Failed);
}

} // namespace fleet
