#pragma once

#include <QByteArray>
#include <QString>

namespace fleet {

// How the composer's editor shows a payload. Text, Hex and Base64 are lossless views of the
// same bytes; the two JSON formats are text whose whitespace outside strings was normalised
// (keys keep their order and numbers their spelling, unlike a QJsonDocument round trip).
enum class PayloadFormat { Text, JsonPretty, JsonCompact, Hex, Base64 };

// Pure conversions between payload bytes and editor text; no widgets.
namespace payloadformat {

inline constexpr int kHexBytesPerLine = 16;
inline constexpr int kBase64CharsPerLine = 76;

QString formatName(PayloadFormat format); // "Text", "JSON (pretty)", …
bool isJson(PayloadFormat format);

// JSON is checked with fleet::checkJson() (payloadtext.h), as the module catalog checks it.

// Only whitespace outside strings changes; call with valid JSON.
QByteArray reformatJson(const QByteArray& json, bool pretty);

// Whether the editor can show these bytes as text and give back exactly the same bytes:
// valid UTF-8 without carriage returns or Unicode line/paragraph separators (the editor
// turns those into plain newlines). reason says which byte is in the way.
bool isLosslessText(const QByteArray& bytes, QString* reason = nullptr);

struct Conversion {
    bool ok = false;
    QByteArray bytes; // decode(): the payload
    QString text;     // encode(): the editor text
    QString error;    // what is wrong, with line and column where it has one
};

// Bytes → editor text in this format. Fails (with a reason) when the format cannot hold the
// bytes losslessly: Text/JSON for binary, JSON for what is not JSON.
Conversion encode(const QByteArray& bytes, PayloadFormat format);

// Editor text → bytes. Fails on text that is not valid in the format (bad hex digit, odd
// digit count, bad Base64, invalid JSON in a JSON format), naming line and column.
Conversion decode(const QString& text, PayloadFormat format);

} // namespace payloadformat
} // namespace fleet
