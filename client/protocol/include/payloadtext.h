#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringView>

#include <optional>

// Payload-text utilities of the protocol core, shared by the catalog, the gateway, the console
// and the headless tools: one answer to "is it text?", one short form of a payload, one hex
// parser, one JSON error position and one timestamp format, so that every window, log line and
// export says the same thing about the same bytes.

namespace fleet {

// --- UTF-8 -----------------------------------------------------------------------------------

// Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. Overlong
// forms, surrogates, values above U+10FFFF and sequences cut short are not UTF-8.
qsizetype firstInvalidUtf8(QByteArrayView bytes);
inline bool isValidUtf8(QByteArrayView bytes)
{
    return firstInvalidUtf8(bytes) < 0;
}

// The bytes as text when they are valid UTF-8, byte for byte (a leading byte order mark is kept,
// so the text encodes back to exactly these bytes); nullopt otherwise.
std::optional<QString> exactUtf8(QByteArrayView bytes);

// Whether a payload reads as text: valid UTF-8 without control characters other than line
// feed, carriage return and tab. Protobuf payloads are often valid UTF-8 but full of control
// characters, and read better as hex.
bool isPayloadText(QByteArrayView bytes);

// --- Short forms -----------------------------------------------------------------------------

inline constexpr qsizetype kPayloadLineChars = 100;

// One line for logs, terminals and tooltips: text with \n, \r, \t (and the Unicode line and
// paragraph separators) escaped, or "hex 7b 22 00" for what is not text (isPayloadText());
// "(empty)" for no bytes. Longer than maxChars characters, it is cut with "… (N bytes)".
QString payloadLine(QByteArrayView bytes, qsizetype maxChars = kPayloadLineChars);

// Neutral description for the module catalog's summaries: "empty", "17 bytes: default_command",
// "12 bytes (binary)". Text is escaped and cut like payloadLine() (80 characters).
QString describeBytes(QByteArrayView bytes);

// --- Peer-controlled text ----------------------------------------------------------------------

// Device names and roles come from the peer: a text line shows at most this many characters of
// one (the embedded clients cap them at 128 bytes, docs/modules.md#device-behaviour).
inline constexpr qsizetype kPrintedNameChars = 128;
// A sentence that may quote such text (an event's detail, a decoded summary).
inline constexpr qsizetype kPrintedSentenceChars = 512;

// Text a peer controls, made safe for one line of a log or a terminal: \n, \r and \t
// written as such, other C0 controls and DEL as \xHH, C1 controls, the Unicode line and
// paragraph separators and the bidirectional overrides as \uHHHH, so that no line can be
// forged, no terminal escape sequence passes and no text is shown reordered. Longer than
// maxChars characters, it is cut with "… (N bytes)", N the UTF-8 length of the whole text:
// "abc… (1048576 bytes)". JSON output needs none of this (its strings escape control
// characters themselves).
QString printableText(QStringView text, qsizetype maxChars = kPrintedNameChars);

// --- Hex -------------------------------------------------------------------------------------

// A place in text an operator typed: 1-based, counted in characters (a multi-byte UTF-8
// character or a surrogate pair is one), a new line starting after each '\n'.
struct TextPosition {
    int line = 1;
    int column = 1;
    QString toString() const; // "line 2, column 7"
    friend bool operator==(const TextPosition&, const TextPosition&) = default;
};

struct HexParse {
    QByteArray bytes;
    QString error; // "line 2, column 2: 'g' is not a hex digit (0-9, a-f, A-F)"
    bool ok() const { return error.isEmpty(); }
};

// Hex as an operator types or pastes it: digits in either case, spaces, tabs, newlines and ':'
// between them, each group optionally prefixed with 0x ("7b22", "7B 22", "0x7b 0x22",
// "7b:22"). Digits pair up across separators; an odd count is an error. Empty text is no bytes.
HexParse parseHex(QStringView text);

// --- JSON ------------------------------------------------------------------------------------

// Where JSON text stops being valid and why. QJsonParseError::offset is a byte offset that
// does not point at the same place for every error; this is where the operator should look.
struct JsonSyntaxError {
    TextPosition position;
    bool atEnd = false; // the text ended early ("{\"a\": 1")
    bool empty = false; // nothing but whitespace: no value at all
    QString reason;     // Qt's wording: "illegal value", "missing value separator"
    // "line 1, column 14: illegal value", "line 3, column 1 (at the end of the text): …"
    QString toString() const;
};

struct JsonCheck {
    QJsonValue value;                     // Undefined on error
    std::optional<JsonSyntaxError> error; // set when the text is not exactly one JSON value
    bool ok() const { return !error; }
};

// Parses one JSON value, scalars at the top level included (`null` is the IO Button's command,
// `"default_command"` the transparent module's). Empty text is an error at its end.
JsonCheck checkJson(const QByteArray& json);

// Re-indents valid JSON with indentWidth spaces per level, keeping key order and number
// spelling as written (QJsonDocument::toJson() would sort keys and respell numbers, which
// misleads for modules that compare bytes); 0 gives compact JSON (whitespace outside strings
// removed).
QByteArray reindentJson(const QByteArray& json, int indentWidth);
// reindentJson() with 2 spaces, as text: the catalog's pretty views.
QString prettyJson(const QByteArray& json);

// The default readable view of a payload (ModuleCatalog::prettyStatus()): indented JSON, or
// the text as it is, or empty for binary and empty payloads.
QString prettyPayload(const QByteArray& payload);

// Appends UTF-8 bytes as one JSON string, taken as they are: no decoding that could drop a
// byte order mark on the way (U+FEFF opening a string is dropped by some readers, QJsonDocument
// among them, so it is written as an escape); quotes, backslashes and control characters
// escaped. For writers that keep key order and bytes exact (exports, recorded scenarios,
// module payloads written by hand).
void appendJsonString(QByteArray& out, QByteArrayView utf8);
inline void appendJsonString(QByteArray& out, const QString& text)
{
    appendJsonString(out, QByteArrayView(text.toUtf8()));
}
// The same as a value of its own: "\"lamp\"".
QByteArray jsonString(QByteArrayView utf8);
QByteArray jsonString(const QString& text);

// --- Time ------------------------------------------------------------------------------------

// ISO 8601 in UTC with milliseconds and Z, whatever the local time zone:
// "2026-12-01T08:47:09.123Z". Cheap (no time-zone lookup): a busy gateway stamps thousands of
// events a second.
QString utcTimestamp(qint64 msSinceEpoch);

} // namespace fleet
