#include "behaviouroptions.h"

#include "behaviourbutton.h"
#include "behaviourio.h"
#include "behaviourmap.h"
#include "behaviourvehicle.h"
#include "deviceoptions.h"

#include <QCommandLineParser>

namespace fleet::behaviourtool {

namespace {

struct Kind {
    const char* name;
    quint32 module;
    quint32 deviceType;
    const char* role;
    Behaviour::Kind kind;
};

constexpr Kind kKinds[] = {
    {"button", ButtonBehaviour::kModule, ButtonBehaviour::kDeviceType, "button",
     Behaviour::Kind::Button},
    {"io", IoBehaviour::kModule, 1, "io_board", Behaviour::Kind::Io},
    {"vehicle", VehicleBehaviour::kModule, VehicleBehaviour::kDeviceType, "autonomy",
     Behaviour::Kind::Vehicle},
};

const Kind* kindNamed(const QString& name)
{
    for (const Kind& kind : kKinds) {
        if (name.compare(QLatin1String(kind.name), Qt::CaseInsensitive) == 0)
            return &kind;
    }
    return nullptr;
}

} // namespace

bool applyDefaults(const QString& behaviour, DeviceOptions* options, QString* error)
{
    const Kind* kind = kindNamed(behaviour);
    if (!kind) {
        *error = QStringLiteral("--behaviour: '%1' is none of button, io, vehicle").arg(behaviour);
        return false;
    }
    options->behaviour = QLatin1String(kind->name);
    options->identity.module = kind->module;
    options->identity.deviceType = kind->deviceType;
    options->identity.role = QLatin1String(kind->role);
    return true;
}

bool resolve(const QCommandLineParser& parser, DeviceOptions* options, QString* error)
{
    const Kind* kind = kindNamed(options->behaviour);
    const DeviceIdentity& id = options->identity;
    std::unique_ptr<Behaviour> probe = Behaviour::create(id.module, id.deviceType);
    if (!kind || !probe || probe->kind() != kind->kind) {
        *error = QStringLiteral("--behaviour %1 does not fit module %2, device type %3; leave "
                                "--module and --type out to get its device")
                     .arg(options->behaviour)
                     .arg(id.module)
                     .arg(id.deviceType);
        return false;
    }
    const bool vehicle = kind->kind == Behaviour::Kind::Vehicle;
    if (!vehicle &&
        (parser.isSet(QStringLiteral("map")) || parser.isSet(QStringLiteral("route")))) {
        *error = QStringLiteral("--map and --route are for --behaviour vehicle");
        return false;
    }
    if (vehicle) {
        auto* car = static_cast<VehicleBehaviour*>(probe.get());
        std::shared_ptr<const OsmMap> map = car->sharedMap();
        if (parser.isSet(QStringLiteral("map"))) {
            auto loaded = std::make_shared<OsmMap>();
            if (!loaded->load(parser.value(QStringLiteral("map")), error)) {
                *error = QStringLiteral("--map: ") + *error;
                return false;
            }
            map = std::move(loaded);
        }
        options->route = parser.value(QStringLiteral("route"));
        if (!car->setMap(map, options->route, error)) {
            *error = QStringLiteral("--route: ") + *error;
            return false;
        }
        options->map = map;
    }
    options->behaviourSettings = parser.values(QStringLiteral("set"));
    for (const QString& setting : options->behaviourSettings) {
        const qsizetype equals = setting.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = QStringLiteral("--set '%1': expected KEY=VALUE").arg(setting);
            return false;
        }
        if (!probe->setSetting(setting.left(equals), setting.mid(equals + 1), error)) {
            *error = QStringLiteral("--set: ") + *error;
            return false;
        }
    }
    // A behaviour lives until interrupted unless --count says how many statuses.
    if (!parser.isSet(QStringLiteral("count")))
        options->count = 0;
    return true;
}

std::unique_ptr<Behaviour> create(const DeviceOptions& options, const DeviceIdentity& identity)
{
    std::unique_ptr<Behaviour> behaviour = Behaviour::create(identity.module, identity.deviceType);
    if (!behaviour)
        return nullptr;
    if (auto* car = qobject_cast<VehicleBehaviour*>(behaviour.get()); car && options.map)
        car->setMap(options.map, options.route); // checked by resolve()
    for (const QString& setting : options.behaviourSettings) {
        const qsizetype equals = setting.indexOf(QLatin1Char('='));
        behaviour->setSetting(setting.left(equals), setting.mid(equals + 1));
    }
    return behaviour;
}

QString summary(const Behaviour& behaviour)
{
    if (const auto* car = qobject_cast<const VehicleBehaviour*>(&behaviour)) {
        const QString next = car->nextStop().name;
        return QStringLiteral("state %1, %2")
            .arg(VehicleBehaviour::stateName(car->state()),
                 next.isEmpty() ? QStringLiteral("no next stop")
                                : QStringLiteral("next stop %1").arg(next));
    }
    if (const auto* board = qobject_cast<const IoBehaviour*>(&behaviour)) {
        QString outputs;
        for (int i = 1; i <= board->outputCount(); ++i)
            outputs += board->output(i) ? QLatin1Char('1') : QLatin1Char('0');
        return outputs.isEmpty() ? QStringLiteral("no outputs")
                                 : QStringLiteral("outputs %1").arg(outputs);
    }
    if (const auto* button = qobject_cast<const ButtonBehaviour*>(&behaviour))
        return button->isLit() ? QStringLiteral("lamp on") : QStringLiteral("lamp off");
    return {};
}

QString position(const Behaviour& behaviour)
{
    const auto* car = qobject_cast<const VehicleBehaviour*>(&behaviour);
    if (!car)
        return {};
    return QStringLiteral("%1,%2").arg(car->latitude(), 0, 'f', 7).arg(car->longitude(), 0, 'f', 7);
}

} // namespace fleet::behaviourtool
