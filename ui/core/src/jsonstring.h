#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace fleet {

// Appends UTF-8 bytes as one JSON string, taken as they are: no decoding that could drop a
// byte order mark on the way (U+FEFF opening a string is dropped by some readers, QJsonDocument
// among them, so it is written as an escape); quotes, backslashes and control characters
// escaped. For writers that keep key order and bytes exact (exports, recorded scenarios).
void appendJsonString(QByteArray& out, QByteArrayView utf8);
inline void appendJsonString(QByteArray& out, const QString& text)
{
    appendJsonString(out, QByteArrayView(text.toUtf8()));
}

} // namespace fleet
