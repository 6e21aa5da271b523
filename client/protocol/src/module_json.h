#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include "payloadtext.h"

// Internal to the protocol core: the JSON plumbing the module rules share, so that every module
// words its errors the same way ("line 3, column 12", "got the string \"drive\""). The general
// payload-text utilities (checkJson(), describeBytes(), prettyPayload(), …) are in payloadtext.h.

namespace fleet::detail {

struct JsonParse {
    QJsonValue value; // Undefined on error
    QString error;    // "JSON syntax error at line 1, column 14: illegal value"
    bool ok() const { return error.isEmpty(); }
};

// Parses any JSON value, scalars at the top level included (`null` is the IO Button's
// command, `"default_command"` the transparent module's); checkJson() with the catalog's
// wording of the error.
JsonParse parseJson(const QByteArray& text);

// "the string \"drive\"", "the number 3", "true", "null", "an object", "an array of 2 elements";
// "missing" for an absent value (QJsonObject::value() of a missing key).
QString describeJsonValue(const QJsonValue& value);

// "7.2", "120" — shortest form, as an operator would type it.
QString formatNumber(double value);

} // namespace fleet::detail
