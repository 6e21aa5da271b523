#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace fleet {

// What fleet-gateway and fleet-device do alike with their command line: --help and --version
// (answered on stdout, exit 0), stray arguments refused, and the usage-error sentence that
// names the tool and points to --help (on stderr, exit kExitUsage). The tool adds its own
// options to parser() before parse().
class ToolCommandLine {
public:
    static constexpr int kExitUsage = 2;

    enum class Result { Run, Help, Version, Error };

    ToolCommandLine(const QString& toolName, const QString& description);

    QCommandLineParser& parser() { return m_parser; }
    const QCommandLineParser& parser() const { return m_parser; }

    // arguments: the program name first, as QCoreApplication::arguments(). --help wins over
    // everything else, then --version.
    Result parse(const QStringList& arguments);

    QString helpText() const { return m_parser.helpText(); }
    // "fleet-device 0.1.0\n"
    QString versionText() const;
    // Why parse() returned Error: Qt's sentence or the stray argument.
    QString error() const { return m_error; }
    // "fleet-device: MESSAGE\nTry 'fleet-device --help'.\n"
    QString usageError(const QString& message) const { return usageError(m_tool, message); }
    static QString usageError(const QString& toolName, const QString& message);

private:
    QString m_tool;
    QCommandLineParser m_parser;
    QCommandLineOption m_help;
    QCommandLineOption m_version;
    QString m_error;
};

} // namespace fleet
