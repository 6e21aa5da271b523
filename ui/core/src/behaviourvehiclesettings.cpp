// The autonomous vehicle's settings (docs/modules.md#device-behaviour): what the operator, a
// saved device and `fleet-device --set` can choose, each checked with a message naming what is
// wrong.
#include "behaviourvehicle.h"

#include <cmath>

namespace fleet {

void VehicleBehaviour::setEncoding(Encoding encoding)
{
    m_encoding = encoding;
    markStatusChanged();
    notifyChanged();
}

void VehicleBehaviour::setWaitAtStopMs(int ms)
{
    m_waitAtStopMs = qMax(0, ms);
    notifyChanged();
}

void VehicleBehaviour::setSpeedOverride(double mps)
{
    m_speedOverride = std::isfinite(mps) && mps > 0 ? mps : 0;
    notifyChanged();
}

void VehicleBehaviour::setInterpolate(bool on)
{
    m_interpolate = on;
    notifyChanged();
}

void VehicleBehaviour::setFuel(double fuel)
{
    m_fuel = std::isfinite(fuel) ? qBound(0.0, fuel, 1.0) : kDefaultFuel;
    notifyChanged();
}

QList<Behaviour::Setting> VehicleBehaviour::settings() const
{
    return {
        {QStringLiteral("encoding"),
         tr("Payload encoding"),
         m_encoding == Encoding::Json ? QStringLiteral("json") : QStringLiteral("protobuf"),
         tr("Mission module 1.3.0 and later read JSON, earlier ones protobuf."),
         {QStringLiteral("json"), QStringLiteral("protobuf")}},
        {QStringLiteral("waitAtStop"),
         tr("Wait at a stop (s)"),
         QString::number(m_waitAtStopMs / 1000.0),
         tr("How long the vehicle stays IN_STOP before the next command can move it on."),
         {}},
        {QStringLiteral("speedOverride"),
         tr("Speed override (m/s)"),
         QString::number(m_speedOverride),
         tr("0 follows the map's speed tags (5 m/s where none is given)."),
         {}},
        {QStringLiteral("interpolate"),
         tr("Move smoothly between nodes"),
         behaviour::boolText(m_interpolate),
         tr("Off reports the route node, jumping from node to node as the reference vehicle "
            "does."),
         {QStringLiteral("true"), QStringLiteral("false")}},
        {QStringLiteral("fuel"),
         tr("Fuel"),
         QString::number(m_fuel),
         tr("Reported as it is; the reference vehicle always reports 0.42."),
         {}},
        {QStringLiteral("period"),
         tr("Status period (ms)"),
         QString::number(periodMs()),
         tr("The longest gap between statuses; state changes go out at once."),
         {}},
    };
}

bool VehicleBehaviour::setSetting(const QString& key, const QString& value, QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = QStringLiteral("%1: '%2' %3").arg(key, value, why);
        return false;
    };
    bool ok = false;
    if (key == QLatin1String("encoding")) {
        const QString text = value.trimmed().toLower();
        if (text != QLatin1String("json") && text != QLatin1String("protobuf"))
            return fail(tr("is neither json nor protobuf"));
        setEncoding(text == QLatin1String("json") ? Encoding::Json : Encoding::Protobuf);
        return true;
    }
    if (key == QLatin1String("waitAtStop") || key == QLatin1String("speedOverride") ||
        key == QLatin1String("fuel")) {
        const double number = value.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(number) || number < 0 ||
            (key == QLatin1String("fuel") && number > 1) ||
            (key == QLatin1String("waitAtStop") && number > 3600))
            return fail(key == QLatin1String("fuel") ? tr("is not a number from 0 to 1")
                                                     : tr("is not a non-negative number"));
        if (key == QLatin1String("waitAtStop"))
            setWaitAtStopMs(int(std::lround(number * 1000)));
        else if (key == QLatin1String("speedOverride"))
            setSpeedOverride(number);
        else
            setFuel(number);
        return true;
    }
    if (key == QLatin1String("interpolate")) {
        bool on = false;
        if (!behaviour::parseBool(value, &on))
            return fail(tr("is neither true nor false"));
        setInterpolate(on);
        return true;
    }
    return Behaviour::setSetting(key, value, error);
}

} // namespace fleet
