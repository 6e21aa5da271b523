#pragma once

#include "deviceidentity.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace fleet {

// One thing that happened in the gateway, for event tables, logs and JSON lines.
// Cheap to build: the decoded meaning of data is computed only when summary() is asked for.
struct GatewayEvent {
    Q_GADGET
public:
    enum class Kind {
        Listening,        // detail: "HOST:PORT"
        Stopped,          // the server stopped listening and dropped everyone
        Connected,        // a device took its slot (responseType 0)
        Rejected,         // connect refused: responseType, detail says why
        StatusReceived,   // data = statusData
        StatusUnanswered, // a status that gets no answer; detail says why
        CommandSent,      // data = commandData, source says where it came from
        CommandQueued,    // an operator queued data for the device's slot
        Disconnected,     // reason + detail; exactly one per connection
        ProtocolError,    // detail names what was wrong; a Disconnected follows
    };
    Q_ENUM(Kind)

    // Where a sent command came from.
    enum class Source {
        None,
        Queued,  // the operator's queue for the slot
        Module,  // the emulated module's answer
        Default, // an unknown module: the policy's default command
        Empty,   // empty-answers mode
        Pushed,  // an operator push, not asked for by a status
    };
    Q_ENUM(Source)

    enum class Reason {
        None,
        PeerClosed,      // the device closed the connection
        Takeover,        // a higher-priority device took the slot
        ConnectRejected, // ALREADY_CONNECTED / HIGHER_PRIORITY_ALREADY_CONNECTED
        ProtocolError,   // see the preceding ProtocolError event / detail
        InvalidStatus,   // the module rejected a status: no answer, closed at the deadline
        AnswerDeadline,  // the module's answer delay exceeds the deadline
        Silence,         // nothing received for silenceTimeoutMs
        Operator,        // disconnectDevice()
        ServerStopped,   // close() or destruction
        SocketError,     // the socket reported an error
        ConnectDeadline, // no device connected within connectDeadlineMs of the accept
        Limit,           // a gateway bound (connection limit, partial-frame budget); detail says
    };
    Q_ENUM(Reason)

    Kind kind = Kind::Listening;
    qint64 timeMs = 0;        // milliseconds since the epoch
    quint64 connectionId = 0; // 1, 2, … per accepted connection; 0 for server-level events
    QString peer;             // "127.0.0.1:40312"
    bool hasDevice = false;   // false before a connect message was read
    DeviceIdentity device;    // the identity from the connect (or the status for unanswered)
    QByteArray data;          // status or command bytes
    Source source = Source::None;
    int responseType = -1; // Connected / Rejected: a ResponseType number (envelope.h)
    Reason reason = Reason::None;
    QString detail; // operator-readable: why, what was wrong

    // Decoded data via the module catalog ("lit_up: false"), empty without data.
    QString summary() const;
    // One human-readable line (no trailing newline), e.g.
    // "12:00:01.123 #3 1000/0/button 'b' priority 0  command sent (module, 16 bytes): …"
    QString toText() const;
    // One flat object, keys as fleet-device uses them; keys without a value for this kind are
    // absent: {"event":"command","time":"2026-…T12:00:01.123Z","connection":3,
    //  "peer":"127.0.0.1:40312","module":1000,"module_name":"Example module","type":0,
    //  "role":"button","name":"b","priority":0,"data":"{\"lit_up\": true}" (null when not
    //  valid UTF-8),"hex":"7b…","bytes":16,"empty":false,"summary":"lit_up: true",
    //  "source":"module","response_type":"OK","reason":"peer-closed","detail":"…"}
    QJsonObject toJson() const;

    // Stable lower-case names used in JSON: "listening", "stopped", "connected", "rejected",
    // "status", "unanswered", "command", "queued", "disconnected", "protocol-error".
    static QString kindName(Kind kind);
    static QString sourceName(Source source); // "queued", "module", "default", "empty", "pushed"
    static QString reasonName(Reason reason); // "peer-closed", "takeover", …
    static QString reasonSentence(Reason reason);      // "the device closed the connection"
    static QString responseTypeName(int responseType); // "OK", "ALREADY_CONNECTED", …

    // Local time of timeMs as "12:00:01.123" for text lines (JSON uses utcTimestamp() of
    // payloadtext.h). Cheap: the calendar work is done once per second (a busy gateway prints
    // thousands of events).
    static QString clockTime(qint64 timeMs);
};

// One whole frame (4-byte header included) as written to or read from a connection.
struct GatewayFrame {
    Q_GADGET
public:
    enum class Direction { In, Out };
    Q_ENUM(Direction)
    Direction direction = Direction::In;
    qint64 timeMs = 0;
    // When the frame crossed the socket on the gateway's thread, std::chrono::steady_clock in
    // nanoseconds: a listener on another thread times round trips with it, not with its arrival.
    qint64 steadyNs = 0;
    quint64 connectionId = 0;
    QString peer;
    bool hasDevice = false;
    DeviceIdentity device;
    QByteArray bytes;
};

// A connected device, as the gateway panel lists it.
struct GatewayDeviceInfo {
    quint64 connectionId = 0;
    QString peer;
    DeviceIdentity device;
    qint64 connectedSinceMs = 0; // milliseconds since the epoch
    quint64 statusesReceived = 0;
    quint64 commandsSent = 0;
    qint64 lastStatusMs = 0; // 0 before the first status
    QByteArray lastStatus;
    int queuedCommands = 0;
};

} // namespace fleet

Q_DECLARE_METATYPE(fleet::GatewayEvent)
Q_DECLARE_METATYPE(fleet::GatewayFrame)
Q_DECLARE_METATYPE(fleet::GatewayDeviceInfo)
