#include "jsonstring.h"

namespace fleet {

void appendJsonString(QByteArray& out, QByteArrayView utf8)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        // U+FEFF opening a string is dropped by some readers (QJsonDocument among them); as an
        // escape it survives everywhere, and the text keeps its exact bytes.
        if (utf8.sliced(i).startsWith("\xef\xbb\xbf")) {
            out += "\\ufeff";
            i += 2;
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (quint8(c) < 0x20) {
                out += "\\u00";
                out += kHex[quint8(c) >> 4];
                out += kHex[quint8(c) & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

} // namespace fleet
