#include "module_json.h"
#include "module_rules.h"

#include <QJsonObject>

// Example module (docs/modules.md#example-module): device type 0, statuses and commands compared
// byte for byte.

namespace fleet::detail {

namespace {

const QByteArray kPressed = QByteArrayLiteral("{\"pressed\": true}");
const QByteArray kReleased = QByteArrayLiteral("{\"pressed\": false}");
const QByteArray kLitUp = QByteArrayLiteral("{\"lit_up\": true}");
const QByteArray kDark = QByteArrayLiteral("{\"lit_up\": false}");

// The module's first command for a new device.
const QByteArray& firstCommand()
{
    return kDark;
}

// Why bytes that are not one of the exact statuses fail, beyond "compare bytes": the usual
// slips are spacing, a trailing newline, or the right JSON with other bytes.
QString statusHint(const QByteArray& status)
{
    if (status.trimmed() == kPressed || status.trimmed() == kReleased)
        return QStringLiteral("remove the whitespace before or after the braces");
    const JsonParse parsed = parseJson(status);
    if (!parsed.ok())
        return parsed.error;
    if (!parsed.value.isObject())
        return QStringLiteral("got %1").arg(describeJsonValue(parsed.value));
    const QJsonObject object = parsed.value.toObject();
    const auto pressed = object.constFind(QLatin1String("pressed"));
    if (pressed == object.constEnd())
        return QStringLiteral("key \"pressed\" is missing");
    if (!pressed->isBool())
        return QStringLiteral("\"pressed\" is %1, expected true or false")
            .arg(describeJsonValue(*pressed));
    if (object.size() > 1)
        return QStringLiteral("only the key \"pressed\" is allowed, got %1 keys")
            .arg(object.size());
    return QStringLiteral("the JSON means the right thing but its bytes differ (spacing?): "
                          "write exactly %1")
        .arg(QString::fromLatin1(pressed->toBool() ? kPressed : kReleased));
}

// The module's command generation (docs/modules.md#example-module): the LED is the inverse
// of the button, derived from the new status alone. Whatever the current command is, a cloud
// command included, it is overwritten: pressed:true → lit_up:false, pressed:false →
// lit_up:true.
const QByteArray& generatedCommand(const QByteArray& status)
{
    return status == kPressed ? kDark : kLitUp;
}

class ExampleEmulator final : public ModuleEmulator {
public:
    // The first status of a connection gets the module's first command, later ones the
    // module's command generation. Only valid statuses reach an emulator.
    QByteArray answerStatus(const QByteArray& status) override
    {
        if (m_firstAnswered)
            return generatedCommand(status);
        m_firstAnswered = true;
        return firstCommand();
    }

    // The cloud command never reaches the device: generation looks at the status only.
    QByteArray answerCloudCommand(const QByteArray& status, const QByteArray&) override
    {
        m_firstAnswered = true;
        return generatedCommand(status);
    }

private:
    bool m_firstAnswered = false;
};

class ExampleRules final : public ModuleRules {
public:
    const ModuleInfo& info() const override
    {
        static const ModuleInfo info{
            1000, QStringLiteral("Example module"), {{0, QStringLiteral("Button device")}}, false};
        return info;
    }

    QList<PayloadPreset> statusPresets(quint32 deviceType) const override
    {
        return {
            {QStringLiteral("Button released"), deviceType, kReleased,
             QStringLiteral("Not pressed; after its first command the module answers "
                            "{\"lit_up\": true}")},
            {QStringLiteral("Button pressed"), deviceType, kPressed,
             QStringLiteral("Pressed; the module answers {\"lit_up\": false}")},
        };
    }

    QList<PayloadPreset> commandPresets(quint32 deviceType) const override
    {
        return {
            {QStringLiteral("Light off"), deviceType, kDark,
             QStringLiteral("LED off; also the module's first command")},
            {QStringLiteral("Light on"), deviceType, kLitUp, QStringLiteral("LED on")},
        };
    }

    ValidationResult validateStatus(quint32, const QByteArray& status) const override
    {
        // A byte compare, as the module does: no parsing on the hot path.
        if (status == kPressed || status == kReleased)
            return ValidationResult::valid();
        return ValidationResult::invalid(
            QStringLiteral("the example module compares bytes: expected {\"pressed\": true} or "
                           "{\"pressed\": false} exactly (with one space after the colon); %1")
                .arg(statusHint(status)));
    }

    ValidationResult validateCommand(quint32, const QByteArray& command) const override
    {
        if (command == kLitUp || command == kDark)
            return ValidationResult::valid();
        return ValidationResult::invalid(
            QStringLiteral("the example device compares bytes: expected {\"lit_up\": true} or "
                           "{\"lit_up\": false} exactly (with one space after the colon), got %1")
                .arg(describeBytes(command)));
    }

    std::unique_ptr<ModuleEmulator> createEmulator(quint32) const override
    {
        return std::make_unique<ExampleEmulator>();
    }

    QString describeStatus(const QByteArray& status) const override
    {
        if (status == kPressed)
            return QStringLiteral("button: pressed");
        if (status == kReleased)
            return QStringLiteral("button: not pressed");
        return describeBytes(status);
    }

    QString describeCommand(const QByteArray& command) const override
    {
        if (command == kLitUp)
            return QStringLiteral("lit_up: true");
        if (command == kDark)
            return QStringLiteral("lit_up: false");
        return describeBytes(command);
    }
};

} // namespace

const ModuleRules& exampleRules()
{
    static const ExampleRules rules;
    return rules;
}

} // namespace fleet::detail
