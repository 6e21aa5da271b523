#include "devicetool.h"

#include "deviceoptions.h"
#include "devicerunner.h"
#include "eventprinter.h"
#include "jsonlinewriter.h"
#include "modulecatalog.h"
#include "openfilelimit.h"
#include "outputsink.h"
#include "scenario.h"
#include "scenariotool.h"
#include "signalpipe.h"
#include "toolcommandline.h"
#include "tooloutput.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTimer>

#include <unistd.h>

namespace fleet {

DeviceTool::DeviceTool(QObject* parent)
    : QObject(parent)
    , m_output(
          std::make_unique<ToolOutput>(STDOUT_FILENO, STDERR_FILENO, OutputSink::Mode::Immediate))
    , m_out(m_output->out())
    , m_err(m_output->err())
{
}

DeviceTool::~DeviceTool() = default;

std::optional<int> DeviceTool::start(const QStringList& arguments)
{
    QCoreApplication::setApplicationName(QStringLiteral("fleet-device"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEET_VERSION));

    const QStringList options = arguments.mid(1);
    m_options = std::make_unique<DeviceOptions>();
    const ParseOutcome outcome = parseDeviceOptions(options, m_options.get());
    // A usage error may come before --json was read: look for it directly.
    m_options->json = m_options->json || options.contains(QStringLiteral("--json"));
    m_printer = std::make_unique<EventPrinter>(m_options->json, m_options->quiet, m_out, m_err);

    switch (outcome.action) {
    case ParseOutcome::Action::Help:
    case ParseOutcome::Action::Version:
        m_out->writeText(outcome.text);
        return ExitCode::Success;
    case ParseOutcome::Action::ListPresets:
        return listPresets(*m_options, outcome.text);
    case ParseOutcome::Action::UsageError:
        // stderr always gets the sentence; with --json, stdout gets the same as an event.
        m_err->writeText(ToolCommandLine::usageError(QStringLiteral("fleet-device"), outcome.text));
        if (m_options->json)
            m_printer->error(nullptr, outcome.errorName, QStringLiteral("usage"), outcome.text);
        return ExitCode::Usage;
    case ParseOutcome::Action::Run:
        break;
    }

    for (const QString& note : m_options->replayLeftOut)
        m_err->writeLine(QStringLiteral("fleet-device: left out of the replay: ") + note);
    if (!m_options->recordScenarioFile.isEmpty())
        return writeRecordedScenario();

    // The library's debug lines would drown the tool's own; QT_LOGGING_RULES still wins.
    if (!m_options->verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("fleet.*.debug=false"));

    m_signals = std::make_unique<SignalPipe>();
    if (!m_signals->isValid()) {
        m_err->writeLine(QStringLiteral("fleet-device: %1; Ctrl+C will not print a summary")
                             .arg(m_signals->errorString()));
    }
    if (m_options->scenario)
        return startScenario();
    if (!checkOpenFileLimit())
        return ExitCode::Usage;
    m_runner = std::make_unique<DeviceRunner>(*m_options, m_printer.get());
    connect(m_signals.get(), &SignalPipe::terminationRequested, m_runner.get(),
            &DeviceRunner::stop);
    // A reader behind on stdout or stderr holds the devices' statuses, not the event loop
    // (docs/architecture.md#tool-output).
    connect(m_output.get(), &ToolOutput::backlogChanged, m_runner.get(),
            &DeviceRunner::setOutputBacklogged);
    // Queued: the runner may finish inside one of its devices' signals.
    connect(m_runner.get(), &DeviceRunner::finished, this, &DeviceTool::finished,
            Qt::QueuedConnection);
    QTimer::singleShot(0, m_runner.get(), &DeviceRunner::start);
    return std::nullopt;
}

std::optional<int> DeviceTool::startScenario()
{
    ScenarioTool::Options options;
    options.junitFile = m_options->junitFile;
    options.json = m_options->json;
    options.quiet = m_options->quiet;
    if (m_options->serverGiven)
        options.serverOverride = m_options->server.toString();
    m_scenario = std::make_unique<ScenarioTool>(*m_options->scenario, options, m_output.get());
    connect(m_signals.get(), &SignalPipe::terminationRequested, m_scenario.get(),
            &ScenarioTool::stop);
    connect(m_scenario.get(), &ScenarioTool::finished, this, &DeviceTool::finished,
            Qt::QueuedConnection);
    QTimer::singleShot(0, m_scenario.get(), &ScenarioTool::start);
    return std::nullopt;
}

// K devices are K sockets. The usual soft limit of 1,024 is raised to the hard one when K needs
// it; a hard limit still too low is said before anything connects, with the number needed,
// instead of devices failing one by one (README "Many devices").
bool DeviceTool::checkOpenFileLimit()
{
    const int devices = m_options->devices;
    if (OpenFileLimit::current().connectionsFitting() >= devices)
        return true;
    const OpenFileLimit limit = OpenFileLimit::raiseToHard();
    if (limit.connectionsFitting() >= devices)
        return true;
    const quint64 needed = OpenFileLimit::neededFor(devices);
    const QString text =
        QStringLiteral("--devices %1 needs %2 open files, but this process may open at most %3 "
                       "(hard limit %4). Raise the hard limit (ulimit -Hn %2, or LimitNOFILE=%2 "
                       "for a service) or pass --devices %5 or fewer.")
            .arg(devices)
            .arg(needed)
            .arg(limit.soft)
            .arg(limit.hard)
            .arg(limit.connectionsFitting());
    m_err->writeLine(QStringLiteral("fleet-device: ") + text);
    if (m_options->json)
        m_printer->error(nullptr, QStringLiteral("InvalidArgument"), QStringLiteral("usage"), text);
    return false;
}

int DeviceTool::writeRecordedScenario()
{
    const QString& fileName = m_options->recordScenarioFile;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(m_options->recordedScenario) != m_options->recordedScenario.size() ||
        !file.commit()) {
        m_err->writeLine(QStringLiteral("fleet-device: cannot write the scenario %1: %2")
                             .arg(fileName, file.errorString()));
        return ExitCode::Failure;
    }
    int statuses = 0;
    int answers = 0;
    for (const ScenarioStep& step : m_options->scenario->steps()) {
        statuses += step.kind == ScenarioStep::Kind::Send;
        answers += step.kind == ScenarioStep::Kind::ExpectCommand;
    }
    const qsizetype devices = m_options->scenario->devices().size();
    if (m_options->json) {
        QByteArray line;
        JsonLineWriter(&line)
            .latin1("event", QLatin1StringView("recorded"))
            .string("file", fileName)
            .integer("devices", devices)
            .integer("statuses", statuses)
            .integer("answers", answers)
            .finish();
        m_out->writeBytes(line);
    } else {
        m_out->writeLine(QStringLiteral("wrote the scenario %1: %2 devices, %3 statuses, %4 "
                                        "expected answers")
                             .arg(fileName)
                             .arg(devices)
                             .arg(statuses)
                             .arg(answers));
    }
    m_out->flush();
    return ExitCode::Success;
}

int DeviceTool::listPresets(const DeviceOptions& options, const QString& text)
{
    if (!options.json) {
        m_out->writeText(text);
        return ExitCode::Success;
    }
    const DeviceIdentity& id = options.identity;
    for (const PayloadPreset& preset : ModuleCatalog::statusPresets(id.module, id.deviceType))
        m_printer->preset(id.module, id.deviceType, preset.name, preset.payload,
                          preset.description);
    return ExitCode::Success;
}

} // namespace fleet
