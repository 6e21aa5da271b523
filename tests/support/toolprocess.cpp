#include "toolprocess.h"

#include <algorithm>
#include <csignal>
#include <sys/types.h>

#include <QJsonDocument>
#include <QTest>

namespace fleet::test {

namespace {

constexpr int kKillWaitMs = 5000;
constexpr int kGatewayStartMs = 20000; // process start on a loaded 2-core machine
constexpr qsizetype kDescribedBytes = 4000;

} // namespace

QList<QJsonObject> parseEventLines(const QByteArray& out, QString* notJson)
{
    QList<QJsonObject> events;
    for (const QByteArray& line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject() ||
            !document.object().contains(QStringLiteral("event"))) {
            if (notJson && notJson->isEmpty())
                *notJson = QString::fromUtf8(line);
            continue;
        }
        events << document.object();
    }
    return events;
}

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
                        : timedOut ? QStringLiteral(" (still running)")
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
    const bool exited =
        QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
    m_out += m_process.readAllStandardOutput(); // what it left in the pipes
    m_err += m_process.readAllStandardError();
    return exited;
}

bool ToolProcess::waitForOutput(const QByteArray& text, int timeoutMs)
{
    // An exited process prints nothing more: stop waiting then, with what it left in the pipe.
    static_cast<void>(QTest::qWaitFor(
        [&] { return m_out.contains(text) || m_process.state() == QProcess::NotRunning; },
        timeoutMs));
    m_out += m_process.readAllStandardOutput();
    return m_out.contains(text);
}

bool ToolProcess::waitForError(const QByteArray& text, int timeoutMs)
{
    static_cast<void>(QTest::qWaitFor(
        [&] { return m_err.contains(text) || m_process.state() == QProcess::NotRunning; },
        timeoutMs));
    m_err += m_process.readAllStandardError();
    return m_err.contains(text);
}

bool ToolProcess::waitForEvent(const QString& name, int timeoutMs)
{
    const auto seen = [&] {
        const QList<QJsonObject> events = parseEventLines(m_out);
        return std::any_of(events.cbegin(), events.cend(), [&](const QJsonObject& event) {
            return event.value(QStringLiteral("event")).toString() == name;
        });
    };
    static_cast<void>(QTest::qWaitFor(
        [&] { return seen() || m_process.state() == QProcess::NotRunning; }, timeoutMs));
    m_out += m_process.readAllStandardOutput();
    return seen();
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
    run.events = parseEventLines(run.out, &run.notJson);
    return run;
}

GatewayProcess::GatewayProcess(const QString& program)
    : ToolProcess(program)
{
}

bool GatewayProcess::startListening(const QStringList& extraArguments, QString* error)
{
    start(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + extraArguments);
    const auto fail = [this, error](const QString& why) {
        if (error)
            *error = why + QLatin1Char('\n') + ToolProcess::result().describe();
        return false;
    };
    if (!waitForOutput("\n", kGatewayStartMs))
        return fail(QStringLiteral("fleet-gateway printed no address line"));
    const QByteArray firstLine = output().left(output().indexOf('\n')).trimmed();
    bool ok = false;
    const uint port = firstLine.mid(firstLine.lastIndexOf(':') + 1).toUInt(&ok);
    if (!ok || port == 0 || port > 65535 || !firstLine.startsWith("127.0.0.1:"))
        return fail(QStringLiteral("the gateway's first line is not 127.0.0.1:PORT: '%1'")
                        .arg(QString::fromUtf8(firstLine)));
    m_port = quint16(port);
    return true;
}

ToolRun GatewayProcess::result()
{
    ToolRun run = ToolProcess::result();
    if (m_port != 0) {
        const qsizetype end = run.out.indexOf('\n');
        run.notJson.clear();
        run.events = parseEventLines(run.out.mid(end + 1), &run.notJson);
    }
    return run;
}

} // namespace fleet::test
