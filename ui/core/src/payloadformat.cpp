#include "payloadformat.h"

#include "payloadtext.h"

namespace fleet::payloadformat {

namespace {

// The console's JSON views indent by four spaces (the catalog's summaries by two).
constexpr int kJsonIndentWidth = 4;

Conversion failure(const QString& error)
{
    Conversion result;
    result.error = error;
    return result;
}

Conversion decodeHex(const QString& text)
{
    const HexParse hex = parseHex(text);
    if (!hex.ok())
        return failure(hex.error);
    Conversion result;
    result.ok = true;
    result.bytes = hex.bytes;
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
                                   .arg(position.toString(), QString(ch)));
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
        if (check.error)
            return failure(QStringLiteral("not valid JSON: %1").arg(check.error->toString()));
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
        if (check.error)
            return failure(QStringLiteral("not valid JSON: %1").arg(check.error->toString()));
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
