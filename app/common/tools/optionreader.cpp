#include "optionreader.h"

#include <QCommandLineParser>

#include <cmath>

namespace fleet {

std::optional<qint64> parseWholeNumber(QStringView text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 number = text.trimmed().toLongLong(&ok);
    if (!ok || number < min || number > max)
        return std::nullopt;
    return number;
}

std::optional<int> parseSecondsAsMs(QStringView text, double maxSeconds)
{
    bool ok = false;
    const double seconds = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > maxSeconds)
        return std::nullopt;
    return int(std::lround(seconds * 1000.0));
}

OptionReader::OptionReader(const QCommandLineParser& parser)
    : m_parser(parser)
{
}

QString OptionReader::refusal(const QString& option, const QString& value, const QString& what)
{
    return QStringLiteral("--%1: '%2' is not %3").arg(option, value, what);
}

std::optional<qint64> OptionReader::readWholeNumber(const QString& option, qint64 min, qint64 max,
                                                    const QString& what)
{
    if (!ok() || !m_parser.isSet(option))
        return std::nullopt;
    const QString value = m_parser.value(option);
    const std::optional<qint64> number = parseWholeNumber(value, min, max);
    if (!number)
        m_error = refusal(option, value, what);
    return number;
}

bool OptionReader::secondsAsMs(const QString& option, double maxSeconds, int* milliseconds,
                               const QString& what)
{
    if (!ok() || !m_parser.isSet(option))
        return ok();
    const QString value = m_parser.value(option);
    const std::optional<int> ms = parseSecondsAsMs(value, maxSeconds);
    if (ms)
        *milliseconds = *ms;
    else
        m_error = refusal(option, value, what);
    return ok();
}

} // namespace fleet
