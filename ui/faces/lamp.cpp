#include "lamp.h"

#include <QPainter>
#include <QRadialGradient>

namespace fleet {

Lamp::Lamp(const QString& caption, QWidget* parent)
    : QWidget(parent)
    , m_caption(caption)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void Lamp::setOn(bool on)
{
    if (on == m_on)
        return;
    m_on = on;
    setAccessibleDescription(on ? tr("on") : tr("off"));
    update();
}

void Lamp::setError(bool error)
{
    if (error == m_error)
        return;
    m_error = error;
    update();
}

void Lamp::setColor(const QColor& color)
{
    m_color = color;
    update();
}

void Lamp::setDiameter(int diameter)
{
    m_diameter = diameter;
    updateGeometry();
    update();
}

QSize Lamp::sizeHint() const
{
    const int captionHeight = m_caption.isEmpty() ? 0 : fontMetrics().height() + 2;
    const int width = qMax(m_diameter + 6, fontMetrics().horizontalAdvance(m_caption) + 4);
    return {width, m_diameter + 6 + captionHeight};
}

void Lamp::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF circle((width() - m_diameter) / 2.0, 3, m_diameter, m_diameter);
    QRadialGradient glow(circle.center() - QPointF(m_diameter / 6.0, m_diameter / 6.0),
                         m_diameter / 1.6);
    if (m_on) {
        glow.setColorAt(0, m_color.lighter(170));
        glow.setColorAt(1, m_color);
    } else {
        glow.setColorAt(0, QColor(150, 150, 150));
        glow.setColorAt(1, QColor(70, 70, 70));
    }
    painter.setBrush(glow);
    painter.setPen(m_error ? QPen(QColor(220, 30, 30), 3) : QPen(QColor(40, 40, 40), 1));
    painter.drawEllipse(circle);
    if (!m_caption.isEmpty()) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRectF(0, circle.bottom() + 2, width(), fontMetrics().height()),
                         Qt::AlignHCenter | Qt::AlignTop, m_caption);
    }
}

} // namespace fleet
