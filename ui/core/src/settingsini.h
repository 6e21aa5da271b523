#pragma once

// Reading the console's ini file with every value checked: private to ui/core, used by
// settingsstore.cpp.
#include "payloadformat.h"

#include <QByteArray>
#include <QSettings>
#include <QStringList>

namespace fleet {

struct FormatKey {
    PayloadFormat format;
    const char* key;
};
constexpr FormatKey kFormatKeys[] = {
    {PayloadFormat::Text, "text"},
    {PayloadFormat::JsonPretty, "json-pretty"},
    {PayloadFormat::JsonCompact, "json-compact"},
    {PayloadFormat::Hex, "hex"},
    {PayloadFormat::Base64, "base64"},
};

// Reads typed values and remembers the first one of the wrong type: an ini file cannot say
// "this is a number", so every value is checked here rather than trusted.
class TypedReader {
public:
    explicit TypedReader(QSettings& settings)
        : m_settings(settings)
    {
    }

    bool failed() const { return !m_problem.isEmpty(); }
    QString problem() const { return m_problem; }

    qint64 number(const QString& key, qint64 fallback, qint64 minimum, qint64 maximum)
    {
        const QVariant value = m_settings.value(key);
        if (!value.isValid())
            return fallback;
        bool ok = false;
        const qint64 parsed = value.toString().trimmed().toLongLong(&ok);
        if (!ok || parsed < minimum || parsed > maximum) {
            fail(key, value,
                 QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum));
            return fallback;
        }
        return parsed;
    }

    bool boolean(const QString& key, bool fallback)
    {
        const QVariant value = m_settings.value(key);
        if (!value.isValid())
            return fallback;
        const QString text = value.toString().trimmed().toLower();
        if (text == QLatin1String("true"))
            return true;
        if (text == QLatin1String("false"))
            return false;
        fail(key, value, QStringLiteral("true or false"));
        return fallback;
    }

    QString text(const QString& key, const QString& fallback)
    {
        const QVariant value = m_settings.value(key);
        if (!value.isValid())
            return fallback;
        if (value.typeId() != QMetaType::QString) {
            fail(key, value, QStringLiteral("text"));
            return fallback;
        }
        return value.toString();
    }

    // One of a fixed set of words.
    QString choice(const QString& key, const QString& fallback, const QStringList& allowed)
    {
        const QString value = text(key, fallback);
        if (allowed.contains(value))
            return value;
        fail(key, value, QStringLiteral("one of ") + allowed.join(QStringLiteral(", ")));
        return fallback;
    }

    // "1,2,3,1000": module numbers, each a whole number.
    QList<quint32> numbers(const QString& key, const QList<quint32>& fallback)
    {
        const QVariant value = m_settings.value(key);
        if (!value.isValid())
            return fallback;
        QList<quint32> result;
        for (const QString& part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const quint32 number = part.trimmed().toUInt(&ok);
            if (!ok) {
                fail(key, value, QStringLiteral("module numbers separated by commas"));
                return fallback;
            }
            result.append(number);
        }
        return result;
    }

    QByteArray bytes(const QString& key)
    {
        const QVariant value = m_settings.value(key);
        if (!value.isValid())
            return {};
        if (value.typeId() != QMetaType::QByteArray) {
            fail(key, value, QStringLiteral("saved window data (@ByteArray)"));
            return {};
        }
        return value.toByteArray();
    }

    PayloadFormat format(const QString& key)
    {
        const QString name = text(key, QStringLiteral("text"));
        for (const FormatKey& entry : kFormatKeys) {
            if (name == QLatin1String(entry.key))
                return entry.format;
        }
        fail(key, name, QStringLiteral("one of text, json-pretty, json-compact, hex, base64"));
        return PayloadFormat::Text;
    }

private:
    void fail(const QString& key, const QVariant& value, const QString& expected)
    {
        if (failed())
            return;
        QString shown = value.toString();
        if (shown.size() > 40)
            shown = shown.left(40) + QStringLiteral("…");
        const QString group = m_settings.group();
        m_problem =
            QStringLiteral("%1 is \"%2\", expected %3")
                .arg(group.isEmpty() ? key : group + QLatin1Char('/') + key, shown, expected);
    }

    QSettings& m_settings;
    QString m_problem;
};

// QSettings reads almost anything without complaint, so the file is first checked line by
// line: a line that is not a section, a comment or key=value means the file is not ours (or
// was damaged), and guessing which of its values are still good would be worse than defaults.
QString scanIniLines(const QByteArray& content);

} // namespace fleet
