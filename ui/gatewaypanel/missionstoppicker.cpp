#include "missionstoppicker.h"

#include "behaviourmap.h"
#include "mapcanvas.h"
#include "textbutton.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fleet {

MissionStopPicker::MissionStopPicker(QWidget* parent)
    : QWidget(parent)
{
    m_canvas = new MapCanvas;
    m_canvas->setToolTip(tr("Click a stop of the route to add it to the mission"));
    m_routes = new QComboBox;
    m_routes->setToolTip(tr("The route of the mission; its stops are the ones a vehicle can "
                            "be sent to (a stop off the route puts the vehicle in ERROR)"));
    m_openMap = new QPushButton(tr("Open map…"));
    m_openMap->setToolTip(tr("Any .osm file in the subset the vehicle reads; it should be the "
                             "map the vehicle drives on"));
    m_stopList = new QListWidget;
    m_stopList->setObjectName(QStringLiteral("routeStops"));
    m_stopList->setToolTip(tr("Double-click (or Enter) to add a stop to the mission"));
    m_add = new QPushButton(tr("Add ›"));
    m_add->setToolTip(tr("Add the selected stop to the end of the mission"));
    m_add->setEnabled(false);
    m_plannedList = new QListWidget;
    m_plannedList->setObjectName(QStringLiteral("plannedStops"));
    m_plannedList->setToolTip(tr("The mission's stops, driven to in this order"));
    for (QListWidget* list : {m_stopList, m_plannedList})
        list->setMinimumHeight(3 * list->fontMetrics().height());
    m_up = textToolButton(QStringLiteral("↑"), tr("Move the selected stop earlier"));
    m_down = textToolButton(QStringLiteral("↓"), tr("Move the selected stop later"));
    m_remove = textToolButton(QStringLiteral("✕"), tr("Remove the selected stop"));
    m_clear = textToolButton(tr("Clear"), tr("Remove every stop"));
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("plannerMapMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* routeRow = new QHBoxLayout;
    routeRow->addWidget(new QLabel(tr("Route")));
    routeRow->addWidget(m_routes, 1);
    routeRow->addWidget(m_openMap);
    // Rows are few and lists short: in a bottom dock of a 1366x768 screen (about 230 px) the
    // whole planner fits without scrolling.
    auto* addColumn = new QVBoxLayout;
    addColumn->addWidget(m_add);
    addColumn->addStretch(1);
    auto* listRow = new QHBoxLayout;
    listRow->addWidget(m_stopList, 1);
    listRow->addLayout(addColumn);
    m_stopsColumn = new QVBoxLayout;
    m_stopsColumn->addLayout(routeRow);
    m_stopsColumn->addLayout(listRow, 1);
    m_stopsColumn->addWidget(m_message);

    auto* planHead = new QHBoxLayout;
    planHead->addWidget(new QLabel(tr("Mission, in order")), 1);
    for (QToolButton* button : {m_up, m_down, m_remove, m_clear})
        planHead->addWidget(button);
    m_missionColumn = new QVBoxLayout;
    m_missionColumn->addLayout(planHead);
    m_missionColumn->addWidget(m_plannedList, 1);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // The map's drawing keeps its aspect: beyond about twice its height, width is wasted.
    layout->addWidget(m_canvas, 2);
    layout->addLayout(m_stopsColumn, 2);
    layout->addLayout(m_missionColumn, 3);

    connect(m_canvas, &MapCanvas::stopClicked, this,
            [this](const QString& name) { addStop(name); });
    connect(m_stopList, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { addStop(item->text()); });
    connect(m_stopList, &QListWidget::currentRowChanged, this,
            [this](int row) { m_add->setEnabled(row >= 0); });
    connect(m_add, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = m_stopList->currentItem())
            addStop(item->text());
    });
    connect(m_routes, &QComboBox::activated, this,
            [this](int index) { setRoute(m_routes->itemText(index)); });
    connect(m_openMap, &QPushButton::clicked, this, &MissionStopPicker::chooseMap);
    connect(m_plannedList, &QListWidget::currentRowChanged, this, &MissionStopPicker::updateTools);
    connect(m_up, &QToolButton::clicked, this,
            [this] { moveStop(m_plannedList->currentRow(), -1); });
    connect(m_down, &QToolButton::clicked, this,
            [this] { moveStop(m_plannedList->currentRow(), 1); });
    connect(m_remove, &QToolButton::clicked, this,
            [this] { removeStop(m_plannedList->currentRow()); });
    connect(m_clear, &QToolButton::clicked, this, &MissionStopPicker::clearStops);

    QString error;
    if (!openMap(OsmMap::demoMapFile(), &error))
        showMessage(tr("The built-in map did not load: %1").arg(error), true);
    else
        m_message->hide(); // no "loaded" note for the default
    updateTools();
}

MissionStopPicker::~MissionStopPicker() = default;

bool MissionStopPicker::openMap(const QString& fileName, QString* error)
{
    auto loaded = std::make_shared<OsmMap>();
    QString why;
    if (!loaded->load(fileName, &why)) {
        showMessage(tr("Map not loaded (the previous one stays): %1").arg(why), true);
        if (error)
            *error = why;
        return false;
    }
    m_map = loaded;
    const QStringList& warnings = m_map->warnings();
    showMessage(warnings.isEmpty()
                    ? tr("Loaded %1.").arg(fileName)
                    : tr("Loaded %1 (%2).").arg(fileName, warnings.join(QStringLiteral("; "))),
                false);
    m_planned.clear();
    refreshRoutes();
    setRoute(m_map->routes().first().name);
    return true;
}

void MissionStopPicker::chooseMap()
{
    // open(), not exec(): the GUI thread never waits in a nested loop.
    auto* dialog = new QFileDialog(this, tr("Open an OSM map"), QString(),
                                   tr("OSM maps (*.osm);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& file) { openMap(file); });
    dialog->open();
}

QString MissionStopPicker::route() const
{
    return m_routes->currentText();
}

bool MissionStopPicker::setRoute(const QString& name)
{
    const MapRoute* route = m_map ? m_map->route(name) : nullptr;
    if (!route)
        return false;
    {
        const QSignalBlocker blocker(m_routes);
        m_routes->setCurrentText(name);
    }
    // Stops of the old route that the new one lacks would put the vehicle in ERROR.
    QStringList dropped;
    for (qsizetype i = m_planned.size() - 1; i >= 0; --i) {
        if (!route->hasStop(m_planned.at(i)))
            dropped.prepend(m_planned.takeAt(i));
    }
    if (!dropped.isEmpty())
        showMessage(tr("Removed from the mission (not on route %1): %2")
                        .arg(name, dropped.join(QStringLiteral(", "))),
                    false);
    m_canvas->setMap(m_map, name);
    refreshStops();
    refreshPlan();
    return true;
}

bool MissionStopPicker::addStop(const QString& name, QString* error)
{
    const MapRoute* route = m_map ? m_map->route(this->route()) : nullptr;
    if (!route || !route->hasStop(name)) {
        const QString why = tr("%1 is not a stop of route %2").arg(name, this->route());
        showMessage(why, true);
        if (error)
            *error = why;
        return false;
    }
    m_planned.append(name);
    m_message->hide();
    refreshPlan(int(m_planned.size()) - 1);
    return true;
}

void MissionStopPicker::removeStop(int index)
{
    if (index < 0 || index >= m_planned.size())
        return;
    m_planned.removeAt(index);
    refreshPlan(std::min(index, int(m_planned.size()) - 1));
}

void MissionStopPicker::moveStop(int index, int delta)
{
    const int to = index + delta;
    if (index < 0 || index >= m_planned.size() || to < 0 || to >= m_planned.size())
        return;
    m_planned.move(index, to);
    refreshPlan(to);
}

void MissionStopPicker::clearStops()
{
    m_planned.clear();
    refreshPlan();
}

bool MissionStopPicker::mission(MissionCommand* command, QString* error) const
{
    QString why;
    if (!m_map)
        why = tr("no map");
    else if (m_planned.isEmpty())
        why = tr("no stops planned: pick them from the list or on the map");
    else if (m_map->mission(route(), m_planned, command, &why))
        return true;
    if (error)
        *error = why;
    return false;
}

QString MissionStopPicker::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void MissionStopPicker::refreshRoutes()
{
    const QSignalBlocker blocker(m_routes);
    m_routes->clear();
    if (m_map)
        m_routes->addItems(m_map->routeNames());
}

void MissionStopPicker::refreshStops()
{
    m_stopList->clear();
    const MapRoute* route = m_map ? m_map->route(this->route()) : nullptr;
    if (!route)
        return;
    // A stop the route passes twice is listed once.
    QStringList names;
    for (const QString& name : route->stopNames) {
        if (!names.contains(name))
            names.append(name);
    }
    m_stopList->addItems(names);
}

void MissionStopPicker::refreshPlan(int selectRow)
{
    {
        const QSignalBlocker blocker(m_plannedList);
        m_plannedList->clear();
        for (qsizetype i = 0; i < m_planned.size(); ++i)
            m_plannedList->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(m_planned.at(i)));
        m_plannedList->setCurrentRow(selectRow);
    }
    m_canvas->setPlannedStops(m_planned);
    updateTools();
    emit planChanged();
}

void MissionStopPicker::updateTools()
{
    const int row = m_plannedList->currentRow();
    const bool selected = row >= 0 && row < m_planned.size();
    m_up->setEnabled(selected && row > 0);
    m_down->setEnabled(selected && row + 1 < m_planned.size());
    m_remove->setEnabled(selected);
    m_clear->setEnabled(!m_planned.isEmpty());
}

void MissionStopPicker::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
    m_message->show();
}

} // namespace fleet
