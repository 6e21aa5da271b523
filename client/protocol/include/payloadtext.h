#pragma once

#include <QByteArray>

// Payload-text utilities of the protocol core, shared by the catalog, the gateway, the console
// and the headless tools.

namespace fleet {

// Re-indents valid JSON with indentWidth spaces per level, keeping key order and number
// spelling as written; 0 gives compact JSON (whitespace outside strings removed).
QByteArray reindentJson(const QByteArray& json, int indentWidth);

} // namespace fleet
