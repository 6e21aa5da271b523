#pragma once

#include "gatewayevent.h"
#include "trafficframe.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

#include <deque>

namespace fleet {

class GatewayLink;
class TrafficLogModel;

// How a row of the sequence diagram is drawn: its colour, stroke and where it starts.
enum class SequenceRole : quint8 {
    Request,      // connect or status: device → gateway
    Answer,       // OK, or a command from the gateway (an external gateway's answers)
    ModuleAnswer, // a command the embedded gateway's module produced: module → device
    QueuedAnswer, // a command from the operator's queue for the slot (dashed)
    Pushed,       // a command no status asked for (dotted)
    Refusal,      // a connect response other than OK (red)
    Error,        // a malformed frame (red)
    OpenMark,     // a mark on the lifeline: the TCP connection opened
    CloseMark,    // a mark: the connection closed normally
    ErrorMark,    // a red mark: a protocol error, a timeout, a refused connection, no answer
    Group,        // "… 120 more status/command pairs, 10 per second"
};

// Where an arrow starts or ends.
enum class SequenceLaneKind : quint8 { Module, Gateway, Device };

struct SequenceLane {
    SequenceLaneKind kind = SequenceLaneKind::Gateway;
    quint32 device = 0; // the log's device index (Device lanes)
    QString title;      // "module", "gateway", "b1 · Example button"
    QString tooltip;    // the full device label
};

// One row of the diagram. It refers to a row of the traffic log by its sequence number
// (TrafficLogModel row + the rows the log dropped before it) instead of copying the frame, so
// the diagram holds no payloads and at most one row per log row.
struct SequenceMessage {
    qint64 seq = 0;        // the frame drawn; Group: the first hidden status
    qint64 lastSeq = 0;    // Group: the newest hidden answer; otherwise seq
    qint64 timeMs = 0;     // Group: the first hidden pair's time
    qint64 lastTimeMs = 0; // Group: the newest hidden pair's time
    float roundTripMs = -1.f;
    quint32 device = 0; // the log's device index
    int count = 0;      // Group: hidden pairs
    SequenceRole role = SequenceRole::Request;
    TrafficKind kind = TrafficKind::Status;
    TrafficDirection direction = TrafficDirection::DeviceToGateway;

    bool isMark() const
    {
        return role == SequenceRole::OpenMark || role == SequenceRole::CloseMark ||
               role == SequenceRole::ErrorMark;
    }
    bool isArrow() const { return !isMark() && role != SequenceRole::Group; }
};

// The conversation of the traffic log as a sequence diagram's rows (docs/sequence.md): one
// row per message (a frame logged by both a console device and the embedded gateway is drawn
// once), lifeline marks for opens, closes and errors, and long runs of identical
// status/answer pairs folded into one group row. Widget-free: the view paints it and the SVG
// writer (sequencelayout.h) exports it.
class SequenceModel : public QObject {
    Q_OBJECT
public:
    // Identical pairs of a device shown one by one before the rest fold into a group row.
    static constexpr int kPairsBeforeGroup = 3;
    // A status held back as a possible group member is drawn on its own when its answer has
    // not come this long after it (the answer may never come).
    static constexpr qint64 kHeldStatusMs = 1000;

    explicit SequenceModel(TrafficLogModel* log, QObject* parent = nullptr);

    TrafficLogModel* log() const { return m_log; }
    // Where the embedded gateway's answers came from (module, the operator's queue, pushed):
    // the frames do not say. Without it every answer is drawn from the gateway.
    void attachGateway(GatewayLink* gateway);

    // Rows shown (after the device filter), oldest first.
    int rowCount() const;
    const SequenceMessage& message(int row) const;
    // Every row kept, the filter aside (at most the log's rows).
    int messageCount() const { return int(m_messages.size()); }

    // Empty: every device. Otherwise a device label as the traffic log names it.
    void setDeviceFilter(const QString& device);
    QString deviceFilter() const { return m_filter; }

    // The lifelines, left to right: the module (once one answered), the gateway, then every
    // device shown in order of first appearance.
    QList<SequenceLane> lanes() const;
    int laneCount() const; // lanes().size(), without building the titles
    int laneOf(const SequenceMessage& message, bool from) const;

    // The traffic log's row of a sequence number; -1 when the log dropped it.
    int logRow(qint64 seq) const;
    qint64 seqOfLogRow(int row) const { return m_logBase + row; }

    // The row's plain-language label: "connect as button 'b1', priority 0", "OK",
    // "status: button pressed", "ALREADY_CONNECTED — slot taken", "… 120 more …".
    QString label(const SequenceMessage& message) const;
    // The row in plain sentences for its tooltip (plainlanguage.h): what the message means
    // and, for an answer, where it came from; a group row says what was folded.
    QString explanation(const SequenceMessage& message) const;
    // "0.42 ms" on answers, empty otherwise.
    static QString roundTripText(const SequenceMessage& message);

    // Where the command at the log's row came from, as the embedded gateway announced it
    // (module, the operator's queue, pushed, …), for the traffic log's tooltips and detail
    // pane; Pushed for any pushed command; None when nobody said (an external gateway's
    // answers, rows that are no command, rows the log dropped).
    GatewayEvent::Source answerSource(int logRow) const;

signals:
    // Rows [first, first + count) were appended (after the filter).
    void rowsAppended(int first, int count);
    // The oldest `count` rows went (the log dropped their frames).
    void rowsDropped(int count);
    // A group row's count changed, or a row's role (a command found to be pushed).
    void rowsChanged();
    // The filter changed or the log was cleared: every row may have changed.
    void modelReset();
    void lanesChanged();

private:
    struct DeviceRun {
        QString statusLabel; // the run's shape: the status and answer labels and the answer's
        QString answerLabel; // role
        SequenceRole answerRole = SequenceRole::Answer;
        int pairs = 0;            // pairs of that shape in a row
        qint64 groupId = -1;      // the open group row's message id
        QString pendingStatus;    // the label of a status shown and awaiting its answer
        bool statusShown = false; // pendingStatus is valid
        bool held = false;        // heldStatus awaits its answer to join the group
        SequenceMessage heldStatus;
        QString heldLabel;
    };

    void onRowsInserted(int first, int last);
    void onRowsAboutToBeRemoved(int first, int last);
    void onDataChanged(int first, int last);
    void reset();
    void take(int logRow);
    void process(SequenceMessage message);
    void append(const SequenceMessage& message);
    void releaseHeld(DeviceRun& run);
    void releaseStaleHeld(qint64 nowMs);
    void touchGroup(qint64 id);
    SequenceRole answerRole(const TrafficFrame& frame, int logRow);
    void setSource(int logRow, GatewayEvent::Source source);
    bool passes(const SequenceMessage& message) const;
    void rebuildVisible();
    QString frameLabel(const SequenceMessage& message) const;

    TrafficLogModel* m_log;
    // Messages by id: m_messages[id - m_firstId].
    std::deque<SequenceMessage> m_messages;
    qint64 m_firstId = 0;
    // With a filter: the ids of the rows shown.
    std::deque<qint64> m_visible;
    QString m_filter;
    qint64 m_filterDevice = -1; // the filter's device index, -1 while the log has none
    qint64 m_logBase = 0;       // rows the log dropped since it was last cleared

    QList<quint32> m_deviceLanes; // devices with drawn rows, in order of first appearance
    QSet<quint32> m_hasLane;
    bool m_hasModule = false;

    QHash<quint32, DeviceRun> m_runs;
    QSet<quint32> m_heldDevices;
    // Answer sources announced by the gateway's events, per device label, waiting for their
    // frame's gateway-side row; then, for a console device, for its own copy of the frame.
    QHash<QString, QList<quint8>> m_gatewaySources;
    QHash<quint32, QList<quint8>> m_deviceSources;
    // The announced source of each log row's command (GatewayEvent::Source, None for others),
    // row r at m_rowSources[r]: one byte per row the log holds, dropped with it.
    std::deque<quint8> m_rowSources;

    bool m_batchChanged = false;
    int m_batchFirst = -1;
};

} // namespace fleet
