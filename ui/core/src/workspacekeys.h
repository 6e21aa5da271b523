#pragma once

#include "payloadformat.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace fleet::workspacekeys {

// A draft's format as the workspace file names it: the settings file's words, so that both
// read the same way (docs/workspaces.md#devices).
struct FormatKey {
    PayloadFormat format;
    const char* key;
};
inline constexpr FormatKey kFormatKeys[] = {
    {PayloadFormat::Text, "text"},
    {PayloadFormat::JsonPretty, "json-pretty"},
    {PayloadFormat::JsonCompact, "json-compact"},
    {PayloadFormat::Hex, "hex"},
    {PayloadFormat::Base64, "base64"},
};

inline QString formatKey(PayloadFormat format)
{
    for (const FormatKey& entry : kFormatKeys) {
        if (entry.format == format)
            return QLatin1String(entry.key);
    }
    return QStringLiteral("text");
}

inline std::optional<PayloadFormat> formatFromKey(const QString& key)
{
    for (const FormatKey& entry : kFormatKeys) {
        if (key == QLatin1String(entry.key))
            return entry.format;
    }
    return std::nullopt;
}

inline QStringList formatKeys()
{
    QStringList keys;
    for (const FormatKey& entry : kFormatKeys)
        keys.append(QLatin1String(entry.key));
    return keys;
}

} // namespace fleet::workspacekeys
