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
    const char* alias; // an older name still accepted
    quint32 module;
    quint32 deviceType;
    const char* role;
    Behaviour::Kind kind;
};

constexpr Kind kKinds[] = {
    {"example", "button", ButtonBehaviour::kModule, ButtonBehaviour::kDeviceType, "button",
     Behaviour::Kind::Button},
    {"io", nullptr, IoBehaviour::kModule, 1, "io_board", Behaviour::Kind::Io},
    {"vehicle", nullptr, VehicleBehaviour::kModule, VehicleBehaviour::kDeviceType, "autonomy",
     Behaviour::Kind::Vehicle},
};

const Kind* kindNamed(const QString& name)
{
    for (const Kind& kind : kKinds) {
        if (name.compare(QLatin1String(kind.name), Qt::CaseInsensitive) == 0 ||
            (kind.alias && name.compare(QLatin1String(kind.alias), Qt::CaseInsensitive) == 0))
            return &kind;
    }
    return nullptr;
}

// Checks KEY=VALUE on the probe; *error names the option it came from.
bool trySetting(Behaviour* probe, const QString& option, const QString& key, const QString& value,
                QString* error)
{
    if (probe->setSetting(key, value, error))
        return true;
    // "waitAtStop: '-1' is not …" from --wait-at-stop reads "--wait-at-stop: '-1' is not …".
    const QString ownPrefix = key + QStringLiteral(": ");
    if (option != QLatin1String("set") && error->startsWith(ownPrefix))
        error->remove(0, ownPrefix.size());
    *error = QStringLiteral("--%1: %2").arg(option, *error);
    return false;
}

} // namespace

QList<SettingFlag> settingFlags()
{
    return {
        {"wait-at-stop", "waitAtStop", "S",
         "--behave vehicle: seconds it waits in a stop (decimals allowed). Default 10.", true},
        {"speed", "speedOverride", "MPS",
         "--behave vehicle: drive at this speed (m/s) instead of the map's; 0 = the map's.", true},
        {"period", "period", "MS",
         "A behaviour's heartbeat: the longest gap between statuses in ms. Default 5000 for "
         "example, 1000 otherwise.",
         false},
        {"encoding", "encoding", "json|protobuf",
         "--behave vehicle: the status encoding (the mission module's flavour). Default json.",
         true},
    };
}

bool applyDefaults(const QString& behaviour, DeviceOptions* options, QString* error)
{
    const Kind* kind = kindNamed(behaviour);
    if (!kind) {
        *error = QStringLiteral("--behave: '%1' is none of example, io, vehicle").arg(behaviour);
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
        *error = QStringLiteral("--behave %1 does not fit module %2, device type %3; leave "
                                "--module and --type out to get its device")
                     .arg(options->behaviour)
                     .arg(id.module)
                     .arg(id.deviceType);
        return false;
    }
    const bool vehicle = kind->kind == Behaviour::Kind::Vehicle;
    if (!vehicle) {
        QStringList vehicleOptions{QStringLiteral("map"), QStringLiteral("route")};
        for (const SettingFlag& flag : settingFlags()) {
            if (flag.vehicleOnly)
                vehicleOptions.append(QLatin1String(flag.option));
        }
        for (const QString& option : vehicleOptions) {
            if (parser.isSet(option)) {
                *error = QStringLiteral("--%1 is for --behave vehicle, not %2")
                             .arg(option, options->behaviour);
                return false;
            }
        }
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
    // The flags first, then --set in order: a later --set of the same key wins.
    options->behaviourSettings.clear();
    for (const SettingFlag& flag : settingFlags()) {
        const QString option = QLatin1String(flag.option);
        if (!parser.isSet(option))
            continue;
        const QString key = QLatin1String(flag.setting);
        const QString value = parser.value(option);
        if (!trySetting(probe.get(), option, key, value, error))
            return false;
        options->behaviourSettings.append(key + QLatin1Char('=') + value);
    }
    for (const QString& setting : parser.values(QStringLiteral("set"))) {
        const qsizetype equals = setting.indexOf(QLatin1Char('='));
        if (equals <= 0) {
            *error = QStringLiteral("--set '%1': expected KEY=VALUE").arg(setting);
            return false;
        }
        if (!trySetting(probe.get(), QStringLiteral("set"), setting.left(equals),
                        setting.mid(equals + 1), error))
            return false;
        options->behaviourSettings.append(setting);
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

DeviceStateReport report(const Behaviour& behaviour)
{
    DeviceStateReport state;
    state.state = behaviour.stateText();
    if (const auto* car = qobject_cast<const VehicleBehaviour*>(&behaviour)) {
        state.vehicle = true;
        state.latitude = car->latitude();
        state.longitude = car->longitude();
        state.nextStop = car->nextStop().name;
        state.speed = car->speed();
    }
    return state;
}

bool isMoving(const Behaviour& behaviour)
{
    const auto* car = qobject_cast<const VehicleBehaviour*>(&behaviour);
    return car && car->state() == VehicleBehaviour::State::Drive && car->speed() > 0;
}

} // namespace fleet::behaviourtool
