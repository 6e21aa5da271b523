#pragma once

#include "deviceidentity.h"
#include "envelope.h"
#include "frameassembler.h"
#include "gatewayevent.h"
#include "modulecatalog.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

QT_BEGIN_NAMESPACE
class QTcpSocket;
class QTimer;
QT_END_NAMESPACE

namespace fleet {

class GatewayServer;
class ModuleEmulator;
struct SlotState;

// One accepted TCP connection: reads frames, runs the connect / status conversation of
// docs/protocol.md#conversation for one device, and drops the connection on every protocol error.
// Arbitration and the operator's queues belong to the server's SlotRegistry.
class GatewaySession : public QObject {
    Q_OBJECT
public:
    enum class State {
        AwaitingConnect, // nothing valid received yet
        Connected,       // holds its slot
        Rejected,        // MODULE/DEVICE_NOT_SUPPORTED: left open, as the reference does
        Doomed,          // no answer coming: closed when the answer deadline runs out
        Closed,
    };

    GatewaySession(GatewayServer* server, QTcpSocket* socket, quint64 id);
    ~GatewaySession() override;

    quint64 id() const { return m_id; }
    State state() const { return m_state; }
    bool holdsSlot() const { return m_slot != nullptr; }
    GatewayDeviceInfo info() const;
    const DeviceIdentity& identity() const { return m_identity; }
    qint64 lastActivityMs() const { return m_lastActivityMs; } // on the server's clock
    // Received bytes not yet handled as frames, and since when (server clock; 0 = none).
    qsizetype partialBytes() const { return m_countedPartial; }
    qint64 partialSinceMs() const { return m_partialSinceMs; }
    // Answers the peer has not taken yet plus statuses awaiting a delayed answer.
    qint64 unsentBytes() const;
    // Not read from: too much unsent on this connection, or in total (the server's budget).
    bool isPaused() const { return m_paused || m_budgetPaused; }
    bool isBudgetPaused() const { return m_budgetPaused; }
    // The server's total budget for unsent bytes stops (true) or resumes (false) reading.
    void setBudgetPaused(bool paused);
    // The decode worker's backlog went below its bound: a session that waited reads again.
    void decodeRoomAvailable();
    void reserveDecodeRoom(qint64 offloadAbove);
    void releaseDecodeRoom();
    bool isClosed() const { return m_state == State::Closed; }

    // An unasked deviceCommand (immediate command forwarding).
    void push(const QByteArray& command);
    // Ends the conversation: one Disconnected event, the slot freed, the socket closed.
    void drop(GatewayEvent::Reason reason, const QString& detail);
    // For the server's destructor: close without events.
    void abortSilently();

private:
    void onReadyRead();
    void onDisconnected();
    void onAnswerTimer();
    void onStallTimer();
    void onFrameDeadline();
    void onConnectDeadline();
    void onBytesWritten();

    // Handles the whole frames buffered, as far as back-pressure allows, then re-arms the
    // partial-frame timers and reports the buffered bytes to the server's budget.
    void processFrames();
    void updatePartial(bool frameCompleted);
    void pause();
    void resumeIfDrained();
    // Reads again (from a queued call) unless still paused or decoding.
    void scheduleResume();
    // Not reading now: back-pressure, a decode under way, or the worker's backlog.
    bool readingHeld() const { return isPaused() || m_decoding || m_awaitingDecodeRoom; }
    // Tells the server how this connection's unsent bytes changed (0 once closed).
    void reportUnsent();
    void releasePartial();
    // The connect's role or name above policy.maxIdentityBytes: why, or empty.
    QString identityTooLong(const DeviceIdentity& device) const;

    void handleFrame(const FrameBody& body);
    void decodeInWorker(const FrameBody& body);
    void onDecoded(const Envelope& envelope, const std::optional<ValidationResult>& validation,
                   const QString& protobufSays);
    // validation: computed already (by the worker), or nothing to validate here.
    void handleEnvelope(const Envelope& envelope, const std::optional<ValidationResult>& validation,
                        const QString& protobufSays);
    void handleConnect(const DeviceIdentity& device);
    void handleStatus(const Envelope& status, const std::optional<ValidationResult>& validated);
    void answer(const QByteArray& status);
    void sendCommand(const QByteArray& command, GatewayEvent::Source source,
                     const QString& detail = {});
    void sendFrame(const QByteArray& frame);
    void rejectConnect(ResponseType responseType, const QString& detail);
    void partialError(const QString& what, int limitMs);
    void doom(GatewayEvent::Reason reason, const QString& detail, int afterMs);
    void protocolError(const QString& detail);
    void finish();

    QString tag() const; // "#3", for log lines
    GatewayEvent makeEvent(GatewayEvent::Kind kind) const;
    void emitFrame(GatewayFrame::Direction direction, const QByteArray& frame);

    struct PendingAnswer {
        qint64 dueMs;
        QByteArray status;
    };

    GatewayServer* m_server;
    QTcpSocket* m_socket;
    const quint64 m_id;
    QString m_peer;
    State m_state = State::AwaitingConnect;
    FrameAssembler m_reader;

    bool m_hasDevice = false;  // a connect message was read
    DeviceIdentity m_identity; // exactly as the connect carried it
    SlotState* m_slot = nullptr;
    std::unique_ptr<ModuleEmulator> m_emulator;

    QList<PendingAnswer> m_pending; // statuses awaiting a delayed answer, oldest first
    QTimer* m_answerTimer;          // next delayed answer, or the deadline when doomed
    QTimer* m_stallTimer;           // a partial frame that stopped growing
    QTimer* m_frameTimer;           // a frame not complete in time after its first byte
    QTimer* m_connectTimer;         // no device connected in time after the accept
    bool m_paused = false;          // back-pressure: not reading while too much is unsent
    bool m_budgetPaused = false;    // the same for the server's total of unsent bytes
    qint64 m_reportedUnsent = 0;    // what the server counts for this connection
    bool m_resumeQueued = false;
    bool m_decoding = false;           // a big frame is decoded on the server's worker
    qsizetype m_decodingBytes = 0;     // its size, counted in the server's decode backlog
    qint64 m_reservedDecodeBytes = 0;  // a body for the worker being received, counted too
    bool m_awaitingDecodeRoom = false; // a big frame's body waits for the worker's backlog
    bool m_finishPending = false;      // closed while decoding: finished when the result is back
    qint64 m_pendingBytes = 0;         // status bytes in m_pending
    qsizetype m_countedPartial = 0;    // what this session counts in the server's partial total
    qint64 m_partialSinceMs = 0;       // first byte of the current partial frame (server clock)
    GatewayEvent::Reason m_doomReason = GatewayEvent::Reason::None;
    QString m_doomDetail;

    qint64 m_connectedSinceMs = 0;
    qint64 m_lastActivityMs = 0;
    quint64 m_statuses = 0;
    quint64 m_commands = 0;
    qint64 m_lastStatusMs = 0;
    QByteArray m_lastStatus;
};

} // namespace fleet
