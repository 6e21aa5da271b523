#pragma once

#include <QString>

namespace fleet {

// The plain words the sequence diagram's labels are made of (docs/sequence.md#labels), shared
// with the presentation mode's caption so a demo says the same thing in both places.

// The example module's summaries in the words of its demo: "button pressed", "lamp off"
// (docs/modules.md#example-module); any other module's summary unchanged.
QString plainModuleSummary(quint32 module, const QString& summary);

// Why a connect was refused, after its response type's name: "slot taken", "the gateway does
// not serve this module" (docs/protocol.md#identity-and-arbitration).
QString refusalReason(int responseType);

} // namespace fleet
