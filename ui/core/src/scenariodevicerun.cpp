#include "scenariodevicerun.h"

#include "behaviour.h"
#include "behaviourdriver.h"
#include "devicesession.h"
#include "framecodec.h"
#include "modulecatalog.h"

#include <QDateTime>
#include <QFile>

namespace fleet {

namespace {

// fleet-device --behave names (docs/scenarios.md#devices) and the kinds they stand for.
Behaviour::Kind kindOf(const QString& name)
{
    if (name == QLatin1String("io"))
        return Behaviour::Kind::Io;
    if (name == QLatin1String("vehicle"))
        return Behaviour::Kind::Vehicle;
    return Behaviour::Kind::Button;
}

template <typename T> void appendBounded(QList<T>* list, T value, int max)
{
    if (list->size() >= max)
        list->removeFirst();
    list->append(std::move(value));
}

} // namespace

ScenarioDeviceRun::ScenarioDeviceRun(const ScenarioDevice& device, int maxUnread, QObject* parent)
    : QObject(parent)
    , m_spec(device)
    , m_maxUnread(maxUnread)
    , m_session(new DeviceSession(this))
{
    connect(m_session, &DeviceSession::commandReceived, this,
            [this](const QByteArray& data, bool, bool, double) {
                appendBounded(&m_commands, Command{data, m_clock ? m_clock() : 0}, m_maxUnread);
                emit changed();
            });
    connect(m_session, &DeviceSession::failed, this, [this](InternalClient::Error error) {
        appendBounded(&m_errors, error, m_maxUnread);
        emit changed();
    });
    connect(m_session, &DeviceSession::statusChanged, this, &ScenarioDeviceRun::changed);
    connect(m_session, &DeviceSession::clientCreated, this, &ScenarioDeviceRun::clientCreated);
}

ScenarioDeviceRun::~ScenarioDeviceRun()
{
    // The driver goes before the behaviour it drives, and both before the session.
    delete m_driver;
    m_behaviour.reset();
}

bool ScenarioDeviceRun::prepare(QString* error)
{
    if (m_spec.behaviour.isEmpty())
        return true;
    const DeviceIdentity& id = m_spec.identity;
    m_behaviour = Behaviour::create(id.module, id.deviceType);
    if (!m_behaviour || m_behaviour->kind() != kindOf(m_spec.behaviour)) {
        *error = QStringLiteral("device \"%1\": behaviour %2 does not fit module %3, type %4")
                     .arg(m_spec.key, m_spec.behaviour)
                     .arg(id.module)
                     .arg(id.deviceType);
        m_behaviour.reset();
        return false;
    }
    for (auto it = m_spec.settings.cbegin(); it != m_spec.settings.cend(); ++it) {
        QString why;
        if (!m_behaviour->setSetting(it.key(), it.value(), &why)) {
            *error = QStringLiteral("device \"%1\": %2").arg(m_spec.key, why);
            return false;
        }
    }
    connect(m_behaviour.get(), &Behaviour::changed, this, &ScenarioDeviceRun::changed);
    m_driver = new BehaviourDriver(m_session);
    m_driver->setBehaviour(m_behaviour.get());
    return true;
}

bool ScenarioDeviceRun::payloadBytes(const ScenarioPayload& payload, QByteArray* bytes,
                                     QString* error)
{
    switch (payload.source) {
    case ScenarioPayload::Source::Template: {
        const PayloadTemplate parsed = PayloadTemplate::parse(payload.data);
        if (!parsed.isValid()) {
            *error = parsed.errorString();
            return false;
        }
        TemplateSources sources;
        sources.device = m_spec.identity;
        sources.nowMs = QDateTime::currentMSecsSinceEpoch();
        *bytes = parsed.expand(sources, m_templateState);
        parsed.advance(&m_templateState);
        return true;
    }
    case ScenarioPayload::Source::Preset:
        for (const PayloadPreset& preset :
             ModuleCatalog::statusPresets(m_spec.identity.module, m_spec.identity.deviceType)) {
            if (preset.name == QString::fromUtf8(payload.data)) {
                *bytes = preset.payload;
                return true;
            }
        }
        *error = QStringLiteral("no preset \"%1\"").arg(QString::fromUtf8(payload.data));
        return false;
    case ScenarioPayload::Source::File: {
        QFile file(payload.fileName);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: %2").arg(payload.fileName, file.errorString());
            return false;
        }
        // Never more than a frame can carry: a wrong path to a huge file is not read whole.
        if (file.size() > qint64(kDefaultMaxFrameBytes)) {
            *error = QStringLiteral("%1 has %2 bytes, more than a frame carries")
                         .arg(payload.fileName)
                         .arg(file.size());
            return false;
        }
        *bytes = file.readAll();
        return true;
    }
    default:
        *bytes = payload.data;
        return true;
    }
}

} // namespace fleet
