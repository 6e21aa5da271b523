#pragma once

#include "deviceidentity.h"

#include "InternalProtocol.pb.h"

#include <QByteArray>

// The four protocol messages and their frames, built with the generated protobuf classes
// directly rather than through the product's own encoder, so a suite checks the product's
// bytes against an independent writer (docs/protocol.md#framing, docs/protocol.md#schema).

namespace fleet::test {

InternalProtocol::InternalClient connectMessage(const DeviceIdentity& device);
InternalProtocol::InternalClient statusMessage(const DeviceIdentity& device,
                                               const QByteArray& statusData);
// responseType is an int: the enum is open, and a number outside the named values still goes
// out as that number.
InternalProtocol::InternalServer connectResponseMessage(const DeviceIdentity& device,
                                                        int responseType = 0);
InternalProtocol::InternalServer commandMessage(const DeviceIdentity& device,
                                                const QByteArray& commandData);

// Whole frames: the 4-byte little-endian length header, then the body.
QByteArray frameAround(const QByteArray& body); // any bytes, valid message or not
QByteArray frameOf(const google::protobuf::MessageLite& message);
QByteArray connectFrame(const DeviceIdentity& device);
QByteArray statusFrame(const DeviceIdentity& device, const QByteArray& statusData);
QByteArray connectResponseFrame(const DeviceIdentity& device, int responseType = 0);
QByteArray commandFrame(const DeviceIdentity& device, const QByteArray& commandData);

// A header alone, announcing `length` body bytes (to test caps and partial frames).
QByteArray headerAnnouncing(quint32 length);
// A body that does not parse as either message: a field number 0 tag, then bytes.
QByteArray garbageBody();

// The device a connect or status message carries.
DeviceIdentity deviceOf(const InternalProtocol::InternalClient& message);

} // namespace fleet::test
