#include "roundbutton.h"

#include <QPainter>
#include <QRadialGradient>

namespace fleet {

RoundButton::RoundButton(const QString& text, QWidget* parent)
    : QAbstractButton(parent)
{
    setText(text);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void RoundButton::setDiameter(int diameter)
{
    m_diameter = diameter;
    updateGeometry();
    update();
}

void RoundButton::setShownDown(bool down)
{
    m_shownDown = down;
    update();
}

QSize RoundButton::sizeHint() const
{
    return {m_diameter + 8, m_diameter + 8};
}

QSize RoundButton::minimumSizeHint() const
{
    return sizeHint();
}

bool RoundButton::hitButton(const QPoint& pos) const
{
    const QPointF centre = QRectF(rect()).center();
    const QPointF offset = QPointF(pos) - centre;
    return offset.x() * offset.x() + offset.y() * offset.y() <= m_diameter * m_diameter / 4.0;
}

void RoundButton::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const bool down = isDown() || m_shownDown;
    const QRectF outer((width() - m_diameter) / 2.0, (height() - m_diameter) / 2.0, m_diameter,
                       m_diameter);
    painter.setPen(QPen(QColor(60, 60, 60), 2));
    painter.setBrush(QColor(90, 90, 90));
    painter.drawEllipse(outer);
    const QRectF cap = outer.adjusted(8, 8, -8, -8).translated(0, down ? 3 : 0);
    QRadialGradient shade(cap.center() - QPointF(cap.width() / 5, cap.height() / 5),
                          cap.width() / 1.5);
    const QColor red = down ? QColor(150, 20, 20) : QColor(210, 40, 40);
    shade.setColorAt(0, red.lighter(down ? 120 : 150));
    shade.setColorAt(1, red);
    painter.setBrush(shade);
    painter.setPen(QPen(hasFocus() ? palette().color(QPalette::Highlight) : red.darker(150),
                        hasFocus() ? 3 : 1));
    painter.drawEllipse(cap);
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(cap, Qt::AlignCenter, text());
}

} // namespace fleet
