#include "scenariorunner.h"

#include "devicesession.h"
#include "scenariostrand.h"

#include <QLocale>
#include <QTimer>
#include <QXmlStreamWriter>

namespace fleet {

ScenarioRunner::ScenarioRunner(Scenario scenario, QObject* parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
{
}

ScenarioRunner::~ScenarioRunner()
{
    m_main.reset();
    m_devices.clear();
}

ScenarioRunner::Device* ScenarioRunner::device(const QString& key) const
{
    for (const auto& device : m_devices) {
        if (device->spec().key == key)
            return device.get();
    }
    return nullptr;
}

void ScenarioRunner::start()
{
    m_results.clear();
    m_stepCount = 0;
    m_failureCount = 0;
    m_stepsRunning = 0;
    m_waitingForHold.clear();
    m_failed = false;
    m_running = true;
    m_clock.start();
    m_devices.clear();
    for (const ScenarioDevice& spec : m_scenario.devices()) {
        auto device = std::make_unique<Device>(spec, kMaxUnreadCommands);
        device->setClock([this] { return m_clock.elapsed(); });
        connect(
            device.get(), &ScenarioDeviceRun::clientCreated, this,
            [this, key = spec.key](InternalClient* client) { emit clientCreated(client, key); });
        QString error;
        if (!device->prepare(&error)) {
            ScenarioStepResult failure;
            failure.label = QStringLiteral("devices");
            failure.outcome = ScenarioStepResult::Outcome::Failed;
            failure.reason = error;
            record(failure);
            m_failed = true;
            QTimer::singleShot(0, this, &ScenarioRunner::finish);
            return;
        }
        m_devices.push_back(std::move(device));
    }
    m_main = std::make_unique<Strand>(this, &m_scenario.steps());
    QTimer::singleShot(0, this, [this] {
        if (m_main)
            m_main->resume();
    });
}

void ScenarioRunner::stop()
{
    if (!m_running)
        return;
    if (m_main)
        m_main->abort(QStringLiteral("stopped"));
    m_failed = true;
    finish();
}

bool ScenarioRunner::passed() const
{
    return !m_running && !m_failed && m_stepCount > 0;
}

void ScenarioRunner::setHeld(bool held)
{
    if (held == m_held)
        return;
    m_held = held;
    if (!held) {
        for (const std::function<void()>& resume : std::exchange(m_waitingForHold, {}))
            resume();
    }
}

bool ScenarioRunner::isPausedByHold() const
{
    return m_held && m_stepsRunning == 0 && !m_waitingForHold.empty();
}

void ScenarioRunner::strandFinished(Strand* strand)
{
    if (strand->failed())
        m_failed = true;
    // Leave the strand's own call stack before tearing it down.
    QTimer::singleShot(0, this, &ScenarioRunner::finish);
}

void ScenarioRunner::record(const ScenarioStepResult& result)
{
    const bool failed = result.outcome == ScenarioStepResult::Outcome::Failed;
    ++m_stepCount;
    m_failureCount += failed;
    m_failed = m_failed || failed;
    if (failed || m_results.size() < kMaxListedResults)
        m_results.append(result);
    emit stepFinished(result);
}

void ScenarioRunner::finish()
{
    if (!m_running)
        return;
    m_running = false;
    for (const auto& device : m_devices)
        device->session()->disconnectFromServer();
    emit finished(!m_failed);
}

QByteArray scenarioJUnit(const ScenarioRunner& runner)
{
    QByteArray xml;
    QXmlStreamWriter writer(&xml);
    writer.setAutoFormatting(true);
    writer.writeStartDocument();
    writer.writeStartElement(QStringLiteral("testsuite"));
    writer.writeAttribute(QStringLiteral("name"), runner.scenario().name());
    writer.writeAttribute(QStringLiteral("tests"), QString::number(runner.stepCount()));
    writer.writeAttribute(QStringLiteral("failures"), QString::number(runner.failureCount()));
    writer.writeAttribute(QStringLiteral("time"),
                          QString::number(runner.elapsedMs() / 1000.0, 'f', 3));
    for (const ScenarioStepResult& result : runner.results()) {
        writer.writeStartElement(QStringLiteral("testcase"));
        writer.writeAttribute(QStringLiteral("classname"), runner.scenario().name());
        writer.writeAttribute(QStringLiteral("name"), result.label);
        writer.writeAttribute(QStringLiteral("file"), runner.scenario().fileName());
        writer.writeAttribute(QStringLiteral("line"), QString::number(result.line));
        writer.writeAttribute(QStringLiteral("time"),
                              QString::number(result.elapsedMs / 1000.0, 'f', 3));
        if (result.outcome == ScenarioStepResult::Outcome::Failed) {
            writer.writeStartElement(QStringLiteral("failure"));
            writer.writeAttribute(QStringLiteral("message"), result.reason);
            writer.writeCharacters(result.reason);
            writer.writeEndElement();
        } else if (result.outcome == ScenarioStepResult::Outcome::Skipped) {
            writer.writeEmptyElement(QStringLiteral("skipped"));
        }
        writer.writeEndElement();
    }
    const qint64 unlisted = runner.stepCount() - runner.results().size();
    if (unlisted > 0) {
        writer.writeTextElement(
            QStringLiteral("system-out"),
            QStringLiteral("%1 more passed steps ran and are counted in \"tests\"; the report "
                           "lists the first %2.")
                .arg(QLocale(QLocale::English).toString(unlisted),
                     QLocale(QLocale::English).toString(ScenarioRunner::kMaxListedResults)));
    }
    writer.writeEndElement();
    writer.writeEndDocument();
    return xml;
}

} // namespace fleet
