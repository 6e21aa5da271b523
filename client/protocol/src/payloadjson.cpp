// The JSON half of payloadtext.h: checking the operator's JSON with a position and a reason
// for every error, laying JSON out again, and writing JSON strings byte for byte.

#include "payloadtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace fleet {

namespace {

// Line and column (from 1; a column counts characters, not bytes) of a byte offset in UTF-8.
TextPosition positionOfUtf8Offset(QByteArrayView utf8, qsizetype offset)
{
    TextPosition position;
    offset = qBound(qsizetype(0), offset, utf8.size());
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
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
    case QJsonParseError::IllegalUTF8String: {
        // Qt stops somewhere in the string; the offending byte is known exactly.
        const qsizetype invalid = firstInvalidUtf8(text);
        if (invalid >= 0)
            return invalid;
        break;
    }
    default:
        break;
    }
    const qsizetype offset =
        error.error == QJsonParseError::GarbageAtEnd ? error.offset : error.offset - 1;
    qsizetype at = firstNonSpace(text, qBound(qsizetype(0), offset, text.size()));
    if (error.error == QJsonParseError::IllegalValue) {
        // A misspelt literal: Qt stops at the first wrong letter ("fals}" at '}', "tru}" at
        // 't', depending on how much text follows); point at the word's start either way.
        const auto isLetter = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        };
        while (at > 0 && at <= text.size() && isLetter(text.at(at - 1)))
            --at;
    }
    return at;
}

// Walks JSON text byte by byte and tells which bytes belong to a string (both quotes included):
// the callers look only at the structure outside strings.
class JsonStringTracker {
public:
    bool inString(char c)
    {
        if (m_inString) {
            if (m_escaped)
                m_escaped = false;
            else if (c == '\\')
                m_escaped = true;
            else if (c == '"')
                m_inString = false;
            return true;
        }
        m_inString = c == '"';
        return m_inString;
    }

private:
    bool m_inString = false;
    bool m_escaped = false;
};

// The first ',' or unmatched closing bracket outside strings and brackets: where a text that
// should hold one scalar goes on with more (QJsonDocument only sees the array it was wrapped in).
qsizetype firstTopLevelSeparator(const QByteArray& text)
{
    int depth = 0;
    JsonStringTracker strings;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (strings.inString(c))
            continue;
        if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            if (depth == 0)
                return i;
            --depth;
        } else if (c == ',' && depth == 0) {
            return i;
        }
    }
    return text.size();
}

JsonCheck syntaxError(const QByteArray& text, qsizetype offset, const QString& reason)
{
    offset = qBound(qsizetype(0), offset, text.size());
    JsonSyntaxError error;
    error.position = positionOfUtf8Offset(text, offset);
    error.atEnd = offset >= text.size();
    error.reason = reason;
    return {QJsonValue::Undefined, error};
}

} // namespace

QString JsonSyntaxError::toString() const
{
    return QStringLiteral("%1%2: %3")
        .arg(position.toString(),
             atEnd && !empty ? QStringLiteral(" (at the end of the text)") : QString(), reason);
}

JsonCheck checkJson(const QByteArray& text)
{
    const qsizetype start = firstNonSpace(text);
    if (start == text.size()) {
        JsonCheck empty =
            syntaxError(text, text.size(), QStringLiteral("empty, JSON needs a value"));
        empty.error->empty = true;
        return empty;
    }

    const char first = text.at(start);
    QJsonParseError error;
    if (first == '{' || first == '[') {
        const QJsonDocument document = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError)
            return syntaxError(text, offendingOffset(text, error), error.errorString());
        if (document.isArray())
            return {document.array(), std::nullopt};
        return {document.object(), std::nullopt};
    }

    // QJsonDocument refuses scalars at the top level: parse them as the only element of an
    // array and map error offsets back to the operator's text.
    const QByteArray wrapped = '[' + text + ']';
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    const qsizetype separator = firstTopLevelSeparator(text);
    if (error.error != QJsonParseError::NoError) {
        // A ']' in the text closed the wrapper: the garbage starts there, not at the wrapper's
        // own ']' that Qt points at.
        if (error.error == QJsonParseError::GarbageAtEnd && separator < text.size())
            return syntaxError(text, separator, error.errorString());
        return syntaxError(text, offendingOffset(wrapped, error) - 1, error.errorString());
    }
    const QJsonArray array = document.array();
    if (array.size() != 1)
        return syntaxError(
            text, separator,
            QStringLiteral("%1 values at the top level, expected one").arg(array.size()));
    return {array.first(), std::nullopt};
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
    JsonStringTracker strings;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (strings.inString(c)) {
            out += c;
            continue;
        }
        if (isJsonSpace(c))
            continue;
        if (indentWidth == 0) { // compact: only the whitespace goes
            out += c;
            continue;
        }
        switch (c) {
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
    if (checkJson(payload).ok())
        return prettyJson(payload);
    if (!isPayloadText(payload))
        return {};
    return QString::fromUtf8(payload);
}

void appendJsonString(QByteArray& out, QByteArrayView utf8)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        // U+FEFF opening a string is dropped by some readers (QJsonDocument among them); as an
        // escape it survives everywhere, and the text keeps its exact bytes.
        if (utf8.sliced(i).startsWith("\xef\xbb\xbf")) {
            out += "\\ufeff";
            i += 2;
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (quint8(c) < 0x20) {
                out += "\\u00";
                out += kHex[quint8(c) >> 4];
                out += kHex[quint8(c) & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

QByteArray jsonString(QByteArrayView utf8)
{
    QByteArray out;
    appendJsonString(out, utf8);
    return out;
}

QByteArray jsonString(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    return jsonString(QByteArrayView(utf8));
}

} // namespace fleet
