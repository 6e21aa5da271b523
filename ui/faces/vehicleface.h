#pragma once

#include <QPointer>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace fleet {

class MapCanvas;
class VehicleBehaviour;

// The autonomous vehicle's face (docs/modules.md#device-behaviour): the map with the vehicle
// moving on it, and the operator's hand: obstacle, fault, pause, speed factor, route, and
// any map file in the OSM subset (a bad file is reported with its line and leaves the map).
class VehicleFace : public QWidget {
    Q_OBJECT
public:
    explicit VehicleFace(VehicleBehaviour* behaviour, QWidget* parent = nullptr);

    MapCanvas* canvas() const { return m_canvas; }
    QCheckBox* obstacleCheck() const { return m_obstacle; }
    QCheckBox* faultCheck() const { return m_fault; }
    QCheckBox* pauseCheck() const { return m_pause; }
    QComboBox* routeCombo() const { return m_route; }
    QLabel* messageLabel() const { return m_message; }

    // Loads a map file (what "Open map…" does once a file is picked).
    bool openMap(const QString& fileName);

private:
    void chooseMap();
    void refreshRoutes();
    void refresh();
    void showMessage(const QString& text);

    QPointer<VehicleBehaviour> m_behaviour;
    MapCanvas* m_canvas = nullptr;
    QCheckBox* m_obstacle = nullptr;
    QCheckBox* m_fault = nullptr;
    QCheckBox* m_pause = nullptr;
    QDoubleSpinBox* m_factor = nullptr;
    QComboBox* m_route = nullptr;
    QPushButton* m_open = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace fleet
