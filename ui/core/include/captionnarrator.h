#pragma once

#include "gatewayevent.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace fleet {

class GatewayLink;

// The presentation mode's caption (docs/demo.md#presentation-mode): the embedded gateway's
// last event told as one plain sentence for someone who does not know the protocol, e.g.
// "The gateway refused a second button, b2: the slot is already taken by b1, which has the
// same priority (1)". It listens to the gateway's own events rather than to the traffic log,
// because only the gateway knows why it refused, dropped or stayed silent
// (docs/protocol.md#identity-and-arbitration). Widget-free.
class CaptionNarrator : public QObject {
    Q_OBJECT
public:
    explicit CaptionNarrator(QObject* parent = nullptr);

    // Narrates every event of the gateway from now on.
    void attachGateway(GatewayLink* gateway);

    // The sentence for one event, remembering who holds which slot for later sentences.
    // Empty for events that tell a watcher nothing the previous sentence did not (the close
    // that follows a refusal, a server-side bookkeeping event).
    QString narrate(const GatewayEvent& event);
    // narrate(), and the sentence becomes the caption when it is not empty.
    void take(const GatewayEvent& event);

    QString caption() const { return m_caption; }
    // Forgets the caption and the slot holders (a new demo, a restarted gateway).
    void clear();

    // "button b1": the device type in plain words, then the name when it has one.
    static QString deviceWords(const DeviceIdentity& device);

signals:
    void captionChanged(const QString& caption);

private:
    QString connected(const GatewayEvent& event);
    QString rejected(const GatewayEvent& event) const;
    QString commandSent(const GatewayEvent& event) const;
    QString disconnected(const GatewayEvent& event);

    // Slot holders and the devices a takeover just displaced, by slot name
    // (GatewayServer::slotName()).
    QHash<QString, DeviceIdentity> m_holders;
    QHash<QString, DeviceIdentity> m_displaced;
    QString m_caption;
};

} // namespace fleet
