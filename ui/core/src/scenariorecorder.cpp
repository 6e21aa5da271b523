#include "scenariorecorder.h"

#include "envelope.h"
#include "payloadtext.h"
#include "scenario.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <cmath>

namespace fleet {

namespace {

// One step of the file being written, in order.
struct RecordedStep {
    enum class Kind { Connect, Send, ExpectCommand, ExpectError, Wait, Disconnect };
    Kind kind = Kind::Wait;
    int device = -1;
    QByteArray bytes; // Send, ExpectCommand
    int payload = -1; // Send: index among the statuses, for the check after writing
    qint64 ms = 0;    // Wait: the pause; ExpectCommand: within_ms
    QString error;    // ExpectError: the connect response's name
};

struct RecordedDevice {
    QString label;
    DeviceIdentity identity;
    int identityRank = 0; // 3 from a connect frame, 2 from a status, 1 from the label
    QString key;
    bool used = false;       // a step names it
    bool connected = false;  // as the steps leave it: a connect not refused
    int pendingConnect = -1; // index of a connect step whose response has not come yet
    bool awaitingAnswer = false;
};

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// `json` sends the value exactly as written in the file (docs/scenarios.md#steps), so JSON
// bytes can stand in the file as they are: when they are one JSON value in UTF-8 with nothing
// around it that the file's reader would not count as part of the value, and no control
// characters (which JSON text may not hold raw, however lenient a reader is).
bool fitsJsonSource(const QByteArray& bytes)
{
    if (bytes.isEmpty() || isJsonSpace(bytes.front()) || isJsonSpace(bytes.back()) ||
        bytes.startsWith("\xef\xbb\xbf") || !isPayloadText(bytes))
        return false;
    return checkJson(bytes).ok();
}

QByteArray spacedHex(const QByteArray& bytes)
{
    return bytes.toHex(' ');
}

// "ALREADY_CONNECTED": the connect response's wire name, which expect_error takes as written.
std::optional<QString> refusalName(int responseType)
{
    if (!isKnownResponseType(ResponseType(responseType)))
        return std::nullopt;
    return responseTypeName(responseType);
}

class Recorder {
public:
    Recorder(const TrafficSnapshot& snapshot, const ScenarioRecordOptions& options)
        : m_snapshot(snapshot)
        , m_options(options)
    {
    }

    ScenarioRecording run();

private:
    void chooseSides();
    bool take(const TrafficFrame& frame, QString* error);
    int deviceFor(const TrafficFrame& frame);
    void learnIdentity(RecordedDevice& device, const DecodedFrame& decoded, int rank);
    void waitUntil(qint64 timeMs);
    void add(RecordedStep step);
    void insertAt(int index, RecordedStep step);
    void assignKeys();
    QByteArray write(const QSet<int>& hexPayloads) const;
    QByteArray writeStep(const RecordedStep& step, const QSet<int>& hexPayloads) const;
    // Reads the file back as a runner would: the index of the first status whose bytes differ
    // (-2 when the file does not parse, -1 when every byte is right).
    int check(const QByteArray& json, QString* error) const;

    const TrafficSnapshot& m_snapshot;
    const ScenarioRecordOptions& m_options;
    QHash<quint32, TrafficSide> m_side; // per log label: the side whose rows count
    QHash<quint32, int> m_deviceOf;     // log label → m_devices index
    QList<RecordedDevice> m_devices;
    QList<RecordedStep> m_steps;
    QList<QByteArray> m_statuses;
    int m_answers = 0;
    int m_pushed = 0;
    int m_malformed = 0;
    int m_orphanAnswers = 0;
    int m_unknownRefusals = 0;
    qint64 m_cursorMs = -1; // the time of the last frame a step stands for
};

void Recorder::chooseSides()
{
    for (const TrafficFrame& frame : m_snapshot.frames) {
        if (frame.side == TrafficSide::Device || !m_side.contains(frame.device))
            m_side.insert(frame.device, frame.side);
    }
}

void Recorder::learnIdentity(RecordedDevice& device, const DecodedFrame& decoded, int rank)
{
    if (decoded.ok && decoded.hasDevice && rank > device.identityRank) {
        device.identity = decoded.device;
        device.identityRank = rank;
    }
}

int Recorder::deviceFor(const TrafficFrame& frame)
{
    const auto found = m_deviceOf.constFind(frame.device);
    if (found != m_deviceOf.cend())
        return *found;
    RecordedDevice device;
    device.label = m_snapshot.deviceName(frame);
    if (DeviceIdentity::fromString(device.label, &device.identity))
        device.identityRank = 1;
    m_devices.append(device);
    m_deviceOf.insert(frame.device, int(m_devices.size() - 1));
    return int(m_devices.size() - 1);
}

void Recorder::waitUntil(qint64 timeMs)
{
    if (m_options.timing == ScenarioRecordOptions::Timing::Recorded && m_cursorMs >= 0) {
        const qint64 gap = timeMs - m_cursorMs;
        if (gap >= ScenarioRecorder::kMinRecordedWaitMs) {
            RecordedStep wait;
            wait.kind = RecordedStep::Kind::Wait;
            wait.ms = qMin(gap, ScenarioRecorder::kMaxWaitMs);
            add(wait);
        }
    }
    m_cursorMs = qMax(m_cursorMs, timeMs);
}

void Recorder::add(RecordedStep step)
{
    if (step.device >= 0)
        m_devices[step.device].used = true;
    m_steps.append(std::move(step));
}

void Recorder::insertAt(int index, RecordedStep step)
{
    if (step.device >= 0)
        m_devices[step.device].used = true;
    m_steps.insert(index, std::move(step));
    for (RecordedDevice& device : m_devices) {
        if (device.pendingConnect >= index)
            ++device.pendingConnect;
    }
}

bool Recorder::take(const TrafficFrame& frame, QString* error)
{
    if (m_side.value(frame.device) != frame.side)
        return true; // the other side's copy of a frame already counted
    switch (frame.kind) {
    case TrafficKind::Connect:
    case TrafficKind::ConnectResponse:
    case TrafficKind::Status:
    case TrafficKind::Command:
        break;
    case TrafficKind::PushedCommand:
        ++m_pushed;
        return true;
    case TrafficKind::Malformed:
        m_malformed += frame.direction == TrafficDirection::DeviceToGateway;
        return true;
    case TrafficKind::ProtocolError:
    case TrafficKind::Connection:
        return true; // events, not frames a device sent
    }
    const int index = deviceFor(frame);
    RecordedDevice& device = m_devices[index];
    if (frame.isCut()) {
        if (frame.kind != TrafficKind::Status)
            return true;
        *error = QStringLiteral("a status of %1 at %2 keeps only its first %3 of %4 bytes (the "
                                "traffic log's byte budget): it cannot be sent again as it was")
                     .arg(readableDeviceLabel(device.label), utcTimestamp(frame.timeMs))
                     .arg(frame.wire.size())
                     .arg(frame.size());
        return false;
    }
    const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire, false);
    if (!decoded.ok)
        return true;
    auto connectStep = [&] {
        RecordedStep step;
        step.kind = RecordedStep::Kind::Connect;
        step.device = index;
        return step;
    };
    switch (frame.kind) {
    case TrafficKind::Connect: {
        learnIdentity(device, decoded, 3);
        waitUntil(frame.timeMs);
        // Connecting again (a reconnect): the steps close the old connection first, so that
        // the run connects again whatever its gateway did to the old one.
        if (device.connected || device.pendingConnect >= 0) {
            RecordedStep close;
            close.kind = RecordedStep::Kind::Disconnect;
            close.device = index;
            add(close);
        }
        add(connectStep());
        device.pendingConnect = int(m_steps.size() - 1);
        device.connected = true;
        device.awaitingAnswer = false;
        return true;
    }
    case TrafficKind::ConnectResponse: {
        if (device.pendingConnect < 0)
            return true; // the connect is not among the frames
        m_cursorMs = qMax(m_cursorMs, frame.timeMs);
        const int connectAt = device.pendingConnect;
        device.pendingConnect = -1;
        if (frame.responseType == int(ResponseType::Ok))
            return true;
        device.connected = false;
        const std::optional<QString> name = refusalName(frame.responseType);
        if (!name) {
            ++m_unknownRefusals;
            return true;
        }
        // Right after its connect: the runner lets an expectation of the device's error judge
        // how a connect just before it ends (docs/scenarios.md#running).
        RecordedStep refused;
        refused.kind = RecordedStep::Kind::ExpectError;
        refused.device = index;
        refused.error = *name;
        insertAt(connectAt + 1, refused);
        return true;
    }
    case TrafficKind::Status: {
        learnIdentity(device, decoded, 2);
        waitUntil(frame.timeMs);
        if (!device.connected) {
            // The rows start after the connect (a selection): the device connects first.
            add(connectStep());
            device.connected = true;
        }
        RecordedStep send;
        send.kind = RecordedStep::Kind::Send;
        send.device = index;
        send.bytes = decoded.payload;
        send.payload = int(m_statuses.size());
        m_statuses.append(decoded.payload);
        add(send);
        device.awaitingAnswer = true;
        return true;
    }
    case TrafficKind::Command: {
        if (!device.awaitingAnswer) {
            ++m_orphanAnswers; // its status is not among the frames
            return true;
        }
        device.awaitingAnswer = false;
        m_cursorMs = qMax(m_cursorMs, frame.timeMs);
        RecordedStep expect;
        expect.kind = RecordedStep::Kind::ExpectCommand;
        expect.device = index;
        expect.bytes = decoded.payload;
        expect.ms = ScenarioRecorder::kMinAnswerWithinMs;
        if (frame.isAnswer()) {
            expect.ms = qMax<qint64>(
                expect.ms,
                qint64(std::ceil(double(frame.roundTripMs) * ScenarioRecorder::kAnswerRoundTrips)));
        }
        add(expect);
        ++m_answers;
        return true;
    }
    default:
        return true;
    }
}

void Recorder::assignKeys()
{
    QSet<QString> taken;
    for (RecordedDevice& device : m_devices) {
        if (!device.used)
            continue;
        const QString role =
            device.identity.role.isEmpty() ? QStringLiteral("device") : device.identity.role;
        QStringList candidates{role};
        if (!device.identity.name.isEmpty())
            candidates << role + QLatin1Char('-') + device.identity.name;
        for (int n = 2; candidates.size() < 100; ++n)
            candidates << QStringLiteral("%1-%2").arg(role).arg(n);
        for (const QString& candidate : candidates) {
            if (!taken.contains(candidate)) {
                device.key = candidate;
                break;
            }
        }
        if (device.key.isEmpty())
            device.key = QStringLiteral("%1-%2").arg(role).arg(taken.size() + 1);
        taken.insert(device.key);
    }
}

QByteArray Recorder::writeStep(const RecordedStep& step, const QSet<int>& hexPayloads) const
{
    const QByteArray device =
        step.device >= 0 ? jsonString(m_devices[step.device].key) : QByteArray();
    switch (step.kind) {
    case RecordedStep::Kind::Connect:
        return "{\"connect\": " + device + '}';
    case RecordedStep::Kind::Disconnect:
        return "{\"disconnect\": " + device + '}';
    case RecordedStep::Kind::Wait:
        return "{\"wait_ms\": " + QByteArray::number(step.ms) + '}';
    case RecordedStep::Kind::ExpectError:
        return "{\"expect_error\": " + device + ", \"error\": " + jsonString(step.error) + '}';
    case RecordedStep::Kind::Send: {
        QByteArray source;
        if (hexPayloads.contains(step.payload))
            source = "\"hex\": \"" + spacedHex(step.bytes) + '"';
        else if (fitsJsonSource(step.bytes))
            source = "\"json\": " + step.bytes;
        else if (isPayloadText(step.bytes))
            source = "\"text\": " + jsonString(QByteArrayView(step.bytes));
        else
            source = "\"hex\": \"" + spacedHex(step.bytes) + '"';
        return "{\"send\": " + device + ", " + source + '}';
    }
    case RecordedStep::Kind::ExpectCommand: {
        const QByteArray match = isPayloadText(step.bytes)
                                     ? "\"bytes\": " + jsonString(QByteArrayView(step.bytes))
                                     : "\"hex\": \"" + spacedHex(step.bytes) + '"';
        return "{\"expect_command\": " + device + ", " + match +
               ", \"within_ms\": " + QByteArray::number(step.ms) + '}';
    }
    }
    return {};
}

QByteArray Recorder::write(const QSet<int>& hexPayloads) const
{
    QString comment =
        QStringLiteral("Recorded from %1 on %2")
            .arg(m_options.source.isEmpty() ? QStringLiteral("a traffic log") : m_options.source,
                 utcTimestamp(QDateTime::currentMSecsSinceEpoch()));
    comment += m_options.timing == ScenarioRecordOptions::Timing::Recorded
                   ? QStringLiteral(", with the recorded pauses. ")
                   : QStringLiteral(", as fast as the gateway answers. ");
    comment += QStringLiteral("Statuses are sent byte for byte; answers are expected byte for "
                              "byte: to accept any answer of the same meaning, replace "
                              "\"bytes\" with \"json_subset\" and the text with the JSON.");
    QStringList leftOut;
    if (m_pushed)
        leftOut << QStringLiteral("%1 pushed commands").arg(m_pushed);
    if (m_malformed)
        leftOut << QStringLiteral("%1 malformed frames").arg(m_malformed);
    if (!leftOut.isEmpty())
        comment +=
            QStringLiteral(" Left out: ") + leftOut.join(QStringLiteral(", ")) + QLatin1Char('.');

    QByteArray out = "{\n  \"scenario\": " + QByteArray::number(Scenario::kFormatVersion) + ",\n";
    out +=
        "  \"name\": " +
        jsonString(m_options.name.isEmpty() ? QStringLiteral("Recorded session") : m_options.name) +
        ",\n";
    out += "  \"comment\": " + jsonString(comment) + ",\n";
    if (!m_options.server.isEmpty())
        out += "  \"server\": " + jsonString(m_options.server) + ",\n";
    out += "  \"devices\": {";
    bool first = true;
    for (const RecordedDevice& device : m_devices) {
        if (!device.used)
            continue;
        out += first ? "\n    " : ",\n    ";
        first = false;
        const DeviceIdentity& id = device.identity;
        out += jsonString(device.key) + ": {\"module\": " + QByteArray::number(id.module) +
               ", \"type\": " + QByteArray::number(id.deviceType) +
               ", \"role\": " + jsonString(id.role);
        if (!id.name.isEmpty())
            out += ", \"name\": " + jsonString(id.name);
        out += ", \"priority\": " + QByteArray::number(id.priority) + '}';
    }
    out += "\n  },\n  \"steps\": [";
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        out += i == 0 ? "\n    " : ",\n    ";
        out += writeStep(m_steps[i], hexPayloads);
    }
    out += "\n  ]\n}\n";
    return out;
}

int Recorder::check(const QByteArray& json, QString* error) const
{
    Scenario scenario;
    ScenarioError parseError;
    if (!Scenario::parse(json, QStringLiteral("recorded.json"), &scenario, &parseError)) {
        *error = parseError.toString();
        return -2;
    }
    int status = 0;
    for (const ScenarioStep& step : scenario.steps()) {
        if (step.kind != ScenarioStep::Kind::Send)
            continue;
        if (status >= m_statuses.size() || step.payload.data != m_statuses[status])
            return status;
        ++status;
    }
    return -1;
}

ScenarioRecording Recorder::run()
{
    ScenarioRecording result;
    chooseSides();
    for (const TrafficFrame& frame : m_snapshot.frames) {
        if (!take(frame, &result.error))
            return result;
    }
    for (int i = 0; i < m_devices.size(); ++i) {
        RecordedDevice& device = m_devices[i];
        if (device.used && device.identityRank == 0) {
            result.error = QStringLiteral("no identity for %1: neither a connect nor a status "
                                          "of it is among the frames")
                               .arg(device.label);
            return result;
        }
        if (device.connected) {
            RecordedStep close;
            close.kind = RecordedStep::Kind::Disconnect;
            close.device = i;
            add(close);
        }
    }
    if (m_steps.isEmpty()) {
        result.error = QStringLiteral("nothing to record: the frames hold no connect and no "
                                      "status of a device");
        return result;
    }
    assignKeys();

    // Every form written is read back as the runner will read it: a status whose bytes would
    // come back different is written as hex instead, which always holds.
    QSet<int> hexPayloads;
    for (int attempt = 0; attempt <= m_statuses.size(); ++attempt) {
        const QByteArray json = write(hexPayloads);
        QString error;
        const int wrong = check(json, &error);
        if (wrong == -1) {
            result.ok = true;
            result.json = json;
            break;
        }
        if (wrong == -2 || hexPayloads.contains(wrong)) {
            result.error =
                QStringLiteral("the recorded scenario does not read back: %1")
                    .arg(error.isEmpty() ? QStringLiteral("status %1 differs").arg(wrong + 1)
                                         : error);
            return result;
        }
        hexPayloads.insert(wrong);
    }
    if (!result.ok) {
        result.error = QStringLiteral("the recorded scenario does not read back the statuses");
        return result;
    }
    for (const RecordedDevice& device : m_devices)
        result.devices += device.used;
    result.statuses = int(m_statuses.size());
    result.answers = m_answers;
    if (m_pushed)
        result.leftOut << QStringLiteral("%1 pushed commands (the gateway decides when to push)")
                              .arg(m_pushed);
    if (m_malformed)
        result.leftOut << QStringLiteral("%1 malformed frames (a scenario sends valid statuses "
                                         "only)")
                              .arg(m_malformed);
    if (m_orphanAnswers)
        result.leftOut << QStringLiteral("%1 answers without their status among the frames")
                              .arg(m_orphanAnswers);
    if (m_unknownRefusals)
        result.leftOut << QStringLiteral("%1 refusals with a response type the client does not "
                                         "name")
                              .arg(m_unknownRefusals);
    return result;
}

} // namespace

ScenarioRecording ScenarioRecorder::record(const TrafficSnapshot& snapshot,
                                           const ScenarioRecordOptions& options)
{
    return Recorder(snapshot, options).run();
}

} // namespace fleet
