#pragma once

#include "deviceidentity.h"

#include <QString>

// The device identities the suites use, built in one place so a row says only what differs.

namespace fleet::test {

DeviceIdentity device(quint32 module, quint32 type, const QString& role, quint32 priority = 0,
                      const QString& name = QStringLiteral("dev"));

// An example-module button (docs/modules.md#example-module), the suites' usual device.
DeviceIdentity button(const QString& role = QStringLiteral("button"), quint32 priority = 0,
                      const QString& name = QStringLiteral("dev"));

} // namespace fleet::test
