#include "mapcanvas.h"

#include "behaviourvehicle.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace fleet {

namespace {

constexpr int kMarginPx = 24;

QColor stateColor(VehicleBehaviour::State state)
{
    switch (state) {
    case VehicleBehaviour::State::Idle:
        return QColor(90, 90, 90);
    case VehicleBehaviour::State::Drive:
        return QColor(20, 130, 40);
    case VehicleBehaviour::State::InStop:
        return QColor(30, 90, 200);
    case VehicleBehaviour::State::Obstacle:
        return QColor(220, 120, 0);
    case VehicleBehaviour::State::Error:
        return QColor(200, 30, 30);
    }
    return Qt::black;
}

QColor stateColor(const QString& name)
{
    using State = VehicleBehaviour::State;
    for (State state : {State::Idle, State::Drive, State::InStop, State::Obstacle, State::Error}) {
        if (VehicleBehaviour::stateName(state) == name)
            return stateColor(state);
    }
    return Qt::black;
}

} // namespace

MapCanvas::MapCanvas(VehicleBehaviour* behaviour, QWidget* parent)
    : QWidget(parent)
    , m_behaviour(behaviour)
{
    setObjectName(QStringLiteral("mapCanvas"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true); // the pointing hand over a stop
    connect(behaviour, &Behaviour::changed, this, qOverload<>(&QWidget::update));
}

MapCanvas::MapCanvas(QWidget* parent)
    : QWidget(parent)
    , m_planner(true)
{
    setObjectName(QStringLiteral("plannerMapCanvas"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setMouseTracking(true);
}

void MapCanvas::setMap(std::shared_ptr<const OsmMap> map, const QString& route)
{
    m_map = std::move(map);
    m_routeName = route;
    update();
}

void MapCanvas::setPlannedStops(const QStringList& names)
{
    m_planned = names;
    update();
}

void MapCanvas::setReportedVehicle(const std::optional<ReportedVehicle>& vehicle)
{
    if (vehicle == m_reported)
        return;
    m_reported = vehicle;
    update();
}

const OsmMap* MapCanvas::map() const
{
    if (m_planner)
        return m_map.get();
    return m_behaviour ? &m_behaviour->map() : nullptr;
}

const MapRoute* MapCanvas::route() const
{
    if (m_planner)
        return m_map ? m_map->route(m_routeName) : nullptr;
    return m_behaviour ? &m_behaviour->route() : nullptr;
}

QStringList MapCanvas::missionNames() const
{
    if (m_planner)
        return m_planned;
    QStringList names;
    if (m_behaviour) {
        for (const VehicleBehaviour::Stop& stop : m_behaviour->mission())
            names.append(stop.name);
    }
    return names;
}

QPointF MapCanvas::project(double latitude, double longitude) const
{
    const OsmMap* map = this->map();
    if (!map)
        return {};
    const QList<MapNode>& nodes = map->nodes();
    double minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
    for (const MapNode& node : nodes) {
        minLat = std::min(minLat, node.latitude);
        maxLat = std::max(maxLat, node.latitude);
        minLon = std::min(minLon, node.longitude);
        maxLon = std::max(maxLon, node.longitude);
    }
    // Equirectangular, good enough for a site: a degree of longitude shrinks with cos(latitude).
    const double shrink = std::cos((minLat + maxLat) / 2 * M_PI / 180.0);
    const double spanX = std::max(1e-9, (maxLon - minLon) * shrink);
    const double spanY = std::max(1e-9, maxLat - minLat);
    // The badge has the top strip to itself, with room for a label drawn above a stop.
    const int top = badgeHeight() + kMarginPx;
    const double width = std::max(1, this->width() - 2 * kMarginPx);
    const double height = std::max(1, this->height() - top - kMarginPx / 2);
    const double scale = std::min(width / spanX, height / spanY);
    const double offsetX = kMarginPx + (width - spanX * scale) / 2;
    const double offsetY = top + (height - spanY * scale) / 2;
    return {offsetX + (longitude - minLon) * shrink * scale, offsetY + (maxLat - latitude) * scale};
}

QPointF MapCanvas::stopPoint(const QString& name) const
{
    if (const OsmMap* map = this->map()) {
        for (const MapNode& node : map->nodes()) {
            if (node.stop && node.name == name)
                return project(node.latitude, node.longitude);
        }
    }
    return {};
}

QString MapCanvas::stopAt(const QPointF& point) const
{
    const OsmMap* map = this->map();
    if (!map)
        return {};
    QString nearest;
    double best = kPickRadiusPx;
    for (const MapNode& node : map->nodes()) {
        if (!node.stop || node.name.isEmpty())
            continue;
        const QPointF delta = project(node.latitude, node.longitude) - point;
        const double distance = std::hypot(delta.x(), delta.y());
        if (distance <= best) {
            best = distance;
            nearest = node.name;
        }
    }
    return nearest;
}

QString MapCanvas::badgeText() const
{
    if (m_planner) {
        const MapRoute* route = this->route();
        if (!route)
            return tr("no route");
        // The hint gives way to what the vehicle does once one is connected.
        return m_reported ? tr("route %1 · vehicle %2").arg(route->name, m_reported->state)
                          : tr("route %1 · click a stop to add it").arg(route->name);
    }
    if (!m_behaviour)
        return {};
    QString text = QStringLiteral("%1 · %2 m/s")
                       .arg(VehicleBehaviour::stateName(m_behaviour->state()))
                       .arg(m_behaviour->speed(), 0, 'f', 1);
    const QString next = m_behaviour->nextStop().name;
    text += next.isEmpty() ? tr(" · no next stop") : tr(" · next stop %1").arg(next);
    if (m_behaviour->waitLeftMs() > 0)
        text += tr(" · %1 s left").arg((m_behaviour->waitLeftMs() + 999) / 1000);
    if (m_behaviour->paused())
        text += tr(" · paused");
    return text;
}

void MapCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const QString name = stopAt(event->position());
    if (!name.isEmpty())
        emit stopClicked(name);
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event)
{
    // Only the planner's stops do something when clicked; say so with the cursor.
    const bool pickable = m_planner && !stopAt(event->position()).isEmpty();
    setCursor(pickable ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void MapCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), QColor(232, 238, 228));
    const OsmMap* map = this->map();
    if (!map)
        return;
    const QList<MapNode>& nodes = map->nodes();
    const auto at = [&](int index) {
        return project(nodes.at(index).latitude, nodes.at(index).longitude);
    };

    // Every way as a road.
    painter.setPen(QPen(QColor(190, 190, 180), 9, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const MapWay& way : map->ways()) {
        QPainterPath path;
        for (qsizetype i = 0; i < way.nodes.size(); ++i)
            i == 0 ? path.moveTo(at(way.nodes.at(i))) : path.lineTo(at(way.nodes.at(i)));
        painter.drawPath(path);
    }
    // The current route on top.
    if (const MapRoute* route = this->route()) {
        QPainterPath routePath;
        for (qsizetype i = 0; i < route->points.size(); ++i)
            i == 0 ? routePath.moveTo(at(route->points.at(i)))
                   : routePath.lineTo(at(route->points.at(i)));
        if (route->circular)
            routePath.closeSubpath();
        painter.setPen(QPen(QColor(60, 110, 210), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter.drawPath(routePath);
    }

    // The trail.
    if (m_behaviour && m_behaviour->trail().size() > 1) {
        const QList<QPointF>& trail = m_behaviour->trail();
        QPainterPath trailPath;
        for (qsizetype i = 0; i < trail.size(); ++i) {
            const QPointF p = project(trail.at(i).y(), trail.at(i).x());
            i == 0 ? trailPath.moveTo(p) : trailPath.lineTo(p);
        }
        painter.setPen(QPen(QColor(230, 120, 20, 150), 3, Qt::DotLine, Qt::RoundCap));
        painter.drawPath(trailPath);
    }

    drawStops(painter);

    // A vehicle the planner only knows from its status: a dot, no heading.
    if (m_reported) {
        painter.setPen(QPen(Qt::white, 2));
        painter.setBrush(stateColor(m_reported->state));
        painter.drawEllipse(project(m_reported->latitude, m_reported->longitude), 6, 6);
    }

    // The vehicle: an arrow along its heading (degrees clockwise from north).
    if (m_behaviour) {
        const QPointF here = project(m_behaviour->latitude(), m_behaviour->longitude());
        painter.save();
        painter.translate(here);
        painter.rotate(m_behaviour->headingDeg());
        QPolygonF arrow;
        arrow << QPointF(0, -13) << QPointF(8, 9) << QPointF(0, 4) << QPointF(-8, 9);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.setBrush(stateColor(m_behaviour->state()));
        painter.drawPolygon(arrow);
        painter.restore();
    }

    drawBadge(painter);
}

void MapCanvas::drawStops(QPainter& painter) const
{
    // Stops: the mission's numbered in orange (a stop planned twice shows both numbers), the
    // next one ringed; in the planner, stops off the chosen route are greyed (not pickable:
    // a mission stop off the route puts the vehicle in ERROR).
    const QStringList mission = missionNames();
    const QString next = m_behaviour ? m_behaviour->nextStop().name
                                     : (m_reported ? m_reported->nextStop : QString());
    const MapRoute* route = this->route();
    QFont labelFont = painter.font();
    labelFont.setPointSizeF(labelFont.pointSizeF() * 0.9);
    painter.setFont(labelFont);
    // Labels keep clear of the labels drawn so far and of every stop's circle.
    QList<QRectF> drawn;
    for (const MapNode& node : map()->nodes()) {
        if (node.stop)
            drawn.append(
                QRectF(project(node.latitude, node.longitude) - QPointF(8, 8), QSizeF(16, 16)));
    }
    for (const MapNode& node : map()->nodes()) {
        if (!node.stop)
            continue;
        const QPointF p = project(node.latitude, node.longitude);
        QStringList orders;
        for (qsizetype i = 0; i < mission.size(); ++i) {
            if (mission.at(i) == node.name)
                orders.append(QString::number(i + 1));
        }
        const bool planned = !orders.isEmpty();
        const bool offRoute = m_planner && (!route || !route->hasStop(node.name));
        painter.setPen(QPen(offRoute ? QColor(150, 150, 150) : QColor(40, 40, 40), 1.5));
        painter.setBrush(planned ? QColor(255, 150, 30)
                                 : (offRoute ? QColor(215, 215, 215) : QColor(Qt::white)));
        painter.drawEllipse(p, 7, 7);
        if (!next.isEmpty() && node.name == next) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(QColor(255, 120, 0), 2.5));
            painter.drawEllipse(p, 12, 12);
        }
        painter.setPen(offRoute ? QColor(130, 130, 130) : QColor(30, 30, 30));
        const QString label =
            planned ? QStringLiteral("%1. %2").arg(orders.join(QLatin1Char(',')), node.name)
                    : node.name;
        // Above right of the stop; where that covers a label already drawn (stops close
        // together) or leaves the widget, the first free and whole of: below right, above
        // left, below left, a line higher on the right or left. None such: the first whole.
        const QFontMetricsF metrics(painter.font());
        const double labelWidth = metrics.horizontalAdvance(label);
        const double below = 8 + metrics.ascent();
        const QPointF offsets[] = {{11, -8},
                                   {11, below},
                                   {-11 - labelWidth, -8},
                                   {-11 - labelWidth, below},
                                   {11, -8 - metrics.height()},
                                   {-11 - labelWidth, -8 - metrics.height()}};
        const auto boxAt = [&](const QPointF& offset) {
            const QPointF baseline = p + offset;
            return QRectF(baseline.x(), baseline.y() - metrics.ascent(), labelWidth,
                          metrics.height());
        };
        const auto whole = [&](const QRectF& candidate) {
            return rect().toRectF().contains(candidate);
        };
        QRectF box = boxAt(offsets[0]);
        QRectF firstWhole;
        for (const QPointF& offset : offsets) {
            const QRectF candidate = boxAt(offset);
            if (!whole(candidate))
                continue;
            if (firstWhole.isNull())
                firstWhole = candidate;
            if (std::none_of(drawn.cbegin(), drawn.cend(),
                             [&](const QRectF& other) { return other.intersects(candidate); })) {
                box = candidate;
                firstWhole = QRectF();
                break;
            }
        }
        if (!firstWhole.isNull())
            box = firstWhole;
        drawn.append(box);
        painter.drawText(QPointF(box.left(), box.top() + metrics.ascent()), label);
    }
}

int MapCanvas::badgeHeight() const
{
    // The planner's badge is one line: the dock it lives in is short.
    return fontMetrics().height() * (m_planner ? 1 : 2) + 10;
}

void MapCanvas::drawBadge(QPainter& painter) const
{
    QFont font = this->font();
    font.setBold(true);
    painter.setFont(font);
    const QString text = badgeText();
    const QString route = m_behaviour ? tr("route %1").arg(m_behaviour->route().name) : QString();
    const QFontMetrics metrics(font);
    const int width =
        std::max(metrics.horizontalAdvance(text), metrics.horizontalAdvance(route)) + 16;
    const QRectF box(4, 2, std::min(width, this->width() - 8), badgeHeight());
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 220));
    painter.drawRoundedRect(box, 6, 6);
    painter.setPen(m_behaviour ? stateColor(m_behaviour->state()) : QColor(60, 110, 210));
    painter.drawText(box.adjusted(8, 4, -8, 0), Qt::AlignLeft | Qt::AlignTop, text);
    if (route.isEmpty())
        return;
    painter.setPen(QColor(60, 60, 60));
    painter.setFont(this->font());
    painter.drawText(box.adjusted(8, 4 + metrics.height(), -8, 0), Qt::AlignLeft | Qt::AlignTop,
                     route);
}

} // namespace fleet
