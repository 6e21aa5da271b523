#pragma once

#include "deviceidentity.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QMetaType>
#include <QString>

namespace fleet {

// The one reader and writer of the protocol's envelopes (docs/protocol.md#schema): a frame body
// is an InternalClient message from device to gateway and an InternalServer message the other
// way. The client, the gateway and the traffic log all decode through here, so a frame is
// judged, named and described the same way everywhere. The API is plain Qt values: callers
// never see generated protobuf types.

// Which way a body travels, and so which message it must parse as.
enum class EnvelopeDirection : quint8 {
    DeviceToGateway, // InternalClient: connect, status
    GatewayToDevice, // InternalServer: connect response, command
};

enum class EnvelopeKind : quint8 {
    Unparsable,      // the bytes do not parse as the direction's message
    Empty,           // parses, but names no message (a zero-length body does so)
    Connect,         // DeviceConnect
    Status,          // DeviceStatus
    ConnectResponse, // DeviceConnectResponse
    Command,         // DeviceCommand
};

// DeviceConnectResponse.ResponseType, numbers as on the wire. The enum is open like every
// proto3 enum: a gateway may send a number outside this list, and the value carries it
// unchanged (isKnownResponseType() tells).
enum class ResponseType : qint32 {
    Ok = 0,
    AlreadyConnected = 1,
    ModuleNotSupported = 2,
    DeviceNotSupported = 3,
    HigherPriorityAlreadyConnected = 4,
};

bool isKnownResponseType(ResponseType type);
// The schema's name ("OK", "ALREADY_CONNECTED", …), "response type 9" for an unknown number.
QString responseTypeName(ResponseType type);
inline QString responseTypeName(int type)
{
    return responseTypeName(static_cast<ResponseType>(type));
}

// "connect", "status", "connect response", "command", "empty envelope", "unparsable envelope".
QString envelopeKindName(EnvelopeKind kind);

// One decoded (or to-be-encoded) envelope.
struct Envelope {
    EnvelopeDirection direction = EnvelopeDirection::DeviceToGateway;
    EnvelopeKind kind = EnvelopeKind::Empty;
    // The message carried a Device. Without one, `device` holds the schema's defaults (module
    // 0, empty role), which is what a peer sees; encoding then leaves the field out.
    bool hasDevice = false;
    DeviceIdentity device;
    QByteArray payload; // Status: statusData; Command: commandData; empty otherwise
    ResponseType responseType = ResponseType::Ok; // ConnectResponse only
    QString error; // Unparsable / Empty: what is wrong, in an operator's words

    bool isValid() const { return kind != EnvelopeKind::Unparsable && kind != EnvelopeKind::Empty; }

    static Envelope connect(const DeviceIdentity& device);
    static Envelope status(const DeviceIdentity& device, const QByteArray& payload);
    static Envelope connectResponse(ResponseType type, const DeviceIdentity& device);
    static Envelope command(const DeviceIdentity& device, const QByteArray& payload);
    // A message of `direction` with no field set: what a zero-length body decodes to.
    static Envelope empty(EnvelopeDirection direction);
};

// Parses one frame body (without the 4-byte header) as the direction's message. Never fails
// silently: a body that is no valid envelope gives kind Unparsable or Empty with `error` set.
Envelope decodeEnvelope(EnvelopeDirection direction, QByteArrayView body);

// The body for `envelope`; an Unparsable envelope has none and encodes to an empty body.
QByteArray encodeEnvelope(const Envelope& envelope);
// Header and body in one buffer, ready for a single write (docs/protocol.md#framing).
QByteArray encodeEnvelopeFrame(const Envelope& envelope);

// The protobuf text form of a body, for people reading a frame in full; empty when the body
// does not parse.
QString envelopeText(EnvelopeDirection direction, QByteArrayView body);

} // namespace fleet

Q_DECLARE_METATYPE(fleet::Envelope)
