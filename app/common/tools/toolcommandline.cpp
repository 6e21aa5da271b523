#include "toolcommandline.h"

namespace fleet {

ToolCommandLine::ToolCommandLine(const QString& toolName, const QString& description)
    : m_tool(toolName)
    , m_help({QStringLiteral("h"), QStringLiteral("help")},
             QStringLiteral("Show this help and exit."))
    , m_version(QStringLiteral("version"), QStringLiteral("Show the version and exit."))
{
    m_parser.setApplicationDescription(description);
    m_parser.addOptions({m_help, m_version});
}

ToolCommandLine::Result ToolCommandLine::parse(const QStringList& arguments)
{
    if (!m_parser.parse(arguments)) {
        m_error = m_parser.errorText();
        return Result::Error;
    }
    if (m_parser.isSet(m_help))
        return Result::Help;
    if (m_parser.isSet(m_version))
        return Result::Version;
    if (!m_parser.positionalArguments().isEmpty()) {
        m_error = QStringLiteral("unexpected argument '%1' (options start with --)")
                      .arg(m_parser.positionalArguments().first());
        return Result::Error;
    }
    return Result::Run;
}

QString ToolCommandLine::versionText() const
{
    return QStringLiteral("%1 %2\n").arg(m_tool, QStringLiteral(FLEET_VERSION));
}

QString ToolCommandLine::usageError(const QString& toolName, const QString& message)
{
    return QStringLiteral("%1: %2\nTry '%1 --help'.\n").arg(toolName, message);
}

} // namespace fleet
