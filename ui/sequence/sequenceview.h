#pragma once

#include "sequencelayout.h"

#include <QAbstractScrollArea>
#include <QImage>

namespace fleet {

// The sequence diagram itself: lifelines across the top, one row per message, painted by
// hand so that only the rows in view cost anything (the model may hold 100,000 rows). It
// follows the newest row unless paused; scrolling up pauses it.
class SequenceView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit SequenceView(SequenceModel* model, QWidget* parent = nullptr);

    SequenceModel* model() const { return m_model; }

    bool isFollowing() const { return m_follow; }
    void setFollowing(bool on);

    // The rows in view: [first, first + count).
    int firstRowInView() const;
    int rowCountInView() const;
    // The model's row under a point of the viewport, or -1.
    int rowAt(const QPoint& viewportPoint) const;
    // Where a row is in the viewport (empty when it is not laid out).
    QRect rowRect(int row) const;

    // The rows in view laid out as shown (for the exports: what you see is what you get).
    SequenceLayout layoutInView() const;
    static QImage renderImage(const SequenceLayout& layout, qreal scale = 1.0);

    // The frame (sequence number) highlighted after a click, -1 for none.
    qint64 selectedSeq() const { return m_selectedSeq; }

signals:
    void followingChanged(bool following);
    // A row was clicked: the frame behind it (a group: its newest frame).
    void frameClicked(qint64 seq);
    void frameDoubleClicked(qint64 seq);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    void updateMetrics();
    void updateScrollBars();
    void onRowsAppended();
    void onRowsDropped(int count);
    void onScrolled(int value);
    static void paintLayout(QPainter& painter, const SequenceLayout& layout, qreal visibleHeight,
                            qint64 selectedSeq);

    SequenceModel* m_model;
    SequenceMetrics m_metrics;
    bool m_follow = true;
    bool m_programmaticScroll = false;
    qint64 m_selectedSeq = -1;
};

} // namespace fleet
