#include "slotregistry.h"

#include "modulecatalog.h"

#include <QHashFunctions>
#include <QStringList>

namespace fleet {

namespace {

QString moduleList(const QList<quint32>& modules)
{
    QStringList numbers;
    for (quint32 module : modules)
        numbers.append(QString::number(module));
    return numbers.isEmpty() ? QStringLiteral("none") : numbers.join(QStringLiteral(", "));
}

} // namespace

size_t SlotKeyHash::operator()(const SlotKey& key) const noexcept
{
    return qHashMulti(0, key.module, key.deviceType, key.role);
}

ConnectVerdict SlotRegistry::decide(const GatewayPolicy& policy, const DeviceIdentity& device) const
{
    if (!policy.supportedModules.contains(device.module)) {
        return {ResponseType::ModuleNotSupported,
                QStringLiteral("module %1 is not served by this gateway (it serves %2)")
                    .arg(device.module)
                    .arg(moduleList(policy.supportedModules)),
                nullptr};
    }
    const bool knownModule = ModuleCatalog::module(device.module) != nullptr;
    const bool typeOk = knownModule
                            ? ModuleCatalog::supportsDeviceType(device.module, device.deviceType)
                            : policy.acceptUnknownDeviceTypes;
    if (!typeOk) {
        return {ResponseType::DeviceNotSupported,
                knownModule ? QStringLiteral("%1 does not know device type %2")
                                  .arg(ModuleCatalog::moduleName(device.module))
                                  .arg(device.deviceType)
                            : QStringLiteral("module %1 is unknown to the emulator and the "
                                             "policy does not accept unknown device types")
                                  .arg(device.module),
                nullptr};
    }
    const auto it = m_slots.find(SlotKey::of(device));
    if (it == m_slots.end() || !it->second.holder)
        return {ResponseType::Ok, {}, nullptr};
    const quint32 held = it->second.holderPriority;
    // Smaller number = higher priority (docs/protocol.md#identity-and-arbitration).
    if (device.priority == held) {
        return {ResponseType::AlreadyConnected,
                QStringLiteral("slot %1/%2/%3 is already held by a device with the same "
                               "priority %4")
                    .arg(device.module)
                    .arg(device.deviceType)
                    .arg(device.role)
                    .arg(held),
                nullptr};
    }
    if (device.priority > held) {
        return {ResponseType::HigherPriorityAlreadyConnected,
                QStringLiteral("slot %1/%2/%3 is held by a device with higher priority %4 "
                               "(this one has %5; smaller is higher)")
                    .arg(device.module)
                    .arg(device.deviceType)
                    .arg(device.role)
                    .arg(held)
                    .arg(device.priority),
                nullptr};
    }
    return {ResponseType::Ok,
            QStringLiteral("taken over by a device with higher priority %1 (was %2)")
                .arg(device.priority)
                .arg(held),
            it->second.holder};
}

SlotState& SlotRegistry::take(const DeviceIdentity& device, GatewaySession* session)
{
    SlotState& slot = m_slots[SlotKey::of(device)];
    slot.holder = session;
    slot.holderPriority = device.priority;
    return slot;
}

void SlotRegistry::release(const DeviceIdentity& device, const GatewaySession* session)
{
    const auto it = m_slots.find(SlotKey::of(device));
    if (it == m_slots.end() || it->second.holder != session)
        return;
    it->second.holder = nullptr;
    // Queued commands outlive the connection: the operator queued them for the slot, and a
    // reconnecting device should still get them.
    if (it->second.queue.isEmpty())
        m_slots.erase(it);
}

const SlotState* SlotRegistry::find(const DeviceIdentity& device) const
{
    const auto it = m_slots.find(SlotKey::of(device));
    return it == m_slots.end() ? nullptr : &it->second;
}

bool SlotRegistry::enqueue(const DeviceIdentity& device, const QByteArray& command,
                           QByteArray* dropped)
{
    SlotState& slot = m_slots[SlotKey::of(device)];
    bool droppedOne = false;
    if (slot.queue.size() >= kMaxQueuedCommands) {
        if (dropped)
            *dropped = slot.queue.first();
        slot.queue.removeFirst();
        droppedOne = true;
    }
    slot.queue.append(command);
    return droppedOne;
}

void SlotRegistry::clearQueue(const DeviceIdentity& device)
{
    const auto it = m_slots.find(SlotKey::of(device));
    if (it == m_slots.end())
        return;
    it->second.queue.clear();
    if (!it->second.holder)
        m_slots.erase(it);
}

bool SlotRegistry::takeQueued(SlotState& slot, QByteArray* command)
{
    if (slot.queue.isEmpty())
        return false;
    *command = slot.queue.takeFirst();
    return true;
}

} // namespace fleet
