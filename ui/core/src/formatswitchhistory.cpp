#include "formatswitchhistory.h"

namespace fleet {

bool FormatSwitchHistory::record(const ComposerDraft& before, const ComposerDraft& after)
{
    if (before.format == after.format || before.text == after.text)
        return false;
    m_switches.append({before, after});
    if (m_switches.size() > kCapacity)
        m_switches.removeFirst();
    return true;
}

void FormatSwitchHistory::forgetLast()
{
    if (!m_switches.isEmpty())
        m_switches.removeLast();
}

std::optional<PayloadFormat> FormatSwitchHistory::formatFor(PayloadFormat current,
                                                            const QString& text) const
{
    for (auto it = m_switches.crbegin(); it != m_switches.crend(); ++it) {
        if (current == it->after.format && text == it->before.text)
            return it->before.format; // undone
        if (current == it->before.format && text == it->after.text)
            return it->after.format; // redone
    }
    return std::nullopt;
}

} // namespace fleet
