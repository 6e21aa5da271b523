// ScenarioDock: files — open, save, export the run as JUnit XML. Dialogs and questions are
// opened (never exec()) and answer through signals; a file that cannot be read or written
// leaves the scenario open as it was and says why.
#include "scenariodock.h"

#include "scenariodocument.h"
#include "scenariorunner.h"
#include "scenariostepeditor.h"

#include <QAbstractButton>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSaveFile>

namespace fleet {

namespace {

const QString kFileFilter = QStringLiteral("Scenarios (*.json);;All files (*)");

} // namespace

// An unsaved scenario is not dropped without the operator's word (asked without a nested loop).
void ScenarioDock::confirmDiscard(std::function<void()> then)
{
    if (!m_document->isDirty() && !m_editor->isModified() && m_drafts.isEmpty())
        return then();
    auto* box = new QMessageBox(QMessageBox::Question, tr("Scenario"),
                                tr("Discard the changes to %1?").arg(m_document->displayName()),
                                QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [box, then](QAbstractButton* button) {
        if (box->standardButton(button) == QMessageBox::Discard)
            then();
    });
    box->open();
}

void ScenarioDock::chooseFileToOpen()
{
    auto* dialog = new QFileDialog(this, tr("Open scenario"),
                                   QFileInfo(m_document->fileName()).path(), kFileFilter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        QString error;
        if (!openFile(path, &error)) {
            auto* box =
                new QMessageBox(QMessageBox::Warning, tr("Scenario"),
                                tr("This scenario cannot be opened:"), QMessageBox::Ok, this);
            box->setInformativeText(error);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    dialog->open();
}

void ScenarioDock::chooseFileToSave()
{
    auto* dialog = new QFileDialog(this, tr("Save scenario"), m_document->fileName(), kFileFilter);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("json"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        QString error;
        saveFile(path, &error);
    });
    dialog->open();
}

void ScenarioDock::chooseJUnitFile()
{
    const QFileInfo scenario(m_document->fileName());
    const QString suggested =
        scenario.fileName().isEmpty()
            ? QStringLiteral("scenario-junit.xml")
            : scenario.dir().filePath(scenario.completeBaseName() + QStringLiteral("-junit.xml"));
    auto* dialog = new QFileDialog(this, tr("Export JUnit XML"), suggested,
                                   QStringLiteral("JUnit XML (*.xml);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("xml"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        QString error;
        if (exportJUnit(path, &error))
            setStatus(tr("The run's report is in %1").arg(QDir::toNativeSeparators(path)));
        else
            setStatus(error, true);
    });
    dialog->open();
}

void ScenarioDock::save()
{
    if (m_document->fileName().isEmpty())
        return chooseFileToSave();
    QString error;
    saveFile(m_document->fileName(), &error);
}

bool ScenarioDock::openFile(const QString& path, QString* error)
{
    ScenarioError parseError;
    // The new file's steps start without typed drafts; a refused file keeps the old ones.
    const QHash<QString, QString> drafts = std::exchange(m_drafts, {});
    const QString selected = std::exchange(m_selectedPath, QString());
    if (!m_document->load(path, &parseError)) {
        m_drafts = drafts;
        m_selectedPath = selected;
        *error = parseError.toString();
        setStatus(tr("Not opened, %1 stays open: %2").arg(m_document->displayName(), *error), true);
        return false;
    }
    setStatus(
        tr("Opened %1: %2 steps").arg(QDir::toNativeSeparators(path)).arg(m_document->stepCount()));
    return true;
}

bool ScenarioDock::saveFile(const QString& path, QString* error)
{
    if (!m_document->save(path, error)) {
        setStatus(*error, true);
        return false;
    }
    setStatus(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ScenarioDock::exportJUnit(const QString& path, QString* error) const
{
    if (!m_runner || m_runner->isRunning()) {
        *error = tr("Nothing to export: run the scenario to the end first");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(junit()) < 0 || !file.commit()) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QByteArray ScenarioDock::junit() const
{
    return m_runner ? scenarioJUnit(*m_runner) : QByteArray();
}

QString ScenarioDock::fileName() const
{
    return m_document->fileName();
}

} // namespace fleet
