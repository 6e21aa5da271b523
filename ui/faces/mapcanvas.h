#pragma once

#include <QPointer>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>

namespace fleet {

class OsmMap;
struct MapRoute;
class VehicleBehaviour;

// A map drawn with QPainter from the loaded OSM nodes and ways: every way, the current route,
// the named stops (a mission's numbered and highlighted) and, for a vehicle, the trail, the
// vehicle as an arrow along its heading and a badge with state, speed and next stop.
//
// Two uses share it: a vehicle's face (the behaviour gives map, route and mission) and the
// gateway's mission planner (a map and route set from outside, the planned stops numbered, no
// vehicle). Either way a click on a stop says which one (stopClicked).
class MapCanvas : public QWidget {
    Q_OBJECT
public:
    // How near a click must land to a stop's centre to pick it.
    static constexpr int kPickRadiusPx = 14;

    explicit MapCanvas(VehicleBehaviour* behaviour, QWidget* parent = nullptr);
    // A map without a vehicle (the mission planner): empty until setMap().
    explicit MapCanvas(QWidget* parent = nullptr);

    // Planner mode: the map and the route drawn on top (stops off it are greyed).
    void setMap(std::shared_ptr<const OsmMap> map, const QString& route);
    // Planner mode: stops shown numbered in this order (a name may repeat).
    void setPlannedStops(const QStringList& names);
    QStringList plannedStops() const { return m_planned; }
    // Planner mode: where a connected vehicle last said it is (its status), drawn as a dot in
    // its state's colour with its next stop ringed; nullopt draws none.
    struct ReportedVehicle {
        double latitude = 0;
        double longitude = 0;
        QString state; // "DRIVE"
        QString nextStop;
        bool operator==(const ReportedVehicle&) const = default;
    };
    void setReportedVehicle(const std::optional<ReportedVehicle>& vehicle);
    std::optional<ReportedVehicle> reportedVehicle() const { return m_reported; }

    // Where a map position lands in the widget (for tests and overlays).
    QPointF project(double latitude, double longitude) const;
    // Where the named stop is drawn; a null point for an unknown name.
    QPointF stopPoint(const QString& name) const;
    // The stop drawn nearest to a widget point within kPickRadiusPx; empty when none.
    QString stopAt(const QPointF& point) const;
    // The badge's text: "DRIVE · 4.0 m/s · next stop Canteen"; planner mode: the route.
    QString badgeText() const;

    QSize sizeHint() const override { return {420, 300}; }
    QSize minimumSizeHint() const override { return {220, 160}; }

signals:
    void stopClicked(const QString& name);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    const OsmMap* map() const;
    const MapRoute* route() const;
    QStringList missionNames() const;
    int badgeHeight() const;
    void drawBadge(QPainter& painter) const;
    void drawStops(QPainter& painter) const;

    QPointer<VehicleBehaviour> m_behaviour;
    bool m_planner = false;
    std::shared_ptr<const OsmMap> m_map;       // planner mode
    QString m_routeName;                       // planner mode
    QStringList m_planned;                     // planner mode
    std::optional<ReportedVehicle> m_reported; // planner mode
};

} // namespace fleet
