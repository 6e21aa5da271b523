#include "rttsparkline.h"

#include "rttseries.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace fleet {

namespace {

constexpr int kLineWidth = 96; // px of line; the text takes the rest
constexpr int kHeight = 26;

} // namespace

RttSparkline::RttSparkline(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("rttSparkline"));
    setCursor(Qt::PointingHandCursor);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(tr("Round trips of this device's latest %1 answers, as its client measured them "
                  "(click for the Charts dock)")
                   .arg(RttTrack::kRecent));
}

void RttSparkline::setSource(const RttSeries* series, const DeviceSession* session)
{
    if (m_series)
        disconnect(m_series, nullptr, this, nullptr);
    m_series = series;
    m_session = session;
    if (m_series)
        connect(m_series, &RttSeries::updated, this, qOverload<>(&QWidget::update));
    update();
}

QList<double> RttSparkline::values() const
{
    const RttTrack* track = m_series ? m_series->track(m_session) : nullptr;
    return track ? track->recent() : QList<double>{};
}

QString RttSparkline::text() const
{
    const RttTrack* track = m_series ? m_series->track(m_session) : nullptr;
    const double last = track ? track->lastRoundTripMs() : -1;
    if (last < 0)
        return tr("RTT –");
    if (last < 1000)
        return tr("RTT %1 ms").arg(last, 0, 'f', last < 10 ? 2 : 1);
    // A slow answer in seconds, so the text still fits the room sized for "888.8 ms".
    const double seconds = last / 1000;
    return tr("RTT %1 s").arg(seconds, 0, 'f', seconds < 10 ? 2 : (seconds < 100 ? 1 : 0));
}

QSize RttSparkline::sizeHint() const
{
    return {kLineWidth + 8 + fontMetrics().horizontalAdvance(tr("RTT 888.8 ms")), kHeight};
}

QSize RttSparkline::minimumSizeHint() const
{
    return sizeHint();
}

void RttSparkline::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF line(1.5, 3.5, kLineWidth - 3, height() - 7);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawLine(line.bottomLeft(), line.bottomRight());

    const QList<double> recent = values();
    if (!recent.isEmpty()) {
        const double largest = std::max(*std::max_element(recent.begin(), recent.end()), 0.001);
        const double step = recent.size() > 1 ? line.width() / (RttTrack::kRecent - 1) : 0;
        // Right-aligned: the newest answer is always at the right edge.
        const double x0 = line.right() - step * double(recent.size() - 1);
        QPainterPath path;
        for (qsizetype i = 0; i < recent.size(); ++i) {
            const QPointF point(x0 + step * double(i),
                                line.bottom() - recent[i] / largest * line.height());
            if (i == 0)
                path.moveTo(point);
            else
                path.lineTo(point);
        }
        painter.setPen(QPen(QColor(0x1f, 0x6f, 0xb4), 1.5));
        painter.drawPath(path);
        painter.setBrush(QColor(0x1f, 0x6f, 0xb4));
        painter.drawEllipse(path.currentPosition(), 2, 2);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(kLineWidth + 6, 0, width() - kLineWidth - 6, height()),
                     Qt::AlignVCenter | Qt::AlignLeft, text());
}

void RttSparkline::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        emit clicked();
    QWidget::mouseReleaseEvent(event);
}

} // namespace fleet
