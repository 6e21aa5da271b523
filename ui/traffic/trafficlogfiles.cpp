// TrafficLogView's files: exporting the log (JSON Lines or CSV, written on a worker thread)
// and making a scenario of selected rows or of one device's session
// (docs/scenarios.md#record-and-replay). Every file dialog is open()ed, never exec()ed: the
// live log keeps running behind it.

#include "trafficlogview.h"

#include "scenariorecorder.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTableView>

#include <algorithm>

namespace fleet {

void TrafficLogView::chooseExportFile()
{
    // Not QFileDialog::getSaveFileName(): its nested event loop would stall the live log.
    auto* dialog = new QFileDialog(this, tr("Export traffic log"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    dialog->setNameFilters({jsonl, csv});
    dialog->setDefaultSuffix(QStringLiteral("jsonl"));
    dialog->selectFile(defaultTrafficExportName(QDateTime::currentDateTime()));
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog, csv](const QString& filter) {
        dialog->setDefaultSuffix(filter == csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    });
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& fileName) { exportTo(fileName); });
    dialog->open();
}

bool TrafficLogView::exportTo(const QString& fileName)
{
    m_model->flush(); // frames that arrived a moment ago belong in the export too
    const TrafficSnapshot snapshot = m_filter->snapshot();
    if (!m_exporter->start(snapshot, fileName, trafficExportFormatFor(fileName))) {
        showMessage(tr("An export is still running; try again when it has finished."), true);
        return false;
    }
    showMessage(
        tr("Exporting %1 frames to %2…").arg(QLocale().toString(snapshot.frames.size()), fileName),
        false);
    return true;
}

void TrafficLogView::onExportFinished(const TrafficExportResult& result)
{
    if (result.ok)
        showMessage(
            tr("Exported %1 frames to %2.").arg(QLocale().toString(result.rows), result.fileName),
            false);
    else
        showMessage(result.error, true);
    emit exportFinished(result);
}

TrafficSnapshot TrafficLogView::selectedFrames() const
{
    QList<int> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    for (const QModelIndex& index : selected)
        rows.append(m_filter->mapToSource(index).row());
    std::sort(rows.begin(), rows.end()); // the log's order, whatever order they were picked in
    return m_model->snapshot(rows);
}

TrafficSnapshot TrafficLogView::deviceSession() const
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return {};
    const quint32 device = m_filter->frameAt(current.row()).device;
    // Both sides' rows of the device: the recorder keeps one side of them.
    QList<int> rows;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->frame(row).device == device)
            rows.append(row);
    }
    return m_model->snapshot(rows);
}

void TrafficLogView::makeScenarioFromSelection()
{
    m_model->flush();
    chooseScenarioFile(selectedFrames(), QStringLiteral("rows"));
}

void TrafficLogView::makeScenarioFromDeviceSession()
{
    m_model->flush();
    const TrafficSnapshot frames = deviceSession();
    QString what = QStringLiteral("session");
    DeviceIdentity identity;
    if (!frames.frames.isEmpty() &&
        DeviceIdentity::fromString(frames.deviceName(frames.frames.first()), &identity) &&
        !identity.role.isEmpty())
        what = identity.role;
    chooseScenarioFile(frames, what);
}

void TrafficLogView::chooseScenarioFile(const TrafficSnapshot& frames, const QString& what)
{
    if (frames.frames.isEmpty()) {
        showMessage(tr("No frames to make a scenario of: select rows first."), true);
        return;
    }
    // Not QFileDialog::getSaveFileName(): its nested event loop would stall the live log.
    auto* dialog = new QFileDialog(this, tr("Save scenario"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("scenarioFileDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("Scenario (*.json)")});
    dialog->setDefaultSuffix(QStringLiteral("json"));
    QString base = what;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]+")), QStringLiteral("-"));
    dialog->selectFile(
        QStringLiteral("scenario-%1-%2.json")
            .arg(base, QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd-HHmmss"))));
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, frames](const QString& fileName) { saveScenario(frames, fileName); });
    dialog->open();
}

bool TrafficLogView::saveScenario(const TrafficSnapshot& frames, const QString& fileName)
{
    ScenarioRecordOptions options;
    options.timing = scenarioTiming() ? ScenarioRecordOptions::Timing::Recorded
                                      : ScenarioRecordOptions::Timing::Fast;
    options.name = QFileInfo(fileName).completeBaseName();
    options.source = tr("the console's traffic log");
    const ScenarioRecording recording = ScenarioRecorder::record(frames, options);
    if (!recording.ok) {
        showMessage(tr("No scenario made: %1").arg(recording.error), true);
        return false;
    }
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(recording.json) != recording.json.size() ||
        !file.commit()) {
        showMessage(tr("Cannot save the scenario as %1: %2").arg(fileName, file.errorString()),
                    true);
        return false;
    }
    const auto count = [](int n, const QString& one, const QString& many) {
        return QStringLiteral("%1 %2").arg(QLocale().toString(n), n == 1 ? one : many);
    };
    QString text =
        tr("Saved the scenario %1: %2, %3, %4.")
            .arg(fileName, count(recording.devices, tr("device"), tr("devices")),
                 count(recording.statuses, tr("status"), tr("statuses")),
                 count(recording.answers, tr("expected answer"), tr("expected answers")));
    if (!recording.leftOut.isEmpty())
        text += tr(" Left out: %1.").arg(recording.leftOut.join(QStringLiteral("; ")));
    showMessage(text, false);
    emit scenarioSaved(fileName);
    return true;
}

void TrafficLogView::setScenarioTiming(bool recorded)
{
    m_scenarioTiming->setChecked(recorded);
}

bool TrafficLogView::scenarioTiming() const
{
    return m_scenarioTiming->isChecked();
}

} // namespace fleet
