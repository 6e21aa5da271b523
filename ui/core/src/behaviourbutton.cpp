#include "behaviourbutton.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace fleet {

ButtonBehaviour::ButtonBehaviour(QObject* parent)
    : Behaviour(parent)
{
    setPeriodMs(kDefaultPeriodMs);
}

void ButtonBehaviour::setPressed(bool pressed)
{
    if (pressed == m_pressed)
        return;
    m_pressed = pressed;
    markStatusChanged();
    notifyChanged();
}

QByteArray ButtonBehaviour::status() const
{
    // Byte-exact, one space after the colon: the module compares bytes.
    return m_pressed ? QByteArrayLiteral("{\"pressed\": true}")
                     : QByteArrayLiteral("{\"pressed\": false}");
}

Behaviour::CommandOutcome ButtonBehaviour::apply(const QByteArray& command)
{
    // An empty answer is a newer gateway's "nothing new" (docs/protocol.md#conversation).
    if (command.isEmpty())
        return {false, tr("empty answer: nothing new")};
    // The module only ever sends the two byte-exact commands; a device reads them as JSON, so
    // a pushed {"lit_up":true} works too.
    const QJsonDocument document = QJsonDocument::fromJson(command);
    const QJsonValue litUp = document.object().value(QLatin1String("lit_up"));
    if (!document.isObject() || !litUp.isBool())
        return {false, tr("ignored: not {\"lit_up\": true|false}")};
    const bool lit = litUp.toBool();
    if (lit != m_lit) {
        m_lit = lit;
        notifyChanged();
    }
    return {true, lit ? tr("lamp on") : tr("lamp off")};
}

QList<Behaviour::Setting> ButtonBehaviour::settings() const
{
    return {{QStringLiteral("period"),
             tr("Heartbeat (ms)"),
             QString::number(periodMs()),
             tr("A status goes out on every press and release and at least this often; the "
                "module's example client sends every 5 s."),
             {}}};
}

} // namespace fleet
