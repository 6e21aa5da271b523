#pragma once

#include "scenario.h"

#include <QDockWidget>
#include <QHash>
#include <QPointer>

#include <functional>

QT_BEGIN_NAMESPACE
class QAction;
class QLabel;
class QMenu;
class QTableView;
QT_END_NAMESPACE

namespace fleet {

class GatewayController;
class InternalClient;
class ScenarioDocument;
struct ScenarioEditError;
class ScenarioRunner;
class ScenarioStepEditor;
class ScenarioStepModel;

// The console's Scenario dock (docs/scenarios.md#in-the-console): open a scenario file, edit
// its steps in a table and the selected step's JSON, run it against the embedded gateway
// (or the servers the file names), watch each step turn green or red with the reason, stop,
// save, and export the run as JUnit XML. Nothing here waits in a nested loop: file dialogs
// and questions are opened and answer through signals.
class ScenarioDock : public QDockWidget {
    Q_OBJECT
public:
    explicit ScenarioDock(GatewayController* gateway, QWidget* parent = nullptr);
    ~ScenarioDock() override;

    // Opens a scenario; a bad file leaves the one open as it was, *error naming
    // FILE:LINE:COLUMN: STEP: what is wrong.
    bool openFile(const QString& path, QString* error);
    bool saveFile(const QString& path, QString* error);
    bool exportJUnit(const QString& path, QString* error) const;
    QString fileName() const;

    void run();
    void stop();
    bool isRunning() const;
    // The last run's report, empty before any run.
    QByteArray junit() const;

    ScenarioDocument* document() const { return m_document; }
    ScenarioStepModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    ScenarioStepEditor* editor() const { return m_editor; }
    QString statusText() const;
    // The file's name, with " *" while it has unsaved changes.
    QString fileLabel() const;
    // Selects the row of a step path ("steps[2]"); the editor shows it.
    void selectStep(const QString& path);
    // Inserts a template step of this kind after the selected top-level step.
    bool addStep(ScenarioStep::Kind kind);

signals:
    // A scenario device's new client, before its first frame (for the traffic log).
    void clientCreated(fleet::InternalClient* client, const QString& deviceKey);
    void runFinished(bool passed);
    void fileNameChanged(const QString& fileName);

private:
    void buildActions();
    QMenu* buildAddMenu();
    void confirmDiscard(std::function<void()> then);
    void chooseFileToOpen();
    void chooseFileToSave();
    void chooseJUnitFile();
    void save();
    void applyEdit(const QString& path, const QString& text);
    void removeSelected();
    void moveSelected(int delta);
    // Runs an edit of the top-level steps: unapplied texts follow their steps (newIndex maps
    // an index before the edit to one after, -1 for gone) and `select` is selected after;
    // when the document refuses, everything stays as it was.
    bool editSteps(const std::function<bool(ScenarioEditError*)>& edit,
                   const std::function<int(int)>& newIndex, const QString& select,
                   const QString& done);
    void stashEditor();
    void showSelected();
    void documentChanged();
    void selectionChanged();
    int selectedTopLevel() const;
    void runEnded(bool passed);
    void setStatus(const QString& text, bool error = false);
    void updateActions();
    void updateTitle();

    GatewayController* m_gateway;
    ScenarioDocument* m_document = nullptr;
    ScenarioStepModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    ScenarioStepEditor* m_editor = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_file = nullptr;
    QPointer<ScenarioRunner> m_runner;
    QString m_selectedPath;
    QHash<QString, QString> m_drafts; // typed, not applied, by step path
    bool m_stopRequested = false;

    QAction* m_new = nullptr;
    QAction* m_open = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_run = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_export = nullptr;
    QAction* m_add = nullptr;
    QAction* m_remove = nullptr;
    QAction* m_up = nullptr;
    QAction* m_down = nullptr;
};

} // namespace fleet
