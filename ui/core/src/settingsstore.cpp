#include "settingsstore.h"

#include "behaviour.h"
#include "behaviourmap.h"
#include "behaviourvehicle.h"
#include "settingsini.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <limits>
#include <memory>
#include <utility>

namespace fleet {

namespace {

// Bumped when the layout changes incompatibly; a file with another version is set aside.
constexpr int kSettingsFormat = 1;
constexpr int kMaxDevices = 64;
constexpr int kMaxTimeoutMs = 3600 * 1000;

DeviceConfig readDevice(QSettings& settings, TypedReader& reader)
{
    DeviceConfig config;
    constexpr qint64 maxU32 = std::numeric_limits<quint32>::max();
    config.identity.module =
        quint32(reader.number(QStringLiteral("module"), config.identity.module, 0, maxU32));
    config.identity.deviceType = quint32(reader.number(QStringLiteral("deviceType"), 0, 0, maxU32));
    config.identity.role = reader.text(QStringLiteral("role"), QString());
    config.identity.name = reader.text(QStringLiteral("name"), QString());
    config.identity.priority = quint32(reader.number(QStringLiteral("priority"), 0, 0, maxU32));
    config.host = reader.text(QStringLiteral("host"), config.host);
    config.port = quint16(reader.number(QStringLiteral("port"), config.port, 1, 65535));
    config.useEmbeddedGateway =
        reader.boolean(QStringLiteral("useEmbeddedGateway"), config.useEmbeddedGateway);
    config.connectTimeoutMs = int(reader.number(QStringLiteral("connectTimeoutMs"),
                                                config.connectTimeoutMs, 1, kMaxTimeoutMs));
    config.connectAttempts =
        int(reader.number(QStringLiteral("connectAttempts"), config.connectAttempts, 1, 100));
    config.resendAttempts =
        int(reader.number(QStringLiteral("resendAttempts"), config.resendAttempts, 0, 100));
    config.statusTimeoutMs = int(
        reader.number(QStringLiteral("statusTimeoutMs"), config.statusTimeoutMs, 0, kMaxTimeoutMs));
    config.autoSendIntervalMs = int(reader.number(QStringLiteral("autoSendIntervalMs"),
                                                  config.autoSendIntervalMs, 1, kMaxTimeoutMs));
    config.draft.format = reader.format(QStringLiteral("draftFormat"));
    config.draft.text = reader.text(QStringLiteral("draftText"), QString());
    config.draft.isTemplate = reader.boolean(QStringLiteral("draftTemplate"), false);
    config.behaviour.name = reader.text(QStringLiteral("behaviour"), QString());
    config.behaviour.mapFile = reader.text(QStringLiteral("behaviourMap"), QString());
    config.behaviour.route = reader.text(QStringLiteral("behaviourRoute"), QString());
    // Lenient: a damaged mark must not cost the device; anything but "true" is the behaviour.
    config.behaviour.manual =
        settings.value(QStringLiteral("behaviourManual")).toString().trimmed() == u"true";
    settings.beginGroup(QStringLiteral("behaviourSettings"));
    for (const QString& key : settings.childKeys())
        config.behaviour.settings.append({key, settings.value(key).toString()});
    settings.endGroup();
    return config;
}

QString deviceLabel(const DeviceConfig& config, int index)
{
    const QString name =
        config.identity.name.isEmpty() ? config.identity.role : config.identity.name;
    return QStringLiteral("device %1 (\"%2\")").arg(index + 1).arg(name);
}

// A saved behaviour is checked against the behaviours of this build, one value at a time: a
// wrong value is named in a note and replaced by what a fresh choice would have (None, the
// setting's default, the demo map, the first route), and the rest of the device stays.
void checkBehaviour(DeviceConfig* config, int index, QStringList* notes)
{
    BehaviourConfig& saved = config->behaviour;
    const QString device = deviceLabel(*config, index);
    if (saved.name == QLatin1String("none"))
        saved.name.clear();
    if (saved.isNone()) {
        saved = BehaviourConfig{};
        return;
    }
    const QString fits = behaviourKey(config->identity.module, config->identity.deviceType);
    if (saved.name != fits) {
        notes->append(QStringLiteral("%1: behaviour \"%2\" is not one this device has (%3); it "
                                     "starts as a payload sender")
                          .arg(device, saved.name,
                               fits.isEmpty() ? QStringLiteral("it has none")
                                              : QStringLiteral("none or %1").arg(fits)));
        saved = BehaviourConfig{};
        return;
    }
    std::unique_ptr<Behaviour> probe =
        Behaviour::create(config->identity.module, config->identity.deviceType);
    QList<QPair<QString, QString>> kept;
    for (const auto& [key, value] : std::as_const(saved.settings)) {
        QString error;
        if (probe->setSetting(key, value, &error))
            kept.append({key, value});
        else
            notes->append(
                QStringLiteral("%1: behaviour setting %2; the default is used").arg(device, error));
    }
    saved.settings = kept;
    if (probe->kind() != Behaviour::Kind::Vehicle) {
        saved.mapFile.clear();
        saved.route.clear();
        return;
    }
    auto* vehicle = static_cast<VehicleBehaviour*>(probe.get());
    QString error;
    if (!saved.mapFile.isEmpty() && !vehicle->loadMap(saved.mapFile, {}, &error)) {
        notes->append(QStringLiteral("%1: %2; the built-in demo map is used").arg(device, error));
        saved.mapFile.clear();
    }
    if (!saved.route.isEmpty() && !vehicle->map().route(saved.route)) {
        notes->append(QStringLiteral("%1: route \"%2\" is not on %3; the vehicle starts on \"%4\"")
                          .arg(device, saved.route,
                               saved.mapFile.isEmpty() ? QStringLiteral("the built-in demo map")
                                                       : saved.mapFile,
                               vehicle->map().routeNames().value(0)));
        saved.route.clear();
    }
}

void writeDevice(QSettings& settings, const DeviceConfig& config)
{
    settings.setValue(QStringLiteral("module"), config.identity.module);
    settings.setValue(QStringLiteral("deviceType"), config.identity.deviceType);
    settings.setValue(QStringLiteral("role"), config.identity.role);
    settings.setValue(QStringLiteral("name"), config.identity.name);
    settings.setValue(QStringLiteral("priority"), config.identity.priority);
    settings.setValue(QStringLiteral("host"), config.host);
    settings.setValue(QStringLiteral("port"), config.port);
    settings.setValue(QStringLiteral("useEmbeddedGateway"), config.useEmbeddedGateway);
    settings.setValue(QStringLiteral("connectTimeoutMs"), config.connectTimeoutMs);
    settings.setValue(QStringLiteral("connectAttempts"), config.connectAttempts);
    settings.setValue(QStringLiteral("resendAttempts"), config.resendAttempts);
    settings.setValue(QStringLiteral("statusTimeoutMs"), config.statusTimeoutMs);
    settings.setValue(QStringLiteral("autoSendIntervalMs"), config.autoSendIntervalMs);
    for (const FormatKey& entry : kFormatKeys) {
        if (entry.format == config.draft.format)
            settings.setValue(QStringLiteral("draftFormat"), QString::fromLatin1(entry.key));
    }
    settings.setValue(QStringLiteral("draftText"), config.draft.text);
    settings.setValue(QStringLiteral("draftTemplate"), config.draft.isTemplate);
    const BehaviourConfig& behaviour = config.behaviour;
    settings.setValue(QStringLiteral("behaviour"),
                      behaviour.isNone() ? QStringLiteral("none") : behaviour.name);
    settings.setValue(QStringLiteral("behaviourMap"), behaviour.mapFile);
    settings.setValue(QStringLiteral("behaviourRoute"), behaviour.route);
    settings.setValue(QStringLiteral("behaviourManual"), behaviour.manual);
    settings.beginGroup(QStringLiteral("behaviourSettings"));
    for (const auto& [key, value] : behaviour.settings)
        settings.setValue(key, value);
    settings.endGroup();
}

QString readAll(QSettings& settings, ConsoleSettings* out, QStringList* notes)
{
    TypedReader reader(settings);
    const qint64 format = reader.number(QStringLiteral("format"), kSettingsFormat, 0, 1000);
    if (!reader.failed() && format != kSettingsFormat)
        return QStringLiteral("format is %1, this console reads format %2")
            .arg(format)
            .arg(kSettingsFormat);

    settings.beginGroup(QStringLiteral("gateway"));
    out->gateway.enabled = reader.boolean(QStringLiteral("enabled"), out->gateway.enabled);
    out->gateway.port = quint16(reader.number(QStringLiteral("port"), out->gateway.port, 0, 65535));
    out->gateway.supportedModules =
        reader.numbers(QStringLiteral("modules"), out->gateway.supportedModules);
    out->gateway.answerDelayMs = int(
        reader.number(QStringLiteral("answerDelayMs"), out->gateway.answerDelayMs, 0, 3600 * 1000));
    out->gateway.emptyAnswers =
        reader.boolean(QStringLiteral("emptyAnswers"), out->gateway.emptyAnswers);
    out->gateway.explainSilentDrops =
        reader.boolean(QStringLiteral("explainSilentDrops"), out->gateway.explainSilentDrops);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("trafficLog"));
    TrafficViewConfig& view = out->trafficView;
    view.device = reader.text(QStringLiteral("device"), view.device);
    view.direction = reader.choice(
        QStringLiteral("direction"), view.direction,
        {QString(), QStringLiteral("device_to_gateway"), QStringLiteral("gateway_to_device")});
    view.rows = reader.choice(QStringLiteral("rows"), view.rows,
                              {QStringLiteral("frame"), QStringLiteral("both"),
                               QStringLiteral("device"), QStringLiteral("gateway")});
    view.kinds = quint32(reader.number(QStringLiteral("kinds"), view.kinds, 0, 0xffffffffLL));
    view.text = reader.text(QStringLiteral("text"), view.text);
    view.follow = reader.boolean(QStringLiteral("follow"), view.follow);
    view.details = reader.boolean(QStringLiteral("details"), view.details);
    view.header = reader.bytes(QStringLiteral("header"));
    settings.endGroup();

    settings.beginGroup(QStringLiteral("window"));
    out->windowGeometry = reader.bytes(QStringLiteral("geometry"));
    out->askBeforeClosingConnected =
        reader.boolean(QStringLiteral("askBeforeClosingConnected"), out->askBeforeClosingConnected);
    out->windowState = reader.bytes(QStringLiteral("state"));
    out->currentDevice = int(reader.number(QStringLiteral("currentDevice"), 0, 0, kMaxDevices - 1));
    settings.endGroup();

    // More than kept is no damage: the oldest are dropped.
    const int recent = settings.beginReadArray(QStringLiteral("recentWorkspaces"));
    for (int i = 0; i < recent && i < kMaxRecentWorkspaces && !reader.failed(); ++i) {
        settings.setArrayIndex(i);
        const QString file = reader.text(QStringLiteral("file"), QString());
        if (!file.isEmpty())
            out->recentWorkspaces.append(file);
    }
    settings.endArray();

    const int count = settings.beginReadArray(QStringLiteral("devices"));
    if (count > kMaxDevices) {
        settings.endArray();
        return QStringLiteral("devices/size is %1, at most %2 devices are kept")
            .arg(count)
            .arg(kMaxDevices);
    }
    QList<DeviceConfig> devices;
    for (int i = 0; i < count && !reader.failed(); ++i) {
        settings.setArrayIndex(i);
        devices.append(readDevice(settings, reader));
    }
    settings.endArray();
    if (reader.failed())
        return reader.problem();
    for (int i = 0; i < devices.size(); ++i)
        checkBehaviour(&devices[i], i, notes);
    if (!devices.isEmpty())
        out->devices = devices;
    out->currentDevice = qMin(out->currentDevice, int(out->devices.size()) - 1);
    return {};
}

QString uniqueSetAsidePath(const QString& fileName)
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString candidate = QStringLiteral("%1.corrupt-%2").arg(fileName, stamp);
    for (int n = 2; QFileInfo::exists(candidate); ++n)
        candidate = QStringLiteral("%1.corrupt-%2-%3").arg(fileName, stamp).arg(n);
    return candidate;
}

} // namespace

SettingsStore::SettingsStore(const QString& fileName)
    : m_fileName(fileName)
{
}

QString SettingsStore::defaultFileName()
{
    return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("fleet"),
                     QStringLiteral("fleet-console"))
        .fileName();
}

ConsoleSettings SettingsStore::defaults()
{
    ConsoleSettings settings;
    settings.devices.append(DeviceConfig::exampleButton());
    return settings;
}

QString SettingsStore::LoadResult::message() const
{
    if (!corrupt)
        return {};
    const QString fate = setAsidePath.isEmpty()
                             ? QStringLiteral("it could not be renamed and will be overwritten")
                             : QStringLiteral("it was set aside as %1").arg(setAsidePath);
    return QStringLiteral("The settings file %1 is damaged (%2); %3. The console started with "
                          "default settings.")
        .arg(fileName, problem, fate);
}

QString SettingsStore::LoadResult::notesMessage() const
{
    if (notes.isEmpty())
        return {};
    return QStringLiteral("The settings file %1 had values this console cannot use: %2.")
        .arg(fileName, notes.join(QStringLiteral("; ")));
}

SettingsStore::LoadResult SettingsStore::load() const
{
    LoadResult result;
    result.settings = defaults();
    QFile file(m_fileName);
    if (!file.exists())
        return result;
    result.existed = true;
    result.fileName = m_fileName;
    if (!file.open(QIODevice::ReadOnly)) {
        result.corrupt = true;
        result.problem = QStringLiteral("it cannot be read: %1").arg(file.errorString());
        return result; // a file we cannot read is not renamed either: leave it for the operator
    }
    QString problem = scanIniLines(file.readAll());
    file.close();

    if (problem.isEmpty()) {
        QSettings settings(m_fileName, QSettings::IniFormat);
        if (settings.status() != QSettings::NoError) {
            problem = QStringLiteral("Qt cannot parse it as an ini file");
        } else {
            ConsoleSettings loaded = defaults();
            QStringList notes;
            problem = readAll(settings, &loaded, &notes);
            if (problem.isEmpty()) {
                result.settings = loaded;
                result.notes = notes;
            }
        }
    }
    if (problem.isEmpty())
        return result;

    result.corrupt = true;
    result.problem = problem;
    const QString target = uniqueSetAsidePath(m_fileName);
    if (QFile::rename(m_fileName, target))
        result.setAsidePath = target;
    return result;
}

bool SettingsStore::save(const ConsoleSettings& data, QString* error) const
{
    QDir().mkpath(QFileInfo(m_fileName).absolutePath());
    QSettings settings(m_fileName, QSettings::IniFormat);
    settings.clear();
    settings.setValue(QStringLiteral("format"), kSettingsFormat);

    settings.beginGroup(QStringLiteral("gateway"));
    settings.setValue(QStringLiteral("enabled"), data.gateway.enabled);
    settings.setValue(QStringLiteral("port"), data.gateway.port);
    QStringList modules;
    for (quint32 module : data.gateway.supportedModules)
        modules.append(QString::number(module));
    settings.setValue(QStringLiteral("modules"), modules.join(QLatin1Char(',')));
    settings.setValue(QStringLiteral("answerDelayMs"), data.gateway.answerDelayMs);
    settings.setValue(QStringLiteral("emptyAnswers"), data.gateway.emptyAnswers);
    settings.setValue(QStringLiteral("explainSilentDrops"), data.gateway.explainSilentDrops);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("trafficLog"));
    settings.setValue(QStringLiteral("device"), data.trafficView.device);
    settings.setValue(QStringLiteral("direction"), data.trafficView.direction);
    settings.setValue(QStringLiteral("rows"), data.trafficView.rows);
    settings.setValue(QStringLiteral("kinds"), data.trafficView.kinds);
    settings.setValue(QStringLiteral("text"), data.trafficView.text);
    settings.setValue(QStringLiteral("follow"), data.trafficView.follow);
    settings.setValue(QStringLiteral("details"), data.trafficView.details);
    settings.setValue(QStringLiteral("header"), data.trafficView.header);
    settings.endGroup();

    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), data.windowGeometry);
    settings.setValue(QStringLiteral("askBeforeClosingConnected"), data.askBeforeClosingConnected);
    settings.setValue(QStringLiteral("state"), data.windowState);
    settings.setValue(QStringLiteral("currentDevice"), data.currentDevice);
    settings.endGroup();

    const QStringList recent = data.recentWorkspaces.mid(0, kMaxRecentWorkspaces);
    settings.beginWriteArray(QStringLiteral("recentWorkspaces"), int(recent.size()));
    for (int i = 0; i < recent.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("file"), recent[i]);
    }
    settings.endArray();

    settings.beginWriteArray(QStringLiteral("devices"), int(data.devices.size()));
    for (int i = 0; i < data.devices.size(); ++i) {
        settings.setArrayIndex(i);
        writeDevice(settings, data.devices[i]);
    }
    settings.endArray();

    settings.sync();
    if (settings.status() != QSettings::NoError) {
        if (error)
            *error = QStringLiteral("could not write the settings file %1").arg(m_fileName);
        return false;
    }
    return true;
}

} // namespace fleet
