#include "gatewaytool.h"

#include "commandshell.h"
#include "eventwriter.h"
#include "gatewayoptions.h"
#include "gatewayserver.h"
#include "hostport.h"
#include "missiondispatcher.h"
#include "openfilelimit.h"
#include "outputsink.h"
#include "payloadtext.h"
#include "signalpipe.h"
#include "stdinreader.h"
#include "tooloutput.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QThread>

#include <csignal>
#include <unistd.h>

namespace fleet {

namespace {

// Where Qt's log messages go while a GatewayTool runs (one per process, like the handler).
OutputSink* g_logSink = nullptr;
QThread* g_logThread = nullptr;
QtMessageHandler g_previousHandler = nullptr;

// Qt's default handler writes stderr with a blocking write: with stderr on a pipe nobody
// drains, one warning too many would freeze every device. These lines go through the same
// non-blocking sink as the tool's own stderr, dropped (and counted) when the reader is gone.
void nonBlockingMessageHandler(QtMsgType type, const QMessageLogContext& context,
                               const QString& message)
{
    if (!g_logSink || QThread::currentThread() != g_logThread)
        return; // the sink belongs to the gateway's thread; nothing else logs in this process
    // Log lines quote device names and payload text: escaped like the event lines, one line each.
    g_logSink->writeLine(printableText(qFormatLogMessage(type, context, message), 4096));
    if (type == QtFatalMsg)
        g_logSink->flushBlocking();
}

} // namespace

GatewayTool::GatewayTool(QObject* parent)
    : QObject(parent)
    , m_output(
          std::make_unique<ToolOutput>(STDOUT_FILENO, STDERR_FILENO, OutputSink::Mode::Buffered))
    , m_out(m_output->out())
    , m_err(m_output->err())
{
}

GatewayTool::~GatewayTool()
{
    if (g_logSink == m_err) {
        qInstallMessageHandler(g_previousHandler);
        g_logSink = nullptr;
    }
}

std::optional<int> GatewayTool::start(const QStringList& arguments)
{
    // A reader that closes our stdout must not kill the gateway: writes report EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication::setApplicationName(QStringLiteral("fleet-gateway"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEET_VERSION));
    // The event lines on stdout say everything the info log would; QT_LOGGING_RULES still
    // overrides this.
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.gateway.info=false"));

    const GatewayOptionsResult parsed = parseGatewayOptions(arguments);
    if (parsed.outcome == GatewayOptionsResult::Outcome::Exit) {
        (parsed.exitCode ? m_err : m_out)->writeText(parsed.message);
        return parsed.exitCode;
    }
    const GatewayOptions& options = parsed.options;
    g_logSink = m_err;
    g_logThread = QThread::currentThread();
    g_previousHandler = qInstallMessageHandler(nonBlockingMessageHandler);
    if (options.strictReference)
        m_err->writeLine(QStringLiteral("fleet-gateway: ") +
                         GatewayPolicy::strictReferenceSummary());
    checkOpenFileLimit(options.policy.maxConnections);

    m_signals = std::make_unique<SignalPipe>();
    if (!m_signals->isValid()) {
        m_err->writeLine(QStringLiteral("fleet-gateway: %1").arg(m_signals->errorString()));
        return kExitListenFailed;
    }
    m_server = std::make_unique<GatewayServer>();
    m_server->setPolicy(options.policy);
    if (!m_server->listen(options.address, options.port)) {
        m_err->writeLine(QStringLiteral("fleet-gateway: %1").arg(m_server->errorString()));
        return kExitListenFailed;
    }
    // The contract with scripts: the first line is the bound address, at once.
    m_out->writeLine(
        HostPort{m_server->serverAddress().toString(), m_server->serverPort()}.toString());
    m_out->flush();

    m_writer = std::make_unique<EventWriter>(
        m_server.get(), m_out, EventWriter::Options{options.json, options.quiet, options.frames});
    if (options.mission) {
        // After the writer: a vehicle's status line comes before the mission it triggers.
        m_missions = std::make_unique<MissionDispatcher>(m_server.get(), *options.mission);
        QStringList stops;
        for (const MissionStop& stop : options.mission->stops)
            stops.append(stop.name);
        m_err->writeLine(QStringLiteral("fleet-gateway: --mission: START on '%1' to %2, queued "
                                        "for every vehicle at its first status and whenever it "
                                        "is IDLE after driving it")
                             .arg(options.mission->route, stops.join(QStringLiteral(", "))));
    }
    m_shell = std::make_unique<CommandShell>(m_server.get(), m_out, m_err, options.json);
    m_stdin = std::make_unique<StdinReader>(STDIN_FILENO);
    if (options.commandsFromStdin && m_stdin->isOpen())
        connect(m_stdin.get(), &StdinReader::lineRead, m_shell.get(), &CommandShell::execute);

    connect(m_signals.get(), &SignalPipe::terminationRequested, this, &GatewayTool::stop);
    connect(m_shell.get(), &CommandShell::quitRequested, this, &GatewayTool::stop,
            Qt::QueuedConnection);
    return std::nullopt;
}

void GatewayTool::checkOpenFileLimit(int maxConnections)
{
    // Every connection is a descriptor; the usual soft limit of 1,024 would lock devices out
    // long before the connection limit.
    const OpenFileLimit limit = OpenFileLimit::raiseToHard();
    if (maxConnections <= 0 || limit.connectionsFitting() >= maxConnections)
        return;
    m_err->writeLine(
        QStringLiteral("fleet-gateway: the open-file limit (%1, hard limit %2) is too low for "
                       "--max-connections %3: that needs %4 open files. Serving at most %5 "
                       "connections; raise the hard limit (ulimit -Hn %4, or LimitNOFILE=%4 "
                       "for a service) or pass --max-connections %5.")
            .arg(limit.soft)
            .arg(limit.hard)
            .arg(maxConnections)
            .arg(OpenFileLimit::neededFor(maxConnections))
            .arg(limit.connectionsFitting()));
}

void GatewayTool::stop()
{
    m_server->close(); // every device gets its Disconnected line
    m_out->flushBlocking();
    m_err->flushBlocking();
    emit finished(0);
}

} // namespace fleet
