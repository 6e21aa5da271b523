#include "identities.h"

namespace fleet::test {

DeviceIdentity device(quint32 module, quint32 type, const QString& role, quint32 priority,
                      const QString& name)
{
    DeviceIdentity identity;
    identity.module = module;
    identity.deviceType = type;
    identity.role = role;
    identity.name = name;
    identity.priority = priority;
    return identity;
}

DeviceIdentity button(const QString& role, quint32 priority, const QString& name)
{
    return device(ModuleNumber::Example, 0, role, priority, name);
}

} // namespace fleet::test
