#include "jsonlinewriter.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace fleet {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

char* putControl(char* p, unsigned c)
{
    *p++ = '\\';
    *p++ = 'u';
    *p++ = '0';
    *p++ = '0';
    *p++ = kHexDigits[c >> 4];
    *p++ = kHexDigits[c & 0xf];
    return p;
}

// An ASCII character, escaped as JSON needs.
char* putAscii(char* p, unsigned c)
{
    if (c < 0x20)
        return putControl(p, c);
    if (c == '"' || c == '\\')
        *p++ = '\\';
    *p++ = char(c);
    return p;
}

constexpr char32_t kByteOrderMark = 0xfeff;

// U+FEFF escaped: some parsers (QJsonDocument among them) drop a raw one even inside a string,
// and a payload's leading byte order mark must survive the trip.
char* putByteOrderMark(char* p)
{
    for (const char c : {'\\', 'u', 'f', 'e', 'f', 'f'})
        *p++ = c;
    return p;
}

char* putCodePoint(char* p, char32_t cp) // cp >= 0x80, not a surrogate
{
    if (cp < 0x800) {
        *p++ = char(0xc0 | (cp >> 6));
    } else if (cp < 0x10000) {
        *p++ = char(0xe0 | (cp >> 12));
        *p++ = char(0x80 | ((cp >> 6) & 0x3f));
    } else {
        *p++ = char(0xf0 | (cp >> 18));
        *p++ = char(0x80 | ((cp >> 12) & 0x3f));
        *p++ = char(0x80 | ((cp >> 6) & 0x3f));
    }
    *p++ = char(0x80 | (cp & 0x3f));
    return p;
}

constexpr char32_t kReplacement = 0xfffd;

// Length of the valid UTF-8 sequence starting at s (Unicode's table of well-formed byte
// sequences: no overlong forms, no surrogates, nothing above U+10FFFF), 0 if it is invalid.
qsizetype validSequenceLength(const uchar* s, qsizetype left)
{
    const uchar b = s[0];
    qsizetype length = 0;
    uchar low = 0x80;
    uchar high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
        length = 2;
    } else if (b >= 0xe0 && b <= 0xef) {
        length = 3;
        if (b == 0xe0)
            low = 0xa0;
        else if (b == 0xed)
            high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        length = 4;
        if (b == 0xf0)
            low = 0x90;
        else if (b == 0xf4)
            high = 0x8f;
    } else {
        return 0;
    }
    if (left < length || s[1] < low || s[1] > high)
        return 0;
    for (qsizetype i = 2; i < length; ++i) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    return length;
}

// Makes room for up to `most` bytes at the end of out; returns where to write. The caller
// trims with finishAt(). QByteArray keeps its capacity when shrunk, so a reused line buffer
// stops allocating after the first few events.
char* reserveTail(QByteArray* out, qsizetype most, qsizetype* start)
{
    *start = out->size();
    out->resize(*start + most);
    return out->data() + *start;
}

void finishAt(QByteArray* out, const char* end)
{
    out->resize(end - out->constData());
}

// text escaped at p (room for text.size() * kMaxBytesPerUnit bytes); returns the end.
char* escapeInto(char* p, QStringView text)
{
    const char16_t* s = text.utf16();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t u = s[i];
        if (u < 0x80) {
            p = putAscii(p, u);
        } else if (QChar::isHighSurrogate(u) && i + 1 < n && QChar::isLowSurrogate(s[i + 1])) {
            p = putCodePoint(p, QChar::surrogateToUcs4(u, s[i + 1]));
            ++i;
        } else if (QChar::isSurrogate(u)) {
            p = putCodePoint(p, kReplacement); // a lone half of a pair
        } else if (u == kByteOrderMark) {
            p = putByteOrderMark(p);
        } else {
            p = putCodePoint(p, u);
        }
    }
    return p;
}

// The same for bytes meant as UTF-8.
char* escapeUtf8Into(char* p, QByteArrayView utf8)
{
    const auto* s = reinterpret_cast<const uchar*>(utf8.data());
    const qsizetype n = utf8.size();
    qsizetype i = 0;
    while (i < n) {
        const uchar b = s[i];
        if (b < 0x80) {
            p = putAscii(p, b);
            ++i;
            continue;
        }
        const qsizetype length = validSequenceLength(s + i, n - i);
        if (length == 0) {
            p = putCodePoint(p, kReplacement);
            ++i;
            continue;
        }
        if (length == 3 && b == 0xef && s[i + 1] == 0xbb && s[i + 2] == 0xbf) {
            p = putByteOrderMark(p);
        } else {
            for (qsizetype k = 0; k < length; ++k)
                *p++ = char(s[i + k]);
        }
        i += length;
    }
    return p;
}

// A key that needs no escaping (every key the tools write): no per-character pass.
bool isPlainKey(std::string_view name)
{
    for (const char c : name) {
        const auto u = uchar(c);
        if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\')
            return false;
    }
    return true;
}

} // namespace

JsonLineWriter::JsonLineWriter(QByteArray* out)
    : m_out(out)
{
    m_out->append('{');
}

JsonLineWriter::JsonLineWriter(QByteArray* out, Continue)
    : m_out(out)
    , m_first(false)
{
}

JsonLineWriter JsonLineWriter::continuing(QByteArray* out)
{
    return JsonLineWriter(out, Continue{});
}

void JsonLineWriter::appendEscaped(QByteArray* out, QStringView text)
{
    qsizetype start = 0;
    char* p = reserveTail(out, text.size() * kMaxBytesPerUnit, &start);
    finishAt(out, escapeInto(p, text));
}

void JsonLineWriter::appendEscapedUtf8(QByteArray* out, QByteArrayView utf8)
{
    qsizetype start = 0;
    char* p = reserveTail(out, utf8.size() * kMaxBytesPerUnit, &start);
    finishAt(out, escapeUtf8Into(p, utf8));
}

void JsonLineWriter::key(std::string_view name)
{
    // ,"name": — written with one size change (docs/performance.md#events).
    const auto size = qsizetype(name.size());
    if (isPlainKey(name)) {
        qsizetype start = 0;
        char* p = reserveTail(m_out, size + 4, &start);
        if (!m_first)
            *p++ = ',';
        *p++ = '"';
        std::memcpy(p, name.data(), size_t(size));
        p += size;
        *p++ = '"';
        *p++ = ':';
        finishAt(m_out, p);
        m_first = false;
        return;
    }
    if (!m_first)
        m_out->append(',');
    m_first = false;
    m_out->append('"');
    appendEscapedUtf8(m_out, QByteArrayView(name.data(), size));
    m_out->append("\":", 2);
}

JsonLineWriter& JsonLineWriter::string(std::string_view name, QStringView value)
{
    key(name);
    qsizetype start = 0;
    char* p = reserveTail(m_out, value.size() * kMaxBytesPerUnit + 2, &start);
    *p++ = '"';
    p = escapeInto(p, value);
    *p++ = '"';
    finishAt(m_out, p);
    return *this;
}

JsonLineWriter& JsonLineWriter::latin1(std::string_view name, QLatin1StringView value)
{
    key(name);
    qsizetype start = 0;
    char* p = reserveTail(m_out, value.size() * kMaxBytesPerUnit + 2, &start);
    *p++ = '"';
    for (const char c : value) {
        const auto u = uchar(c);
        p = u < 0x80 ? putAscii(p, u) : putCodePoint(p, u);
    }
    *p++ = '"';
    finishAt(m_out, p);
    return *this;
}

JsonLineWriter& JsonLineWriter::utf8(std::string_view name, QByteArrayView value)
{
    key(name);
    qsizetype start = 0;
    char* p = reserveTail(m_out, value.size() * kMaxBytesPerUnit + 2, &start);
    *p++ = '"';
    p = escapeUtf8Into(p, value);
    *p++ = '"';
    finishAt(m_out, p);
    return *this;
}

JsonLineWriter& JsonLineWriter::hex(std::string_view name, QByteArrayView value)
{
    key(name);
    qsizetype start = 0;
    char* p = reserveTail(m_out, value.size() * 2 + 2, &start);
    *p++ = '"';
    for (const char c : value) {
        *p++ = kHexDigits[uchar(c) >> 4];
        *p++ = kHexDigits[uchar(c) & 0xf];
    }
    *p++ = '"';
    finishAt(m_out, p);
    return *this;
}

JsonLineWriter& JsonLineWriter::integer(std::string_view name, qint64 value)
{
    key(name);
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    appendRaw(m_out, QByteArrayView(digits, result.ptr - digits));
    return *this;
}

JsonLineWriter& JsonLineWriter::number(std::string_view name, double value)
{
    if (!std::isfinite(value))
        return null(name);
    key(name);
    char digits[kMaxNumberBytes];
    appendRaw(m_out, QByteArrayView(digits, putNumber(digits, value) - digits));
    return *this;
}

char* JsonLineWriter::putNumber(char* p, double value)
{
    if (!std::isfinite(value)) {
        std::memcpy(p, "null", 4);
        return p + 4;
    }
    // A round-trip time is a whole number of nanoseconds in milliseconds: a decimal of at most
    // six places. When the double is exactly that decimal's nearest one and has a fraction,
    // the decimal itself is the shortest text reading back as it, in the fixed notation
    // to_chars() picks from 0.01 on: written directly, without the general shortest search.
    if (value >= 0.01 && value < 1e9) {
        const auto micro = qint64(std::llround(value * 1e6));
        if (micro % 1000000 != 0 && double(micro) / 1e6 == value) {
            p = std::to_chars(p, p + kMaxNumberBytes, micro / 1000000).ptr;
            *p++ = '.';
            qint64 fraction = micro % 1000000;
            int places = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                --places;
            }
            for (int i = places - 1; i >= 0; --i) {
                p[i] = char('0' + fraction % 10);
                fraction /= 10;
            }
            return p + places;
        }
    }
    // The shortest text that reads back as the same double, as QJsonDocument writes it.
    return std::to_chars(p, p + kMaxNumberBytes, value).ptr;
}

char* JsonLineWriter::putInteger(char* p, qint64 value)
{
    return std::to_chars(p, p + kMaxNumberBytes, value).ptr;
}

char* JsonLineWriter::putEscaped(char* p, QStringView text)
{
    return escapeInto(p, text);
}

JsonLineWriter& JsonLineWriter::boolean(std::string_view name, bool value)
{
    key(name);
    appendRaw(m_out, value ? QByteArrayView("true", 4) : QByteArrayView("false", 5));
    return *this;
}

JsonLineWriter& JsonLineWriter::null(std::string_view name)
{
    key(name);
    appendRaw(m_out, QByteArrayView("null", 4));
    return *this;
}

JsonLineWriter& JsonLineWriter::beginObject(std::string_view name)
{
    key(name);
    m_out->append('{');
    m_first = true;
    return *this;
}

JsonLineWriter& JsonLineWriter::endObject()
{
    m_out->append('}');
    m_first = false;
    return *this;
}

void JsonLineWriter::finish()
{
    appendRaw(m_out, QByteArrayView("}\n", 2));
}

void JsonLineWriter::appendRaw(QByteArray* out, QByteArrayView bytes)
{
    // A size change and a copy: cheaper than QByteArray::append(), which goes through insert().
    qsizetype start = 0;
    char* p = reserveTail(out, bytes.size(), &start);
    if (!bytes.isEmpty())
        std::memcpy(p, bytes.data(), size_t(bytes.size()));
}

} // namespace fleet
