#include "scenario.h"

#include "scenarioreader.h"

#include <QFile>

namespace fleet {

QString ScenarioStep::kindName() const
{
    for (const StepKey& key : kStepKeys) {
        if (key.kind != kind)
            continue;
        if (kind == Kind::Gateway) {
            static const char* const actions[] = {"queue", "push", "disconnect", "delay"};
            return QStringLiteral("gateway %1").arg(QLatin1String(actions[int(gatewayAction)]));
        }
        return QLatin1String(key.key);
    }
    return {};
}

QString ScenarioStep::label() const
{
    return QStringLiteral("%1 (%2)").arg(path, kindName());
}

QString ScenarioError::toString() const
{
    QString text = QStringLiteral("%1:%2:%3: ").arg(fileName).arg(line).arg(column);
    if (!step.isEmpty())
        text += step + QStringLiteral(": ");
    return text + message;
}

const ScenarioDevice* Scenario::device(const QString& key) const
{
    for (const ScenarioDevice& device : m_devices) {
        if (device.key == key)
            return &device;
    }
    return nullptr;
}

bool Scenario::parse(const QByteArray& json, const QString& fileName, Scenario* scenario,
                     ScenarioError* error)
{
    return ScenarioReader(json, fileName).read(scenario, error);
}

bool Scenario::load(const QString& fileName, Scenario* scenario, ScenarioError* error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = ScenarioError{fileName, 0, 0, {}, file.errorString()};
        return false;
    }
    // Read no more than a scenario can be: a wrong file (a log, a disk image) is named, not
    // loaded whole.
    if (file.size() > kMaxFileBytes) {
        *error = ScenarioError{fileName,
                               0,
                               0,
                               {},
                               QStringLiteral("%1 bytes: a scenario file has at most %2")
                                   .arg(file.size())
                                   .arg(kMaxFileBytes)};
        return false;
    }
    return parse(file.read(kMaxFileBytes), fileName, scenario, error);
}

} // namespace fleet
