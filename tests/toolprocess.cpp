#include "toolprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSignalSpy>

#include <csignal>
#include <sys/types.h>

namespace {

constexpr int kKillWaitMs = 5000;
constexpr int kGatewayStartMs = 20000;
constexpr int kOutputPollMs = 50;
constexpr qsizetype kDescribedBytes = 4000;

void parseJsonLines(ToolRun* run)
{
    for (const QByteArray& line : run->out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject() ||
            !document.object().contains(QStringLiteral("event"))) {
            if (run->notJson.isEmpty())
                run->notJson = QString::fromUtf8(line);
            continue;
        }
        run->events << document.object();
    }
}

} // namespace

QList<QJsonObject> ToolRun::eventsNamed(const QString& name) const
{
    QList<QJsonObject> found;
    for (const QJsonObject& event : events) {
        if (event.value(QStringLiteral("event")).toString() == name)
            found << event;
    }
    return found;
}

QString ToolRun::describe() const
{
    const QString how = crashed    ? QStringLiteral(" (crashed)")
                        : timedOut ? QStringLiteral(" (timed out)")
                                   : QString();
    return QStringLiteral("exit %1%2\n--- stdout:\n%3--- stderr:\n%4")
        .arg(exitCode)
        .arg(how, QString::fromUtf8(out.left(kDescribedBytes)),
             QString::fromUtf8(err.left(kDescribedBytes)));
}

ToolProcess::ToolProcess(const QString& program)
{
    m_process.setProgram(program);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                     [this] { m_out += m_process.readAllStandardOutput(); });
    QObject::connect(&m_process, &QProcess::readyReadStandardError,
                     [this] { m_err += m_process.readAllStandardError(); });
}

ToolProcess::~ToolProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(kKillWaitMs);
    }
}

void ToolProcess::start(const QStringList& arguments)
{
    m_process.setArguments(arguments);
    m_process.start();
}

bool ToolProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(&m_process, &QProcess::finished);
    return finished.wait(timeoutMs) || m_process.state() == QProcess::NotRunning;
}

bool ToolProcess::waitForOutput(const QByteArray& text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_out.contains(text) && m_process.state() != QProcess::NotRunning &&
           !deadline.hasExpired()) {
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(kOutputPollMs);
    }
    return m_out.contains(text);
}

void ToolProcess::writeLine(const QByteArray& line)
{
    m_process.write(line + '\n');
}

void ToolProcess::sendSignal(int signalNumber)
{
    if (m_process.state() != QProcess::NotRunning)
        ::kill(pid_t(m_process.processId()), signalNumber);
}

ToolRun ToolProcess::result()
{
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
    ToolRun run;
    run.timedOut = m_process.state() != QProcess::NotRunning;
    run.crashed = !run.timedOut && m_process.exitStatus() == QProcess::CrashExit;
    run.exitCode = run.timedOut || run.crashed ? -1 : m_process.exitCode();
    run.out = m_out;
    run.err = m_err;
    parseJsonLines(&run);
    return run;
}

GatewayProcess::GatewayProcess(const QString& program)
    : m_program(program)
{
}

GatewayProcess::~GatewayProcess() = default;

bool GatewayProcess::start(const QStringList& extraArguments, QString* error)
{
    m_tool = std::make_unique<ToolProcess>(m_program);
    m_tool->start(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                  extraArguments);
    if (!m_tool->waitForOutput("\n", kGatewayStartMs)) {
        *error =
            QStringLiteral("fleet-gateway printed no address line: ") + m_tool->result().describe();
        return false;
    }
    const QByteArray firstLine = m_tool->output().left(m_tool->output().indexOf('\n')).trimmed();
    bool ok = false;
    m_port = quint16(firstLine.mid(firstLine.lastIndexOf(':') + 1).toUInt(&ok));
    if (!ok || m_port == 0 || !firstLine.startsWith("127.0.0.1:")) {
        *error = QStringLiteral("the gateway's first line is not HOST:PORT: '%1'")
                     .arg(QString::fromUtf8(firstLine));
        return false;
    }
    return true;
}
