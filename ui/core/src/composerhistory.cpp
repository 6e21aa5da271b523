#include "composerhistory.h"

namespace fleet {

void ComposerHistory::reset(const ComposerDraft& origin, int cursor)
{
    m_steps.assign(1, Step{origin, cursor});
    m_index = 0;
    m_lastWasTyping = false;
}

void ComposerHistory::recordTyping(const ComposerDraft& draft, int cursor)
{
    if (draft == current().draft)
        return;
    const bool merge = m_lastWasTyping && m_index > 0 && !canRedo() && m_lastTyping.isValid() &&
                       m_lastTyping.elapsed() < m_typingMergeMs;
    if (merge)
        m_steps.back() = Step{draft, cursor};
    else
        push(Step{draft, cursor}, true);
    m_lastTyping.start();
}

void ComposerHistory::recordReplace(const ComposerDraft& draft, int cursor)
{
    if (draft == current().draft)
        return;
    push(Step{draft, cursor}, false);
}

const ComposerHistory::Step& ComposerHistory::undo()
{
    Q_ASSERT(canUndo());
    m_lastWasTyping = false;
    return m_steps.at(--m_index);
}

const ComposerHistory::Step& ComposerHistory::redo()
{
    Q_ASSERT(canRedo());
    m_lastWasTyping = false;
    return m_steps.at(++m_index);
}

void ComposerHistory::push(const Step& step, bool typing)
{
    m_steps.resize(m_index + 1); // a new step drops what could have been redone
    m_steps.push_back(step);
    m_index = int(m_steps.size()) - 1;
    m_lastWasTyping = typing;
    trim();
}

void ComposerHistory::trim()
{
    qsizetype chars = 0;
    for (const Step& step : m_steps)
        chars += step.draft.text.size();
    // The oldest steps go first; the current one always stays.
    while (m_index > 0 && (int(m_steps.size()) > kMaxSteps || chars > kMaxTextChars)) {
        chars -= m_steps.front().draft.text.size();
        m_steps.erase(m_steps.begin());
        --m_index;
    }
}

} // namespace fleet
