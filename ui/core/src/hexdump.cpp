#include "hexdump.h"

namespace fleet {

QString hexDump(const QByteArray& bytes, int bytesPerLine)
{
    if (bytesPerLine <= 0)
        bytesPerLine = 16;
    const int half = bytesPerLine / 2;
    // 8 offset digits, two spaces, "xx " per byte, one extra space in the middle.
    const int hexColumnWidth = bytesPerLine * 3 + (half > 0 ? 1 : 0);
    QString out;
    for (qsizetype lineStart = 0; lineStart < bytes.size(); lineStart += bytesPerLine) {
        const QByteArray line = bytes.mid(lineStart, bytesPerLine);
        QString hex;
        QString ascii;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const auto byte = static_cast<unsigned char>(line[i]);
            if (i == half && half > 0)
                hex += QLatin1Char(' ');
            hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
            ascii += (byte >= 0x20 && byte < 0x7f) ? QChar(byte) : QLatin1Char('.');
        }
        out += QStringLiteral("%1  %2 |%3|\n")
                   .arg(lineStart, 8, 16, QLatin1Char('0'))
                   .arg(hex, -hexColumnWidth)
                   .arg(ascii);
    }
    out += QStringLiteral("%1\n").arg(bytes.size(), 8, 16, QLatin1Char('0'));
    return out;
}

} // namespace fleet
