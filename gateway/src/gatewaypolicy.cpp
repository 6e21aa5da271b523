#include "gatewaypolicy.h"

namespace fleet {

GatewayPolicy GatewayPolicy::strictReference()
{
    // The reference server times nothing but its module's answer and the silence of a
    // connected device (docs/protocol.md#timing).
    GatewayPolicy policy;
    policy.stallTimeoutMs = 0;
    policy.frameDeadlineMs = 0;
    policy.connectDeadlineMs = 0;
    policy.explainSilentDrops = false;
    return policy;
}

QString GatewayPolicy::strictReferenceSummary()
{
    return QStringLiteral(
        "strict-reference policy: timing as the reference gateway (no connect deadline, no "
        "whole-frame deadline, no partial-frame stall timeout; silent drops not explained); "
        "the memory bounds stay (frame cap, back-pressure on unsent answers per connection and "
        "in total, partial-frame "
        "budget, connection limit, role/name length)");
}

} // namespace fleet
