#include "module_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace fleet::detail {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype firstNonSpace(const QByteArray& text, qsizetype from = 0)
{
    while (from < text.size() && isJsonSpace(text.at(from)))
        ++from;
    return from;
}

// Where the operator should look. QJsonParseError::offset is not uniform (checked against Qt
// 6.4): it points at the first garbage character for GarbageAtEnd, at the offending character
// for IllegalNumber (often after whitespace), at the end for text that stops early or ends on
// a mismatched bracket, and just past the offending character otherwise.
qsizetype offendingOffset(const QByteArray& text, const QJsonParseError& error)
{
    switch (error.error) {
    case QJsonParseError::UnterminatedObject:
    case QJsonParseError::UnterminatedArray: {
        if (error.offset < text.size())
            break;
        // Ending on a bracket means a bracket of the wrong kind ("{]"); otherwise the text
        // stopped early.
        qsizetype last = text.size() - 1;
        while (last >= 0 && isJsonSpace(text.at(last)))
            --last;
        if (last >= 0 && (text.at(last) == ']' || text.at(last) == '}'))
            return last;
        return text.size();
    }
    case QJsonParseError::UnterminatedString:
    case QJsonParseError::TerminationByNumber:
        if (error.offset >= text.size())
            return text.size();
        break;
    default:
        break;
    }
    const qsizetype offset =
        error.error == QJsonParseError::GarbageAtEnd ? error.offset : error.offset - 1;
    return firstNonSpace(text, qBound(qsizetype(0), offset, text.size()));
}

QString syntaxError(const QByteArray& text, qsizetype offset, const QString& what)
{
    const TextPosition position = textPosition(text, offset);
    const QString where =
        offset >= text.size() ? QStringLiteral(" (at the end of the text)") : QString();
    return QStringLiteral("JSON syntax error at line %1, column %2%3: %4")
        .arg(position.line)
        .arg(position.column)
        .arg(where, what);
}

} // namespace

JsonParse parseJson(const QByteArray& text)
{
    const qsizetype start = firstNonSpace(text);
    if (start == text.size())
        return {QJsonValue::Undefined, QStringLiteral("the payload is empty, expected JSON")};

    const char first = text.at(start);
    QJsonParseError error;
    if (first == '{' || first == '[') {
        const QJsonDocument document = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError)
            return {QJsonValue::Undefined,
                    syntaxError(text, offendingOffset(text, error), error.errorString())};
        if (document.isArray())
            return {document.array(), {}};
        return {document.object(), {}};
    }

    // QJsonDocument refuses scalars at the top level: parse them as the only element of an
    // array and map error offsets back to the operator's text.
    const QByteArray wrapped = '[' + text + ']';
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype offset = offendingOffset(wrapped, error) - 1;
        return {QJsonValue::Undefined,
                syntaxError(text, qBound(qsizetype(0), offset, text.size()), error.errorString())};
    }
    const QJsonArray array = document.array();
    if (array.size() != 1)
        return {QJsonValue::Undefined,
                QStringLiteral("JSON syntax error: %1 values at the top level, expected one")
                    .arg(array.size())};
    return {array.first(), {}};
}

TextPosition textPosition(const QByteArray& text, qsizetype offset)
{
    TextPosition position;
    offset = qBound(qsizetype(0), offset, text.size());
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(text.at(i));
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((byte & 0xC0) != 0x80) {
            // UTF-8 continuation bytes do not start a character.
            ++position.column;
        }
    }
    return position;
}

QString describeJsonValue(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QStringLiteral("the number %1").arg(formatNumber(value.toDouble()));
    case QJsonValue::String: {
        QString text = value.toString();
        if (text.size() > 40)
            text = text.left(40) + QChar(0x2026);
        return QStringLiteral("the string \"%1\"").arg(text);
    }
    case QJsonValue::Array: {
        const qsizetype count = value.toArray().size();
        return count == 1 ? QStringLiteral("an array of 1 element")
                          : QStringLiteral("an array of %1 elements").arg(count);
    }
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

QString formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString describeBytes(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return QStringLiteral("empty");
    const QString count =
        bytes.size() == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(bytes.size());
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder(bytes);
    if (decoder.hasError())
        return count + QStringLiteral(" (binary)");

    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\r' && c != u'\t')
            return count + QStringLiteral(" (binary)");
    }

    constexpr qsizetype kShownCharacters = 80;
    QString shown;
    shown.reserve(qMin(text.size(), kShownCharacters) + 8);
    for (const QChar c : text) {
        if (shown.size() >= kShownCharacters) {
            shown += QChar(0x2026);
            break;
        }
        if (c == u'\n')
            shown += QStringLiteral("\\n");
        else if (c == u'\r')
            shown += QStringLiteral("\\r");
        else if (c == u'\t')
            shown += QStringLiteral("\\t");
        else
            shown += c;
    }
    return count + QStringLiteral(": ") + shown;
}

QByteArray reindentJson(const QByteArray& json, int indentWidth)
{
    QByteArray out;
    out.reserve(json.size() * 2);
    int depth = 0;
    const auto newline = [&] {
        out += '\n';
        out += QByteArray(indentWidth * qMax(depth, 0), ' ');
    };
    bool inString = false;
    bool escaped = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (isJsonSpace(c))
            continue;
        if (indentWidth == 0) { // compact: only the whitespace goes
            out += c;
            inString = c == '"';
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            out += c;
            break;
        case '{':
        case '[': {
            const qsizetype next = firstNonSpace(json, i + 1);
            if (next < json.size() && json.at(next) == (c == '{' ? '}' : ']')) {
                out += c; // an empty container stays on one line
                out += json.at(next);
                i = next;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case '}':
        case ']':
            --depth;
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString prettyJson(const QByteArray& json)
{
    return QString::fromUtf8(reindentJson(json, 2));
}

QString prettyPayload(const QByteArray& payload)
{
    if (payload.isEmpty())
        return {};
    if (parseJson(payload).ok())
        return prettyJson(payload);
    if (describeBytes(payload).endsWith(QLatin1String("(binary)")))
        return {};
    return QString::fromUtf8(payload);
}

} // namespace fleet::detail

namespace fleet {

QByteArray reindentJson(const QByteArray& json, int indentWidth)
{
    return detail::reindentJson(json, indentWidth);
}

} // namespace fleet
