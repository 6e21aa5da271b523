#include "settingsini.h"

namespace fleet {

// QSettings reads almost anything without complaint, so the file is first checked line by
// line: a line that is not a section, a comment or key=value means the file is not ours (or
// was damaged), and guessing which of its values are still good would be worse than defaults.
QString scanIniLines(const QByteArray& content)
{
    if (content.contains('\0'))
        return QStringLiteral("it holds binary data (NUL bytes), not ini text");
    const QList<QByteArray> lines = content.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(';') || line.startsWith('#') || line.contains('='))
            continue;
        if (line.startsWith('[') && line.endsWith(']'))
            continue;
        QString shown = QString::fromUtf8(line.left(40));
        return QStringLiteral("line %1 is neither \"[section]\" nor \"key=value\": \"%2\"")
            .arg(i + 1)
            .arg(shown);
    }
    return {};
}

} // namespace fleet
