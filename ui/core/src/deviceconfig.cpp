#include "deviceconfig.h"

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

} // namespace fleet
