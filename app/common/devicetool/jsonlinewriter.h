#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

#include <string_view>

namespace fleet {

// Writes one compact JSON object followed by a newline straight into a byte buffer: the --json
// events of fleet-device, one per command, without building a QJsonObject and a QJsonDocument
// for each (docs/performance.md#events measures the difference).
//
// Strings are escaped so that every line parses: '"' and '\' get a backslash, every control
// character below U+0020 becomes \u00XX, and U+FEFF becomes \ufeff (a raw byte order mark is
// dropped by some parsers even inside a string). Text that cannot be represented is replaced, never
// passed through, so the same input always gives the same line: a lone UTF-16 surrogate in a
// QString, and each byte of an invalid UTF-8 sequence given to utf8(), become U+FFFD.
// A double that is not finite is written as null (JSON has no NaN or infinity).
//
//     QByteArray line;
//     JsonLineWriter(&line).string("event", u"command").integer("sequence", 7).finish();
//
// Keys are written as given (escaped like values); the caller chooses their order.
class JsonLineWriter {
public:
    // The longest escape of one input unit: a control character as \u00XX.
    static constexpr qsizetype kMaxBytesPerUnit = 6;
    static constexpr qsizetype kMaxNumberBytes = 32;

    explicit JsonLineWriter(QByteArray* out);
    // Members appended to an object already begun in out (no '{', a comma before the first):
    // an event line assembled from cached pieces (docs/performance.md#events).
    static JsonLineWriter continuing(QByteArray* out);

    JsonLineWriter& string(std::string_view key, QStringView value);
    JsonLineWriter& latin1(std::string_view key, QLatin1StringView value);
    // Bytes meant as UTF-8; invalid sequences are replaced byte by byte (see above).
    JsonLineWriter& utf8(std::string_view key, QByteArrayView value);
    // The bytes as lowercase hex digits, two per byte.
    JsonLineWriter& hex(std::string_view key, QByteArrayView value);
    JsonLineWriter& integer(std::string_view key, qint64 value);
    JsonLineWriter& number(std::string_view key, double value);
    JsonLineWriter& boolean(std::string_view key, bool value);
    JsonLineWriter& null(std::string_view key);
    // A nested object: its members follow until endObject() (a state event's "position").
    JsonLineWriter& beginObject(std::string_view key);
    JsonLineWriter& endObject();
    // Closes the object and ends the line; the writer must not be used afterwards.
    void finish();

    // The escaping alone, appended to out (without quotes), for callers and tests.
    static void appendEscaped(QByteArray* out, QStringView text);
    static void appendEscapedUtf8(QByteArray* out, QByteArrayView utf8);
    // Bytes that are JSON already (parts of an earlier line), appended as they are.
    static void appendRaw(QByteArray* out, QByteArrayView bytes);
    // Written at p, which has room (kMaxBytesPerUnit per unit of text, kMaxNumberBytes for a
    // number); each returns the end. For a line assembled in one go (EventPrinter::command).
    static char* putEscaped(char* p, QStringView text); // without quotes
    static char* putNumber(char* p, double value);      // as number() writes it
    static char* putInteger(char* p, qint64 value);

private:
    struct Continue {};
    JsonLineWriter(QByteArray* out, Continue);
    void key(std::string_view key);

    QByteArray* m_out;
    bool m_first = true;
};

} // namespace fleet
