#include "trafficlogview.h"

#include "plainlanguage.h"
#include "sequencemodel.h"
#include "textbutton.h"
#include "trafficlogdetail.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

namespace fleet {

namespace {

constexpr int kTextFilterDelayMs = 250;

} // namespace

TrafficLogView::TrafficLogView(TrafficLogModel* model, QWidget* parent)
    : QDockWidget(tr("Traffic log"), parent)
    , m_model(model)
    , m_filter(new TrafficLogFilter(this))
    , m_exporter(new TrafficLogExporter(this))
{
    setObjectName(QStringLiteral("trafficLogDock"));
    m_filter->setSourceModel(m_model);

    m_table = new QTableView;
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows at once: "Make scenario from selected rows…" records them.
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, which keeps 100,000 of them cheap.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(TrafficLogModel::TimeColumn, 96);
    m_table->setColumnWidth(TrafficLogModel::SideColumn, 72);
    m_table->setColumnWidth(TrafficLogModel::DeviceColumn, 220);
    m_table->setColumnWidth(TrafficLogModel::DirectionColumn, 120);
    m_table->setColumnWidth(TrafficLogModel::KindColumn, 170);
    m_table->setColumnWidth(TrafficLogModel::SizeColumn, 56);
    m_table->setColumnWidth(TrafficLogModel::RoundTripColumn, 80);

    m_detail = new TrafficLogDetail;
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_dropped = new QLabel;
    m_dropped->setStyleSheet(QStringLiteral("color: #b56a00;"));
    m_dropped->hide();
    m_message = new QLabel;
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildFilterBar());
    layout->addWidget(m_dropped);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    setWidget(content);

    m_textDelay.setSingleShot(true);
    m_textDelay.setInterval(kTextFilterDelayMs);
    connect(&m_textDelay, &QTimer::timeout, this, &TrafficLogView::applyTextFilter);

    for (const QString& device : m_model->devices())
        addDevice(device);
    connect(m_model, &TrafficLogModel::deviceAdded, this, &TrafficLogView::addDevice);
    connect(m_model, &TrafficLogModel::droppedCountChanged, this, [this] {
        m_dropped->setText(m_model->droppedText());
        m_dropped->setVisible(m_model->droppedCount() > 0);
    });
    connect(m_model, &TrafficLogModel::rowsFlushed, this, [this] {
        if (autoScroll())
            m_table->scrollToBottom();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrafficLogView::showSelected);
    // When the selected row is dropped (the log is full) or cleared, the selection moves on by
    // itself; the detail pane keeps the frame the operator chose instead of jumping.
    connect(m_filter, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this] { m_removing = true; });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, [this] { m_removing = false; });
    connect(m_detail, &TrafficLogDetail::payloadToComposer, this,
            &TrafficLogView::payloadToComposer);
    connect(m_exporter, &TrafficLogExporter::finished, this, &TrafficLogView::onExportFinished);
    connect(m_table, &QWidget::customContextMenuRequested, this, &TrafficLogView::showContextMenu);
    m_table->viewport()->installEventFilter(this); // tooltips that know a command's origin
    m_scenarioTiming = new QAction(tr("Keep the recorded pauses in scenarios"), this);
    m_scenarioTiming->setCheckable(true);
    m_scenarioTiming->setChecked(true);
    m_scenarioTiming->setToolTip(tr("On: a scenario waits as long between statuses as the "
                                    "log shows; off: it sends each status as soon as the "
                                    "previous one is answered."));
    connect(m_table->horizontalHeader(), &QHeaderView::sectionResized, this,
            &TrafficLogView::viewConfigChanged);
}

QWidget* TrafficLogView::buildFilterBar()
{
    m_device = new QComboBox;
    m_device->addItem(tr("All devices"));
    // Sized by a fixed number of characters: a long device label must not widen the window.
    m_device->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_device->setMinimumContentsLength(14);
    m_device->setToolTip(tr("Show the frames of one device only."));

    m_direction = new QComboBox;
    m_direction->addItem(tr("Both directions"));
    m_direction->addItem(trafficDirectionName(TrafficDirection::DeviceToGateway),
                         int(TrafficDirection::DeviceToGateway));
    m_direction->addItem(trafficDirectionName(TrafficDirection::GatewayToDevice),
                         int(TrafficDirection::GatewayToDevice));
    for (const TrafficDirection direction :
         {TrafficDirection::DeviceToGateway, TrafficDirection::GatewayToDevice})
        m_direction->setItemData(m_direction->findData(int(direction)),
                                 trafficDirectionExplanation(direction), Qt::ToolTipRole);
    m_direction->setToolTip(trafficColumnExplanation(TrafficLogModel::DirectionColumn));

    // The keys are TrafficViewConfig::rows.
    m_side = new QComboBox;
    m_side->addItem(tr("One row per frame"), QStringLiteral("frame"));
    m_side->addItem(tr("Both sides' rows"), QStringLiteral("both"));
    m_side->addItem(tr("Logged by devices"), trafficSideKey(TrafficSide::Device));
    m_side->addItem(tr("Logged by the gateway"), trafficSideKey(TrafficSide::Gateway));
    for (QComboBox* combo : {m_direction, m_side}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(15);
    }
    m_side->setToolTip(tr("A console device talking to the embedded gateway is logged twice: "
                          "once as the device saw it, once as the gateway did. One row per "
                          "frame shows the device's row (and the gateway's errors); both "
                          "sides shows every row."));

    m_kinds = textToolButton(tr("Kinds"), tr("Which kinds of frames to show."));
    m_kinds->setPopupMode(QToolButton::InstantPopup);
    auto* kindMenu = new QMenu(m_kinds);
    kindMenu->setToolTipsVisible(true); // each kind's tooltip explains the term
    // Several kinds are usually ticked in a row: the menu stays open until clicked outside.
    kindMenu->installEventFilter(this);
    for (int kind = 0; kind < kTrafficKindCount; ++kind) {
        QAction* action = kindMenu->addAction(trafficKindName(TrafficKind(kind)));
        action->setCheckable(true);
        action->setChecked(true);
        action->setData(kind);
        action->setToolTip(trafficKindExplanation(TrafficKind(kind)));
        connect(action, &QAction::toggled, this, &TrafficLogView::applyFilters);
    }
    m_kinds->setMenu(kindMenu);

    m_text = new QLineEdit;
    m_text->setMinimumWidth(m_text->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 12);
    m_text->setClearButtonEnabled(true);
    m_text->setPlaceholderText(tr("Filter: words in the summary, device or kind"));
    connect(m_text, &QLineEdit::textChanged, this, [this] { m_textDelay.start(); });
    connect(m_text, &QLineEdit::returnPressed, this, &TrafficLogView::applyTextFilter);

    m_follow = textToolButton(tr("Auto-scroll"),
                              tr("Follow new frames; off holds the view still while frames "
                                 "keep arriving."));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QToolButton::toggled, this, [this](bool on) {
        m_follow->setText(on ? tr("Auto-scroll") : tr("Paused"));
        if (on)
            m_table->scrollToBottom();
        emit viewConfigChanged();
    });

    auto* clear = textToolButton(tr("Clear"), tr("Forget every logged frame."));
    connect(clear, &QToolButton::clicked, this, [this] {
        m_model->clear();
        m_detail->clearFrame();
        m_message->hide();
    });
    m_details = textToolButton(tr("Details"), tr("Show or hide the selected frame's envelope, "
                                                 "payload and wire bytes."));
    m_details->setCheckable(true);
    m_details->setChecked(true);
    connect(m_details, &QToolButton::toggled, this, [this](bool on) {
        m_detail->setVisible(on);
        emit viewConfigChanged();
    });
    auto* exportButton =
        textToolButton(tr("Export…"), tr("Save the frames shown (filters apply) as JSON Lines "
                                         "or CSV."));
    connect(exportButton, &QToolButton::clicked, this, &TrafficLogView::chooseExportFile);

    for (QComboBox* combo : {m_device, m_direction, m_side})
        connect(combo, &QComboBox::currentIndexChanged, this, &TrafficLogView::applyFilters);

    auto* bar = new QWidget;
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_device);
    row->addWidget(m_direction);
    row->addWidget(m_side);
    row->addWidget(m_kinds);
    row->addWidget(m_text, 1);
    row->addWidget(m_follow);
    row->addWidget(m_details);
    row->addWidget(clear);
    row->addWidget(exportButton);
    return bar;
}

bool TrafficLogView::eventFilter(QObject* watched, QEvent* event)
{
    // The type first: the table is only asked for its viewport while it is alive to show one.
    if (event->type() == QEvent::ToolTip && watched == m_table->viewport()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QModelIndex index = m_table->indexAt(help->pos());
        const QString text = index.isValid() ? cellToolTip(index.row(), index.column()) : QString();
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, m_table->viewport(),
                               m_table->visualRect(index));
        return true;
    }
    auto* menu = qobject_cast<QMenu*>(watched);
    if (menu && event->type() == QEvent::MouseButtonRelease) {
        QAction* action = menu->activeAction();
        if (action && action->isCheckable() && action->isEnabled()) {
            action->toggle();
            return true; // handled: the menu stays open
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

void TrafficLogView::setAnswerSources(SequenceModel* sequence)
{
    m_sequence = sequence;
}

QString TrafficLogView::cellToolTip(int row, int column) const
{
    const QModelIndex index = m_filter->index(row, column);
    QString text = index.data(Qt::ToolTipRole).toString();
    if (!m_sequence ||
        (column != TrafficLogModel::SummaryColumn && column != TrafficLogModel::KindColumn))
        return text;
    const QString origin =
        answerOriginSentence(m_sequence->answerSource(m_filter->mapToSource(index).row()));
    if (!origin.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + origin;
    return text;
}

void TrafficLogView::addDevice(const QString& device)
{
    if (m_device->findData(device) >= 0)
        return;
    m_device->addItem(readableDeviceLabel(device), device);
    m_device->setItemData(m_device->count() - 1, device, Qt::ToolTipRole);
}

void TrafficLogView::applyFilters()
{
    m_filter->setDeviceFilter(m_device->currentData().toString());
    const QVariant direction = m_direction->currentData();
    m_filter->setDirectionFilter(
        direction.isValid() ? std::optional(TrafficDirection(direction.toInt())) : std::nullopt);
    const QString rows = m_side->currentData().toString();
    m_filter->setOneRowPerFrame(rows == QLatin1String("frame"));
    if (rows == trafficSideKey(TrafficSide::Device))
        m_filter->setSideFilter(TrafficSide::Device);
    else if (rows == trafficSideKey(TrafficSide::Gateway))
        m_filter->setSideFilter(TrafficSide::Gateway);
    else
        m_filter->setSideFilter(std::nullopt);
    quint32 kinds = 0;
    int shown = 0;
    const QList<QAction*> actions = m_kinds->menu()->actions();
    for (const QAction* action : actions) {
        if (action->isChecked()) {
            kinds |= TrafficLogFilter::kindBit(TrafficKind(action->data().toInt()));
            ++shown;
        }
    }
    m_filter->setShownKinds(kinds);
    m_kinds->setText(shown == kTrafficKindCount
                         ? tr("Kinds")
                         : tr("Kinds (%1 of %2)").arg(shown).arg(kTrafficKindCount));
    emit viewConfigChanged();
}

void TrafficLogView::applyTextFilter()
{
    m_textDelay.stop();
    m_filter->setTextFilter(m_text->text());
    emit viewConfigChanged();
}

TrafficViewConfig TrafficLogView::viewConfig() const
{
    TrafficViewConfig config;
    config.device = m_device->currentData().toString();
    const QVariant direction = m_direction->currentData();
    config.direction =
        direction.isValid() ? trafficDirectionKey(TrafficDirection(direction.toInt())) : QString();
    config.rows = m_side->currentData().toString();
    config.kinds = m_filter->shownKinds();
    config.text = m_text->text();
    config.follow = autoScroll();
    config.details = m_details->isChecked();
    config.header = m_table->horizontalHeader()->saveState();
    return config;
}

void TrafficLogView::applyViewConfig(const TrafficViewConfig& config)
{
    if (!config.device.isEmpty())
        addDevice(config.device); // its frames come later; the filter waits for them
    m_device->setCurrentIndex(qMax(0, m_device->findData(config.device)));
    int direction = 0;
    for (int i = 1; i < m_direction->count(); ++i) {
        if (trafficDirectionKey(TrafficDirection(m_direction->itemData(i).toInt())) ==
            config.direction)
            direction = i;
    }
    m_direction->setCurrentIndex(direction);
    m_side->setCurrentIndex(qMax(0, m_side->findData(config.rows)));
    for (QAction* action : m_kinds->menu()->actions()) {
        const auto kind = TrafficKind(action->data().toInt());
        QSignalBlocker blocker(action);
        action->setChecked(config.kinds & TrafficLogFilter::kindBit(kind));
    }
    m_text->setText(config.text);
    m_follow->setChecked(config.follow);
    m_details->setChecked(config.details);
    if (!config.header.isEmpty())
        m_table->horizontalHeader()->restoreState(config.header);
    applyFilters();
    applyTextFilter();
}

void TrafficLogView::setAutoScroll(bool on)
{
    m_follow->setChecked(on);
}

bool TrafficLogView::selectFrame(int logRow)
{
    const QModelIndex index = m_filter->mapFromSource(m_model->index(logRow, 0));
    if (!index.isValid())
        return false;
    setAutoScroll(false);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

bool TrafficLogView::autoScroll() const
{
    return m_follow->isChecked();
}

void TrafficLogView::showSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (m_removing || !current.isValid())
        return;
    const TrafficFrame& frame = m_filter->frameAt(current.row());
    const GatewayEvent::Source origin =
        m_sequence ? m_sequence->answerSource(m_filter->mapToSource(current).row())
                   : GatewayEvent::Source::None;
    m_detail->showFrame(frame, m_model->deviceName(frame), origin);
}

void TrafficLogView::showContextMenu(const QPoint& position)
{
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const bool selected = m_table->selectionModel()->hasSelection();
    QAction* fromRows = menu->addAction(tr("Make scenario from selected rows…"), this,
                                        &TrafficLogView::makeScenarioFromSelection);
    fromRows->setObjectName(QStringLiteral("scenarioFromRows"));
    fromRows->setEnabled(selected);
    QAction* fromDevice = menu->addAction(tr("Make scenario from this device's session…"), this,
                                          &TrafficLogView::makeScenarioFromDeviceSession);
    fromDevice->setObjectName(QStringLiteral("scenarioFromDevice"));
    fromDevice->setEnabled(m_table->currentIndex().isValid());
    menu->addAction(m_scenarioTiming);
    // popup(), not exec(): no nested event loop while frames keep arriving.
    menu->popup(m_table->viewport()->mapToGlobal(position));
}

void TrafficLogView::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
    m_message->show();
}

QString TrafficLogView::messageText() const
{
    return m_message->text();
}

QString TrafficLogView::droppedText() const
{
    return m_model->droppedCount() > 0 ? m_dropped->text() : QString();
}

} // namespace fleet
