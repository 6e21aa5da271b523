#include "scenariodock.h"

#include "gatewaycontroller.h"
#include "scenariodocument.h"
#include "scenariorunner.h"
#include "scenariostepeditor.h"
#include "scenariostepmodel.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace fleet {

namespace {

QString seconds(qint64 ms)
{
    return QLocale(QLocale::English).toString(ms / 1000.0, 'f', 1) + QStringLiteral(" s");
}

} // namespace

ScenarioDock::ScenarioDock(GatewayController* gateway, QWidget* parent)
    : QDockWidget(tr("Scenario"), parent)
    , m_gateway(gateway)
    , m_document(new ScenarioDocument(this))
    , m_model(new ScenarioStepModel(this))
{
    setObjectName(QStringLiteral("scenarioDock"));
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("scenarioSteps"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setColumnWidth(ScenarioStepModel::StepColumn, 150);
    m_table->setColumnWidth(ScenarioStepModel::KindColumn, 118);
    m_table->setColumnWidth(ScenarioStepModel::DeviceColumn, 70);
    m_table->setColumnWidth(ScenarioStepModel::WhatColumn, 320);

    m_editor = new ScenarioStepEditor;
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("scenarioStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* toolbar = new QToolBar;
    toolbar->setIconSize(QSize(16, 16));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buildActions();
    toolbar->addActions({m_new, m_open, m_save, m_saveAs});
    toolbar->addSeparator();
    toolbar->addActions({m_run, m_stop, m_export});
    toolbar->addSeparator();
    toolbar->addAction(m_add);
    if (auto* button = qobject_cast<QToolButton*>(toolbar->widgetForAction(m_add)))
        button->setPopupMode(QToolButton::InstantPopup);
    toolbar->addActions({m_remove, m_up, m_down});
    // The file's name stays in view; the dock's title (and its View menu entry) stays short.
    m_file = new QLabel;
    m_file->setObjectName(QStringLiteral("scenarioFile"));
    m_file->setContentsMargins(12, 0, 4, 0);
    toolbar->addWidget(m_file);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_table);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(2);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    setWidget(content);

    connect(m_document, &ScenarioDocument::changed, this, &ScenarioDock::documentChanged);
    connect(m_document, &ScenarioDocument::dirtyChanged, this, &ScenarioDock::updateTitle);
    connect(m_document, &ScenarioDocument::fileNameChanged, this, [this](const QString& name) {
        updateTitle();
        emit fileNameChanged(name);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ScenarioDock::selectionChanged);
    connect(m_editor, &ScenarioStepEditor::applyRequested, this, &ScenarioDock::applyEdit);
    documentChanged();
    setStatus(tr("A new scenario: add steps to it, or open a file."));
}

ScenarioDock::~ScenarioDock() = default;

void ScenarioDock::buildActions()
{
    const auto make = [this](const QString& text, const char* name, const QString& tip) {
        auto* action = new QAction(text, this);
        action->setObjectName(QLatin1String(name));
        action->setToolTip(tip);
        return action;
    };
    m_new = make(tr("New"), "scenarioNew", tr("Start a new scenario"));
    m_open = make(tr("Open…"), "scenarioOpen", tr("Open a scenario file"));
    m_save = make(tr("Save"), "scenarioSave", tr("Save the scenario"));
    m_saveAs = make(tr("Save as…"), "scenarioSaveAs", tr("Save the scenario under a new name"));
    m_run = make(tr("Run"), "scenarioRun", tr("Run the scenario against the embedded gateway"));
    m_stop = make(tr("Stop"), "scenarioStop", tr("Stop the run; its devices disconnect"));
    m_export = make(tr("Export JUnit…"), "scenarioExportJUnit",
                    tr("Write the last run as JUnit XML, for CI tools"));
    m_add = make(tr("Add step"), "scenarioAddStep", tr("Insert a step after the selected one"));
    m_add->setMenu(buildAddMenu());
    m_remove = make(tr("Remove"), "scenarioRemoveStep", tr("Remove the selected step"));
    m_up = make(tr("Up"), "scenarioMoveUp", tr("Move the selected step up"));
    m_down = make(tr("Down"), "scenarioMoveDown", tr("Move the selected step down"));

    connect(m_new, &QAction::triggered, this, [this] {
        confirmDiscard([this] {
            m_drafts.clear();
            m_selectedPath.clear();
            m_document->reset();
            setStatus(tr("A new scenario"));
        });
    });
    connect(m_open, &QAction::triggered, this,
            [this] { confirmDiscard([this] { chooseFileToOpen(); }); });
    connect(m_save, &QAction::triggered, this, &ScenarioDock::save);
    connect(m_saveAs, &QAction::triggered, this, &ScenarioDock::chooseFileToSave);
    connect(m_run, &QAction::triggered, this, &ScenarioDock::run);
    connect(m_stop, &QAction::triggered, this, &ScenarioDock::stop);
    connect(m_export, &QAction::triggered, this, &ScenarioDock::chooseJUnitFile);
    connect(m_remove, &QAction::triggered, this, &ScenarioDock::removeSelected);
    connect(m_up, &QAction::triggered, this, [this] { moveSelected(-1); });
    connect(m_down, &QAction::triggered, this, [this] { moveSelected(1); });
}

QMenu* ScenarioDock::buildAddMenu()
{
    auto* menu = new QMenu(this);
    const QList<QPair<QString, ScenarioStep::Kind>> kinds = {
        {tr("Connect"), ScenarioStep::Kind::Connect},
        {tr("Send a status"), ScenarioStep::Kind::Send},
        {tr("Expect a command"), ScenarioStep::Kind::ExpectCommand},
        {tr("Expect an error"), ScenarioStep::Kind::ExpectError},
        {tr("Expect a behaviour's state"), ScenarioStep::Kind::ExpectState},
        {tr("Wait"), ScenarioStep::Kind::Wait},
        {tr("Repeat"), ScenarioStep::Kind::Repeat},
        {tr("Together"), ScenarioStep::Kind::Together},
        {tr("Disconnect"), ScenarioStep::Kind::Disconnect},
        {tr("Gateway: queue a command"), ScenarioStep::Kind::Gateway},
    };
    for (const auto& [text, kind] : kinds)
        connect(menu->addAction(text), &QAction::triggered, this, [this, kind] { addStep(kind); });
    return menu;
}

bool ScenarioDock::isRunning() const
{
    return m_runner && m_runner->isRunning();
}

void ScenarioDock::run()
{
    if (isRunning())
        return;
    if (m_runner)
        m_runner->deleteLater();
    m_runner = new ScenarioRunner(m_document->scenario(), this);
    // Devices without a server of their own use the embedded gateway when it runs.
    if (m_gateway->isListening())
        m_runner->setDefaultServer(m_gateway->address());
    m_runner->setGateway(m_gateway->link());
    connect(m_runner, &ScenarioRunner::clientCreated, this, &ScenarioDock::clientCreated);
    connect(m_runner, &ScenarioRunner::stepStarted, m_model, &ScenarioStepModel::stepStarted);
    connect(m_runner, &ScenarioRunner::stepFinished, m_model, &ScenarioStepModel::stepFinished);
    connect(m_runner, &ScenarioRunner::stepStarted, this, [this](const QString& label) {
        setStatus(tr("Running %1…").arg(label));
        const int row = m_model->rowOfPath(ScenarioStepModel::pathOfLabel(label));
        if (row >= 0)
            m_table->scrollTo(m_model->index(row, 0));
    });
    connect(m_runner, &ScenarioRunner::finished, this, &ScenarioDock::runEnded);
    m_model->clearResults();
    m_stopRequested = false;
    m_runner->start();
    updateActions();
}

void ScenarioDock::stop()
{
    if (!isRunning())
        return;
    m_stopRequested = true;
    m_runner->stop();
}

void ScenarioDock::runEnded(bool passed)
{
    m_model->runFinished(passed);
    const QList<ScenarioStepResult>& results = m_runner->results();
    const qint64 elapsed = m_runner->elapsedMs();
    if (passed) {
        setStatus(tr("Passed %1 of %1 steps in %2")
                      .arg(QLocale(QLocale::English).toString(m_runner->stepCount()))
                      .arg(seconds(elapsed)));
    } else {
        const auto failed =
            std::find_if(results.cbegin(), results.cend(), [](const ScenarioStepResult& result) {
                return result.outcome == ScenarioStepResult::Outcome::Failed;
            });
        const QString where = failed == results.cend() ? QString() : failed->label;
        const QString why = failed == results.cend() ? QString() : failed->reason;
        if (m_stopRequested)
            setStatus(tr("Stopped at %1 after %2").arg(where, seconds(elapsed)));
        else
            setStatus(tr("Failed at %1: %2").arg(where, why), true);
    }
    updateActions();
    emit runFinished(passed);
}

QString ScenarioDock::statusText() const
{
    return m_status->text();
}

QString ScenarioDock::fileLabel() const
{
    return m_file->text();
}

void ScenarioDock::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b71c1c;") : QString());
}

void ScenarioDock::updateTitle()
{
    m_file->setText(m_document->displayName() +
                    (m_document->isDirty() ? QStringLiteral(" *") : QString()));
    m_file->setToolTip(QDir::toNativeSeparators(m_document->fileName()));
}

void ScenarioDock::updateActions()
{
    const bool running = isRunning();
    const int top = selectedTopLevel();
    const bool topSelected = top >= 0 && m_model->depthAt(m_table->currentIndex().row()) == 0;
    for (QAction* action : {m_new, m_open, m_save, m_saveAs, m_run, m_add})
        action->setEnabled(!running);
    m_stop->setEnabled(running);
    m_export->setEnabled(!running && m_runner);
    m_remove->setEnabled(!running && topSelected && m_document->stepCount() > 1);
    m_up->setEnabled(!running && topSelected && top > 0);
    m_down->setEnabled(!running && topSelected && top + 1 < m_document->stepCount());
    m_editor->setEditable(!running);
}

} // namespace fleet
