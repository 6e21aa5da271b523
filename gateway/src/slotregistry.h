#pragma once

#include "deviceidentity.h"
#include "envelope.h"
#include "gatewaypolicy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstddef>
#include <unordered_map>

namespace fleet {

class GatewaySession;

// A device slot: what the server compares to decide "the same device"
// (docs/protocol.md#identity-and-arbitration).
struct SlotKey {
    quint32 module = 0;
    quint32 deviceType = 0;
    QString role;

    static SlotKey of(const DeviceIdentity& device)
    {
        return {device.module, device.deviceType, device.role};
    }
    friend bool operator==(const SlotKey&, const SlotKey&) = default;
};

struct SlotKeyHash {
    size_t operator()(const SlotKey& key) const noexcept;
};

// What the gateway keeps per slot: who holds it and the operator's queued commands.
struct SlotState {
    GatewaySession* holder = nullptr;
    quint32 holderPriority = 0;
    QList<QByteArray> queue; // oldest first, at most kMaxQueuedCommands
};

// The outcome of a connect: the response type to send and, for a takeover, whom to drop.
struct ConnectVerdict {
    ResponseType responseType = ResponseType::Ok;
    QString detail; // why, for a rejection or a takeover
    GatewaySession* displaced = nullptr;
};

// Device slots indexed by (module, type, role), so a connect or an operator command costs one
// hash lookup whatever the number of devices. Entries live in an unordered_map, whose element
// references stay valid across inserts: a session keeps a pointer to its slot and pays no
// lookup per status.
class SlotRegistry {
public:
    // Policy checks then arbitration (docs/protocol.md#identity-and-arbitration), without changing
    // anything.
    ConnectVerdict decide(const GatewayPolicy& policy, const DeviceIdentity& device) const;

    // Makes `session` the holder of the device's slot and returns that slot.
    SlotState& take(const DeviceIdentity& device, GatewaySession* session);
    // Frees the slot if `session` holds it; forgets slots with neither holder nor queue.
    void release(const DeviceIdentity& device, const GatewaySession* session);

    const SlotState* find(const DeviceIdentity& device) const;
    // Appends to the slot's queue (creating the slot); returns the dropped oldest, if any.
    bool enqueue(const DeviceIdentity& device, const QByteArray& command, QByteArray* dropped);
    void clearQueue(const DeviceIdentity& device);

    // Takes the oldest queued command of a slot; false when the queue is empty.
    static bool takeQueued(SlotState& slot, QByteArray* command);

private:
    std::unordered_map<SlotKey, SlotState, SlotKeyHash> m_slots;
};

} // namespace fleet
