#include "scenariostepmodel.h"

#include "payloadtext.h"
#include "scenariomatch.h"

#include <QColor>
#include <QLocale>
#include <QRegularExpression>

namespace fleet {

namespace {

constexpr qsizetype kWhatChars = 80;

// Light backgrounds with a dark text on them, readable under light and dark themes alike.
const QColor kPassedBackground(0xc8, 0xe6, 0xc9);
const QColor kFailedBackground(0xff, 0xcd, 0xd2);
const QColor kRunningBackground(0xff, 0xe0, 0x82);
const QColor kSkippedBackground(0xe0, 0xe0, 0xe0);
const QColor kResultForeground(0x1b, 0x1b, 0x1b);

QString milliseconds(qint64 ms)
{
    return QLocale(QLocale::English).toString(ms) + QStringLiteral(" ms");
}

QString sourceText(const ScenarioPayload& payload)
{
    static const char* const names[] = {"text", "json", "hex", "template", "preset", "file"};
    const QString name = QLatin1String(names[int(payload.source)]);
    switch (payload.source) {
    case ScenarioPayload::Source::Hex:
        return name + QLatin1Char(' ') + QString::fromLatin1(payload.data.toHex(' '));
    case ScenarioPayload::Source::Preset:
    case ScenarioPayload::Source::File:
        return name + QLatin1Char(' ') + QString::fromUtf8(payload.data);
    default:
        return name + QLatin1Char(' ') + payloadLine(payload.data, kWhatChars);
    }
}

QString within(const ScenarioStep& step)
{
    return QStringLiteral(" within ") + milliseconds(step.withinMs);
}

} // namespace

ScenarioStepModel::ScenarioStepModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

QString ScenarioStepModel::summary(const ScenarioStep& step)
{
    const QString kind = step.kindName();
    switch (step.kind) {
    case ScenarioStep::Kind::Connect:
        return kind + within(step);
    case ScenarioStep::Kind::Send:
        return kind + QLatin1Char(' ') + sourceText(step.payload);
    case ScenarioStep::Kind::ExpectCommand:
        return kind + QLatin1Char(' ') + scenariomatch::describe(step.match) + within(step);
    case ScenarioStep::Kind::ExpectError:
        return kind + QLatin1Char(' ') + step.errorName + within(step);
    case ScenarioStep::Kind::ExpectState:
        return kind + QStringLiteral(" \"%1\"").arg(step.state) + within(step);
    case ScenarioStep::Kind::Wait:
        return QStringLiteral("wait ") + milliseconds(step.waitMs);
    case ScenarioStep::Kind::Repeat:
        return QStringLiteral("repeat %1 times: %2 steps")
            .arg(QLocale(QLocale::English).toString(step.count))
            .arg(step.steps.size());
    case ScenarioStep::Kind::Together:
        return QStringLiteral("together: %1 steps at once").arg(step.steps.size());
    case ScenarioStep::Kind::Disconnect:
        return kind;
    case ScenarioStep::Kind::Gateway:
        switch (step.gatewayAction) {
        case ScenarioStep::GatewayAction::Delay:
            return kind + QStringLiteral(" answers by ") + milliseconds(step.waitMs);
        case ScenarioStep::GatewayAction::Disconnect:
            return kind;
        default:
            return step.payload.data.isEmpty() ? kind + QStringLiteral(" an empty command")
                                               : kind + QLatin1Char(' ') + sourceText(step.payload);
        }
    }
    return kind;
}

void ScenarioStepModel::setScenario(const Scenario& scenario)
{
    beginResetModel();
    m_rows.clear();
    m_rowOfPath.clear();
    addRows(scenario.steps(), 0);
    endResetModel();
}

void ScenarioStepModel::addRows(const QList<ScenarioStep>& steps, int depth)
{
    for (const ScenarioStep& step : steps) {
        Row row;
        row.path = step.path;
        row.kind = step.kindName();
        row.device = step.device;
        row.what = summary(step);
        row.depth = depth;
        row.isRepeat = step.kind == ScenarioStep::Kind::Repeat;
        m_rowOfPath.insert(row.path, int(m_rows.size()));
        m_rows.append(row);
        addRows(step.steps, depth + 1);
    }
}

void ScenarioStepModel::clearResults()
{
    for (Row& row : m_rows) {
        row.state = State::None;
        row.reason.clear();
        row.round.clear();
        row.elapsedMs = 0;
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QString ScenarioStepModel::pathOfLabel(const QString& label, QString* round)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(\\S+) \\([^)]*\\)(?: (round \\d+ of \\d+))?$"));
    const QRegularExpressionMatch match = pattern.match(label);
    if (!match.hasMatch())
        return {};
    if (round)
        *round = match.captured(2);
    return match.captured(1);
}

void ScenarioStepModel::closeRepeatsBefore(const QString& path)
{
    // The list a step is in: "steps[1].steps[0]" -> "steps[1]", "steps[2]" -> "".
    const auto listOf = [](const QString& step) {
        const qsizetype dot = step.lastIndexOf(QLatin1Char('.'));
        return dot < 0 ? QString() : step.left(dot);
    };
    const QString list = listOf(path);
    for (int i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        if (!row.isRepeat || row.state != State::Running)
            continue;
        if (path.startsWith(row.path + QLatin1Char('.')))
            continue; // a step of its body
        // Done when the started step is in the repeat's own list or one around it; a step of
        // another `together` branch says nothing about this repeat.
        const QString repeatList = listOf(row.path);
        if (!list.isEmpty() && repeatList != list &&
            !repeatList.startsWith(list + QLatin1Char('.')))
            continue;
        row.elapsedMs = row.clock.elapsed();
        row.round.clear();
        setState(i, State::Passed);
    }
}

void ScenarioStepModel::stepStarted(const QString& label)
{
    QString round;
    const QString path = pathOfLabel(label, &round);
    closeRepeatsBefore(path);
    const int row = rowOfPath(path);
    if (row < 0)
        return;
    Row& entry = m_rows[row];
    entry.round = round;
    entry.reason.clear();
    entry.clock.start();
    setState(row, State::Running);
}

void ScenarioStepModel::stepFinished(const ScenarioStepResult& result)
{
    QString round;
    const QString path = pathOfLabel(result.label, &round);
    const int row = rowOfPath(path);
    if (row < 0)
        return;
    Row& entry = m_rows[row];
    entry.round = round;
    entry.elapsedMs = result.elapsedMs;
    entry.reason = result.reason;
    const State state = result.outcome == ScenarioStepResult::Outcome::Passed   ? State::Passed
                        : result.outcome == ScenarioStepResult::Outcome::Failed ? State::Failed
                                                                                : State::Skipped;
    setState(row, state);
    if (state != State::Failed)
        return;
    // The repeats around a failed step failed with it.
    for (int i = 0; i < m_rows.size(); ++i) {
        Row& outer = m_rows[i];
        if (outer.isRepeat && outer.state == State::Running &&
            path.startsWith(outer.path + QLatin1Char('.'))) {
            outer.elapsedMs = outer.clock.elapsed();
            outer.reason =
                QStringLiteral("%1 failed%2")
                    .arg(path, round.isEmpty() ? QString() : QStringLiteral(" ") + round);
            outer.round.clear();
            setState(i, State::Failed);
        }
    }
}

void ScenarioStepModel::runFinished(bool passed)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        if (row.state == State::Running) {
            // Only a repeat is left running by a run that ended well: its last round passed.
            row.elapsedMs = row.clock.elapsed();
            row.round.clear();
            if (!passed && row.reason.isEmpty())
                row.reason = QStringLiteral("stopped");
            setState(i, passed ? State::Passed : State::Failed);
        } else if (row.state == State::None && !passed) {
            row.reason = QStringLiteral("not run: an earlier step failed");
            setState(i, State::Skipped);
        }
    }
}

void ScenarioStepModel::setState(int row, State state)
{
    m_rows[row].state = state;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int ScenarioStepModel::rowOfPath(const QString& path) const
{
    return m_rowOfPath.value(path, -1);
}

QString ScenarioStepModel::pathAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).path : QString();
}

int ScenarioStepModel::depthAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).depth : 0;
}

ScenarioStepModel::State ScenarioStepModel::stateAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).state : State::None;
}

QString ScenarioStepModel::resultText(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row& entry = m_rows.at(row);
    QString text;
    switch (entry.state) {
    case State::None:
        return {};
    case State::Running:
        text = QStringLiteral("running");
        break;
    case State::Passed:
        text = QStringLiteral("passed");
        break;
    case State::Failed:
        text = QStringLiteral("failed");
        break;
    case State::Skipped:
        return QStringLiteral("skipped");
    }
    if (!entry.round.isEmpty())
        text += QStringLiteral(", ") + entry.round;
    if (entry.state != State::Running)
        text += QStringLiteral(" in ") + milliseconds(entry.elapsedMs);
    if (!entry.reason.isEmpty())
        text += QStringLiteral(": ") + entry.reason;
    return text;
}

int ScenarioStepModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScenarioStepModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScenarioStepModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StepColumn:
            // Indented under the step whose body it is.
            return QString(row.depth * 4, QLatin1Char(' ')) + row.path;
        case KindColumn:
            return row.kind;
        case DeviceColumn:
            return row.device;
        case WhatColumn:
            return row.what;
        case ResultColumn:
            return resultText(index.row());
        }
        return {};
    case Qt::ToolTipRole:
        if (!row.reason.isEmpty())
            return resultText(index.row());
        return index.column() == WhatColumn ? row.what : QVariant();
    case Qt::BackgroundRole:
        switch (row.state) {
        case State::Passed:
            return kPassedBackground;
        case State::Failed:
            return kFailedBackground;
        case State::Running:
            return kRunningBackground;
        case State::Skipped:
            return kSkippedBackground;
        case State::None:
            return {};
        }
        return {};
    case Qt::ForegroundRole:
        return row.state == State::None ? QVariant() : QVariant(kResultForeground);
    case PathRole:
        return row.path;
    case DepthRole:
        return row.depth;
    case StateRole:
        return int(row.state);
    case ReasonRole:
        return row.reason;
    }
    return {};
}

QVariant ScenarioStepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StepColumn:
        return tr("Step");
    case KindColumn:
        return tr("Kind");
    case DeviceColumn:
        return tr("Device");
    case WhatColumn:
        return tr("What");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}

} // namespace fleet
