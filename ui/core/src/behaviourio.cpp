#include "behaviourio.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace fleet {

namespace {

// The boards of docs/modules.md#io-module: inputs and outputs per device type.
struct BoardShape {
    quint32 type;
    int inputs;
    int outputs;
    const char* name;
};

constexpr BoardShape kShapes[] = {{1, 6, 4, "Arduino Opta"},
                                  {2, 4, 4, "Arduino Mega"},
                                  {3, 6, 7, "Arduino Uno"},
                                  {4, 1, 0, "Button"}};

const BoardShape* shapeFor(quint32 type)
{
    for (const BoardShape& shape : kShapes) {
        if (shape.type == type)
            return &shape;
    }
    return nullptr;
}

QString actionText(int actType)
{
    switch (actType) {
    case 0:
        return QStringLiteral("off");
    case 1:
        return QStringLiteral("on");
    default:
        return QStringLiteral("toggle");
    }
}

} // namespace

IoBehaviour::IoBehaviour(quint32 deviceType, QObject* parent)
    : Behaviour(parent)
    , m_type(supports(deviceType) ? deviceType : kButtonType)
{
    // Pull-ups: every input reads true until the operator pulls it down.
    m_inputs = QList<bool>(inputCount(m_type), true);
    m_outputs = QList<Output>(outputCount(m_type));
    setPeriodMs(kDefaultPeriodMs);
}

bool IoBehaviour::supports(quint32 deviceType)
{
    return shapeFor(deviceType) != nullptr;
}

int IoBehaviour::inputCount(quint32 deviceType)
{
    const BoardShape* shape = shapeFor(deviceType);
    return shape ? shape->inputs : 0;
}

int IoBehaviour::outputCount(quint32 deviceType)
{
    const BoardShape* shape = shapeFor(deviceType);
    return shape ? shape->outputs : 0;
}

QString IoBehaviour::title() const
{
    const BoardShape* shape = shapeFor(m_type);
    return m_type == kButtonType ? tr("IO button") : tr("%1 board").arg(shape->name);
}

bool IoBehaviour::input(int number) const
{
    return number >= 1 && number <= m_inputs.size() && m_inputs.at(number - 1);
}

void IoBehaviour::setInput(int number, bool state)
{
    if (number < 1 || number > m_inputs.size() || m_inputs.at(number - 1) == state)
        return;
    m_inputs[number - 1] = state;
    markStatusChanged();
    notifyChanged();
}

QString IoBehaviour::stateText() const
{
    QString outputs;
    for (const Output& output : m_outputs)
        outputs += output.on ? QLatin1Char('1') : QLatin1Char('0');
    return outputs.isEmpty() ? QStringLiteral("no outputs") : QStringLiteral("outputs ") + outputs;
}

bool IoBehaviour::output(int number) const
{
    return number >= 1 && number <= m_outputs.size() && m_outputs.at(number - 1).on;
}

bool IoBehaviour::outputError(int number) const
{
    return number >= 1 && number <= m_outputs.size() && m_outputs.at(number - 1).error;
}

void IoBehaviour::setOutputError(int number, bool error)
{
    if (number < 1 || number > m_outputs.size() || m_outputs.at(number - 1).error == error)
        return;
    m_outputs[number - 1].error = error;
    markStatusChanged();
    notifyChanged();
}

void IoBehaviour::pressButton()
{
    // Only the Opta counts presses; the others always report 0 (docs/modules.md#io-module).
    if (!countsButtonPresses())
        return;
    ++m_presses;
    markStatusChanged();
    notifyChanged();
}

void IoBehaviour::setButtonHeld(bool held)
{
    // The Button device reads true when not pressed (pull-up), false while pressed.
    if (m_type == kButtonType)
        setInput(1, !held);
}

void IoBehaviour::setOutputBase(int base)
{
    m_outputBase = base == 0 ? 0 : 1;
    notifyChanged();
}

void IoBehaviour::setApplyRepeatedCommands(bool on)
{
    m_applyRepeated = on;
    notifyChanged();
}

QByteArray IoBehaviour::status() const
{
    QByteArray json = "[[";
    for (int i = 0; i < m_inputs.size(); ++i) {
        json += (i > 0 ? "," : "") + QByteArray("{\"inNum\":") + QByteArray::number(i + 1) +
                ",\"inSt\":" + (m_inputs.at(i) ? "true" : "false") + '}';
    }
    json += "],[";
    for (int i = 0; i < m_outputs.size(); ++i) {
        json += (i > 0 ? "," : "") + QByteArray("{\"outNum\":") + QByteArray::number(i + 1) +
                ",\"outErr\":" + (m_outputs.at(i).error ? "true" : "false") +
                ",\"outSt\":" + (m_outputs.at(i).on ? "true" : "false") + '}';
    }
    return json + "],{\"butPr\":" + QByteArray::number(m_presses) + "}]";
}

void IoBehaviour::statusTaken()
{
    // Presses are counted between statuses.
    if (m_presses != 0) {
        m_presses = 0;
        notifyChanged();
    }
}

Behaviour::CommandOutcome IoBehaviour::apply(const QByteArray& command)
{
    if (command.isEmpty())
        return {false, tr("empty answer: nothing new")};
    const bool repeated = command == m_lastCommand;
    m_lastCommand = command;
    if (repeated && !m_applyRepeated)
        return {false, tr("ignored: repeats the previous command")};

    // The module's rule for a command: JSON whose every element has outNum and actType;
    // null, [] and {} hold no action (docs/modules.md#io-module).
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(command, &error);
    const bool isNull = command.trimmed() == "null";
    if (!isNull && error.error != QJsonParseError::NoError)
        return {false, tr("ignored: not JSON (%1)").arg(error.errorString())};
    if (isNull || document.isObject())
        return {true, tr("no action")};
    const QJsonArray actions = document.array();
    for (const QJsonValue& value : actions) {
        const QJsonObject action = value.toObject();
        if (!action.value(QLatin1String("outNum")).isDouble() ||
            !action.value(QLatin1String("actType")).isDouble())
            return {false, tr("ignored: an entry lacks a numeric outNum or actType")};
    }
    QStringList done;
    QStringList skipped;
    bool changedAny = false;
    for (const QJsonValue& value : actions) {
        const QJsonObject action = value.toObject();
        const int outNum = action.value(QLatin1String("outNum")).toInt(-1);
        const int actType = action.value(QLatin1String("actType")).toInt(-1);
        const int number = outNum - m_outputBase + 1; // 1-based output
        if (number < 1 || number > m_outputs.size() || actType < 0 || actType > 2) {
            skipped.append(QString::number(outNum));
            continue;
        }
        Output& output = m_outputs[number - 1];
        const bool on = actType == 2 ? !output.on : actType == 1;
        changedAny = changedAny || on != output.on;
        output.on = on;
        done.append(tr("output %1 %2").arg(number).arg(actionText(actType)));
    }
    if (changedAny) {
        markStatusChanged();
        notifyChanged();
    }
    QString note = done.isEmpty() ? tr("no output switched") : done.join(QStringLiteral(", "));
    if (!skipped.isEmpty())
        note += tr("; skipped outNum %1 (no such output with numbers from %2)")
                    .arg(skipped.join(QStringLiteral(", ")))
                    .arg(m_outputBase);
    return {!done.isEmpty(), note};
}

QList<Behaviour::Setting> IoBehaviour::settings() const
{
    return {
        {QStringLiteral("outputBase"),
         tr("Command outNum of output 1"),
         QString::number(m_outputBase),
         tr("The module's first command numbers outputs from 0, statuses from 1; whether the "
            "boards count from 0 or 1 is not public."),
         {QStringLiteral("0"), QStringLiteral("1")}},
        {QStringLiteral("applyRepeated"),
         tr("Apply a repeated command"),
         behaviour::boolText(m_applyRepeated),
         tr("The gateway repeats the last command after every status; applied again, a toggle "
            "flips the output on every round trip."),
         {QStringLiteral("false"), QStringLiteral("true")}},
        {QStringLiteral("period"),
         tr("Heartbeat (ms)"),
         QString::number(periodMs()),
         tr("A status goes out on every change and at least this often; the Arduino client "
            "sends every second."),
         {}},
    };
}

bool IoBehaviour::setSetting(const QString& key, const QString& value, QString* error)
{
    if (key == QLatin1String("outputBase")) {
        int base = 0;
        if (!behaviour::parseInt(value, 0, 1, &base)) {
            if (error)
                *error = tr("outputBase: '%1' is neither 0 nor 1").arg(value);
            return false;
        }
        setOutputBase(base);
        return true;
    }
    if (key == QLatin1String("applyRepeated")) {
        bool on = false;
        if (!behaviour::parseBool(value, &on)) {
            if (error)
                *error = tr("applyRepeated: '%1' is neither true nor false").arg(value);
            return false;
        }
        setApplyRepeatedCommands(on);
        return true;
    }
    return Behaviour::setSetting(key, value, error);
}

} // namespace fleet
