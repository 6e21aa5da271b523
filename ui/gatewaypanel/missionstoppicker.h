#pragma once

#include "modulecatalog.h"

#include <QStringList>
#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QToolButton;
class QVBoxLayout;
QT_END_NAMESPACE

namespace fleet {

class MapCanvas;
class OsmMap;

// The map half of the mission planner: a map (the built-in demo map, or any .osm file in the
// subset the vehicle reads), one of its routes, and the stops of a mission picked from the
// route's stop list or by clicking them on the map, in order (move, remove, clear). It builds
// the START command from the map's positions (OsmMap::mission), so the stops the vehicle is
// sent are exactly where the map has them (docs/modules.md#mission-module).
class MissionStopPicker : public QWidget {
    Q_OBJECT
public:
    explicit MissionStopPicker(QWidget* parent = nullptr);
    ~MissionStopPicker() override;

    // Loads a map file; false (the old map kept) with the reason shown and in *error.
    bool openMap(const QString& fileName, QString* error = nullptr);
    const OsmMap* map() const { return m_map.get(); }

    QString route() const;
    bool setRoute(const QString& name);

    // Appends a stop of the current route; false with *error for a stop the route lacks.
    bool addStop(const QString& name, QString* error = nullptr);
    void removeStop(int index);
    void moveStop(int index, int delta);
    void clearStops();
    QStringList plannedStops() const { return m_planned; }

    // START to the planned stops on the current route, positions from the map.
    bool mission(MissionCommand* command, QString* error = nullptr) const;

    // The columns beside the map, for the planner to add its own rows to.
    QVBoxLayout* stopsColumn() const { return m_stopsColumn; }
    QVBoxLayout* missionColumn() const { return m_missionColumn; }

    MapCanvas* canvas() const { return m_canvas; }
    QComboBox* routeCombo() const { return m_routes; }
    QListWidget* stopList() const { return m_stopList; }
    QListWidget* plannedList() const { return m_plannedList; }
    QPushButton* openMapButton() const { return m_openMap; }
    QPushButton* addButton() const { return m_add; }
    QString messageText() const;

signals:
    void planChanged();

private:
    void chooseMap();
    void refreshRoutes();
    void refreshStops();
    void refreshPlan(int selectRow = -1);
    void updateTools();
    void showMessage(const QString& text, bool error);

    std::shared_ptr<const OsmMap> m_map;
    QStringList m_planned;
    MapCanvas* m_canvas = nullptr;
    QComboBox* m_routes = nullptr;
    QPushButton* m_openMap = nullptr;
    QPushButton* m_add = nullptr;
    QListWidget* m_stopList = nullptr;
    QListWidget* m_plannedList = nullptr;
    QToolButton* m_up = nullptr;
    QToolButton* m_down = nullptr;
    QToolButton* m_remove = nullptr;
    QToolButton* m_clear = nullptr;
    QLabel* m_message = nullptr;
    QVBoxLayout* m_stopsColumn = nullptr;
    QVBoxLayout* m_missionColumn = nullptr;
};

} // namespace fleet
