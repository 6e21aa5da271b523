#pragma once

#include <QByteArray>
#include <QString>

namespace fleet {

// The classic `hexdump -C` layout, so bytes read the same here as in a terminal:
//   00000000  7b 22 6c 69 74 5f 75 70  22 3a 20 66 61 6c 73 65  |{"lit_up": false|
// Printable ASCII shows as itself in the right column, every other byte as '.'.
QString hexDump(const QByteArray& bytes, int bytesPerLine = 16);

} // namespace fleet
