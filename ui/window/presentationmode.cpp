// Presentation mode and the demo tour's wiring (docs/demo.md).
#include "presentationmode.h"

#include "behaviourpanel.h"
#include "captionnarrator.h"
#include "commandinspector.h"
#include "demotour.h"
#include "demotourbar.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "identityform.h"
#include "mainwindow.h"
#include "sequencedock.h"
#include "sequenceview.h"
#include "statuscomposer.h"
#include "trafficlogmodel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QEvent>
#include <QLabel>
#include <QLayout>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

#include <memory>

namespace fleet {

namespace {

// The splitter pane that holds `widget` (the page's form sits in a scroll area, the composer
// and the inspector in group boxes).
QWidget* paneOf(QSplitter* splitter, QWidget* widget)
{
    while (widget && widget->parentWidget() != splitter)
        widget = widget->parentWidget();
    return widget;
}

} // namespace

PresentationMode::PresentationMode(MainWindow* window, SequenceDock* sequence,
                                   CaptionNarrator* narrator)
    : QObject(window)
    , m_window(window)
    , m_sequence(sequence)
    , m_narrator(narrator)
{
    connect(window, &MainWindow::pageAdded, this, [this](DeviceSessionPage* page) {
        if (m_active)
            present(page);
    });
    window->installEventFilter(this);
}

bool PresentationMode::eventFilter(QObject* watched, QEvent* event)
{
    // Full screen arrives after enter() (from the window manager, when it likes): the diagram's
    // share follows the window's new width.
    if (watched == m_window && event->type() == QEvent::Resize && m_active)
        shareTheWidth();
    return QObject::eventFilter(watched, event);
}

void PresentationMode::shareTheWidth()
{
    if (QLayout* layout = m_window->layout())
        layout->activate(); // the tabs' smaller minimum counts, not the one before presenting
    m_window->resizeDocks({m_sequence}, {int(m_window->width() * kDiagramShare)}, Qt::Horizontal);
}

// Made on first use: a console that never presents has no extra dock in its layout.
void PresentationMode::buildCaption()
{
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("presentationCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setMargin(10);
    m_caption->setText(m_narrator->caption());
    connect(m_narrator, &CaptionNarrator::captionChanged, m_caption, &QLabel::setText);

    m_captionDock = new QDockWidget(tr("Caption"), m_window);
    m_captionDock->setObjectName(QStringLiteral("presentationCaptionDock"));
    m_captionDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_captionDock->setTitleBarWidget(new QWidget(m_captionDock));
    m_captionDock->setWidget(m_caption);
}

void PresentationMode::setActive(bool on)
{
    if (on == m_active)
        return;
    if (on)
        enter();
    else
        leave();
    m_active = on;
    if (QAction* action = m_window->actions().presentation)
        action->setChecked(on);
    emit activeChanged(on);
}

void PresentationMode::keepDock(QDockWidget* dock)
{
    if (!m_kept.contains(dock))
        m_kept.append(dock);
}

QPalette PresentationMode::contrastPalette()
{
    // Black on white with one strong accent: what a projector in a lit room still shows.
    QPalette palette;
    const QColor white(Qt::white);
    const QColor black(Qt::black);
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive}) {
        palette.setColor(group, QPalette::Window, white);
        palette.setColor(group, QPalette::WindowText, black);
        palette.setColor(group, QPalette::Base, white);
        palette.setColor(group, QPalette::AlternateBase, QColor(0xf0, 0xf0, 0xf0));
        palette.setColor(group, QPalette::Text, black);
        palette.setColor(group, QPalette::Button, QColor(0xe6, 0xe6, 0xe6));
        palette.setColor(group, QPalette::ButtonText, black);
        palette.setColor(group, QPalette::Highlight, QColor(0x00, 0x33, 0x99));
        palette.setColor(group, QPalette::HighlightedText, white);
        palette.setColor(group, QPalette::ToolTipBase, white);
        palette.setColor(group, QPalette::ToolTipText, black);
        palette.setColor(group, QPalette::PlaceholderText, QColor(0x40, 0x40, 0x40));
    }
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x60, 0x60, 0x60));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x60, 0x60, 0x60));
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x60, 0x60, 0x60));
    return palette;
}

void PresentationMode::enter()
{
    if (!m_captionDock)
        buildCaption();
    m_layout = m_window->saveState();
    m_windowState = m_window->windowState();
    m_windowSize = m_window->size();
    // The settings and workspaces keep the operator's layout and window, not these.
    m_window->setSavedLayoutOverride(m_layout, m_window->saveGeometry());
    m_hadPalette = m_window->testAttribute(Qt::WA_SetPalette);
    m_palette = m_window->palette();

    const QList<QDockWidget*> docks =
        m_window->findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly);
    for (QDockWidget* dock : docks) {
        if (dock != m_sequence && dock != m_captionDock && !m_kept.contains(dock))
            dock->hide();
    }
    if (QToolBar* toolBar = m_window->actions().toolBar)
        toolBar->hide();

    // What the room reads grows: the diagram, the tour's bar, the caption. The device tabs
    // (their faces scale with their room), the menus and the docks' tool rows keep their
    // size, so the window still fits a laptop's screen.
    const qreal big = qMax(kMinPointSize, m_window->font().pointSizeF() * kFontFactor);
    m_fonts.clear();
    enlarge(m_sequence->view(), big);
    for (QDockWidget* dock : std::as_const(m_kept)) {
        if (dock)
            enlarge(dock->widget(), big);
    }
    m_window->setPalette(contrastPalette());
    QFont captionFont = m_window->font();
    captionFont.setPointSizeF(big * 1.15);
    captionFont.setBold(true);
    m_caption->setFont(captionFont);

    // The tabs first keep only the faces, so the diagram's share below is not limited by the
    // width of the panes that go.
    m_pages.clear();
    bool faces = false;
    for (DeviceSessionPage* page : m_window->pages()) {
        present(page);
        faces = faces || page->behaviourPanel()->isActive();
    }

    // The faces on the left, the conversation on the right, the caption across the bottom.
    m_sequence->setFloating(false);
    m_window->addDockWidget(Qt::RightDockWidgetArea, m_sequence);
    m_sequence->show();
    m_window->addDockWidget(Qt::BottomDockWidgetArea, m_captionDock);
    m_captionDock->show();
    shareTheWidth();
    m_window->resizeDocks({m_captionDock},
                          {QFontMetrics(captionFont).height() * 2 + 2 * m_caption->margin() + 4},
                          Qt::Vertical);

    // Without a face to show, the tabs would be an empty band: the diagram takes the width.
    m_centralWasHidden = m_window->centralWidget()->isHidden();
    if (!faces)
        m_window->centralWidget()->hide();
    m_window->setWindowState(m_windowState | Qt::WindowFullScreen);
    // The docks just moved take their places when the window next lays out; share then too.
    QTimer::singleShot(0, this, [this] {
        if (m_active)
            shareTheWidth();
    });
}

// Only the face and the connection row stay: the form, the composer and the inspector are for
// engineers (a device without a behaviour has no face: its tab shows the connection row).
void PresentationMode::present(DeviceSessionPage* page)
{
    QSplitter* splitter = page->splitter();
    PageLayout layout{page, splitter, splitter->saveState(), {}, {}};
    for (int i = 0; i < splitter->count(); ++i)
        layout.hidden.append(splitter->widget(i)->isHidden());
    m_pages.append(layout);

    if (QWidget* form = paneOf(splitter, page->identityForm()))
        form->hide();
    if (QWidget* inspector = paneOf(splitter, page->inspector()))
        inspector->hide();
    if (QWidget* composer = paneOf(splitter, page->composer()))
        composer->hide();
    // The connection row keeps its state and round trips; Connect and Disconnect stay in the
    // Device menu and its shortcuts, the behaviour choice comes back with F11. Their width
    // would otherwise hold the tabs at ~800 px and squeeze the diagram a room has to read.
    const QList<QWidget*> controls = {page->connectButton(), page->disconnectButton(),
                                      page->behaviourPanel()->choiceCombo()};
    for (QWidget* control : controls) {
        if (control && !control->isHidden()) {
            control->hide();
            m_pages.last().controls.append(control);
        }
    }
    // A tab that is not the current one keeps the minimum width it had when shown (its layout
    // caches each child's size hints until the child tells it otherwise), and the tab widget
    // is as wide as its widest tab: without this, a hidden payload sender's form, composer and
    // inspector held the tabs at ~900 px beside the diagram.
    invalidateLayouts(page);
}

void PresentationMode::invalidateLayouts(QWidget* page)
{
    for (QWidget* child : page->findChildren<QWidget*>())
        child->updateGeometry();
    for (QLayout* layout : page->findChildren<QLayout*>())
        layout->invalidate();
    // And every widget up to the window: each layout keeps its children's last hints.
    for (QWidget* widget = page; widget && !widget->isWindow(); widget = widget->parentWidget()) {
        widget->updateGeometry();
        if (QLayout* layout = widget->layout())
            layout->invalidate();
    }
}

void PresentationMode::enlarge(QWidget* widget, qreal pointSize)
{
    m_fonts.append({widget, widget->font(), widget->testAttribute(Qt::WA_SetFont)});
    QFont font = widget->font();
    font.setPointSizeF(pointSize);
    widget->setFont(font);
}

void PresentationMode::restorePages()
{
    for (const PageLayout& layout : std::as_const(m_pages)) {
        if (!layout.splitter)
            continue; // the tab was closed meanwhile
        for (int i = 0; i < layout.splitter->count() && i < layout.hidden.size(); ++i)
            layout.splitter->widget(i)->setHidden(layout.hidden[i]);
        layout.splitter->restoreState(layout.sizes);
        for (const QPointer<QWidget>& control : layout.controls) {
            if (control)
                control->show();
        }
        if (layout.page)
            invalidateLayouts(layout.page);
    }
    m_pages.clear();
}

void PresentationMode::leave()
{
    if (m_captionDock)
        m_captionDock->hide();
    restorePages();
    m_window->centralWidget()->setHidden(m_centralWasHidden);
    for (auto it = m_fonts.crbegin(); it != m_fonts.crend(); ++it) {
        if (!it->widget)
            continue;
        it->widget->setFont(it->had ? it->font : QFont());
        it->widget->setAttribute(Qt::WA_SetFont, it->had);
    }
    m_fonts.clear();
    m_window->setPalette(m_hadPalette ? m_palette : QPalette());
    m_window->setAttribute(Qt::WA_SetPalette, m_hadPalette);
    m_window->setWindowState(m_windowState);
    m_window->restoreState(m_layout);
    m_window->setSavedLayoutOverride({});
    if (!(m_windowState & (Qt::WindowMaximized | Qt::WindowFullScreen))) {
        // The minimum size still counts the large fonts until the layout runs again: run it
        // now, or the window keeps the width they needed.
        if (QLayout* layout = m_window->layout())
            layout->activate();
        m_window->resize(m_windowSize);
    }
}

PresentationMode* installPresentationMode(MainWindow* window, TrafficLogModel* traffic,
                                          SequenceDock* sequence)
{
    GatewayLink* server = window->gateway()->link();
    auto* narrator = new CaptionNarrator(window);
    narrator->attachGateway(server);
    auto* mode = new PresentationMode(window, sequence, narrator);
    const ConsoleActions& actions = window->actions();
    QObject::connect(actions.presentation, &QAction::toggled, mode, &PresentationMode::setActive);

    auto* tour = new DemoTour(server, window);
    tour->setObjectName(QStringLiteral("demoTourRunner"));
    QObject::connect(tour, &DemoTour::clientCreated, traffic,
                     [traffic](InternalClient* client) { traffic->attachClient(client); });
    // The bar is made on first use, like the caption: no hidden dock in a layout that never
    // shows one.
    struct TourState {
        QPointer<DemoTourBar> bar;
        bool presentedBefore = false;
    };
    auto state = std::make_shared<TourState>();
    const auto closeTour = [mode, tour, state] {
        if (!state->bar || state->bar->isHidden())
            return;
        tour->stop();
        state->bar->hide();
        if (!state->presentedBefore)
            mode->setActive(false);
    };
    // Leaving presentation mode ends the tour: its bar belongs to that layout.
    QObject::connect(mode, &PresentationMode::activeChanged, tour, [closeTour](bool active) {
        if (!active)
            closeTour();
    });
    QObject::connect(actions.demoTour, &QAction::triggered, tour, [=] {
        if (!window->gateway()->isListening())
            window->startEmbeddedGateway();
        if (!state->bar) {
            state->bar = new DemoTourBar(tour, window);
            mode->keepDock(state->bar);
            QObject::connect(state->bar, &DemoTourBar::closeRequested, tour, closeTour);
        }
        if (state->bar->isHidden())
            state->presentedBefore = mode->isActive();
        mode->setActive(true);
        window->addDockWidget(Qt::TopDockWidgetArea, state->bar);
        state->bar->show();
        narrator->clear();
        tour->start();
    });
    return mode;
}

} // namespace fleet
