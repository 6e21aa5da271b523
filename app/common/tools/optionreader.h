#pragma once

#include <QString>
#include <QStringView>

#include <optional>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace fleet {

// A whole number in [min, max] (spaces around allowed, "+7" and "-3" read as numbers so that
// the range check names them); nothing otherwise.
std::optional<qint64> parseWholeNumber(QStringView text, qint64 min, qint64 max);

// Seconds with decimals ("0.5"), as the reference client writes its timeouts, in
// [0, maxSeconds]; returned in milliseconds.
std::optional<int> parseSecondsAsMs(QStringView text, double maxSeconds);

// The numeric options of both headless tools, read one way and refused with one sentence shape:
// "--NAME: 'VALUE' is not WHAT". An option that is not given leaves its target alone. The first
// refusal is kept in error(); later reads are skipped, so a chain of reads stops at it.
class OptionReader {
public:
    explicit OptionReader(const QCommandLineParser& parser);

    // `what` completes the sentence, e.g. "a number of milliseconds (0-3600000)".
    template <typename T>
    bool wholeNumber(const QString& option, qint64 min, qint64 max, T* value, const QString& what)
    {
        const std::optional<qint64> number = readWholeNumber(option, min, max, what);
        if (number)
            *value = T(*number);
        return ok();
    }
    bool secondsAsMs(const QString& option, double maxSeconds, int* milliseconds,
                     const QString& what);

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    // The sentence for a value some other check refused.
    static QString refusal(const QString& option, const QString& value, const QString& what);

private:
    std::optional<qint64> readWholeNumber(const QString& option, qint64 min, qint64 max,
                                          const QString& what);

    const QCommandLineParser& m_parser;
    QString m_error;
};

} // namespace fleet
