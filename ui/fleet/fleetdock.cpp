#include "fleetdock.h"

#include "newfleetdialog.h"
#include "textbutton.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace fleet {

FleetDock::FleetDock(QWidget* parent)
    : QDockWidget(tr("Fleet"), parent)
    , m_model(new FleetModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("fleetDock"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FleetModel::SortRole);
    m_proxy->setFilterKeyColumn(-1); // every column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    const QString acts = tr(" the selected devices, or every device shown when none is selected");
    auto* create = textToolButton(tr("New fleet…"), tr("Create N devices from one identity"));
    auto* connectButton = textToolButton(tr("Connect"), tr("Connect") + acts);
    auto* disconnectButton = textToolButton(tr("Disconnect"), tr("Disconnect") + acts);
    auto* start = textToolButton(tr("Start"), tr("Start sending:") + acts);
    auto* stop = textToolButton(tr("Stop"), tr("Stop sending:") + acts);
    auto* remove = textToolButton(tr("Remove"), tr("Disconnect and remove") + acts);
    connectButton->setObjectName(QStringLiteral("fleetConnect"));
    disconnectButton->setObjectName(QStringLiteral("fleetDisconnect"));
    start->setObjectName(QStringLiteral("fleetStart"));
    stop->setObjectName(QStringLiteral("fleetStop"));
    remove->setObjectName(QStringLiteral("fleetRemove"));
    m_filter = new QLineEdit;
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter: role, state, command…"));
    m_caption = new QLabel;

    auto* bar = new QHBoxLayout;
    for (QToolButton* button : {create, connectButton, disconnectButton, start, stop, remove})
        bar->addWidget(button);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_caption);

    m_table = new QTableView;
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetModel::Role, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // Widths from the font, not from the contents: measuring ten thousand rows on every
    // change would cost more than the rows.
    QHeaderView* header = m_table->horizontalHeader();
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto width = [&metrics](const QString& sample) {
        return metrics.horizontalAdvance(sample) + 24;
    };
    header->resizeSection(FleetModel::State, width(tr("Awaiting command, sending")));
    header->resizeSection(FleetModel::Role, width(QStringLiteral("button-10000")));
    header->resizeSection(FleetModel::Identity,
                          width(QStringLiteral("1000/0 'console button' priority 0")));
    for (int column : {FleetModel::Statuses, FleetModel::Answered, FleetModel::Errors,
                       FleetModel::RttP50, FleetModel::RttP99})
        header->resizeSection(column, width(QStringLiteral("RTT p99 ms")));
    header->setStretchLastSection(false);
    header->setSectionResizeMode(FleetModel::LastCommand, QHeaderView::Stretch);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    setWidget(content);

    connect(create, &QToolButton::clicked, this, [this] { showNewFleetDialog({}); });
    connect(connectButton, &QToolButton::clicked, this,
            [this] { m_model->connectDevices(targetRows()); });
    connect(disconnectButton, &QToolButton::clicked, this,
            [this] { m_model->disconnectDevices(targetRows()); });
    connect(start, &QToolButton::clicked, this, [this] { m_model->startSending(targetRows()); });
    connect(stop, &QToolButton::clicked, this, [this] { m_model->stopSending(targetRows()); });
    connect(remove, &QToolButton::clicked, this, [this] { m_model->removeDevices(targetRows()); });
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_table, &QTableView::doubleClicked, this, &FleetDock::openRow);
    connect(m_model, &FleetModel::summaryChanged, this, &FleetDock::updateCaption);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &FleetDock::updateCaption);
    updateCaption();
}

QList<int> FleetDock::targetRows() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    if (!selected.isEmpty()) {
        for (const QModelIndex& index : selected)
            rows.append(m_proxy->mapToSource(index).row());
        return rows;
    }
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        rows.append(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    return rows;
}

QString FleetDock::captionText() const
{
    const int total = m_model->deviceCount();
    const int connected = m_model->countInStatus(SessionStatus::Connected) +
                          m_model->countInStatus(SessionStatus::AwaitingCommand);
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    int sending = 0;
    for (int row = 0; row < total; ++row)
        sending += m_model->isSending(row) ? 1 : 0;
    QString text =
        tr("%1 devices · %2 connected · %3 sending").arg(total).arg(connected).arg(sending);
    if (selected > 0)
        text += tr(" · %1 selected").arg(selected);
    return text;
}

void FleetDock::updateCaption()
{
    m_caption->setText(captionText());
}

NewFleetDialog* FleetDock::newFleetDialog() const
{
    return m_dialog;
}

void FleetDock::showNewFleetDialog(const DeviceConfig& seed)
{
    if (!m_dialog) {
        m_dialog = new NewFleetDialog(this);
        connect(m_dialog, &NewFleetDialog::fleetRequested, this, &FleetDock::createFleet);
    }
    if (!seed.identity.role.isEmpty())
        m_dialog->setSeed(seed);
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
}

void FleetDock::createFleet(const FleetTemplate& fleet, bool startAtOnce)
{
    const int first = m_model->deviceCount();
    QString error;
    if (!m_model->addFleet(fleet, &error)) {
        if (m_dialog)
            m_dialog->showError(error);
        return;
    }
    if (m_dialog)
        m_dialog->accept();
    show();
    raise();
    if (!startAtOnce)
        return;
    QList<int> rows;
    for (int row = first; row < m_model->deviceCount(); ++row)
        rows.append(row);
    m_model->connectDevices(rows);
    m_model->startSending(rows); // each sends once it is connected
}

void FleetDock::openRow(const QModelIndex& proxyIndex)
{
    const int row = m_proxy->mapToSource(proxyIndex).row();
    if (row < 0)
        return;
    const DeviceConfig config = m_model->deviceConfig(row);
    // Its slot must be free for the tab's own connection: the fleet's device goes first.
    m_model->removeDevices({row});
    emit openInTabRequested(config);
}

} // namespace fleet
