#include "module_json.h"
#include "module_rules.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

// IO module (docs/modules.md#io-module): Arduino boards and a button. Statuses are
// [[inputs…], [outputs…], {"butPr": n}], commands [{"outNum": n, "actType": 0|1|2}, …] or null.

namespace fleet::detail {

namespace {

struct Board {
    quint32 type;
    int inputs;
    int outputs;
};

constexpr Board kBoards[] = {{1, 6, 4}, {2, 4, 4}, {3, 6, 7}, {4, 1, 0}};
constexpr quint32 kButtonType = 4;

const Board& boardFor(quint32 deviceType)
{
    for (const Board& board : kBoards) {
        if (board.type == deviceType)
            return board;
    }
    // The catalog only passes supported types; the Button is the harmless fallback.
    return kBoards[3];
}

const QString kShape = QStringLiteral("[inputs, outputs, {\"butPr\": n}]");

std::optional<QString> checkKey(const QJsonObject& object, QLatin1String key, bool wantBool,
                                const QString& where)
{
    const auto it = object.constFind(key);
    const QString kind = wantBool ? QStringLiteral("boolean") : QStringLiteral("numeric");
    if (it == object.constEnd())
        return QStringLiteral("%1 has no %2 \"%3\"").arg(where, kind, key);
    if (wantBool ? !it->isBool() : !it->isDouble())
        return QStringLiteral("%1: \"%2\" is %3, expected a %4")
            .arg(where, key, describeJsonValue(*it),
                 wantBool ? QStringLiteral("boolean (true or false)") : QStringLiteral("number"));
    return std::nullopt;
}

// Checks every entry, not only the first `needed`: a status this passes must never make the
// gateway drop the connection.
std::optional<QString> checkEntries(const QJsonValue& element, const QString& label, int needed,
                                    const QList<std::pair<QLatin1String, bool>>& keys,
                                    const QString& boardName)
{
    if (!element.isArray())
        return QStringLiteral("%1 must be an array, got %2").arg(label, describeJsonValue(element));
    const QJsonArray entries = element.toArray();
    if (entries.size() < needed)
        return QStringLiteral("%1 has %2 entries; the %3 needs at least %4")
            .arg(label)
            .arg(entries.size())
            .arg(boardName)
            .arg(needed);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QString where = QStringLiteral("%1: entry %2").arg(label).arg(i);
        if (!entries.at(i).isObject())
            return QStringLiteral("%1 must be an object, got %2")
                .arg(where, describeJsonValue(entries.at(i)));
        const QJsonObject entry = entries.at(i).toObject();
        for (const auto& [key, wantBool] : keys) {
            if (auto problem = checkKey(entry, key, wantBool, where))
                return problem;
        }
    }
    return std::nullopt;
}

QString actionName(int actType)
{
    switch (actType) {
    case 0:
        return QStringLiteral("off");
    case 1:
        return QStringLiteral("on");
    case 2:
        return QStringLiteral("toggle");
    default:
        return QStringLiteral("action %1").arg(actType);
    }
}

// Numbers of the entries whose `flag` is true, e.g. "1, 3", or "none".
QString flaggedNumbers(const QJsonArray& entries, QLatin1String number, QLatin1String flag)
{
    QStringList on;
    for (const QJsonValue& value : entries) {
        const QJsonObject entry = value.toObject();
        if (entry.value(flag).toBool())
            on.append(formatNumber(entry.value(number).toDouble()));
    }
    return on.isEmpty() ? QStringLiteral("none") : on.join(QStringLiteral(", "));
}

QByteArray statusJson(const Board& board, int inputsOn, int outputsOn, int presses)
{
    QByteArray json = "[[";
    for (int i = 1; i <= board.inputs; ++i) {
        json += (i > 1 ? "," : "") + QByteArray("{\"inNum\":") + QByteArray::number(i) +
                ",\"inSt\":" + (i <= inputsOn ? "true" : "false") + '}';
    }
    json += "],[";
    for (int i = 1; i <= board.outputs; ++i) {
        json += (i > 1 ? "," : "") + QByteArray("{\"outNum\":") + QByteArray::number(i) +
                ",\"outErr\":false,\"outSt\":" + (i <= outputsOn ? "true" : "false") + '}';
    }
    json += "],{\"butPr\":" + QByteArray::number(presses) + "}]";
    return json;
}

QByteArray commandJson(int firstOutput, int count, int actType)
{
    QByteArray json = "[";
    for (int i = 0; i < count; ++i) {
        json += (i > 0 ? "," : "") + QByteArray("{\"outNum\":") +
                QByteArray::number(firstOutput + i) +
                ",\"actType\":" + QByteArray::number(actType) + '}';
    }
    return json + ']';
}

// The module's first command (docs/modules.md#io-module): outputs 0–3 off, numbered from 0
// (statuses count from 1), for every board with outputs. Exactly four entries, also for the
// Uno with its seven outputs: the module names only the first four.
constexpr int kFirstCommandOutputs = 4;

QByteArray firstCommand(const Board& board)
{
    return board.outputs == 0 ? QByteArrayLiteral("null") : commandJson(0, kFirstCommandOutputs, 0);
}

class IoEmulator final : public ModuleEmulator {
public:
    explicit IoEmulator(const Board& board)
        : m_command(firstCommand(board))
    {
    }

    // The module's command generation returns the current command unchanged, for every
    // device type (docs/modules.md#io-module): every answer repeats it until a cloud command
    // or a push replaces it.
    QByteArray answerStatus(const QByteArray&) override { return m_command; }
    QByteArray answerCloudCommand(const QByteArray&, const QByteArray& command) override
    {
        m_command = command;
        return m_command;
    }
    void setCurrentCommand(const QByteArray& command) override { m_command = command; }

private:
    QByteArray m_command;
};

class IoRules final : public ModuleRules {
public:
    const ModuleInfo& info() const override
    {
        static const ModuleInfo info{2,
                                     QStringLiteral("IO module"),
                                     {{1, QStringLiteral("Arduino Opta")},
                                      {2, QStringLiteral("Arduino Mega (deprecated)")},
                                      {3, QStringLiteral("Arduino Uno")},
                                      {4, QStringLiteral("Button")}},
                                     false};
        return info;
    }

    QList<PayloadPreset> statusPresets(quint32 deviceType) const override
    {
        const Board& board = boardFor(deviceType);
        if (board.type == kButtonType) {
            return {
                {QStringLiteral("Button released"), deviceType, statusJson(board, 0, 0, 0),
                 QStringLiteral("Input 1 low, no presses counted")},
                {QStringLiteral("Button pressed"), deviceType, statusJson(board, 1, 0, 1),
                 QStringLiteral("Input 1 high, one press counted")},
            };
        }
        const QString counts =
            QStringLiteral("%1 inputs, %2 outputs").arg(board.inputs).arg(board.outputs);
        return {
            {QStringLiteral("All off"), deviceType, statusJson(board, 0, 0, 0),
             QStringLiteral("All inputs low, all outputs off (%1)").arg(counts)},
            {QStringLiteral("Input 1 high, output 1 on"), deviceType, statusJson(board, 1, 1, 0),
             QStringLiteral("One input and one output active (%1)").arg(counts)},
            {QStringLiteral("Button pressed"), deviceType, statusJson(board, 0, 0, 1),
             QStringLiteral("The board's button pressed once (%1)").arg(counts)},
        };
    }

    QList<PayloadPreset> commandPresets(quint32 deviceType) const override
    {
        const Board& board = boardFor(deviceType);
        if (board.outputs == 0) {
            return {{QStringLiteral("No action (null)"), deviceType, QByteArrayLiteral("null"),
                     QStringLiteral("The Button has no outputs: its command is null")}};
        }
        return {
            {QStringLiteral("All outputs off"), deviceType, commandJson(1, board.outputs, 0),
             QStringLiteral("Outputs 1–%1 off").arg(board.outputs)},
            {QStringLiteral("All outputs on"), deviceType, commandJson(1, board.outputs, 1),
             QStringLiteral("Outputs 1–%1 on").arg(board.outputs)},
            {QStringLiteral("Output 1 on"), deviceType, commandJson(1, 1, 1),
             QStringLiteral("Switch output 1 on, leave the others")},
            {QStringLiteral("Output 1 toggle"), deviceType, commandJson(1, 1, 2),
             QStringLiteral("Flip output 1, leave the others")},
            {QStringLiteral("First command (0–3 off, 0-based)"), deviceType, firstCommand(board),
             QStringLiteral("What the module sends first: outputs 0–3, numbered from 0")},
        };
    }

    ValidationResult validateStatus(quint32 deviceType, const QByteArray& status) const override
    {
        const JsonParse parsed = parseJson(status);
        if (!parsed.ok())
            return ValidationResult::invalid(parsed.error);
        if (!parsed.value.isArray())
            return ValidationResult::invalid(
                QStringLiteral("the IO module expects a JSON array of 3 elements %1, got %2")
                    .arg(kShape, describeJsonValue(parsed.value)));
        const QJsonArray status3 = parsed.value.toArray();
        if (status3.size() != 3)
            return ValidationResult::invalid(
                QStringLiteral("the IO module expects a JSON array of 3 elements %1, got %2")
                    .arg(kShape, describeJsonValue(parsed.value)));

        const Board& board = boardFor(deviceType);
        const QString boardName = ModuleCatalog::deviceTypeName(info().number, board.type);
        if (auto problem = checkEntries(
                status3.at(0), QStringLiteral("element 0 (inputs)"), board.inputs,
                {{QLatin1String("inNum"), false}, {QLatin1String("inSt"), true}}, boardName))
            return ValidationResult::invalid(*problem);
        // The module skips the outputs of a type that has none (the Button).
        if (board.outputs > 0) {
            if (auto problem = checkEntries(status3.at(1), QStringLiteral("element 1 (outputs)"),
                                            board.outputs,
                                            {{QLatin1String("outNum"), false},
                                             {QLatin1String("outErr"), true},
                                             {QLatin1String("outSt"), true}},
                                            boardName))
                return ValidationResult::invalid(*problem);
        }
        const QString label = QStringLiteral("element 2 (button presses)");
        if (!status3.at(2).isObject())
            return ValidationResult::invalid(
                QStringLiteral("%1 must be an object with a numeric \"butPr\", got %2")
                    .arg(label, describeJsonValue(status3.at(2))));
        if (auto problem = checkKey(status3.at(2).toObject(), QLatin1String("butPr"), false, label))
            return ValidationResult::invalid(*problem);
        return ValidationResult::valid();
    }

    ValidationResult validateCommand(quint32 deviceType, const QByteArray& command) const override
    {
        const Board& board = boardFor(deviceType);
        const JsonParse parsed = parseJson(command);
        if (!parsed.ok())
            return ValidationResult::invalid(parsed.error);
        if (parsed.value.isNull())
            return ValidationResult::valid();
        if (!parsed.value.isArray())
            return ValidationResult::invalid(
                QStringLiteral("an IO command is null or an array of {\"outNum\", \"actType\"} "
                               "objects, got %1")
                    .arg(describeJsonValue(parsed.value)));
        const QJsonArray entries = parsed.value.toArray();
        for (qsizetype i = 0; i < entries.size(); ++i) {
            const QString where = QStringLiteral("entry %1").arg(i);
            if (!entries.at(i).isObject())
                return ValidationResult::invalid(QStringLiteral("%1 must be an object, got %2")
                                                     .arg(where, describeJsonValue(entries.at(i))));
            const QJsonObject entry = entries.at(i).toObject();
            for (const QLatin1String key : {QLatin1String("outNum"), QLatin1String("actType")}) {
                if (auto problem = checkKey(entry, key, false, where))
                    return ValidationResult::invalid(*problem);
            }
            // Outputs count from 1 in statuses but from 0 in the module's first command.
            const double outNum = entry.value(QLatin1String("outNum")).toDouble();
            if (outNum < 0 || outNum > board.outputs || outNum != int(outNum))
                return ValidationResult::invalid(
                    QStringLiteral("%1: \"outNum\" %2 is no output of this device (it has %3)")
                        .arg(where, formatNumber(outNum))
                        .arg(board.outputs));
            const double actType = entry.value(QLatin1String("actType")).toDouble();
            if (actType != 0 && actType != 1 && actType != 2)
                return ValidationResult::invalid(
                    QStringLiteral("%1: \"actType\" is %2, expected 0 (off), 1 (on) or 2 "
                                   "(toggle)")
                        .arg(where, formatNumber(actType)));
        }
        return ValidationResult::valid();
    }

    std::unique_ptr<ModuleEmulator> createEmulator(quint32 deviceType) const override
    {
        return std::make_unique<IoEmulator>(boardFor(deviceType));
    }

    QString describeStatus(const QByteArray& status) const override
    {
        const JsonParse parsed = parseJson(status);
        const QJsonArray parts = parsed.value.toArray();
        if (!parsed.ok() || parts.size() != 3 || !parts.at(0).isArray() || !parts.at(1).isArray() ||
            !parts.at(2).isObject())
            return describeBytes(status);
        const QJsonArray inputs = parts.at(0).toArray();
        const QJsonArray outputs = parts.at(1).toArray();
        QString text =
            QStringLiteral("inputs on: %1 (of %2); outputs on: %3 (of %4)")
                .arg(flaggedNumbers(inputs, QLatin1String("inNum"), QLatin1String("inSt")))
                .arg(inputs.size())
                .arg(flaggedNumbers(outputs, QLatin1String("outNum"), QLatin1String("outSt")))
                .arg(outputs.size());
        const QString errors =
            flaggedNumbers(outputs, QLatin1String("outNum"), QLatin1String("outErr"));
        if (errors != QLatin1String("none"))
            text += QStringLiteral("; output errors: %1").arg(errors);
        const QJsonValue presses = parts.at(2).toObject().value(QLatin1String("butPr"));
        return text + QStringLiteral("; button presses: %1").arg(formatNumber(presses.toDouble()));
    }

    QString describeCommand(const QByteArray& command) const override
    {
        const JsonParse parsed = parseJson(command);
        if (parsed.ok() && parsed.value.isNull())
            return QStringLiteral("null: no action");
        if (!parsed.ok() || !parsed.value.isArray())
            return describeBytes(command);
        const QJsonArray entries = parsed.value.toArray();
        if (entries.isEmpty())
            return QStringLiteral("no output changes");
        QStringList actions;
        for (const QJsonValue& value : entries) {
            const QJsonObject entry = value.toObject();
            const QJsonValue outNum = entry.value(QLatin1String("outNum"));
            const QJsonValue actType = entry.value(QLatin1String("actType"));
            if (!outNum.isDouble() || !actType.isDouble())
                return describeBytes(command);
            actions.append(QStringLiteral("output %1 %2")
                               .arg(formatNumber(outNum.toDouble()), actionName(actType.toInt())));
        }
        return actions.join(QStringLiteral(", "));
    }
};

} // namespace

const ModuleRules& ioRules()
{
    static const IoRules rules;
    return rules;
}

} // namespace fleet::detail
