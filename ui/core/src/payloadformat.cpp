#include "payloadformat.h"

#include "payloadtext.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace fleet::payloadformat {

namespace {

// The console's JSON views indent by four spaces (the catalog's summaries by two).
constexpr int kJsonIndentWidth = 4;

bool isContinuationByte(char byte)
{
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1.
qsizetype firstInvalidUtf8(const QByteArray& bytes)
{
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.constData());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        const unsigned char lead = data[i];
        int length = 0;
        char32_t minimum = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2;
            minimum = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            minimum = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            minimum = 0x10000;
        } else {
            return i;
        }
        if (i + length > size)
            return i;
        char32_t codePoint = lead & (0x7F >> length);
        for (int k = 1; k < length; ++k) {
            if ((data[i + k] & 0xC0) != 0x80)
                return i;
            codePoint = (codePoint << 6) | (data[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values above U+10FFFF are not UTF-8 either.
        if (codePoint < minimum || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return i;
        i += length;
    }
    return -1;
}

QString positionText(const TextPosition& position)
{
    return QStringLiteral("line %1, column %2").arg(position.line).arg(position.column);
}

int hexValue(QChar ch)
{
    const char16_t c = ch.unicode();
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

Conversion failure(const QString& error)
{
    Conversion result;
    result.error = error;
    return result;
}

Conversion decodeHex(const QString& text)
{
    QByteArray bytes;
    bytes.reserve(text.size() / 2);
    TextPosition position;
    int pendingNibble = -1;
    for (const QChar ch : text) {
        if (ch == QLatin1Char('\n')) {
            ++position.line;
            position.column = 1;
            continue;
        }
        if (!ch.isSpace()) {
            const int nibble = hexValue(ch);
            if (nibble < 0) {
                return failure(QStringLiteral("%1: '%2' is not a hex digit (0-9, a-f)")
                                   .arg(positionText(position), QString(ch)));
            }
            if (pendingNibble < 0) {
                pendingNibble = nibble;
            } else {
                bytes.append(char((pendingNibble << 4) | nibble));
                pendingNibble = -1;
            }
        }
        ++position.column;
    }
    if (pendingNibble >= 0) {
        return failure(QStringLiteral("odd number of hex digits: the last byte has only one "
                                      "digit (%1)")
                           .arg(positionText({position.line, position.column - 1})));
    }
    Conversion result;
    result.ok = true;
    result.bytes = bytes;
    return result;
}

Conversion decodeBase64(const QString& text)
{
    QByteArray compact;
    compact.reserve(text.size());
    TextPosition position;
    for (const QChar ch : text) {
        if (ch == QLatin1Char('\n')) {
            ++position.line;
            position.column = 1;
            continue;
        }
        if (!ch.isSpace()) {
            const char16_t c = ch.unicode();
            const bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                               (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
            if (!valid) {
                return failure(QStringLiteral("%1: '%2' is not a Base64 character")
                                   .arg(positionText(position), QString(ch)));
            }
            compact.append(char(c));
        }
        ++position.column;
    }
    auto decoded = QByteArray::fromBase64Encoding(
        compact, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return failure(QStringLiteral("not valid Base64: '=' padding only belongs at the end "
                                      "and the length (%1 characters) must fit 4-character "
                                      "groups")
                           .arg(compact.size()));
    }
    Conversion result;
    result.ok = true;
    result.bytes = decoded.decoded;
    return result;
}

QString encodeHex(const QByteArray& bytes)
{
    QString text;
    for (qsizetype i = 0; i < bytes.size(); i += kHexBytesPerLine) {
        if (i > 0)
            text += QLatin1Char('\n');
        text += QString::fromLatin1(bytes.mid(i, kHexBytesPerLine).toHex(' '));
    }
    return text;
}

QString encodeBase64(const QByteArray& bytes)
{
    const QByteArray encoded = bytes.toBase64();
    QString text;
    for (qsizetype i = 0; i < encoded.size(); i += kBase64CharsPerLine) {
        if (i > 0)
            text += QLatin1Char('\n');
        text += QString::fromLatin1(encoded.mid(i, kBase64CharsPerLine));
    }
    return text;
}

} // namespace

QString formatName(PayloadFormat format)
{
    switch (format) {
    case PayloadFormat::Text:
        return QStringLiteral("Text");
    case PayloadFormat::JsonPretty:
        return QStringLiteral("JSON (pretty)");
    case PayloadFormat::JsonCompact:
        return QStringLiteral("JSON (compact)");
    case PayloadFormat::Hex:
        return QStringLiteral("Hex");
    case PayloadFormat::Base64:
        return QStringLiteral("Base64");
    }
    return {};
}

bool isJson(PayloadFormat format)
{
    return format == PayloadFormat::JsonPretty || format == PayloadFormat::JsonCompact;
}

TextPosition positionOfUtf8Offset(const QByteArray& utf8, qsizetype offset)
{
    TextPosition position;
    offset = qBound<qsizetype>(0, offset, utf8.size());
    for (qsizetype i = 0; i < offset; ++i) {
        if (utf8[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if (!isContinuationByte(utf8[i])) {
            ++position.column;
        }
    }
    return position;
}

JsonCheck checkJson(const QByteArray& bytes)
{
    JsonCheck check;
    if (bytes.trimmed().isEmpty()) {
        check.ok = false;
        check.position = positionOfUtf8Offset(bytes, bytes.size());
        check.message =
            QStringLiteral("%1: empty, JSON needs a value").arg(positionText(check.position));
        return check;
    }
    // QJsonDocument only takes objects and arrays; wrapping the payload in an array also
    // accepts the scalars some modules use (`null`), and a trailing "]" in the payload still
    // shows up as garbage after the wrapper's end.
    QJsonParseError error;
    QJsonDocument::fromJson('[' + bytes + ']', &error);
    if (error.error == QJsonParseError::NoError)
        return check;
    check.ok = false;
    check.position = positionOfUtf8Offset(bytes, error.offset - 1);
    check.message = QStringLiteral("%1: %2").arg(positionText(check.position), error.errorString());
    return check;
}

QByteArray reformatJson(const QByteArray& json, bool pretty)
{
    return reindentJson(json, pretty ? kJsonIndentWidth : 0);
}

bool isLosslessText(const QByteArray& bytes, QString* reason)
{
    const qsizetype invalid = firstInvalidUtf8(bytes);
    if (invalid >= 0) {
        if (reason) {
            *reason = QStringLiteral("byte %1 (0x%2) is not UTF-8 text")
                          .arg(invalid)
                          .arg(static_cast<unsigned char>(bytes[invalid]), 2, 16, QLatin1Char('0'));
        }
        return false;
    }
    const QString text = QString::fromUtf8(bytes);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        if (ch == QLatin1Char('\r') || ch == QChar::LineSeparator ||
            ch == QChar::ParagraphSeparator) {
            if (reason) {
                *reason = QStringLiteral("character %1 (U+%2) would become a plain newline in "
                                         "the editor")
                              .arg(i)
                              .arg(ch.unicode(), 4, 16, QLatin1Char('0'));
            }
            return false;
        }
    }
    if (text.toUtf8() != bytes) { // e.g. a byte order mark the decoder swallowed
        if (reason)
            *reason = QStringLiteral("the bytes do not survive a round trip through text");
        return false;
    }
    return true;
}

Conversion encode(const QByteArray& bytes, PayloadFormat format)
{
    Conversion result;
    switch (format) {
    case PayloadFormat::Hex:
        result.text = encodeHex(bytes);
        break;
    case PayloadFormat::Base64:
        result.text = encodeBase64(bytes);
        break;
    case PayloadFormat::Text:
    case PayloadFormat::JsonPretty:
    case PayloadFormat::JsonCompact: {
        QString reason;
        if (!isLosslessText(bytes, &reason))
            return failure(QStringLiteral("cannot show as text: %1").arg(reason));
        if (format == PayloadFormat::Text) {
            result.text = QString::fromUtf8(bytes);
            break;
        }
        const JsonCheck check = checkJson(bytes);
        if (!check.ok)
            return failure(QStringLiteral("not valid JSON: %1").arg(check.message));
        result.text = QString::fromUtf8(reformatJson(bytes, format == PayloadFormat::JsonPretty));
        break;
    }
    }
    result.ok = true;
    result.bytes = bytes;
    return result;
}

Conversion decode(const QString& text, PayloadFormat format)
{
    switch (format) {
    case PayloadFormat::Hex:
        return decodeHex(text);
    case PayloadFormat::Base64:
        return decodeBase64(text);
    case PayloadFormat::JsonPretty:
    case PayloadFormat::JsonCompact: {
        const QByteArray bytes = text.toUtf8();
        const JsonCheck check = checkJson(bytes);
        if (!check.ok)
            return failure(QStringLiteral("not valid JSON: %1").arg(check.message));
        Conversion result;
        result.ok = true;
        result.bytes = bytes;
        return result;
    }
    case PayloadFormat::Text:
        break;
    }
    Conversion result;
    result.ok = true;
    result.bytes = text.toUtf8();
    return result;
}

} // namespace fleet::payloadformat
