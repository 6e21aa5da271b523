#pragma once

#include "framecodec.h"
#include "payloadformat.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace fleet {

// The Arduino reference client caps statuses at 700 bytes (docs/modules.md#device-behaviour): the
// size an "embedded device" preset warns about.
inline constexpr qsizetype kEmbeddedStatusLimit = 700;

struct ComposerIssue {
    enum class Severity { Error, Warning, Ok, Note }; // Ok: a check that passed
    Severity severity = Severity::Note;
    QString message;
};

// Everything the composer says about the editor content, computed without widgets so that
// it can be tested on its own and reused by the auto-sender.
struct ComposerCheck {
    bool decoded = false; // the text parses in its format: bytes hold the payload
    QByteArray bytes;
    QList<ComposerIssue> issues;

    bool hasErrors() const;
    QString firstError() const;
};

// Decodes the text in its format, then checks JSON syntax (JSON formats, and text that looks
// like JSON), the module's rules for this device type, and the size.
ComposerCheck checkComposerText(const QString& text, PayloadFormat format, quint32 module,
                                quint32 deviceType, quint32 maxFrameBytes = kDefaultMaxFrameBytes);

} // namespace fleet
