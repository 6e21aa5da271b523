#pragma once

#include "modulecatalog.h"

#include "module_json.h"

// Internal to fleet_client: one ModuleRules per known module, so ModuleCatalog only looks a
// module up and forwards (one file per module keeps each under a few hundred lines).

namespace fleet::detail {

class ModuleRules {
public:
    virtual ~ModuleRules() = default;

    virtual const ModuleInfo& info() const = 0;

    // The catalog calls these only with a device type the module supports.
    virtual QList<PayloadPreset> statusPresets(quint32 deviceType) const = 0;
    virtual QList<PayloadPreset> commandPresets(quint32 deviceType) const = 0;
    virtual ValidationResult validateStatus(quint32 deviceType, const QByteArray& status) const = 0;
    virtual ValidationResult validateCommand(quint32 deviceType,
                                             const QByteArray& command) const = 0;
    virtual std::unique_ptr<ModuleEmulator> createEmulator(quint32 deviceType) const = 0;

    // Any bytes; undecodable ones get a neutral description (describeBytes()).
    virtual QString describeStatus(const QByteArray& status) const = 0;
    virtual QString describeCommand(const QByteArray& command) const = 0;

    // Multi-line views (ModuleCatalog::prettyStatus()); modules with binary flavours decode.
    virtual QString prettyStatus(const QByteArray& status) const { return prettyPayload(status); }
    virtual QString prettyCommand(const QByteArray& command) const
    {
        return prettyPayload(command);
    }
};

const ModuleRules& missionRules();
const ModuleRules& ioRules();
const ModuleRules& transparentRules();
const ModuleRules& exampleRules();

} // namespace fleet::detail
