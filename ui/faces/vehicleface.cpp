#include "vehicleface.h"

#include "behaviourvehicle.h"
#include "mapcanvas.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace fleet {

VehicleFace::VehicleFace(VehicleBehaviour* behaviour, QWidget* parent)
    : QWidget(parent)
    , m_behaviour(behaviour)
{
    m_canvas = new MapCanvas(behaviour);
    m_obstacle = new QCheckBox(tr("Obstacle"));
    m_obstacle->setToolTip(tr("Something in the way: a driving vehicle halts and reports "
                              "OBSTACLE until cleared"));
    m_fault = new QCheckBox(tr("Fault"));
    m_fault->setToolTip(tr("Report ERROR until cleared"));
    m_pause = new QCheckBox(tr("Pause"));
    m_pause->setToolTip(tr("Freeze the vehicle: no movement, the stop wait stands still"));
    m_factor = new QDoubleSpinBox;
    m_factor->setRange(0.1, 10.0);
    m_factor->setSingleStep(0.5);
    m_factor->setDecimals(1);
    m_factor->setSuffix(QStringLiteral(" ×"));
    m_factor->setValue(behaviour->speedFactor());
    m_factor->setToolTip(tr("Speed factor on the map's speeds"));
    m_route = new QComboBox;
    m_route->setToolTip(tr("The route the vehicle stands on; changing it puts the vehicle at "
                           "its start, IDLE"));
    m_open = new QPushButton(tr("Open map…"));
    m_open->setToolTip(tr("Any .osm file in the subset the reference vehicle reads: nodes "
                          "(stop, name, speed tags), ways, named relations as routes"));
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("mapMessage"));
    m_message->setVisible(false);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_obstacle);
    controls->addWidget(m_fault);
    controls->addWidget(m_pause);
    controls->addWidget(m_factor);
    controls->addStretch();
    auto* mapRow = new QHBoxLayout;
    mapRow->addWidget(new QLabel(tr("Route")));
    mapRow->addWidget(m_route, 1);
    mapRow->addWidget(m_open);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_canvas, 1);
    layout->addLayout(controls);
    layout->addLayout(mapRow);
    layout->addWidget(m_message);

    connect(m_obstacle, &QCheckBox::toggled, this, [this](bool on) {
        if (m_behaviour)
            m_behaviour->setObstacle(on);
    });
    connect(m_fault, &QCheckBox::toggled, this, [this](bool on) {
        if (m_behaviour)
            m_behaviour->setFault(on);
    });
    connect(m_pause, &QCheckBox::toggled, this, [this](bool on) {
        if (m_behaviour)
            m_behaviour->setPaused(on);
    });
    connect(m_factor, &QDoubleSpinBox::valueChanged, this, [this](double factor) {
        if (m_behaviour)
            m_behaviour->setSpeedFactor(factor);
    });
    connect(m_route, &QComboBox::activated, this, [this](int index) {
        if (!m_behaviour)
            return;
        QString error;
        if (!m_behaviour->setMap(m_behaviour->sharedMap(), m_route->itemText(index), &error))
            showMessage(error);
    });
    connect(m_open, &QPushButton::clicked, this, &VehicleFace::chooseMap);
    connect(behaviour, &Behaviour::changed, this, &VehicleFace::refresh);
    refreshRoutes();
    refresh();
}

bool VehicleFace::openMap(const QString& fileName)
{
    if (!m_behaviour)
        return false;
    QString error;
    if (!m_behaviour->loadMap(fileName, {}, &error)) {
        showMessage(tr("Map not loaded: %1").arg(error));
        return false;
    }
    const QStringList warnings = m_behaviour->map().warnings();
    showMessage(warnings.isEmpty()
                    ? tr("Loaded %1.").arg(fileName)
                    : tr("Loaded %1 (%2).").arg(fileName, warnings.join(QStringLiteral("; "))));
    refreshRoutes();
    return true;
}

void VehicleFace::chooseMap()
{
    // open(), not exec(): the GUI thread never waits in a nested loop.
    auto* dialog = new QFileDialog(this, tr("Open an OSM map"), QString(),
                                   tr("OSM maps (*.osm);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &VehicleFace::openMap);
    dialog->open();
}

void VehicleFace::refreshRoutes()
{
    if (!m_behaviour)
        return;
    const QSignalBlocker blocker(m_route);
    m_route->clear();
    m_route->addItems(m_behaviour->map().routeNames());
    m_route->setCurrentText(m_behaviour->route().name);
}

void VehicleFace::showMessage(const QString& text)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void VehicleFace::refresh()
{
    if (!m_behaviour)
        return;
    if (!m_factor->hasFocus() && m_factor->value() != m_behaviour->speedFactor()) {
        const QSignalBlocker blocker(m_factor);
        m_factor->setValue(m_behaviour->speedFactor());
    }
    if (m_route->currentText() != m_behaviour->route().name) {
        const QSignalBlocker blocker(m_route);
        m_route->setCurrentText(m_behaviour->route().name); // a START switched it
    }
}

} // namespace fleet
