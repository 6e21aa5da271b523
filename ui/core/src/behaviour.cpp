#include "behaviour.h"

#include "behaviourbutton.h"
#include "behaviourio.h"
#include "behaviourvehicle.h"

namespace fleet {

namespace {

// The longest heartbeat an operator may set: the gateway drops a device silent for about
// 30 s (docs/protocol.md#conversation).
constexpr int kMaxPeriodMs = 60000;

} // namespace

Behaviour::Behaviour(QObject* parent)
    : QObject(parent)
{
}

Behaviour::~Behaviour() = default;

void Behaviour::advanceTo(qint64 nowMs)
{
    if (nowMs <= m_nowMs)
        return;
    const qint64 from = m_nowMs;
    m_nowMs = nowMs;
    advance(from, nowMs);
}

bool Behaviour::statusDue() const
{
    if (m_lastSentMs < 0)
        return true;
    if (m_pending && m_nowMs >= m_lastSentMs + kMinStatusGapMs)
        return true;
    return m_nowMs >= m_lastSentMs + m_periodMs;
}

QByteArray Behaviour::takeStatus()
{
    const QByteArray bytes = status();
    m_lastSentMs = m_nowMs;
    m_pending = false;
    statusTaken();
    return bytes;
}

qint64 Behaviour::nextWakeMs() const
{
    if (m_lastSentMs < 0)
        return m_nowMs;
    qint64 wake = m_lastSentMs + m_periodMs;
    if (m_pending)
        wake = qMin(wake, m_lastSentMs + kMinStatusGapMs);
    const qint64 event = nextEventMs();
    if (event >= 0)
        wake = qMin(wake, event);
    return qMax(wake, m_nowMs);
}

Behaviour::CommandOutcome Behaviour::applyCommand(const QByteArray& command)
{
    CommandOutcome outcome = apply(command);
    if (outcome.note != m_lastCommandNote) {
        m_lastCommandNote = outcome.note;
        emit changed();
    }
    return outcome;
}

void Behaviour::setPeriodMs(int periodMs)
{
    m_periodMs = qBound(1, periodMs, kMaxPeriodMs);
    emit changed();
}

bool Behaviour::setSetting(const QString& key, const QString& value, QString* error)
{
    if (key == QLatin1String("period")) {
        int period = 0;
        if (!behaviour::parseInt(value, 10, kMaxPeriodMs, &period)) {
            if (error)
                *error = tr("period: '%1' is not a number of milliseconds from 10 to %2")
                             .arg(value)
                             .arg(kMaxPeriodMs);
            return false;
        }
        setPeriodMs(period);
        return true;
    }
    if (error)
        *error = tr("'%1' is no setting of the %2 (settings: %3)").arg(key, title(), [this] {
            QStringList keys;
            for (const Setting& setting : settings())
                keys.append(setting.key);
            return keys.join(QStringLiteral(", "));
        }());
    return false;
}

void Behaviour::markStatusChanged()
{
    const bool wasPending = m_pending;
    m_pending = true;
    if (!wasPending)
        emit statusPending();
}

std::unique_ptr<Behaviour> Behaviour::create(quint32 module, quint32 deviceType)
{
    if (module == ButtonBehaviour::kModule && deviceType == ButtonBehaviour::kDeviceType)
        return std::make_unique<ButtonBehaviour>();
    if (module == IoBehaviour::kModule && IoBehaviour::supports(deviceType))
        return std::make_unique<IoBehaviour>(deviceType);
    if (module == VehicleBehaviour::kModule && deviceType == VehicleBehaviour::kDeviceType)
        return std::make_unique<VehicleBehaviour>();
    return nullptr;
}

bool Behaviour::exists(quint32 module, quint32 deviceType)
{
    return (module == ButtonBehaviour::kModule && deviceType == ButtonBehaviour::kDeviceType) ||
           (module == IoBehaviour::kModule && IoBehaviour::supports(deviceType)) ||
           (module == VehicleBehaviour::kModule && deviceType == VehicleBehaviour::kDeviceType);
}

namespace behaviour {

bool parseBool(const QString& text, bool* value)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("on") || t == QLatin1String("yes") ||
        t == QLatin1String("1")) {
        *value = true;
        return true;
    }
    if (t == QLatin1String("false") || t == QLatin1String("off") || t == QLatin1String("no") ||
        t == QLatin1String("0")) {
        *value = false;
        return true;
    }
    return false;
}

bool parseInt(const QString& text, int min, int max, int* value)
{
    bool ok = false;
    const int parsed = text.trimmed().toInt(&ok);
    if (!ok || parsed < min || parsed > max)
        return false;
    *value = parsed;
    return true;
}

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace behaviour

} // namespace fleet
