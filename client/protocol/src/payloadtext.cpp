#include "payloadtext.h"

#include <QDateTime>
#include <QStringDecoder>

namespace fleet {

namespace {

constexpr QChar kEllipsis(0x2026);
constexpr qsizetype kDescribedChars = 80; // describeBytes(): a summary, shorter than a log line

// --- text ------------------------------------------------------------------------------------

bool isControlByte(unsigned char byte)
{
    return (byte < 0x20 && byte != '\n' && byte != '\r' && byte != '\t') || byte == 0x7f;
}

// Characters that change how a line reads on a terminal without being visible themselves:
// C0 and C1 controls and DEL (escape sequences start with ESC or CSI), line and paragraph
// separators, and the bidirectional marks, embeddings, overrides and isolates.
bool isHiddenCharacter(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

// Escapes what would break a line or hide in it and cuts after maxChars characters (a
// surrogate pair is never split). `cut` tells whether anything was left out.
QString escapeLine(QStringView text, qsizetype maxChars, bool* cut)
{
    QString shown;
    shown.reserve(qMin(text.size(), maxChars) + 8);
    qsizetype characters = 0;
    *cut = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (characters >= maxChars) {
            *cut = true;
            break;
        }
        const QChar c = text[i];
        ++characters;
        switch (c.unicode()) {
        case u'\n':
            shown += QLatin1String("\\n");
            break;
        case u'\r':
            shown += QLatin1String("\\r");
            break;
        case u'\t':
            shown += QLatin1String("\\t");
            break;
        default:
            if (c.unicode() < 0x80 && isHiddenCharacter(c.unicode())) {
                shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            } else if (isHiddenCharacter(c.unicode())) {
                shown += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            } else {
                shown += c;
                if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
                    shown += text[++i];
            }
        }
    }
    return shown;
}

// How many bytes the text takes in UTF-8 (a lone surrogate as the 3 bytes of U+FFFD).
qsizetype utf8Size(QStringView text)
{
    qsizetype size = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            size += 1;
        } else if (c < 0x800) {
            size += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
                   text[i + 1].isLowSurrogate()) {
            size += 4;
            ++i;
        } else {
            size += 3;
        }
    }
    return size;
}

// Enough of a long payload to show maxChars characters: a UTF-8 character takes at most four
// bytes, so a cut-off character at the end of the prefix lies beyond what is shown.
QString textPrefix(QByteArrayView bytes, qsizetype maxChars)
{
    return QString::fromUtf8(bytes.first(qMin(bytes.size(), (maxChars + 1) * 4)));
}

QString byteCount(qsizetype size)
{
    return size == 1 ? QStringLiteral("1 byte") : QStringLiteral("%1 bytes").arg(size);
}

// --- positions -------------------------------------------------------------------------------

// The character at text[i] (a surrogate pair as one) for an error message: "'g'", "U+0007".
QString quotedCharacter(QStringView text, qsizetype i)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
        return QLatin1Char('\'') + text.mid(i, 2).toString() + QLatin1Char('\'');
    if (!c.isPrint())
        return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
    return QLatin1Char('\'') + c + QLatin1Char('\'');
}

// --- hex -------------------------------------------------------------------------------------

int hexValue(QChar ch)
{
    const char16_t c = ch.unicode();
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

bool isHexSeparator(QChar c)
{
    return c.isSpace() || c == u':';
}

} // namespace

// --- UTF-8 -----------------------------------------------------------------------------------

qsizetype firstInvalidUtf8(QByteArrayView bytes)
{
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
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

std::optional<QString> exactUtf8(QByteArrayView bytes)
{
    if (!isValidUtf8(bytes))
        return std::nullopt;
    // ConvertInitialBom: the default decoder drops a leading BOM, which would make the text
    // differ from the bytes it came from.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    return QString(decoder(bytes));
}

bool isPayloadText(QByteArrayView bytes)
{
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        // C0 controls and DEL as single bytes; C1 controls (U+0080..U+009F) as C2 80..C2 9F.
        if (isControlByte(data[i]) ||
            (data[i] == 0xC2 && i + 1 < bytes.size() && data[i + 1] >= 0x80 && data[i + 1] <= 0x9F))
            return false;
    }
    return isValidUtf8(bytes);
}

// --- Short forms -----------------------------------------------------------------------------

QString payloadLine(QByteArrayView bytes, qsizetype maxChars)
{
    if (bytes.isEmpty())
        return QStringLiteral("(empty)");
    maxChars = qMax(maxChars, qsizetype(1));
    bool cut = false;
    QString line;
    if (isPayloadText(bytes)) {
        line = escapeLine(textPrefix(bytes, maxChars), maxChars, &cut);
    } else {
        // "hex " and three characters a byte; whole bytes only, at least one.
        const qsizetype shownBytes = qBound(qsizetype(1), (maxChars - 3) / 3, bytes.size());
        line = QStringLiteral("hex ") +
               QString::fromLatin1(bytes.first(shownBytes).toByteArray().toHex(' '));
        cut = shownBytes < bytes.size();
    }
    if (cut)
        line += kEllipsis + QStringLiteral(" (%1)").arg(byteCount(bytes.size()));
    return line;
}

QString printableText(QStringView text, qsizetype maxChars)
{
    maxChars = qMax(maxChars, qsizetype(1));
    bool cut = false;
    QString shown = escapeLine(text, maxChars, &cut);
    if (cut)
        shown += kEllipsis + QStringLiteral(" (%1)").arg(byteCount(utf8Size(text)));
    return shown;
}

QString describeBytes(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return QStringLiteral("empty");
    if (!isPayloadText(bytes))
        return byteCount(bytes.size()) + QStringLiteral(" (binary)");
    bool cut = false;
    QString shown = escapeLine(textPrefix(bytes, kDescribedChars), kDescribedChars, &cut);
    if (cut)
        shown += kEllipsis;
    return byteCount(bytes.size()) + QStringLiteral(": ") + shown;
}

// --- Hex -------------------------------------------------------------------------------------

QString TextPosition::toString() const
{
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

HexParse parseHex(QStringView text)
{
    HexParse result;
    result.bytes.reserve(text.size() / 2);
    TextPosition position;
    TextPosition pendingAt;
    int pending = -1; // the first digit of a byte, waiting for its second
    bool groupStart = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\n') {
            ++position.line;
            position.column = 1;
            groupStart = true;
            continue;
        }
        if (isHexSeparator(c)) {
            groupStart = true;
            ++position.column;
            continue;
        }
        if (groupStart && c == u'0' && i + 1 < text.size() &&
            (text[i + 1] == u'x' || text[i + 1] == u'X')) {
            ++i; // a 0x prefix
            position.column += 2;
            groupStart = false;
            continue;
        }
        groupStart = false;
        const int nibble = hexValue(c);
        if (nibble < 0) {
            result.bytes.clear();
            result.error = QStringLiteral("%1: %2 is not a hex digit (0-9, a-f, A-F)")
                               .arg(position.toString(), quotedCharacter(text, i));
            return result;
        }
        if (pending < 0) {
            pending = nibble;
            pendingAt = position;
        } else {
            result.bytes.append(char((pending << 4) | nibble));
            pending = -1;
        }
        ++position.column;
    }
    if (pending >= 0) {
        result.error = QStringLiteral("odd number of hex digits (%1): each byte takes two, the "
                                      "last digit (%2) has no partner")
                           .arg(result.bytes.size() * 2 + 1)
                           .arg(pendingAt.toString());
        result.bytes.clear();
    }
    return result;
}

// --- Time ------------------------------------------------------------------------------------

QString utcTimestamp(qint64 msSinceEpoch)
{
    constexpr qint64 kMsPerDay = 24 * 60 * 60 * 1000;
    const qint64 days =
        msSinceEpoch >= 0 ? msSinceEpoch / kMsPerDay : (msSinceEpoch + 1) / kMsPerDay - 1;
    const qint64 msOfDay = msSinceEpoch - days * kMsPerDay;

    // Civil date of a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
    // days_from_civil inverse), so no time-zone database is consulted per event.
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    const int day = int(dayOfYear - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) // beyond four digits: leave the spelling to Qt
        return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);

    char text[24];
    const auto put = [&text](int at, qint64 value, int digits) {
        for (int k = digits - 1; k >= 0; --k) {
            text[at + k] = char('0' + value % 10);
            value /= 10;
        }
    };
    put(0, year, 4);
    text[4] = '-';
    put(5, month, 2);
    text[7] = '-';
    put(8, day, 2);
    text[10] = 'T';
    put(11, msOfDay / 3600000, 2);
    text[13] = ':';
    put(14, msOfDay / 60000 % 60, 2);
    text[16] = ':';
    put(17, msOfDay / 1000 % 60, 2);
    text[19] = '.';
    put(20, msOfDay % 1000, 3);
    text[23] = 'Z';
    return QString::fromLatin1(text, 24);
}

} // namespace fleet
