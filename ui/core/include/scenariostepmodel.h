#pragma once

#include "scenario.h"
#include "scenariorunner.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>

namespace fleet {

// A scenario's steps as table rows, every step of every depth in file order (a `repeat` or
// `together` body right under its step), with the result of the latest run filled in live
// from ScenarioRunner's stepStarted / stepFinished: green passed, red failed with the reason,
// amber running, grey skipped. A step inside `repeat` shows its latest round ("round 3 of 5").
class ScenarioStepModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StepColumn, KindColumn, DeviceColumn, WhatColumn, ResultColumn, ColumnCount };
    Q_ENUM(Column)

    enum class State { None, Running, Passed, Failed, Skipped };
    Q_ENUM(State)

    enum Role {
        PathRole = Qt::UserRole + 1, // "steps[3].steps[1]"
        DepthRole,                   // 0 for a top-level step
        StateRole,                   // State as int
        ReasonRole,                  // why it failed
    };

    explicit ScenarioStepModel(QObject* parent = nullptr);

    // New rows for these steps; results are cleared.
    void setScenario(const Scenario& scenario);
    void clearResults();

    // Live results (connect the runner's signals to these).
    void stepStarted(const QString& label);
    void stepFinished(const ScenarioStepResult& result);
    // The run ended: a `repeat` still open closes, steps not reached become skipped.
    void runFinished(bool passed);

    int rowOfPath(const QString& path) const; // -1 when no row has it
    QString pathAt(int row) const;
    int depthAt(int row) const;
    State stateAt(int row) const;
    QString resultText(int row) const; // as the Result column shows it

    // "steps[1].steps[0] (send) round 2 of 3" -> "steps[1].steps[0]", and the round.
    static QString pathOfLabel(const QString& label, QString* round = nullptr);
    // One line about a step: "send json {"pressed": true}", "expect_command json_subset
    // {…} within 2,000 ms".
    static QString summary(const ScenarioStep& step);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString path;
        QString kind;
        QString device;
        QString what;
        int depth = 0;
        bool isRepeat = false;
        State state = State::None;
        QString reason;
        QString round;
        qint64 elapsedMs = 0;
        QElapsedTimer clock; // repeat rows: since they started
    };
    void addRows(const QList<ScenarioStep>& steps, int depth);
    void setState(int row, State state);
    // Repeats that the started step is not inside and that ran in its list are done.
    void closeRepeatsBefore(const QString& path);

    QList<Row> m_rows;
    QHash<QString, int> m_rowOfPath;
};

} // namespace fleet
