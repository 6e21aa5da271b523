#pragma once

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QSize>

QT_BEGIN_NAMESPACE
class QDockWidget;
class QLabel;
class QSplitter;
class QWidget;
QT_END_NAMESPACE

namespace fleet {

class CaptionNarrator;
class DeviceSessionPage;
class MainWindow;
class SequenceDock;
class TrafficLogModel;

// View › Presentation (F11; docs/demo.md#presentation-mode): the window as a room sees it from
// its back row. Large fonts and a high-contrast palette; the device faces in the tabs, the
// sequence diagram beside them and a caption line at the bottom that narrates the gateway's
// last event; the expert panes (identity form, envelope and hex inspector, traffic log and its
// filters, the gateway panel, the toolbar) hidden. Leaving restores the dock layout, fonts,
// palette and each device tab's panes exactly as they were.
class PresentationMode : public QObject {
    Q_OBJECT
public:
    // The font presentation mode uses at least, in points, and its factor over the window's.
    static constexpr qreal kMinPointSize = 14;
    static constexpr qreal kFontFactor = 1.4;
    // The sequence diagram's part of the window's width beside the device tabs' faces.
    static constexpr qreal kDiagramShare = 0.62;

    PresentationMode(MainWindow* window, SequenceDock* sequence, CaptionNarrator* narrator);

    bool isActive() const { return m_active; }
    void setActive(bool on);
    // A dock that stays in view in presentation mode (the demo tour's bar).
    void keepDock(QDockWidget* dock);

    // Made when presentation mode is first entered; null before.
    QDockWidget* captionDock() const { return m_captionDock; }
    QLabel* captionLabel() const { return m_caption; }

signals:
    void activeChanged(bool active);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct PageLayout {
        QPointer<QWidget> page;
        QPointer<QSplitter> splitter;
        QByteArray sizes;
        QList<bool> hidden; // each splitter pane's isHidden()
        // The connection row's controls hidden while presenting (they were visible).
        QList<QPointer<QWidget>> controls;
    };

    void buildCaption();
    void enter();
    void leave();
    void present(DeviceSessionPage* page);
    void shareTheWidth();
    static void invalidateLayouts(QWidget* page);
    void enlarge(QWidget* widget, qreal pointSize);
    void restorePages();
    static QPalette contrastPalette();

    MainWindow* m_window;
    SequenceDock* m_sequence;
    CaptionNarrator* m_narrator;
    QDockWidget* m_captionDock = nullptr;
    QLabel* m_caption = nullptr;
    QList<QPointer<QDockWidget>> m_kept;
    bool m_active = false;

    // What leave() puts back.
    QByteArray m_layout;
    // The window as the operator had it: presenting goes full screen, leaving comes back to
    // this state and size (larger fonts may have grown the window meanwhile).
    Qt::WindowStates m_windowState;
    QSize m_windowSize;
    struct FontState {
        QPointer<QWidget> widget;
        QFont font;
        bool had = false; // the widget had a font of its own
    };
    QList<FontState> m_fonts;
    QPalette m_palette;
    bool m_hadPalette = false;
    QList<PageLayout> m_pages;
    bool m_centralWasHidden = false;
};

// Adds presentation mode, its caption narrator and the demo tour (Help › Demo tour) to a
// console window whose traffic log and sequence dock are installed.
PresentationMode* installPresentationMode(MainWindow* window, TrafficLogModel* traffic,
                                          SequenceDock* sequence);

} // namespace fleet
