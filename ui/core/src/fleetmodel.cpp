#include "fleetmodel.h"

#include "behaviour.h"
#include "behaviourdriver.h"
#include "devicesession.h"
#include "modulecatalog.h"
#include "percentile.h"

#include <QTimerEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace fleet {

namespace {

// Connects in flight at once: a listener's backlog (50 for QTcpServer) overflows when a
// thousand SYNs arrive together, and the kernel's 1 s SYN retry then looks like a dead gateway.
constexpr int kConnectWindow = 32;
constexpr int kWheelMs = 5; // how often payload senders are checked for a due status

bool isSettled(SessionStatus status)
{
    return status != SessionStatus::Connecting && status != SessionStatus::Handshaking &&
           status != SessionStatus::Reconnecting;
}

} // namespace

// One device of the fleet: its session, what it sends, and what it counted. Round trips go
// into a ring of kRttSamples, so a device costs the same after a day as after a minute.
class FleetModel::Device : public QObject {
public:
    Device(FleetModel* model, const DeviceConfig& config, bool behave, int intervalMs)
        : m_model(model)
        , config(config)
        , behave(behave)
        , intervalMs(intervalMs)
        , session(new DeviceSession(this))
    {
        connect(session, &DeviceSession::clientCreated, model, &FleetModel::clientCreated);
        connect(session, &DeviceSession::statusChanged, this, [this](SessionStatus status) {
            if (connecting && isSettled(status)) {
                connecting = false;
                m_model->connectSettled();
            }
            m_model->markChanged(this);
        });
        connect(session, &DeviceSession::failed, this,
                [this](InternalClient::Error, const QString& detail) {
                    ++errors;
                    note = detail;
                    m_model->markChanged(this);
                });
        connect(session, &DeviceSession::commandReceived, this,
                [this](const QByteArray& data, bool pushed, bool, double roundTripMs) {
                    lastCommand = ModuleCatalog::describeCommand(this->config.identity.module, data)
                                      .left(kMaxCommandChars);
                    if (!pushed && roundTripMs >= 0) {
                        ++answered;
                        rtts[size_t(rttNext)] = float(roundTripMs);
                        rttNext = (rttNext + 1) % kRttSamples;
                        rttCount = std::min(rttCount + 1, kRttSamples);
                    }
                    m_model->markChanged(this);
                });
        if (behave) {
            behaviour = Behaviour::create(config.identity.module, config.identity.deviceType);
            driver = new BehaviourDriver(session, this);
            driver->setStatusTimeoutMs(config.statusTimeoutMs);
            connect(driver, &BehaviourDriver::statusSent, this, [this] {
                ++sent;
                m_model->markChanged(this);
            });
        }
    }

    void setSending(bool on)
    {
        sending = on;
        if (driver)
            driver->setBehaviour(on ? behaviour.get() : nullptr);
        nextDueMs = 0; // the first status goes at once
    }

    // A payload sender whose moment has come sends when its session can take a status; one
    // that still awaits an answer waits for the next tick (never two statuses at once).
    void sendIfDue(qint64 nowMs)
    {
        if (!sending || driver || intervalMs <= 0 || nowMs < nextDueMs || !session->canSend())
            return;
        QString error;
        if (session->sendStatus(config.draft.text.toUtf8(), config.statusTimeoutMs, &error)) {
            ++sent;
            m_model->markChanged(this);
        } else {
            note = error;
        }
        nextDueMs = std::max(nextDueMs + intervalMs, nowMs);
    }

    double percentile(double p) const
    {
        if (rttCount == 0)
            return -1;
        std::array<float, kRttSamples> sorted{};
        std::copy_n(rtts.begin(), rttCount, sorted.begin());
        std::sort(sorted.begin(), sorted.begin() + rttCount);
        return nearestRankPercentile(std::span<const float>(sorted.data(), size_t(rttCount)), p);
    }

    FleetModel* m_model;
    DeviceConfig config;
    bool behave;
    int intervalMs;
    DeviceSession* session;
    std::unique_ptr<Behaviour> behaviour;
    BehaviourDriver* driver = nullptr;
    bool sending = false;
    bool connecting = false;
    bool changed = false;
    qint64 nextDueMs = 0;
    quint64 sent = 0;
    quint64 answered = 0;
    quint64 errors = 0;
    QString lastCommand;
    QString note; // the latest error, for the tooltip and until a command arrives
    std::array<float, kRttSamples> rtts{};
    int rttCount = 0;
    int rttNext = 0;
};

FleetModel::FleetModel(QObject* parent)
    : QAbstractTableModel(parent)
{
    m_clock.start();
}

FleetModel::~FleetModel() = default;

void FleetModel::setEmbeddedGateway(const QString& host, quint16 port)
{
    m_embeddedHost = host;
    m_embeddedPort = port;
}

bool FleetModel::addFleet(const FleetTemplate& fleet, QString* error)
{
    const auto fail = [error](const QString& text) {
        if (error)
            *error = text;
        return false;
    };
    if (fleet.count < 1)
        return fail(tr("a fleet has at least one device"));
    if (deviceCount() + fleet.count > kMaxDevices)
        return fail(tr("%1 more devices would make %2; the console runs at most %3")
                        .arg(fleet.count)
                        .arg(deviceCount() + fleet.count)
                        .arg(kMaxDevices));
    const DeviceIdentity& identity = fleet.device.identity;
    if (fleet.behave && !Behaviour::exists(identity.module, identity.deviceType))
        return fail(tr("module %1, type %2 has no behaviour; send a payload instead")
                        .arg(identity.module)
                        .arg(identity.deviceType));
    const int first = deviceCount();
    beginInsertRows({}, first, first + fleet.count - 1);
    for (int i = 0; i < fleet.count; ++i) {
        DeviceConfig config = fleet.device;
        config.identity.role = QStringLiteral("%1-%2").arg(identity.role).arg(i + 1);
        config.autoSendIntervalMs = fleet.intervalMs > 0 ? fleet.intervalMs : 1000;
        if (fleet.behave)
            config.behaviour.name = behaviourKey(identity.module, identity.deviceType);
        m_devices.push_back(std::make_unique<Device>(this, config, fleet.behave, fleet.intervalMs));
    }
    endInsertRows();
    emit summaryChanged();
    return true;
}

void FleetModel::connectDevices(const QList<int>& rows)
{
    for (int row : rows) {
        Device* device = m_devices.at(size_t(row)).get();
        if (device->session->isActive() || m_connectQueue.contains(device))
            continue;
        m_connectQueue.append(device);
    }
    connectSettled(0);
}

// Starts queued connects while fewer than kConnectWindow are in flight.
void FleetModel::connectSettled(int settled)
{
    m_connecting -= settled;
    while (m_connecting < kConnectWindow && !m_connectQueue.isEmpty()) {
        QPointer<Device> device = m_connectQueue.takeFirst();
        if (!device)
            continue;
        const DeviceConfig& config = device->config;
        const QString host = config.useEmbeddedGateway ? m_embeddedHost : config.host;
        const quint16 port = config.useEmbeddedGateway ? m_embeddedPort : config.port;
        if (host.isEmpty() || port == 0) {
            device->note = tr("the embedded gateway is not running");
            ++device->errors;
            markChanged(device);
            continue;
        }
        QString error;
        device->connecting = true;
        ++m_connecting;
        if (!device->session->connectToServer(host, port, config.identity, config.clientSettings(),
                                              &error)) {
            device->connecting = false;
            --m_connecting;
            device->note = error;
            ++device->errors;
            markChanged(device);
        }
    }
    emit summaryChanged();
}

void FleetModel::disconnectDevices(const QList<int>& rows)
{
    for (int row : rows) {
        Device* device = m_devices.at(size_t(row)).get();
        m_connectQueue.removeAll(device);
        device->session->disconnectFromServer();
    }
}

void FleetModel::startSending(const QList<int>& rows)
{
    for (int row : rows)
        m_devices.at(size_t(row))->setSending(true);
    if (!m_wheel.isActive())
        m_wheel.start(kWheelMs, Qt::PreciseTimer, this);
    sendDue();
    emit summaryChanged();
}

void FleetModel::stopSending(const QList<int>& rows)
{
    for (int row : rows) {
        m_devices.at(size_t(row))->setSending(false);
        markChanged(m_devices.at(size_t(row)).get());
    }
    const bool anySending = std::any_of(m_devices.begin(), m_devices.end(),
                                        [](const auto& device) { return device->sending; });
    if (!anySending)
        m_wheel.stop();
    emit summaryChanged();
}

void FleetModel::removeDevices(QList<int> rows)
{
    // From the last row up, so the rows still to remove keep their numbers.
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : rows) {
        beginRemoveRows({}, row, row);
        Device* device = m_devices.at(size_t(row)).get();
        m_connectQueue.removeAll(device);
        if (device->connecting)
            --m_connecting;
        device->session->disconnectFromServer();
        m_devices.erase(m_devices.begin() + row);
        endRemoveRows();
    }
    connectSettled(0);
}

QList<int> FleetModel::allRows() const
{
    QList<int> rows;
    rows.reserve(deviceCount());
    for (int row = 0; row < deviceCount(); ++row)
        rows.append(row);
    return rows;
}

DeviceSession* FleetModel::session(int row) const
{
    return m_devices.at(size_t(row))->session;
}

SessionStatus FleetModel::status(int row) const
{
    return m_devices.at(size_t(row))->session->status();
}

bool FleetModel::isSending(int row) const
{
    return m_devices.at(size_t(row))->sending;
}

quint64 FleetModel::statusesSent(int row) const
{
    return m_devices.at(size_t(row))->sent;
}

quint64 FleetModel::answered(int row) const
{
    return m_devices.at(size_t(row))->answered;
}

DeviceConfig FleetModel::deviceConfig(int row) const
{
    return m_devices.at(size_t(row))->config;
}

int FleetModel::countInStatus(SessionStatus status) const
{
    return int(std::count_if(m_devices.begin(), m_devices.end(), [status](const auto& device) {
        return device->session->status() == status;
    }));
}

int FleetModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : deviceCount();
}

int FleetModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : kColumnCount;
}

QVariant FleetModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= deviceCount())
        return {};
    const Device& device = *m_devices.at(size_t(index.row()));
    const SessionStatus status = device.session->status();
    const auto rtt = [&device, role](double p) -> QVariant {
        const double ms = device.percentile(p);
        if (role == SortRole)
            return ms;
        return ms < 0 ? QString() : QString::number(ms, 'f', ms < 10 ? 2 : 1);
    };
    if (role == Qt::DecorationRole && index.column() == State)
        return sessionStatusColor(status);
    if (role == Qt::ToolTipRole)
        return device.note.isEmpty() ? QVariant() : QVariant(device.note);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (Column(index.column())) {
    case State:
        if (role == SortRole)
            return int(status);
        return device.sending ? tr("%1, sending").arg(sessionStatusName(status))
                              : sessionStatusName(status);
    case Role:
        // "button-9" before "button-10": the suffix's number sorts as a number.
        if (role == SortRole) {
            const QString& text = device.config.identity.role;
            const qsizetype dash = text.lastIndexOf(QLatin1Char('-'));
            bool numbered = false;
            const int number = dash < 0 ? 0 : text.mid(dash + 1).toInt(&numbered);
            if (numbered)
                return text.left(dash + 1) +
                       QStringLiteral("%1").arg(number, 6, 10, QLatin1Char('0'));
            return text;
        }
        return device.config.identity.role;
    case Identity:
        return tr("%1/%2 '%3' priority %4")
            .arg(device.config.identity.module)
            .arg(device.config.identity.deviceType)
            .arg(device.config.identity.name)
            .arg(device.config.identity.priority);
    case Statuses:
        return device.sent;
    case Answered:
        return device.answered;
    case Errors:
        return device.errors;
    case LastCommand:
        return device.lastCommand.isEmpty() ? device.note : device.lastCommand;
    case RttP50:
        return rtt(50);
    case RttP99:
        return rtt(99);
    }
    return {};
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const kHeaders[kColumnCount] = {
        QT_TR_NOOP("State"),        QT_TR_NOOP("Role"),       QT_TR_NOOP("Identity"),
        QT_TR_NOOP("Statuses"),     QT_TR_NOOP("Answered"),   QT_TR_NOOP("Errors"),
        QT_TR_NOOP("Last command"), QT_TR_NOOP("RTT p50 ms"), QT_TR_NOOP("RTT p99 ms")};
    return section >= 0 && section < kColumnCount ? tr(kHeaders[section]) : QVariant();
}

void FleetModel::markChanged(Device* device)
{
    device->changed = true;
    m_anyChanged = true;
    if (!m_refresh.isActive())
        m_refresh.start(kRefreshMs, this);
}

void FleetModel::sendDue()
{
    const qint64 now = m_clock.elapsed();
    for (const auto& device : m_devices)
        device->sendIfDue(now);
}

void FleetModel::timerEvent(QTimerEvent* event)
{
    if (event->timerId() == m_wheel.timerId()) {
        sendDue();
        return;
    }
    if (event->timerId() != m_refresh.timerId())
        return QAbstractTableModel::timerEvent(event);
    m_refresh.stop();
    if (!m_anyChanged)
        return;
    m_anyChanged = false;
    // One signal for the span of changed rows: cheaper for the view than one per row.
    int first = -1;
    int last = -1;
    for (size_t row = 0; row < m_devices.size(); ++row) {
        if (!m_devices[row]->changed)
            continue;
        m_devices[row]->changed = false;
        if (first < 0)
            first = int(row);
        last = int(row);
    }
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, kColumnCount - 1));
    emit summaryChanged();
}

} // namespace fleet
