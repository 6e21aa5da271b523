// The sequence diagram's plain-language labels (docs/sequence.md#labels): what a message means
// to someone watching a demo, decoded from the logged frame with the module catalog.
#include "sequencemodel.h"

#include "sequencelabel.h"

#include "envelope.h"
#include "modulecatalog.h"
#include "payloadtext.h"
#include "trafficlogmodel.h"

#include <QLocale>

namespace fleet {

namespace {

// A label is one line under or over an arrow: long payload summaries are cut.
constexpr qsizetype kLabelChars = 90;

QString cut(const QString& text)
{
    return text.size() > kLabelChars ? text.left(kLabelChars - 1) + QChar(0x2026) : text;
}

} // namespace

// The example module's summaries in the words of its demo: a button and a lamp
// (docs/modules.md#example-module).
QString plainModuleSummary(quint32 module, const QString& summary)
{
    if (module != 1000)
        return summary;
    if (summary == QLatin1String("button: pressed"))
        return QStringLiteral("button pressed");
    if (summary == QLatin1String("button: not pressed"))
        return QStringLiteral("button released");
    if (summary == QLatin1String("lit_up: true"))
        return QStringLiteral("lamp on");
    if (summary == QLatin1String("lit_up: false"))
        return QStringLiteral("lamp off");
    return summary;
}

// Why a connect was refused, after its name (docs/protocol.md#identity-and-arbitration).
QString refusalReason(int responseType)
{
    switch (responseType) {
    case 1:
        return QStringLiteral("slot taken");
    case 2:
        return QStringLiteral("the gateway does not serve this module");
    case 3:
        return QStringLiteral("the module does not know this device type");
    case 4:
        return QStringLiteral("a higher-priority device holds the slot");
    default:
        return QStringLiteral("refused");
    }
}

QString SequenceModel::frameLabel(const SequenceMessage& message) const
{
    const int row = logRow(message.seq);
    if (row < 0)
        return tr("(frame dropped from the log)");
    const TrafficFrame& frame = m_log->frame(row);
    if (frame.kind == TrafficKind::ProtocolError || frame.kind == TrafficKind::Connection)
        return cut(printableText(frame.note, kLabelChars));
    if (frame.kind == TrafficKind::Malformed)
        return cut(tr("malformed: %1").arg(printableText(frame.note, kLabelChars)));
    if (frame.largeSize) // summarized once on arrival; the bytes may be cut
        return cut(trafficKindName(frame.kind) + QStringLiteral(": ") + frame.note);
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    if (!decoded.ok)
        return cut(tr("malformed: %1").arg(decoded.error));
    const quint32 module = decoded.device.module;
    switch (frame.kind) {
    case TrafficKind::Connect: {
        if (!decoded.hasDevice)
            return tr("connect without a device");
        const DeviceIdentity& device = decoded.device;
        const QString role = printableText(device.role);
        const QString who = device.name.isEmpty()
                                ? role
                                : QStringLiteral("%1 '%2'").arg(role, printableText(device.name));
        return cut(tr("connect as %1, priority %2").arg(who).arg(device.priority));
    }
    case TrafficKind::ConnectResponse:
        if (decoded.responseType == 0)
            return responseTypeName(0);
        return QStringLiteral("%1 — %2").arg(responseTypeName(decoded.responseType),
                                             refusalReason(decoded.responseType));
    case TrafficKind::Status:
        return cut(tr("status: %1")
                       .arg(plainModuleSummary(
                           module, ModuleCatalog::describeStatus(module, decoded.payload))));
    case TrafficKind::Command:
    case TrafficKind::PushedCommand: {
        const QString what =
            decoded.payload.isEmpty()
                ? tr("empty, nothing new")
                : plainModuleSummary(module,
                                     ModuleCatalog::describeCommand(module, decoded.payload));
        return cut(frame.kind == TrafficKind::PushedCommand ? tr("pushed command: %1").arg(what)
                                                            : tr("command: %1").arg(what));
    }
    case TrafficKind::Malformed:
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        break;
    }
    return {};
}

QString SequenceModel::label(const SequenceMessage& message) const
{
    if (message.role != SequenceRole::Group)
        return frameLabel(message);
    QString text = tr("… %1 more status/command pairs").arg(QLocale().toString(message.count));
    const qint64 spanMs = message.lastTimeMs - message.timeMs;
    if (message.count > 1 && spanMs > 0) {
        const double perSecond = double(message.count - 1) * 1000.0 / double(spanMs);
        text +=
            tr(", %1 per second").arg(QLocale().toString(perSecond, 'f', perSecond >= 10 ? 0 : 1));
    }
    return text;
}

QString SequenceModel::roundTripText(const SequenceMessage& message)
{
    if (message.roundTripMs < 0.f || message.role == SequenceRole::Group)
        return {};
    const double ms = double(message.roundTripMs);
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : (ms < 100 ? 1 : 0));
}

} // namespace fleet
