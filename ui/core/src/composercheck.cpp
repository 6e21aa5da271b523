#include "composercheck.h"

#include "modulecatalog.h"
#include "payloadtext.h"

namespace fleet {

namespace {

// Text whose first non-blank character opens a JSON object, array or string is meant as
// JSON; anything else in Text format is taken as free text and left to the module's rules.
bool looksLikeJson(const QByteArray& bytes)
{
    for (const char c : bytes) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[' || c == '"';
    }
    return false;
}

void add(ComposerCheck& check, ComposerIssue::Severity severity, const QString& message)
{
    check.issues.append({severity, message});
}

} // namespace

bool ComposerCheck::hasErrors() const
{
    for (const ComposerIssue& issue : issues) {
        if (issue.severity == ComposerIssue::Severity::Error)
            return true;
    }
    return false;
}

QString ComposerCheck::firstError() const
{
    for (const ComposerIssue& issue : issues) {
        if (issue.severity == ComposerIssue::Severity::Error)
            return issue.message;
    }
    return {};
}

ComposerCheck checkComposerText(const QString& text, PayloadFormat format, quint32 module,
                                quint32 deviceType, quint32 maxFrameBytes)
{
    using Severity = ComposerIssue::Severity;
    ComposerCheck check;
    const payloadformat::Conversion decoded = payloadformat::decode(text, format);
    if (!decoded.ok) {
        add(check, Severity::Error,
            QStringLiteral("%1: %2").arg(payloadformat::formatName(format), decoded.error));
        return check;
    }
    check.decoded = true;
    check.bytes = decoded.bytes;

    bool jsonBroken = false;
    if (format == PayloadFormat::Text && looksLikeJson(check.bytes)) {
        const JsonCheck json = checkJson(check.bytes);
        if (json.error) {
            jsonBroken = true;
            add(check, Severity::Error,
                QStringLiteral("JSON syntax: %1").arg(json.error->toString()));
        }
    }

    const QString moduleName = ModuleCatalog::moduleName(module);
    if (!ModuleCatalog::module(module)) {
        add(check, Severity::Note,
            QStringLiteral("%1 is not known here: any bytes go, the gateway decides")
                .arg(moduleName));
    } else if (jsonBroken) {
        add(check, Severity::Note,
            QStringLiteral("The %1's rules are checked once the JSON parses")
                .arg(moduleName.toLower()));
    } else {
        const ValidationResult rules =
            ModuleCatalog::validateStatus(module, deviceType, check.bytes);
        if (rules.ok) {
            add(check, Severity::Ok,
                QStringLiteral("The %1 accepts this status").arg(moduleName.toLower()));
        } else {
            // A gateway answers a rejected status with silence and a closed connection
            // (docs/protocol.md#conversation): say so before it happens.
            add(check, Severity::Error,
                QStringLiteral("The %1 rejects this status (the gateway would close the "
                               "connection without answering): %2")
                    .arg(moduleName.toLower(), rules.message));
        }
    }

    const qsizetype size = check.bytes.size();
    if (size == 0) {
        add(check, Severity::Warning, QStringLiteral("Empty status: the module gets zero bytes"));
    } else if (size > qsizetype(maxFrameBytes) - 64) {
        add(check, Severity::Error,
            QStringLiteral("%1 bytes: too large for one frame (limit %2 bytes)")
                .arg(size)
                .arg(maxFrameBytes));
    } else if (size > kEmbeddedStatusLimit) {
        add(check, Severity::Warning,
            QStringLiteral("%1 bytes: above the %2-byte status limit of embedded devices "
                           "(Arduino client)")
                .arg(size)
                .arg(kEmbeddedStatusLimit));
    }
    return check;
}

} // namespace fleet
