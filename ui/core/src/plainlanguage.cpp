#include "plainlanguage.h"

#include "envelope.h"
#include "modulecatalog.h"
#include "payloadtext.h"
#include "sequencelabel.h"
#include "trafficlogmodel.h"

#include <QRegularExpression>

namespace fleet {

namespace {

constexpr quint32 kMissionModule = 1;
constexpr quint32 kIoModule = 2;
constexpr quint32 kTransparentModule = 3;
constexpr quint32 kExampleModule = 1000;

// The example module's only payloads, compared as bytes (docs/modules.md#example-module).
const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");
const QByteArray kLitUp("{\"lit_up\": true}");
const QByteArray kDark("{\"lit_up\": false}");
// The transparent module's first command, quotes included (docs/modules.md#transparent-module).
const QByteArray kDefaultCommand("\"default_command\"");

const QString kDash = QStringLiteral(" — ");

// "Example module" reads "the example module" inside a sentence; "IO module" keeps its capitals.
QString moduleInSentence(const ModuleInfo& info)
{
    QString name = info.name;
    if (name.size() > 1 && name.at(1).isLower())
        name[0] = name.at(0).toLower();
    return QStringLiteral("the ") + name;
}

QString sentence(const QString& label, const QString& meaning)
{
    return label + kDash + meaning;
}

// The first word of a mission summary, behind the "empty (protobuf: " of an empty payload:
// the state of a status, the action of a command.
QString missionWord(const QString& summary)
{
    static const QRegularExpression word(QStringLiteral("^(?:empty \\(protobuf: )?([A-Z_]+)"));
    return word.match(summary).captured(1);
}

QString missionStatusMeaning(const QString& state)
{
    const QString tells = QStringLiteral("the vehicle tells the mission module ");
    if (state == QLatin1String("IDLE"))
        return tells + QStringLiteral("it is idle, waiting for a mission");
    if (state == QLatin1String("DRIVE"))
        return tells + QStringLiteral("it is driving, with its speed and next stop");
    if (state == QLatin1String("IN_STOP"))
        return tells + QStringLiteral("it stands at a stop; when that is the first stop of the "
                                      "command, the module drops it from the next command");
    if (state == QLatin1String("OBSTACLE"))
        return tells + QStringLiteral("it has stopped for an obstacle");
    if (state == QLatin1String("ERROR"))
        return tells + QStringLiteral("it is in an error state");
    return tells + QStringLiteral("its state, speed and next stop");
}

QString missionCommandMeaning(const QString& action)
{
    if (action == QLatin1String("START"))
        return QStringLiteral("the mission module tells the vehicle to drive its route to these "
                              "stops, in order");
    if (action == QLatin1String("STOP"))
        return QStringLiteral("the mission module tells the vehicle to stop");
    if (action == QLatin1String("NO_ACTION"))
        return QStringLiteral("nothing to do yet: the mission module's first command to a "
                              "vehicle");
    return QStringLiteral("a command of the mission module");
}

QString unknownModuleMeaning(quint32 module)
{
    return QStringLiteral("module %1 is not one the console knows, so the bytes are shown as "
                          "they are")
        .arg(module);
}

// The diagram's short labels (sequencelabel.h): "button pressed", "lamp off".
QString plainStatusLabel(quint32 module, const QByteArray& status)
{
    return plainModuleSummary(module, ModuleCatalog::describeStatus(module, status));
}

QString plainCommandLabel(quint32 module, const QByteArray& command)
{
    if (command.isEmpty())
        return QStringLiteral("empty, nothing new");
    return plainModuleSummary(module, ModuleCatalog::describeCommand(module, command));
}

} // namespace

QString plainStatusSentence(quint32 module, quint32 deviceType, const QByteArray& status)
{
    const QString label = plainStatusLabel(module, status);
    const ModuleInfo* info = ModuleCatalog::module(module);
    if (!info)
        return sentence(label, unknownModuleMeaning(module));
    // Silence means rejection (docs/protocol.md#conversation): say it before anything else.
    const ValidationResult check = ModuleCatalog::validateStatus(module, deviceType, status);
    if (!check.ok)
        return sentence(label,
                        QStringLiteral("%1 refuses this status (%2), so the gateway sends no "
                                       "answer and closes the connection")
                            .arg(moduleInSentence(*info), check.message));
    switch (module) {
    case kExampleModule:
        return sentence(label, status == kPressed
                                   ? QStringLiteral("the example module answers a pressed "
                                                    "button by switching the lamp off")
                                   : QStringLiteral("the example module answers a released "
                                                    "button by lighting the lamp"));
    case kIoModule:
        return sentence(label, QStringLiteral("the board tells the IO module which of its inputs "
                                              "and outputs are on and how often its button was "
                                              "pressed"));
    case kMissionModule:
        return sentence(label, missionStatusMeaning(missionWord(label)));
    case kTransparentModule:
        return sentence(label, QStringLiteral("the transparent module accepts any status and "
                                              "passes it on as it is"));
    default:
        break;
    }
    return sentence(label, QStringLiteral("a status for %1").arg(moduleInSentence(*info)));
}

QString plainCommandSentence(quint32 module, quint32 deviceType, const QByteArray& command)
{
    const QString label = plainCommandLabel(module, command);
    if (command.isEmpty()) // docs/protocol.md#conversation, "Pairing"
        return sentence(label, QStringLiteral("the gateway has no new command for the device; "
                                              "an empty command is a valid answer"));
    const ModuleInfo* info = ModuleCatalog::module(module);
    if (!info)
        return sentence(label, unknownModuleMeaning(module));
    switch (module) {
    case kExampleModule:
        if (command == kLitUp || command == kDark)
            return sentence(label, QStringLiteral("the example module lights the lamp when the "
                                                  "button is released"));
        return sentence(label, QStringLiteral("not a command of the example module: its "
                                              "buttons know only {\"lit_up\": true} and "
                                              "{\"lit_up\": false}"));
    case kIoModule: {
        if (!ModuleCatalog::validateCommand(module, deviceType, command).ok)
            return sentence(label, QStringLiteral("not the shape an IO board expects: a list of "
                                                  "{\"outNum\", \"actType\"} entries"));
        if (label.startsWith(QLatin1String("output ")))
            return sentence(label, QStringLiteral("the IO module tells the board to switch these "
                                                  "outputs off, on or over (toggle); it repeats "
                                                  "the command after every status"));
        return sentence(label, QStringLiteral("an empty command: nothing to switch (a Button has "
                                              "no outputs and always gets null)"));
    }
    case kMissionModule:
        return sentence(label, missionCommandMeaning(missionWord(label)));
    case kTransparentModule:
        if (command == kDefaultCommand)
            return sentence(QStringLiteral("default_command"),
                            QStringLiteral("what the transparent module sends before any other "
                                           "command exists; it passes every command through "
                                           "unchanged"));
        return sentence(label, QStringLiteral("the transparent module passes commands through "
                                              "unchanged"));
    default:
        break;
    }
    return sentence(label, QStringLiteral("a command of %1").arg(moduleInSentence(*info)));
}

QString plainFrameSentence(const TrafficFrame& frame)
{
    switch (frame.kind) {
    case TrafficKind::ProtocolError:
        return sentence(frame.note, QStringLiteral("the conversation broke off here: the bytes "
                                                   "were not a whole, valid message, or the "
                                                   "connection ended or timed out"));
    case TrafficKind::Connection:
        return sentence(frame.note, QStringLiteral("what happened to this device's connection; "
                                                   "nothing was sent"));
    case TrafficKind::Malformed:
        return sentence(frame.note.isEmpty() ? QStringLiteral("malformed") : frame.note,
                        QStringLiteral("these bytes are no valid message; a gateway hangs up "
                                       "without a word on such a frame"));
    default:
        break;
    }
    if (frame.largeSize) // summarized once on arrival; the bytes may be cut
        return frame.note;
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    if (!decoded.ok)
        return sentence(decoded.error, QStringLiteral("these bytes are no valid message"));
    const DeviceIdentity& device = decoded.device;
    switch (decoded.kind) {
    case TrafficKind::Connect: {
        if (!decoded.hasDevice)
            return QStringLiteral("connect without a device — the gateway cannot tell who this "
                                  "is and hangs up");
        return sentence(
            QStringLiteral("connect as %1 '%2', priority %3")
                .arg(printableText(device.role), printableText(device.name))
                .arg(device.priority),
            QStringLiteral("the device introduces itself and asks for the slot of %1, %2, role "
                           "'%3'; a lower priority number wins the slot")
                .arg(ModuleCatalog::moduleName(device.module),
                     ModuleCatalog::deviceTypeName(device.module, device.deviceType),
                     printableText(device.role)));
    }
    case TrafficKind::ConnectResponse:
        return sentence(responseTypeName(decoded.responseType),
                        responseTypeExplanation(decoded.responseType));
    case TrafficKind::Status:
        return QStringLiteral("status: ") +
               plainStatusSentence(device.module, device.deviceType, decoded.payload);
    case TrafficKind::Command:
    case TrafficKind::PushedCommand:
        return (frame.kind == TrafficKind::PushedCommand ? QStringLiteral("pushed command: ")
                                                         : QStringLiteral("command: ")) +
               plainCommandSentence(device.module, device.deviceType, decoded.payload);
    case TrafficKind::Malformed:
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        break;
    }
    return decoded.error;
}

QString answerOriginText(GatewayEvent::Source source)
{
    switch (source) {
    case GatewayEvent::Source::Module:
        return QStringLiteral("from the module");
    case GatewayEvent::Source::Queued:
        return QStringLiteral("from the operator's queue");
    case GatewayEvent::Source::Pushed:
        return QStringLiteral("pushed by the operator");
    case GatewayEvent::Source::Default:
        return QStringLiteral("the gateway's default command");
    case GatewayEvent::Source::Empty:
        return QStringLiteral("an empty answer (empty-answers mode)");
    case GatewayEvent::Source::None:
        break;
    }
    return {};
}

QString answerOriginSentence(GatewayEvent::Source source)
{
    switch (source) {
    case GatewayEvent::Source::Module:
        return QStringLiteral("Answered by the module: the embedded gateway's module made this "
                              "command from the status.");
    case GatewayEvent::Source::Queued:
        return QStringLiteral("Answered from the operator's queue: a command queued in the "
                              "gateway panel, passed through the module first.");
    case GatewayEvent::Source::Pushed:
        return QStringLiteral("Pushed: the operator sent this command on its own; no status "
                              "asked for it.");
    case GatewayEvent::Source::Default:
        return QStringLiteral("The gateway's default command: the module is unknown to the "
                              "embedded gateway, so its policy answers.");
    case GatewayEvent::Source::Empty:
        return QStringLiteral("An empty answer: the embedded gateway runs in empty-answers "
                              "mode.");
    case GatewayEvent::Source::None:
        break;
    }
    return {};
}

QString trafficKindExplanation(TrafficKind kind, int responseType)
{
    switch (kind) {
    case TrafficKind::Connect:
        return QStringLiteral("The device introduces itself (module, device type, role, name, "
                              "priority) and asks the gateway for a place. Nothing else may come "
                              "first.");
    case TrafficKind::ConnectResponse: {
        const QString what = QStringLiteral("The gateway's answer to a connect: OK, or the "
                                            "reason it refuses the device.");
        return responseType < 0 ? what
                                : what + QLatin1Char(' ') + responseTypeExplanation(responseType);
    }
    case TrafficKind::Status:
        return QStringLiteral("The device reports its state (statusData). The gateway answers "
                              "every status with one command.");
    case TrafficKind::Command:
        return QStringLiteral("The gateway's answer to a status (commandData): what the device "
                              "should do. It may be empty, meaning nothing new.");
    case TrafficKind::PushedCommand:
        return QStringLiteral("A command the gateway sent on its own, not as the answer to a "
                              "status. The device takes it as its newest command.");
    case TrafficKind::Malformed:
        return QStringLiteral("Bytes that are no valid message for their direction. A gateway "
                              "hangs up without a word when it receives one.");
    case TrafficKind::ProtocolError:
        return QStringLiteral("Something went wrong without a whole message to show: a cut or "
                              "oversized frame, an unexpected close, a timeout or a status left "
                              "unanswered.");
    case TrafficKind::Connection:
        return QStringLiteral("What happened to a console device's network connection (opened, "
                              "closed, refused). Nothing was sent for it.");
    }
    return {};
}

QString responseTypeExplanation(int responseType)
{
    switch (responseType) {
    case 0:
        return QStringLiteral("OK: the device has its slot and may send statuses.");
    case 1:
        return QStringLiteral("ALREADY_CONNECTED: a device with the same module, type and role "
                              "and the same priority holds the slot.");
    case 2:
        return QStringLiteral("MODULE_NOT_SUPPORTED: the gateway does not serve this device's "
                              "module.");
    case 3:
        return QStringLiteral("DEVICE_NOT_SUPPORTED: the module does not know this device type.");
    case 4:
        return QStringLiteral("HIGHER_PRIORITY_ALREADY_CONNECTED: a device with a lower priority "
                              "number (a stronger one) holds the slot.");
    default:
        break;
    }
    return QStringLiteral("%1: a response type this console does not know.")
        .arg(responseTypeName(responseType));
}

QString trafficDirectionExplanation(TrafficDirection direction)
{
    return direction == TrafficDirection::DeviceToGateway
               ? QStringLiteral("Sent by the device to the gateway: a connect or a status.")
               : QStringLiteral("Sent by the gateway to the device: a connect response or a "
                                "command.");
}

QString trafficRowDirectionExplanation(const TrafficFrame& frame)
{
    if (frame.kind == TrafficKind::Connection)
        return QStringLiteral("A local event: something the console saw happen to the "
                              "connection, not a message on the wire.");
    return trafficDirectionExplanation(frame.direction);
}

QString trafficSideExplanation(TrafficSide side)
{
    return side == TrafficSide::Device
               ? QStringLiteral("Logged by a device the console runs, as that device saw it.")
               : QStringLiteral("Logged by the embedded gateway, as the gateway saw it. A console "
                                "device talking to it appears twice, once from each side.");
}

QString trafficColumnExplanation(int column)
{
    switch (column) {
    case TrafficLogModel::TimeColumn:
        return QStringLiteral("When the frame was logged, in local time. The tooltip of a time "
                              "gives the UTC time stamp the export uses.");
    case TrafficLogModel::SideColumn:
        return QStringLiteral("Who logged the row: a device the console runs, or the embedded "
                              "gateway. One frame between them is seen by both.");
    case TrafficLogModel::DeviceColumn:
        return QStringLiteral("The device the frame belongs to: its name and device type. The "
                              "tooltip shows its whole identity.");
    case TrafficLogModel::DirectionColumn:
        return QStringLiteral("Which way the frame went: device → gateway (connects, statuses) "
                              "or gateway → device (responses, commands).");
    case TrafficLogModel::KindColumn:
        return QStringLiteral("What sort of message it is: connect, connect response, status, "
                              "command, pushed command, or an error.");
    case TrafficLogModel::SizeColumn:
        return QStringLiteral("How many bytes went over the network, including the 4-byte length "
                              "that starts every frame.");
    case TrafficLogModel::RoundTripColumn:
        return QStringLiteral("On answers: the time from the request to this answer, as the side "
                              "that logged it measured it.");
    case TrafficLogModel::SummaryColumn:
        return QStringLiteral("What the message says, decoded with the known modules. Hover a "
                              "row for the meaning in a sentence.");
    default:
        break;
    }
    return {};
}

} // namespace fleet
