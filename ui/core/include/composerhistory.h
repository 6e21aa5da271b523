#pragma once

#include "deviceconfig.h"

#include <QElapsedTimer>

#include <vector>

namespace fleet {

// The composer's one undo history. Every step holds the editor text *and* the format it is
// written in, so undo and redo always restore a pair that belongs together: the bytes Send
// would send are the decode of what the operator sees (a format switch, a file load and a
// preset are steps of their own; a run of typing is one step).
class ComposerHistory {
public:
    // Bounds: an operator undoes a few dozen steps, never hundreds; large payloads count by size.
    static constexpr int kMaxSteps = 200;
    static constexpr qsizetype kMaxTextChars = 8 * 1024 * 1024;
    // Typing pauses longer than this start a new step.
    static constexpr int kDefaultTypingMergeMs = 1500;

    struct Step {
        ComposerDraft draft;
        int cursor = 0; // where the cursor was after the step
    };

    // Forgets everything: `origin` is what undoing everything returns to.
    void reset(const ComposerDraft& origin, int cursor = 0);
    void setTypingMergeMs(int ms) { m_typingMergeMs = ms; }

    // A change of the text by typing or editing in the editor; merges with the previous
    // typing step when it came soon after it.
    void recordTyping(const ComposerDraft& draft, int cursor);
    // A change the composer made (format switch, file, preset, payload from the log): always
    // a step of its own.
    void recordReplace(const ComposerDraft& draft, int cursor = 0);

    bool canUndo() const { return m_index > 0; }
    bool canRedo() const { return m_index + 1 < int(m_steps.size()); }
    // The step to show after undo/redo; call only when canUndo()/canRedo().
    const Step& undo();
    const Step& redo();

    const Step& current() const { return m_steps.at(m_index); }
    int size() const { return int(m_steps.size()); }

private:
    void push(const Step& step, bool typing);
    void trim();

    std::vector<Step> m_steps{Step{}};
    int m_index = 0;
    int m_typingMergeMs = kDefaultTypingMergeMs;
    bool m_lastWasTyping = false;
    QElapsedTimer m_lastTyping;
};

} // namespace fleet
