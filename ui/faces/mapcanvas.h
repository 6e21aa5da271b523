#pragma once

#include <QPointer>
#include <QWidget>

namespace fleet {

class VehicleBehaviour;

// The vehicle's map, drawn with QPainter from the loaded OSM nodes and ways: every way, the
// current route, the named stops (the mission's numbered and highlighted), the trail, the
// vehicle as an arrow along its heading, and a badge with state, speed and next stop.
class MapCanvas : public QWidget {
    Q_OBJECT
public:
    explicit MapCanvas(VehicleBehaviour* behaviour, QWidget* parent = nullptr);

    // Where a map position lands in the widget (for tests and overlays).
    QPointF project(double latitude, double longitude) const;
    // The badge's text: "DRIVE · 4.0 m/s · next stop Canteen".
    QString badgeText() const;

    QSize sizeHint() const override { return {420, 300}; }
    QSize minimumSizeHint() const override { return {220, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int badgeHeight() const;
    void drawBadge(QPainter& painter) const;

    QPointer<VehicleBehaviour> m_behaviour;
};

} // namespace fleet
