#include "module_json.h"
#include "module_rules.h"

// Transparent module (docs/modules.md#transparent-module): every device type, every payload; it
// forwards and judges nothing, so the catalog accepts everything for it.

namespace fleet::detail {

namespace {

// 17 bytes, the quotes included.
const QByteArray kDefaultCommand = QByteArrayLiteral("\"default_command\"");

class TransparentEmulator final : public ModuleEmulator {
public:
    // Command generation passes the current command through (docs/modules.md#transparent-module).
    QByteArray answerStatus(const QByteArray&) override { return m_command; }
    QByteArray answerCloudCommand(const QByteArray&, const QByteArray& command) override
    {
        m_command = command;
        return m_command;
    }
    void setCurrentCommand(const QByteArray& command) override { m_command = command; }

private:
    QByteArray m_command = kDefaultCommand;
};

class TransparentRules final : public ModuleRules {
public:
    const ModuleInfo& info() const override
    {
        static const ModuleInfo info{3, QStringLiteral("Transparent module"), {}, true};
        return info;
    }

    QList<PayloadPreset> statusPresets(quint32 deviceType) const override
    {
        return {{QStringLiteral("Status 1"), deviceType, QByteArrayLiteral("Status 1"),
                 QStringLiteral("What the module's example device sends (Status {n}, every 5 s)")}};
    }

    QList<PayloadPreset> commandPresets(quint32 deviceType) const override
    {
        return {{QStringLiteral("Default command"), deviceType, kDefaultCommand,
                 QStringLiteral("The module's first and default command (17 bytes, quotes "
                                "included)")}};
    }

    ValidationResult validateStatus(quint32, const QByteArray&) const override
    {
        return ValidationResult::valid();
    }

    ValidationResult validateCommand(quint32, const QByteArray&) const override
    {
        return ValidationResult::valid();
    }

    std::unique_ptr<ModuleEmulator> createEmulator(quint32) const override
    {
        return std::make_unique<TransparentEmulator>();
    }

    QString describeStatus(const QByteArray& status) const override
    {
        return describeBytes(status);
    }

    QString describeCommand(const QByteArray& command) const override
    {
        return describeBytes(command);
    }
};

} // namespace

const ModuleRules& transparentRules()
{
    static const TransparentRules rules;
    return rules;
}

} // namespace fleet::detail
