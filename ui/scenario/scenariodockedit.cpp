// ScenarioDock: editing the steps (the table's selection, the step editor, add / remove / move).
// Every edit goes through ScenarioDocument, which refuses what would not parse. Text typed and
// not applied is kept per step (m_drafts holds it for the steps not in the editor) until it is
// applied or reverted: nothing typed is lost by selecting another step.
#include "scenariodock.h"

#include "scenariodocument.h"
#include "scenariostepeditor.h"
#include "scenariostepmodel.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QTableView>

#include <algorithm>

namespace fleet {

namespace {

// "steps[4].steps[1]" -> 4; -1 for anything else.
int topLevelOf(const QString& path)
{
    static const QRegularExpression top(QStringLiteral("^steps\\[(\\d+)\\]"));
    const QRegularExpressionMatch match = top.match(path);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

QString withTopLevel(const QString& path, int index)
{
    const int close = int(path.indexOf(QLatin1Char(']')));
    return QStringLiteral("steps[%1]").arg(index) + path.mid(close + 1);
}

QString topLevelPath(int index)
{
    return QStringLiteral("steps[%1]").arg(index);
}

} // namespace

int ScenarioDock::selectedTopLevel() const
{
    return topLevelOf(m_selectedPath);
}

void ScenarioDock::selectStep(const QString& path)
{
    const int row = m_model->rowOfPath(path);
    if (row < 0)
        return;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->scrollTo(m_model->index(row, 0));
}

void ScenarioDock::stashEditor()
{
    if (!m_editor->path().isEmpty() && m_editor->isModified())
        m_drafts.insert(m_editor->path(), m_editor->text());
}

void ScenarioDock::showSelected()
{
    const QString path = m_selectedPath;
    if (m_drafts.contains(path)) {
        const QString draft = m_drafts.take(path);
        m_editor->setStep(path, m_document->stepText(path), &draft);
    } else {
        m_editor->setStep(path, m_document->stepText(path));
    }
    updateActions();
}

// The document changed under the table: whoever changed it has put the editor's text into
// m_drafts already and set m_selectedPath to the step to show.
void ScenarioDock::documentChanged()
{
    QString path = m_selectedPath;
    {
        const QSignalBlocker quiet(m_table->selectionModel());
        m_model->setScenario(m_document->scenario());
        if (m_model->rowOfPath(path) < 0)
            path = m_model->pathAt(0);
        const int row = m_model->rowOfPath(path);
        if (row >= 0)
            m_table->setCurrentIndex(m_model->index(row, 0));
    }
    m_table->resizeColumnToContents(ScenarioStepModel::StepColumn);
    m_selectedPath = path;
    m_editor->setStep(QString(), QString()); // the old text is in m_drafts if it mattered
    showSelected();
    updateTitle();
}

void ScenarioDock::selectionChanged()
{
    const QString path = m_model->pathAt(m_table->currentIndex().row());
    if (path == m_editor->path())
        return updateActions();
    stashEditor();
    m_selectedPath = path;
    showSelected();
}

void ScenarioDock::applyEdit(const QString& path, const QString& text)
{
    ScenarioEditError error;
    if (!m_document->replaceStep(path, text, &error)) {
        m_editor->showError(error); // the text stays as typed
        setStatus(tr("Not applied: %1").arg(error.toString()), true);
        return;
    }
    // Applied (documentChanged showed the step as it is now); a changed body changes the
    // steps under it, so texts typed for them no longer fit.
    for (auto it = m_drafts.begin(); it != m_drafts.end();) {
        if (it.key().startsWith(path + QLatin1Char('.')))
            it = m_drafts.erase(it);
        else
            ++it;
    }
    setStatus(tr("Applied %1").arg(path));
}

bool ScenarioDock::editSteps(const std::function<bool(ScenarioEditError*)>& edit,
                             const std::function<int(int)>& newIndex, const QString& select,
                             const QString& done)
{
    if (isRunning())
        return false;
    stashEditor();
    const QHash<QString, QString> before = m_drafts;
    const QString selectedBefore = m_selectedPath;
    QHash<QString, QString> moved;
    for (auto it = m_drafts.cbegin(); it != m_drafts.cend(); ++it) {
        const int index = newIndex(topLevelOf(it.key()));
        if (index >= 0)
            moved.insert(withTopLevel(it.key(), index), it.value());
    }
    m_drafts = moved;
    m_selectedPath = select;
    ScenarioEditError error;
    if (!edit(&error)) {
        m_drafts = before;
        m_selectedPath = selectedBefore;
        m_drafts.remove(m_editor->path()); // still in the editor
        setStatus(tr("Not changed: %1").arg(error.toString()), true);
        return false;
    }
    setStatus(done);
    return true;
}

bool ScenarioDock::addStep(ScenarioStep::Kind kind)
{
    const int top = selectedTopLevel();
    const int at = top >= 0 ? top + 1 : m_document->stepCount();
    const QString text = m_document->stepTemplate(kind);
    if (!editSteps(
            [this, at, text](ScenarioEditError* error) {
                return m_document->insertStep(at, text, error);
            },
            [at](int index) { return index >= at ? index + 1 : index; }, topLevelPath(at),
            tr("Added %1: edit it and Apply").arg(topLevelPath(at))))
        return false;
    m_editor->textEdit()->setFocus();
    return true;
}

void ScenarioDock::removeSelected()
{
    const int top = selectedTopLevel();
    if (top < 0)
        return;
    // The step that takes its place is selected, or the new last one.
    const int next = std::min(top, m_document->stepCount() - 2);
    editSteps([this, top](ScenarioEditError* error) { return m_document->removeStep(top, error); },
              [top](int index) { return index == top  ? -1
                                        : index > top ? index - 1
                                                      : index; },
              topLevelPath(std::max(next, 0)), tr("Removed %1").arg(topLevelPath(top)));
}

void ScenarioDock::moveSelected(int delta)
{
    const int from = selectedTopLevel();
    const int to = from + delta;
    if (from < 0)
        return;
    editSteps([this, from,
               to](ScenarioEditError* error) { return m_document->moveStep(from, to, error); },
              [from, to](int index) { return index == from ? to
                                             : index == to ? from
                                                           : index; },
              topLevelPath(to), tr("Moved %1 to %2").arg(topLevelPath(from), topLevelPath(to)));
}

} // namespace fleet
