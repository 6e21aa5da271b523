#pragma once

#include "settingsstore.h"
#include "trafficlogexport.h"

#include <QDockWidget>
#include <QPointer>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QAction;
class QComboBox;
class QFileDialog;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

class SequenceModel;
class TrafficLogDetail;
class TrafficLogFilter;
class TrafficLogModel;

// The traffic inspector dock: a filter bar, the (filtered) log as a table that follows new
// frames unless paused, and the selected frame in full below it. The model is shared: it
// lives as long as the window and collects frames even while the dock is hidden.
class TrafficLogView : public QDockWidget {
    Q_OBJECT
public:
    explicit TrafficLogView(TrafficLogModel* model, QWidget* parent = nullptr);

    TrafficLogModel* model() const { return m_model; }
    TrafficLogFilter* filter() const { return m_filter; }
    TrafficLogDetail* detail() const { return m_detail; }
    QTableView* table() const { return m_table; }

    // Following new frames (on) or holding still (paused).
    void setAutoScroll(bool on);
    bool autoScroll() const;

    // Writes the rows the filter shows to fileName (".csv": CSV, else JSON Lines) on a worker
    // thread; the outcome appears in the dock's message line and as exportFinished().
    // False when an export is already running.
    bool exportTo(const QString& fileName);
    QString messageText() const;
    QString droppedText() const;

    // Applies the text filter now rather than after the typing pause (tests, scripts).
    void applyTextFilter();

    // Record and replay (docs/scenarios.md#record-and-replay): the frames of the selected rows,
    // or every frame the log holds of the current row's device, in the log's order.
    TrafficSnapshot selectedFrames() const;
    TrafficSnapshot deviceSession() const;
    // The context menu's "Make scenario from …": asks where to save (a non-blocking dialog),
    // then saveScenario(). The frames are taken when asked, not when the dialog closes.
    void makeScenarioFromSelection();
    void makeScenarioFromDeviceSession();
    // Records `frames` as a scenario file at fileName (recorded timing unless switched off
    // in the context menu); the outcome appears in the message line, and scenarioSaved() on
    // success. False when nothing could be recorded or written.
    bool saveScenario(const TrafficSnapshot& frames, const QString& fileName);
    void setScenarioTiming(bool recorded);
    bool scenarioTiming() const;

    // Selects the frame at `logRow` of the model and holds the view still so that it stays in
    // view (the sequence diagram's click); false when the filters hide it.
    bool selectFrame(int logRow);

    // Where each command came from (module, the operator's queue, pushed) is known to the
    // sequence diagram's model, which follows the embedded gateway's events: with it, the
    // detail pane and the Summary and Kind tooltips of a command say so.
    void setAnswerSources(SequenceModel* sequence);
    // The tooltip of a cell of the table (row and column of the table's model, the filter).
    QString cellToolTip(int row, int column) const;

    // The filters, follow/details switches and column widths, to restore on the next start.
    TrafficViewConfig viewConfig() const;
    void applyViewConfig(const TrafficViewConfig& config);

signals:
    // "Copy payload to composer" in the detail pane.
    void payloadToComposer(const QByteArray& payload);
    void exportFinished(const fleet::TrafficExportResult& result);
    // Something viewConfig() returns has changed (a filter, a switch, a column width).
    void viewConfigChanged();
    // A scenario recorded from the log was saved (the lead opens it in the Scenario dock).
    void scenarioSaved(const QString& path);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildFilterBar();
    void addDevice(const QString& device);
    void applyFilters();
    void showSelected();
    void chooseExportFile();
    void onExportFinished(const TrafficExportResult& result);
    void showMessage(const QString& text, bool error);
    void showContextMenu(const QPoint& position);
    void chooseScenarioFile(const TrafficSnapshot& frames, const QString& what);

    TrafficLogModel* m_model;
    TrafficLogFilter* m_filter;
    TrafficLogExporter* m_exporter;
    QTableView* m_table = nullptr;
    QToolButton* m_details = nullptr;
    TrafficLogDetail* m_detail = nullptr;

    QComboBox* m_device = nullptr;
    QComboBox* m_direction = nullptr;
    QComboBox* m_side = nullptr;
    QToolButton* m_kinds = nullptr;
    QLineEdit* m_text = nullptr;
    QToolButton* m_follow = nullptr;
    QLabel* m_dropped = nullptr;
    QLabel* m_message = nullptr;
    QAction* m_scenarioTiming = nullptr; // checked: the recorded pauses go into scenarios
    QPointer<SequenceModel> m_sequence;
    bool m_removing = false;
    // Text filtering decodes every row: wait until the operator stops typing.
    QTimer m_textDelay;
};

} // namespace fleet
