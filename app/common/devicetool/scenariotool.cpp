#include "scenariotool.h"

#include "deviceoptions.h"
#include "jsonlinewriter.h"
#include "outputsink.h"
#include "scenariorunner.h"
#include "tooloutput.h"

#include <QFile>
#include <QLocale>
#include <QSaveFile>

namespace fleet {

namespace {

QLatin1StringView outcomeName(ScenarioStepResult::Outcome outcome)
{
    switch (outcome) {
    case ScenarioStepResult::Outcome::Passed:
        return QLatin1StringView("passed");
    case ScenarioStepResult::Outcome::Failed:
        return QLatin1StringView("failed");
    case ScenarioStepResult::Outcome::Skipped:
        return QLatin1StringView("skipped");
    }
    return {};
}

bool isExpectation(ScenarioStep::Kind kind)
{
    return kind == ScenarioStep::Kind::ExpectCommand || kind == ScenarioStep::Kind::ExpectError ||
           kind == ScenarioStep::Kind::ExpectState;
}

} // namespace

ScenarioTool::ScenarioTool(Scenario scenario, Options options, ToolOutput* output, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(output->out())
    , m_err(output->err())
    , m_runner(std::make_unique<ScenarioRunner>(std::move(scenario)))
{
    if (!m_options.serverOverride.isEmpty())
        m_runner->setServerOverride(m_options.serverOverride);
    connect(m_runner.get(), &ScenarioRunner::stepFinished, this, &ScenarioTool::printStep);
    // A reader behind on stdout or stderr holds the next step, not the event loop: a `repeat`
    // of a million steps waits for it instead of outrunning it (docs/architecture.md#tool-output).
    connect(output, &ToolOutput::backlogChanged, m_runner.get(), &ScenarioRunner::setHeld);
    // Queued: the runner finishes inside its own devices' signals.
    connect(m_runner.get(), &ScenarioRunner::finished, this, &ScenarioTool::onFinished,
            Qt::QueuedConnection);
}

ScenarioTool::~ScenarioTool() = default;

void ScenarioTool::start()
{
    m_runner->start();
}

void ScenarioTool::stop()
{
    m_runner->stop();
}

void ScenarioTool::printStep(const ScenarioStepResult& result)
{
    const bool failed = result.outcome != ScenarioStepResult::Outcome::Passed;
    if (m_options.quiet && !failed)
        return;
    if (m_options.json) {
        QByteArray line;
        JsonLineWriter writer(&line);
        writer.latin1("event", QLatin1StringView("step"))
            .string("step", result.label)
            .integer("line", result.line)
            .latin1("outcome", outcomeName(result.outcome))
            .integer("ms", result.elapsedMs);
        if (failed)
            writer.string("reason", result.reason);
        writer.finish();
        m_out->writeBytes(line);
        return;
    }
    QString text = QStringLiteral("%1 %2 (%3 ms)")
                       .arg(failed ? QStringLiteral("FAIL") : QStringLiteral("pass"), result.label)
                       .arg(result.elapsedMs);
    if (failed)
        text += QStringLiteral(": ") + result.reason;
    m_out->writeLine(text);
}

void ScenarioTool::onFinished(bool passed)
{
    const qint64 failures = m_runner->failureCount();
    const QString name = m_runner->scenario().name();
    if (m_options.json) {
        QByteArray line;
        JsonLineWriter(&line)
            .latin1("event", QLatin1StringView("scenario"))
            .string("name", name)
            .string("file", m_runner->scenario().fileName())
            .boolean("passed", passed)
            .integer("steps", m_runner->stepCount())
            .integer("failures", failures)
            .integer("ms", m_runner->elapsedMs())
            .finish();
        m_out->writeBytes(line);
    } else {
        m_out->writeLine(
            QStringLiteral("scenario \"%1\": %2 — %3 steps, %4 failed, %5 ms")
                .arg(name, passed ? QStringLiteral("passed") : QStringLiteral("FAILED"))
                .arg(QLocale(QLocale::English).toString(m_runner->stepCount()))
                .arg(failures)
                .arg(QLocale(QLocale::English).toString(m_runner->elapsedMs())));
    }
    int code = exitCode(passed);
    if (!m_options.junitFile.isEmpty()) {
        QSaveFile file(m_options.junitFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(scenarioJUnit(*m_runner)) < 0 ||
            !file.commit()) {
            m_err->writeLine(QStringLiteral("fleet-device: cannot write the JUnit report %1: %2")
                                 .arg(m_options.junitFile, file.errorString()));
            code = passed ? ExitCode::Failure : code;
        }
    }
    m_out->flush();
    emit finished(code);
}

int ScenarioTool::exitCode(bool passed) const
{
    if (passed)
        return ExitCode::Success;
    for (const ScenarioStepResult& result : m_runner->results()) {
        if (result.outcome != ScenarioStepResult::Outcome::Failed)
            continue;
        if (isExpectation(result.kind))
            return ExitCode::Expectation;
        switch (InternalClient::errorFamily(result.clientError)) {
        case InternalClient::ErrorFamily::Connect:
            return ExitCode::Connect;
        case InternalClient::ErrorFamily::Communication:
            return ExitCode::Communication;
        default:
            return ExitCode::Failure;
        }
    }
    return ExitCode::Failure;
}

} // namespace fleet
