#include "sequenceview.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>

namespace fleet {

namespace {

constexpr qreal kMinLaneWidth = 150;
constexpr qreal kMinLabelWidth = 140; // a group's text

QPen strokePen(const SequenceStroke& stroke)
{
    QPen pen(stroke.color, 1.5);
    if (stroke.dashed)
        pen.setStyle(Qt::DashLine);
    if (stroke.dotted)
        pen.setStyle(Qt::DotLine);
    return pen;
}

} // namespace

SequenceView::SequenceView(SequenceModel* model, QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("sequenceView"));
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    viewport()->setMouseTracking(false);
    verticalScrollBar()->setSingleStep(int(m_metrics.rowHeight));
    connect(m_model, &SequenceModel::rowsAppended, this, &SequenceView::onRowsAppended);
    connect(m_model, &SequenceModel::rowsDropped, this, &SequenceView::onRowsDropped);
    connect(m_model, &SequenceModel::rowsChanged, viewport(), qOverload<>(&QWidget::update));
    connect(m_model, &SequenceModel::modelReset, this, &SequenceView::onRowsAppended);
    connect(m_model, &SequenceModel::lanesChanged, this, [this] {
        updateMetrics();
        updateScrollBars();
        viewport()->update();
    });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &SequenceView::onScrolled);
    updateMetrics();
    updateScrollBars();
}

void SequenceView::setFollowing(bool on)
{
    if (on == m_follow)
        return;
    m_follow = on;
    if (m_follow) {
        m_programmaticScroll = true;
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        m_programmaticScroll = false;
    }
    emit followingChanged(m_follow);
}

// Lanes share the width there is, but never get narrower than a readable label.
void SequenceView::updateMetrics()
{
    const qsizetype lanes = qMax(1, m_model->laneCount());
    // The clock column fits its text in any font (presentation mode enlarges it).
    m_metrics.timeWidth =
        qMax<qreal>(92, fontMetrics().horizontalAdvance(QStringLiteral("00:00:00.000")) + 12);
    const qreal available = viewport()->width() - m_metrics.timeWidth - 8;
    m_metrics.laneWidth = qMax(kMinLaneWidth, available / qreal(lanes));
    m_metrics.rowHeight = qMax<qreal>(26, fontMetrics().height() * 2 + 2);
    m_metrics.headerHeight = fontMetrics().height() + 16;
    verticalScrollBar()->setSingleStep(int(m_metrics.rowHeight));
}

void SequenceView::updateScrollBars()
{
    const qreal content = m_model->rowCount() * m_metrics.rowHeight;
    const qreal page = viewport()->height() - m_metrics.headerHeight;
    m_programmaticScroll = true;
    QScrollBar* vertical = verticalScrollBar();
    vertical->setPageStep(qMax(1, int(page)));
    vertical->setRange(0, qMax(0, int(content - page)));
    if (m_follow)
        vertical->setValue(vertical->maximum());
    const qreal width = m_metrics.timeWidth + m_metrics.laneWidth * m_model->laneCount();
    horizontalScrollBar()->setPageStep(viewport()->width());
    horizontalScrollBar()->setRange(0, qMax(0, int(width) - viewport()->width()));
    m_programmaticScroll = false;
}

void SequenceView::onRowsAppended()
{
    updateScrollBars();
    viewport()->update();
}

// The oldest rows went: a paused view keeps showing the same rows.
void SequenceView::onRowsDropped(int count)
{
    if (!m_follow) {
        m_programmaticScroll = true;
        verticalScrollBar()->setValue(verticalScrollBar()->value() -
                                      int(count * m_metrics.rowHeight));
        m_programmaticScroll = false;
    }
    updateScrollBars();
    viewport()->update();
}

void SequenceView::onScrolled(int value)
{
    if (!m_programmaticScroll && m_follow && value < verticalScrollBar()->maximum())
        setFollowing(false); // the operator scrolled back: hold still
    viewport()->update();
}

int SequenceView::firstRowInView() const
{
    return qMin(m_model->rowCount(), int(verticalScrollBar()->value() / m_metrics.rowHeight));
}

int SequenceView::rowCountInView() const
{
    const qreal offset = verticalScrollBar()->value() - firstRowInView() * m_metrics.rowHeight;
    const qreal page = viewport()->height() - m_metrics.headerHeight + offset;
    const int rows = int(std::ceil(page / m_metrics.rowHeight));
    return qBound(0, rows, m_model->rowCount() - firstRowInView());
}

int SequenceView::rowAt(const QPoint& point) const
{
    if (point.y() < m_metrics.headerHeight)
        return -1;
    const qreal y = point.y() - m_metrics.headerHeight + verticalScrollBar()->value();
    const int row = int(y / m_metrics.rowHeight);
    return row >= 0 && row < m_model->rowCount() ? row : -1;
}

QRect SequenceView::rowRect(int row) const
{
    if (row < 0 || row >= m_model->rowCount())
        return {};
    const qreal top =
        m_metrics.headerHeight + row * m_metrics.rowHeight - verticalScrollBar()->value();
    return QRectF(0, top, viewport()->width(), m_metrics.rowHeight).toAlignedRect();
}

SequenceLayout SequenceView::layoutInView() const
{
    // Whole rows only: an export starts at the first row whose top is in view.
    const int first = firstRowInView();
    const bool cutTop = verticalScrollBar()->value() > first * m_metrics.rowHeight;
    const int start = cutTop ? first + 1 : first;
    const qreal page = viewport()->height() - m_metrics.headerHeight;
    const int count = qMax(1, int(page / m_metrics.rowHeight));
    return layoutSequence(*m_model, start, qMin(count, m_model->rowCount() - start), m_metrics);
}

QImage SequenceView::renderImage(const SequenceLayout& layout, qreal scale)
{
    QImage image(QSize(int(std::ceil(layout.width * scale)), int(std::ceil(layout.height * scale))),
                 QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(1.0);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.scale(scale, scale);
    paintLayout(painter, layout, layout.height, -1);
    return image;
}

void SequenceView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    painter.translate(-horizontalScrollBar()->value(), 0);
    const int first = firstRowInView();
    const qreal offset = first * m_metrics.rowHeight - verticalScrollBar()->value();
    const SequenceLayout layout =
        layoutSequence(*m_model, first, rowCountInView() + 1, m_metrics, offset);
    paintLayout(painter, layout, viewport()->height(), m_selectedSeq);
}

void SequenceView::paintLayout(QPainter& painter, const SequenceLayout& layout, qreal visibleHeight,
                               qint64 selectedSeq)
{
    const SequenceMetrics& m = layout.metrics;
    painter.setRenderHint(QPainter::Antialiasing);
    const QFontMetricsF metrics(painter.font());
    const QColor lifeline(0xb0, 0xb0, 0xb8);

    painter.save();
    painter.setClipRect(QRectF(0, m.headerHeight, layout.width + 4000, visibleHeight));
    for (const SequenceItem& item : layout.items) {
        if (item.seq == selectedSeq)
            painter.fillRect(QRectF(0, item.top, layout.width, m.rowHeight),
                             QColor(0xdd, 0xe8, 0xf6));
    }
    painter.setPen(QPen(lifeline, 1));
    for (const SequenceLaneGeometry& lane : layout.lanes)
        painter.drawLine(QPointF(lane.x, m.headerHeight), QPointF(lane.x, visibleHeight));

    for (const SequenceItem& item : layout.items) {
        const SequenceStroke stroke = sequenceStroke(item.role);
        painter.setPen(QColor(0x70, 0x70, 0x78));
        painter.drawText(QPointF(4, item.y + 4), item.time);
        if (item.isMark()) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(stroke.color);
            painter.drawEllipse(QPointF(item.x1, item.y), m.markRadius, m.markRadius);
            painter.setBrush(Qt::NoBrush);
            painter.setPen(stroke.color);
            const qreal right = item.x1 - 2 * m.markRadius;
            const qreal width = qMax<qreal>(0, right - m.timeWidth);
            const QString text = metrics.elidedText(item.label, Qt::ElideRight, width);
            painter.drawText(QPointF(right - metrics.horizontalAdvance(text), item.y + 4), text);
            continue;
        }
        if (item.role == SequenceRole::Group) {
            QFont italic = painter.font();
            italic.setItalic(true);
            painter.save();
            painter.setFont(italic);
            painter.setPen(stroke.color);
            const qreal span = qMax(kMinLabelWidth, std::abs(item.x2 - item.x1));
            const QString text = QFontMetricsF(italic).elidedText(item.label, Qt::ElideRight, span);
            painter.drawText(QRectF((item.x1 + item.x2 - span) / 2, item.top, span, m.rowHeight),
                             Qt::AlignCenter, text);
            painter.restore();
            continue;
        }
        const qreal dir = item.x2 >= item.x1 ? 1 : -1;
        const qreal tip = item.x2 - dir * 2;
        painter.setPen(strokePen(stroke));
        painter.drawLine(QPointF(item.x1, item.y), QPointF(tip - dir * 6, item.y));
        QPainterPath head;
        head.moveTo(tip, item.y);
        head.lineTo(tip - dir * 8, item.y - 4);
        head.lineTo(tip - dir * 8, item.y + 4);
        head.closeSubpath();
        painter.fillPath(head, stroke.color);
        painter.setPen(stroke.color);
        // A row holds one message: its label may run past the arrow's ends, centred on it but
        // kept inside the lifelines' area.
        const qreal left = m.timeWidth + 4;
        const qreal right = layout.width - 4;
        const QString text = metrics.elidedText(item.label, Qt::ElideRight, right - left);
        const qreal width = metrics.horizontalAdvance(text);
        const qreal x = qBound(left, (item.x1 + item.x2 - width) / 2, right - width);
        painter.drawText(QPointF(x, item.y - 5), text);
        if (!item.roundTrip.isEmpty()) {
            const qreal width = metrics.horizontalAdvance(item.roundTrip);
            const qreal x = dir > 0 ? item.x2 - 10 - width : item.x2 + 10;
            painter.setPen(QColor(0x70, 0x70, 0x78));
            painter.drawText(QPointF(x, item.y + 12), item.roundTrip);
        }
    }
    painter.restore();

    // The lifelines' titles stay on top while the rows scroll under them.
    painter.fillRect(QRectF(0, 0, layout.width + 4000, m.headerHeight), QColor(0xf4, 0xf4, 0xf6));
    painter.setPen(QColor(0x20, 0x20, 0x28));
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    const QFontMetricsF boldMetrics(bold);
    for (const SequenceLaneGeometry& lane : layout.lanes) {
        const QString title = boldMetrics.elidedText(lane.title, Qt::ElideRight, m.laneWidth - 10);
        painter.drawText(QRectF(lane.x - m.laneWidth / 2, 0, m.laneWidth, m.headerHeight),
                         Qt::AlignCenter, title);
    }
    painter.restore();
    painter.setPen(lifeline);
    painter.drawLine(QPointF(0, m.headerHeight), QPointF(layout.width + 4000, m.headerHeight));
}

void SequenceView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateMetrics();
    updateScrollBars();
}

void SequenceView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint());
    if (row < 0 || event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const SequenceMessage& message = m_model->message(row);
    m_selectedSeq = message.role == SequenceRole::Group ? message.lastSeq : message.seq;
    viewport()->update();
    emit frameClicked(m_selectedSeq);
}

void SequenceView::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint());
    if (row < 0) {
        QAbstractScrollArea::mouseDoubleClickEvent(event);
        return;
    }
    const SequenceMessage& message = m_model->message(row);
    emit frameDoubleClicked(message.role == SequenceRole::Group ? message.lastSeq : message.seq);
}

// The full label as a tooltip (a long one is elided on its arrow), then what it means.
bool SequenceView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int row = rowAt(help->pos());
        if (row >= 0) {
            const SequenceMessage& message = m_model->message(row);
            QString text = m_model->label(message);
            const QString roundTrip = SequenceModel::roundTripText(message);
            if (!roundTrip.isEmpty())
                text += tr(" (round trip %1)").arg(roundTrip);
            if (const QString meaning = m_model->explanation(message); !meaning.isEmpty())
                text += QLatin1Char('\n') + meaning;
            QToolTip::showText(help->globalPos(), text, viewport());
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace fleet
