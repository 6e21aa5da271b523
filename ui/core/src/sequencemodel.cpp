#include "sequencemodel.h"

#include "gatewaylink.h"
#include "payloadtext.h"
#include "plainlanguage.h"
#include "trafficlogmodel.h"

namespace fleet {

namespace {

// Sources the gateway announced but whose frame never reached the log (a log attached later,
// a frame the log dropped) must not pile up.
constexpr qsizetype kMaxPendingSources = 256;

bool isAnswerRole(SequenceRole role)
{
    return role == SequenceRole::Answer || role == SequenceRole::ModuleAnswer ||
           role == SequenceRole::QueuedAnswer;
}

SequenceRole markRole(const TrafficFrame& frame)
{
    if (frame.kind == TrafficKind::ProtocolError)
        return SequenceRole::ErrorMark;
    // Connection events of a console device (trafficlogsources.cpp): the open and the
    // operator's own close are ordinary; anything else is an error's name.
    if (frame.note.startsWith(QLatin1String("TCP connection")))
        return SequenceRole::OpenMark;
    if (frame.note.startsWith(QLatin1String("connection closed")))
        return SequenceRole::CloseMark;
    return SequenceRole::ErrorMark;
}

} // namespace

SequenceModel::SequenceModel(TrafficLogModel* log, QObject* parent)
    : QObject(parent)
    , m_log(log)
{
    connect(m_log, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
    connect(
        m_log, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex&, int first, int last) { onRowsAboutToBeRemoved(first, last); });
    connect(m_log, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                onDataChanged(from.row(), to.row());
            });
    connect(m_log, &QAbstractItemModel::modelReset, this, &SequenceModel::reset);
    if (m_log->rowCount() > 0)
        onRowsInserted(0, m_log->rowCount() - 1);
}

void SequenceModel::attachGateway(GatewayLink* gateway)
{
    // The event follows its frame at once, but the frame reaches the log's rows only at the
    // next flush: the source waits here for it.
    connect(gateway, &GatewayLink::gatewayEvent, this, [this](const GatewayEvent& event) {
        if (event.kind != GatewayEvent::Kind::CommandSent || !event.hasDevice)
            return;
        QList<quint8>& sources = m_gatewaySources[event.device.toString()];
        if (sources.size() >= kMaxPendingSources)
            sources.removeFirst();
        sources.append(quint8(event.source));
    });
}

int SequenceModel::rowCount() const
{
    return int(m_filter.isEmpty() ? m_messages.size() : m_visible.size());
}

const SequenceMessage& SequenceModel::message(int row) const
{
    if (m_filter.isEmpty())
        return m_messages[size_t(row)];
    return m_messages[size_t(m_visible[size_t(row)] - m_firstId)];
}

void SequenceModel::setDeviceFilter(const QString& device)
{
    if (device == m_filter)
        return;
    m_filter = device;
    rebuildVisible();
    emit lanesChanged();
    emit modelReset();
}

void SequenceModel::rebuildVisible()
{
    m_visible.clear();
    m_filterDevice = m_filter.isEmpty() ? -1 : m_log->devices().indexOf(m_filter);
    if (m_filter.isEmpty())
        return;
    for (size_t i = 0; i < m_messages.size(); ++i) {
        if (passes(m_messages[i]))
            m_visible.push_back(m_firstId + qint64(i));
    }
}

bool SequenceModel::passes(const SequenceMessage& message) const
{
    return m_filter.isEmpty() || qint64(message.device) == m_filterDevice;
}

int SequenceModel::laneCount() const
{
    int devices = 0;
    if (m_filter.isEmpty())
        devices = int(m_deviceLanes.size());
    else if (m_filterDevice >= 0 && m_hasLane.contains(quint32(m_filterDevice)))
        devices = 1;
    return (m_hasModule ? 2 : 1) + devices;
}

QList<SequenceLane> SequenceModel::lanes() const
{
    QList<SequenceLane> lanes;
    if (m_hasModule)
        lanes.append({SequenceLaneKind::Module, 0, tr("module"),
                      tr("the module behind the "
                         "embedded gateway")});
    lanes.append({SequenceLaneKind::Gateway, 0, tr("gateway"), tr("the gateway")});
    const QStringList labels = m_log->devices();
    const qsizetype first = lanes.size();
    QHash<QString, int> titles;
    for (quint32 device : m_deviceLanes) {
        if (m_filterDevice >= 0 ? qint64(device) != m_filterDevice : !m_filter.isEmpty())
            continue;
        const QString label = labels.value(int(device));
        const QString title = readableDeviceLabel(label);
        ++titles[title];
        lanes.append({SequenceLaneKind::Device, device, title, label});
    }
    // Devices of one name (a fleet started with fleet-device --devices) differ by their role,
    // put before the device type so that a narrow lane still shows it.
    const QString dot = QStringLiteral(" · ");
    for (qsizetype i = first; i < lanes.size(); ++i) {
        DeviceIdentity identity;
        SequenceLane& lane = lanes[i];
        if (titles.value(lane.title) > 1 && DeviceIdentity::fromString(lane.tooltip, &identity))
            lane.title = QStringLiteral("%1 (%2)%3%4")
                             .arg(lane.title.section(dot, 0, 0), printableText(identity.role), dot,
                                  lane.title.section(dot, 1));
    }
    return lanes;
}

int SequenceModel::laneOf(const SequenceMessage& message, bool from) const
{
    const int gateway = m_hasModule ? 1 : 0;
    int device = gateway;
    if (m_filterDevice >= 0) {
        device = gateway + 1;
    } else {
        const int index = int(m_deviceLanes.indexOf(message.device));
        device = index < 0 ? gateway : gateway + 1 + index;
    }
    if (message.isMark() || message.role == SequenceRole::Group)
        return device;
    if (message.role == SequenceRole::Request)
        return from ? device : gateway;
    if (message.role == SequenceRole::Error) // a malformed frame goes the way it was sent
        return (message.direction == TrafficDirection::DeviceToGateway) == from ? device : gateway;
    if (message.role == SequenceRole::ModuleAnswer)
        return from ? 0 : device;
    return from ? gateway : device;
}

int SequenceModel::logRow(qint64 seq) const
{
    const qint64 row = seq - m_logBase;
    return row >= 0 && row < m_log->rowCount() ? int(row) : -1;
}

void SequenceModel::reset()
{
    m_messages.clear();
    m_visible.clear();
    m_firstId = 0;
    m_logBase = 0;
    m_deviceLanes.clear();
    m_hasLane.clear();
    m_hasModule = false;
    m_runs.clear();
    m_heldDevices.clear();
    m_gatewaySources.clear();
    m_deviceSources.clear();
    m_rowSources.clear();
    m_filterDevice = m_filter.isEmpty() ? -1 : m_log->devices().indexOf(m_filter);
    emit lanesChanged();
    emit modelReset();
}

void SequenceModel::onRowsInserted(int first, int last)
{
    if (m_filterDevice < 0 && !m_filter.isEmpty())
        m_filterDevice = m_log->devices().indexOf(m_filter);
    m_batchFirst = rowCount();
    m_batchChanged = false;
    const int lanesBefore = int(m_deviceLanes.size()) + (m_hasModule ? 1000 : 0);
    for (int row = first; row <= last; ++row)
        take(row);
    if (last >= first)
        releaseStaleHeld(m_log->frame(last).timeMs);
    if (int(m_deviceLanes.size()) + (m_hasModule ? 1000 : 0) != lanesBefore)
        emit lanesChanged();
    const int added = rowCount() - m_batchFirst;
    if (added > 0)
        emit rowsAppended(m_batchFirst, added);
    if (m_batchChanged)
        emit rowsChanged();
    m_batchFirst = -1;
}

// One source of truth: a console device talking to the embedded gateway logs each frame,
// and the gateway logs it too; the device's row is drawn, the gateway's only lends the answer's
// source. The gateway's own errors and "no answer" notes are drawn as well (the device cannot
// know them), as the traffic log's one-row view does.
void SequenceModel::take(int logRow)
{
    const TrafficFrame& frame = m_log->frame(logRow);
    SequenceMessage message;
    message.seq = m_logBase + logRow;
    message.lastSeq = message.seq;
    message.timeMs = message.lastTimeMs = frame.timeMs;
    message.roundTripMs = frame.roundTripMs;
    message.device = frame.device;
    message.kind = frame.kind;
    message.direction = frame.direction;

    const bool isCommand =
        frame.kind == TrafficKind::Command || frame.kind == TrafficKind::PushedCommand;
    if (frame.side == TrafficSide::Gateway && m_log->isLoggedByDevice(frame.device) &&
        !frame.isError()) {
        if (isCommand) {
            QList<quint8>& gateway = m_gatewaySources[m_log->deviceName(frame)];
            if (!gateway.isEmpty()) {
                QList<quint8>& device = m_deviceSources[frame.device];
                if (device.size() >= kMaxPendingSources)
                    device.removeFirst();
                setSource(logRow, GatewayEvent::Source(gateway.first()));
                device.append(gateway.takeFirst());
            }
        }
        return;
    }

    switch (frame.kind) {
    case TrafficKind::Connect:
        // A new connection: sources of answers lost on the old one would shift every later one.
        if (frame.side == TrafficSide::Device)
            m_deviceSources.remove(frame.device);
        message.role = SequenceRole::Request;
        break;
    case TrafficKind::Status:
        message.role = SequenceRole::Request;
        break;
    case TrafficKind::ConnectResponse:
        message.role = frame.responseType == 0 ? SequenceRole::Answer : SequenceRole::Refusal;
        break;
    case TrafficKind::Command:
    case TrafficKind::PushedCommand:
        message.role = answerRole(frame, logRow);
        break;
    case TrafficKind::Malformed:
        message.role = SequenceRole::Error;
        break;
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        message.role = markRole(frame);
        break;
    }
    process(message);
}

void SequenceModel::setSource(int logRow, GatewayEvent::Source source)
{
    // Rows arrive in order; the deque grows with the log (onRowsAboutToBeRemoved shrinks it).
    if (size_t(logRow) >= m_rowSources.size())
        m_rowSources.resize(size_t(logRow) + 1, quint8(GatewayEvent::Source::None));
    m_rowSources[size_t(logRow)] = quint8(source);
}

GatewayEvent::Source SequenceModel::answerSource(int logRow) const
{
    if (logRow < 0 || logRow >= m_log->rowCount())
        return GatewayEvent::Source::None;
    if (size_t(logRow) < m_rowSources.size() &&
        m_rowSources[size_t(logRow)] != quint8(GatewayEvent::Source::None))
        return GatewayEvent::Source(m_rowSources[size_t(logRow)]);
    return m_log->frame(logRow).kind == TrafficKind::PushedCommand ? GatewayEvent::Source::Pushed
                                                                   : GatewayEvent::Source::None;
}

QString SequenceModel::explanation(const SequenceMessage& message) const
{
    if (message.role == SequenceRole::Group)
        return tr("%1 status/command pairs like the ones above, folded into one row so that a "
                  "long demo stays readable; click to select the newest in the traffic log.")
            .arg(message.count);
    const int row = logRow(message.seq);
    if (row < 0)
        return {};
    QString text = plainFrameSentence(m_log->frame(row));
    if (const QString from = answerOriginSentence(answerSource(row)); !from.isEmpty())
        text += QLatin1Char('\n') + from;
    return text;
}

SequenceRole SequenceModel::answerRole(const TrafficFrame& frame, int logRow)
{
    std::optional<GatewayEvent::Source> source;
    if (frame.side == TrafficSide::Device) {
        const auto it = m_deviceSources.find(frame.device);
        if (it != m_deviceSources.end() && !it->isEmpty())
            source = GatewayEvent::Source(it->takeFirst());
    } else {
        const auto it = m_gatewaySources.find(m_log->deviceName(frame));
        if (it != m_gatewaySources.end() && !it->isEmpty())
            source = GatewayEvent::Source(it->takeFirst());
    }
    if (source)
        setSource(logRow, *source);
    if (frame.kind == TrafficKind::PushedCommand ||
        (source && *source == GatewayEvent::Source::Pushed))
        return SequenceRole::Pushed;
    if (source && *source == GatewayEvent::Source::Module) {
        m_hasModule = true;
        return SequenceRole::ModuleAnswer;
    }
    if (source && *source == GatewayEvent::Source::Queued)
        return SequenceRole::QueuedAnswer;
    return SequenceRole::Answer;
}

// The grouping rule (docs/sequence.md#grouping): per device, a status and the answer that follows
// it form a pair; a pair whose labels (and answer source) equal the previous pair's continues a
// run. The first kPairsBeforeGroup pairs of a run are drawn; later ones add to one group row
// placed where the first of them would have been. Anything else of the device ends the run.
void SequenceModel::process(SequenceMessage message)
{
    DeviceRun& run = m_runs[message.device];
    if (message.kind == TrafficKind::Status) {
        if (run.held)
            releaseHeld(run);  // its answer never came
        if (run.statusShown) { // nor did the previous status's: the run is broken
            run.pairs = 0;
            run.groupId = -1;
        }
        const QString label = frameLabel(message);
        if (run.pairs >= kPairsBeforeGroup && label == run.statusLabel) {
            run.held = true;
            run.heldStatus = message;
            run.heldLabel = label;
            m_heldDevices.insert(message.device);
            return;
        }
        run.pendingStatus = label;
        run.statusShown = true;
        append(message);
        return;
    }
    if (message.kind == TrafficKind::Command && isAnswerRole(message.role) &&
        (run.held || run.statusShown)) {
        const QString answer = frameLabel(message);
        if (run.held) {
            if (answer == run.answerLabel && message.role == run.answerRole) {
                if (run.groupId >= m_firstId &&
                    run.groupId < m_firstId + qint64(m_messages.size())) {
                    SequenceMessage& group = m_messages[size_t(run.groupId - m_firstId)];
                    ++group.count;
                    group.lastSeq = message.seq;
                    group.lastTimeMs = message.timeMs;
                    m_batchChanged = true;
                } else {
                    SequenceMessage group = run.heldStatus;
                    group.role = SequenceRole::Group;
                    group.count = 1;
                    group.lastSeq = message.seq;
                    group.lastTimeMs = message.timeMs;
                    group.roundTripMs = -1.f;
                    run.groupId = m_firstId + qint64(m_messages.size());
                    append(group);
                }
                run.held = false;
                m_heldDevices.remove(message.device);
                return;
            }
            const QString status = run.heldLabel;
            releaseHeld(run);
            run.pendingStatus = status;
            run.statusShown = true;
        }
        if (run.pendingStatus == run.statusLabel && answer == run.answerLabel &&
            message.role == run.answerRole) {
            ++run.pairs;
        } else {
            run.statusLabel = run.pendingStatus;
            run.answerLabel = answer;
            run.answerRole = message.role;
            run.pairs = 1;
            run.groupId = -1;
        }
        run.statusShown = false;
        append(message);
        return;
    }
    if (run.held)
        releaseHeld(run);
    run.pairs = 0;
    run.groupId = -1;
    run.statusShown = false;
    append(message);
}

void SequenceModel::releaseHeld(DeviceRun& run)
{
    run.held = false;
    run.pairs = 0;
    run.groupId = -1;
    run.statusShown = false;
    m_heldDevices.remove(run.heldStatus.device);
    append(run.heldStatus);
}

void SequenceModel::releaseStaleHeld(qint64 nowMs)
{
    const QSet<quint32> held = m_heldDevices;
    for (quint32 device : held) {
        DeviceRun& run = m_runs[device];
        if (run.held && nowMs - run.heldStatus.timeMs > kHeldStatusMs) {
            const QString status = run.heldLabel;
            releaseHeld(run);
            run.pendingStatus = status;
            run.statusShown = true;
        }
    }
}

void SequenceModel::append(const SequenceMessage& message)
{
    if (!m_hasLane.contains(message.device)) {
        m_hasLane.insert(message.device);
        m_deviceLanes.append(message.device);
    }
    const qint64 id = m_firstId + qint64(m_messages.size());
    m_messages.push_back(message);
    if (!m_filter.isEmpty() && passes(message))
        m_visible.push_back(id);
    if (m_batchFirst < 0) { // outside a batch (a released status): tell the views now
        const int rows = rowCount();
        if (passes(message))
            emit rowsAppended(rows - 1, 1);
    }
}

void SequenceModel::onRowsAboutToBeRemoved(int first, int last)
{
    // The log only ever drops its oldest rows (trafficlogmodel.h).
    Q_UNUSED(first);
    m_logBase += last - first + 1;
    const size_t gone = qMin(m_rowSources.size(), size_t(last - first + 1));
    m_rowSources.erase(m_rowSources.begin(), m_rowSources.begin() + qsizetype(gone));
    int dropped = 0;
    while (!m_messages.empty() && m_messages.front().seq < m_logBase) {
        if (!m_filter.isEmpty() && !m_visible.empty() && m_visible.front() == m_firstId) {
            m_visible.pop_front();
            ++dropped;
        } else if (m_filter.isEmpty()) {
            ++dropped;
        }
        m_messages.pop_front();
        ++m_firstId;
    }
    for (quint32 device : QSet<quint32>(m_heldDevices)) {
        DeviceRun& run = m_runs[device];
        if (run.held && run.heldStatus.seq < m_logBase) {
            run.held = false;
            run.pairs = 0;
            run.groupId = -1;
            m_heldDevices.remove(device);
        }
    }
    if (dropped > 0)
        emit rowsDropped(dropped);
}

void SequenceModel::onDataChanged(int first, int last)
{
    // The log learns late that a command was pushed (markLastCommandPushed): redraw it so.
    bool changed = false;
    const size_t lookBack = qMin<size_t>(m_messages.size(), 16);
    for (size_t i = m_messages.size() - lookBack; i < m_messages.size(); ++i) {
        SequenceMessage& message = m_messages[i];
        const int row = logRow(message.seq);
        if (row < first || row > last || message.role == SequenceRole::Group)
            continue;
        const TrafficFrame& frame = m_log->frame(row);
        if (frame.kind == TrafficKind::PushedCommand && message.kind == TrafficKind::Command) {
            message.kind = frame.kind;
            message.role = SequenceRole::Pushed;
            message.roundTripMs = -1.f;
            changed = true;
        }
    }
    if (changed)
        emit rowsChanged();
}

} // namespace fleet
