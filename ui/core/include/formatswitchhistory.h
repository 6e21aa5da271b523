#pragma once

#include "deviceconfig.h"

#include <QList>

#include <optional>

namespace fleet {

// Remembers the composer's recent format switches (text and format before and after), so
// that when undo or redo in the editor brings back the text of another format, the format
// can follow and the text is read the way it was written.
class FormatSwitchHistory {
public:
    static constexpr qsizetype kCapacity = 32;

    // False (and nothing kept) when an undo could not confuse the two: same format or text.
    bool record(const ComposerDraft& before, const ComposerDraft& after);
    void forgetLast();
    // The format the text belongs to, if it is the other side of a remembered switch.
    std::optional<PayloadFormat> formatFor(PayloadFormat current, const QString& text) const;

private:
    struct Switch {
        ComposerDraft before;
        ComposerDraft after;
    };
    QList<Switch> m_switches; // newest last
};

} // namespace fleet
