// The presentation mode's caption (docs/demo.md#presentation-mode): the gateway's events in
// the words of someone explaining the protocol to a room. The facts behind each sentence are
// docs/protocol.md#identity-and-arbitration and docs/protocol.md#conversation.
#include "captionnarrator.h"

#include "gatewaylink.h"
#include "modulecatalog.h"
#include "payloadtext.h"
#include "sequencelabel.h"

namespace fleet {

namespace {

QString upperFirst(QString text)
{
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

// "b1", or the device type's word for a device without a name.
QString shortName(const DeviceIdentity& device)
{
    if (!device.name.isEmpty())
        return printableText(device.name, 40);
    return QStringLiteral("the ") + CaptionNarrator::deviceWords(device);
}

QString possessive(const DeviceIdentity& device)
{
    return shortName(device) + QStringLiteral("'s");
}

// The device type without its name: "button".
QString noun(const DeviceIdentity& device)
{
    QString type = ModuleCatalog::deviceTypeName(device.module, device.deviceType).toLower();
    if (type.endsWith(QLatin1String(" device")))
        type.chop(7);
    if (type.isEmpty() || type.front().isDigit() || type.contains(QLatin1String("unknown")))
        return QStringLiteral("device");
    return type;
}

// What a status or command says, in the words of the sequence diagram's labels.
QString meaning(const GatewayEvent& event)
{
    return plainModuleSummary(event.device.module, event.summary());
}

bool sameDevice(const DeviceIdentity& a, const DeviceIdentity& b)
{
    return a.module == b.module && a.deviceType == b.deviceType && a.role == b.role &&
           a.name == b.name && a.priority == b.priority;
}

// Response types of docs/protocol.md#identity-and-arbitration.
constexpr int kAlreadyConnected = 1;
constexpr int kHigherPriorityAlreadyConnected = 4;

} // namespace

CaptionNarrator::CaptionNarrator(QObject* parent)
    : QObject(parent)
{
}

void CaptionNarrator::attachGateway(GatewayLink* gateway)
{
    connect(gateway, &GatewayLink::gatewayEvent, this, &CaptionNarrator::take);
}

void CaptionNarrator::take(const GatewayEvent& event)
{
    const QString sentence = narrate(event);
    if (sentence.isEmpty())
        return;
    m_caption = sentence;
    emit captionChanged(m_caption);
}

void CaptionNarrator::clear()
{
    m_holders.clear();
    m_displaced.clear();
    if (m_caption.isEmpty())
        return;
    m_caption.clear();
    emit captionChanged(m_caption);
}

QString CaptionNarrator::deviceWords(const DeviceIdentity& device)
{
    if (device.name.isEmpty())
        return noun(device);
    return noun(device) + QLatin1Char(' ') + printableText(device.name, 40);
}

QString CaptionNarrator::narrate(const GatewayEvent& event)
{
    switch (event.kind) {
    case GatewayEvent::Kind::Listening:
        return tr("The gateway is listening on %1").arg(event.detail);
    case GatewayEvent::Kind::Stopped:
        m_holders.clear();
        m_displaced.clear();
        return tr("The gateway stopped and let every device go");
    case GatewayEvent::Kind::Connected:
        return connected(event);
    case GatewayEvent::Kind::Rejected:
        return rejected(event);
    case GatewayEvent::Kind::StatusReceived:
        return tr("%1 sent its status: %2")
            .arg(upperFirst(deviceWords(event.device)), meaning(event));
    case GatewayEvent::Kind::StatusUnanswered:
        // Silence is the protocol's only way to say no (docs/protocol.md#conversation).
        if (event.reason == GatewayEvent::Reason::InvalidStatus)
            return tr("The gateway dropped %1 status without an answer: the %2 rejected it, and "
                      "the protocol has no error message")
                .arg(possessive(event.device),
                     ModuleCatalog::moduleName(event.device.module).toLower());
        return tr("The gateway left %1 status unanswered: %2")
            .arg(possessive(event.device), printableText(event.detail, 200));
    case GatewayEvent::Kind::CommandSent:
        return commandSent(event);
    case GatewayEvent::Kind::CommandQueued:
        return tr("The operator queued a command for %1 slot: %2")
            .arg(possessive(event.device), meaning(event));
    case GatewayEvent::Kind::Disconnected:
        return disconnected(event);
    case GatewayEvent::Kind::ProtocolError:
        return tr("The gateway hung up on %1: %2")
            .arg(event.hasDevice ? shortName(event.device)
                                 : tr("connection #%1").arg(event.connectionId),
                 printableText(event.detail, 200));
    }
    return {};
}

QString CaptionNarrator::connected(const GatewayEvent& event)
{
    const QString slot = GatewayServer::slotName(event.device);
    m_holders.insert(slot, event.device);
    const QString who = upperFirst(deviceWords(event.device));
    if (const auto displaced = m_displaced.find(slot); displaced != m_displaced.end()) {
        const DeviceIdentity old = displaced.value();
        m_displaced.erase(displaced);
        return tr("%1 (priority %2) took the slot over from %3 (priority %4): a lower number "
                  "wins, so the gateway accepted %5 and dropped %3")
            .arg(who)
            .arg(event.device.priority)
            .arg(shortName(old))
            .arg(old.priority)
            .arg(shortName(event.device));
    }
    if (!event.detail.isEmpty()) // a takeover whose displaced device was not seen connecting
        return tr("%1 (priority %2) took the slot over from a device with a lower priority")
            .arg(who)
            .arg(event.device.priority);
    return tr("%1 connected and the gateway accepted it (priority %2)")
        .arg(who)
        .arg(event.device.priority);
}

QString CaptionNarrator::rejected(const GatewayEvent& event) const
{
    const DeviceIdentity& device = event.device;
    const auto holder = m_holders.constFind(GatewayServer::slotName(device));
    const bool known = holder != m_holders.constEnd();
    if (event.responseType == kAlreadyConnected) {
        if (known)
            return tr("The gateway refused a second %1%2: the slot is already taken by %3, "
                      "which has the same priority (%4)")
                .arg(noun(device),
                     device.name.isEmpty() ? QString() : QStringLiteral(", ") + shortName(device),
                     shortName(holder.value()))
                .arg(holder->priority);
        return tr("The gateway refused %1: the slot is already taken by a device with the same "
                  "priority")
            .arg(deviceWords(device));
    }
    if (event.responseType == kHigherPriorityAlreadyConnected) {
        if (known)
            return tr("The gateway refused %1 (priority %2): %3 holds the slot with a higher "
                      "priority (%4; a lower number wins)")
                .arg(deviceWords(device))
                .arg(device.priority)
                .arg(shortName(holder.value()))
                .arg(holder->priority);
        return tr("The gateway refused %1 (priority %2): a device with a higher priority holds "
                  "the slot")
            .arg(deviceWords(device))
            .arg(device.priority);
    }
    return tr("The gateway refused %1: %2")
        .arg(deviceWords(device), refusalReason(event.responseType));
}

QString CaptionNarrator::commandSent(const GatewayEvent& event) const
{
    const QString whose = possessive(event.device);
    switch (event.source) {
    case GatewayEvent::Source::Pushed:
        return tr("The gateway pushed a command to %1 without being asked: %2")
            .arg(shortName(event.device), meaning(event));
    case GatewayEvent::Source::Queued:
        return tr("The gateway answered %1 status with the operator's queued command: %2")
            .arg(whose, meaning(event));
    case GatewayEvent::Source::Default:
        return tr("The gateway answered %1 status with its default command: %2")
            .arg(whose, meaning(event));
    case GatewayEvent::Source::Empty:
        return tr("The gateway answered %1 status with an empty command: nothing new").arg(whose);
    case GatewayEvent::Source::Module:
    case GatewayEvent::Source::None:
        break;
    }
    if (event.data.isEmpty())
        return tr("The gateway answered %1 status with an empty command: nothing new").arg(whose);
    return tr("The gateway answered %1 status with: %2").arg(whose, meaning(event));
}

QString CaptionNarrator::disconnected(const GatewayEvent& event)
{
    if (!event.hasDevice)
        return {}; // a connection that never named a device: nothing to show a room
    const QString slot = GatewayServer::slotName(event.device);
    if (const auto holder = m_holders.constFind(slot);
        holder != m_holders.constEnd() && sameDevice(holder.value(), event.device))
        m_holders.remove(slot);
    switch (event.reason) {
    case GatewayEvent::Reason::ConnectRejected:
    case GatewayEvent::Reason::ProtocolError:
        return {}; // the refusal's or the error's own sentence said it
    case GatewayEvent::Reason::Takeover:
        m_displaced.insert(slot, event.device);
        return tr("The gateway dropped %1: a device with a higher priority is taking its slot")
            .arg(deviceWords(event.device));
    case GatewayEvent::Reason::PeerClosed:
        return tr("%1 closed its connection").arg(upperFirst(deviceWords(event.device)));
    case GatewayEvent::Reason::InvalidStatus:
        return tr("The gateway closed %1 connection after leaving its invalid status "
                  "unanswered")
            .arg(possessive(event.device));
    default:
        return tr("The gateway closed %1 connection: %2")
            .arg(possessive(event.device), GatewayEvent::reasonSentence(event.reason));
    }
}

} // namespace fleet
