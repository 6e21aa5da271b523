#pragma once

#include "gatewayevent.h"
#include "trafficframe.h"

#include <QByteArray>
#include <QString>

namespace fleet {

// Plain language for people who do not know the protocol (a stakeholder watching a demo): what
// a message means, where an answer came from, and what the traffic log's terms stand for. The
// terse summaries (ModuleCatalog::describeStatus(), summarizeFrame()) stay as they are for
// engineers and filters; these sentences go into tooltips, the detail pane and the diagram's
// hover text. Facts follow docs/modules.md and docs/protocol.md.

// The diagram's short label (sequencelabel.h), a dash, and what it means for the device and
// its module:
// "lamp off — the example module lights the lamp when the button is released". A status the
// module refuses says so, and what the gateway then does (docs/protocol.md#conversation).
QString plainStatusSentence(quint32 module, quint32 deviceType, const QByteArray& status);
QString plainCommandSentence(quint32 module, quint32 deviceType, const QByteArray& command);

// One sentence for any logged frame: a connect, its response, a status, a command, an error.
QString plainFrameSentence(const TrafficFrame& frame);

// Where an answer came from, as the embedded gateway announces it (GatewayEvent::Source):
// "from the module", "from the operator's queue", "pushed by the operator"; empty for None.
QString answerOriginText(GatewayEvent::Source source);
// The same as a sentence for tooltips: "Answered by the module: …". Empty for None.
QString answerOriginSentence(GatewayEvent::Source source);

// What the traffic log's jargon means, in one or two sentences each.
QString trafficKindExplanation(TrafficKind kind, int responseType = -1);
QString responseTypeExplanation(int responseType); // OK, ALREADY_CONNECTED, …
QString trafficDirectionExplanation(TrafficDirection direction);
QString trafficRowDirectionExplanation(const TrafficFrame& frame); // "local event" too
QString trafficSideExplanation(TrafficSide side);
// A column of TrafficLogModel (TrafficLogModel::Column), for its header's tooltip.
QString trafficColumnExplanation(int column);

} // namespace fleet
