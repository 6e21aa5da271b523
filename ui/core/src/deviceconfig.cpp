#include "deviceconfig.h"

#include "behaviour.h"

namespace fleet {

QString uniqueRole(const DeviceIdentity& wanted, const QList<DeviceIdentity>& taken)
{
    const QString base = wanted.role.isEmpty() ? QStringLiteral("device") : wanted.role;
    DeviceIdentity candidate = wanted;
    candidate.role = base;
    auto isTaken = [&taken](const DeviceIdentity& identity) {
        for (const DeviceIdentity& other : taken) {
            if (other.sameSlot(identity))
                return true;
        }
        return false;
    };
    for (int n = 2; isTaken(candidate); ++n)
        candidate.role = QStringLiteral("%1-%2").arg(base).arg(n);
    return candidate.role;
}

QString behaviourKey(quint32 module, quint32 deviceType)
{
    const std::unique_ptr<Behaviour> probe = Behaviour::create(module, deviceType);
    if (!probe)
        return {};
    switch (probe->kind()) {
    case Behaviour::Kind::Button:
        return QStringLiteral("button");
    case Behaviour::Kind::Io:
        return QStringLiteral("io");
    case Behaviour::Kind::Vehicle:
        return QStringLiteral("vehicle");
    }
    return {};
}

DeviceConfig DeviceConfig::livingDevice(const QString& behaviour)
{
    DeviceConfig config = exampleButton();
    if (behaviour == QLatin1String("io")) {
        // The Arduino Opta board (2/1): the IO board with a button counter.
        config.identity.module = ModuleNumber::Io;
        config.identity.deviceType = 1;
        config.identity.role = QStringLiteral("io_board");
        config.identity.name = QStringLiteral("Opta board");
        config.draft.text.clear();
    } else if (behaviour == QLatin1String("vehicle")) {
        // The reference virtual vehicle's demo identity (docs/modules.md#device-behaviour).
        config.identity.module = ModuleNumber::Mission;
        config.identity.deviceType = 1;
        config.identity.role = QStringLiteral("autonomy");
        config.identity.name = QStringLiteral("virtual_vehicle");
        config.identity.priority = 1;
        config.draft.text.clear();
    } else if (behaviour != QLatin1String("button")) {
        return config;
    }
    config.behaviour.name = behaviourKey(config.identity.module, config.identity.deviceType);
    return config;
}

} // namespace fleet
