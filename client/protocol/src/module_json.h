#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

// Internal to fleet_client: the JSON plumbing the module rules share, so that every module
// words its errors the same way ("line 3, column 12", "got the string \"drive\"").

namespace fleet::detail {

struct JsonParse {
    QJsonValue value; // Undefined on error
    QString error;    // "JSON syntax error at line 1, column 14: illegal value"
    bool ok() const { return error.isEmpty(); }
};

// Parses any JSON value, scalars at the top level included (`null` is the IO Button's
// command, `"default_command"` the transparent module's).
JsonParse parseJson(const QByteArray& text);

// 1-based line and column (in characters) of a byte offset, for error messages.
struct TextPosition {
    int line = 1;
    int column = 1;
};
TextPosition textPosition(const QByteArray& text, qsizetype offset);

// "the string \"drive\"", "the number 3", "true", "null", "an object", "an array of 2 elements";
// "missing" for an absent value (QJsonObject::value() of a missing key).
QString describeJsonValue(const QJsonValue& value);

// "7.2", "120" — shortest form, as an operator would type it.
QString formatNumber(double value);

// Neutral one-line description of any payload: "empty", "17 bytes: \"default_command\"",
// "12 bytes (binary)". Text is shown (control characters escaped, long text cut).
QString describeBytes(const QByteArray& bytes);

// Re-indents valid JSON (2 spaces) keeping key order and number spelling as written;
// QJsonDocument::toJson() would sort keys and respell numbers, which misleads for modules
// that compare bytes.
QString prettyJson(const QByteArray& json);
// The same with indentWidth spaces per level; 0 gives compact JSON (whitespace outside
// strings removed). Shared by the catalog and the console's JSON views.
QByteArray reindentJson(const QByteArray& json, int indentWidth);

// The default readable view of a payload (ModuleCatalog::prettyStatus()): indented JSON, or
// the text as it is, or empty for binary and empty payloads.
QString prettyPayload(const QByteArray& payload);

} // namespace fleet::detail
