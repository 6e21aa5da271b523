#pragma once

#include <QMetaType>
#include <QString>

namespace InternalProtocol {
class Device;
}

namespace fleet {

// Module numbers with names in the wire schema (docs/protocol.md#schema). proto3 enums are open, so
// any other number (a custom module, the transparent module 3) is valid on the wire too.
namespace ModuleNumber {
inline constexpr quint32 Reserved = 0;
inline constexpr quint32 Mission = 1;
inline constexpr quint32 Io = 2;
inline constexpr quint32 Transparent = 3;
inline constexpr quint32 Example = 1000;
} // namespace ModuleNumber

// "MISSION_MODULE" etc. for the numbers the schema names, empty for others.
QString schemaModuleName(quint32 module);

// Who a device is: what it sends in DeviceConnect and in every DeviceStatus.
struct DeviceIdentity {
    quint32 module = ModuleNumber::Example;
    quint32 deviceType = 0;
    QString role;
    QString name;
    quint32 priority = 0; // smaller number = higher priority, 0 is the highest

    // The server's notion of "the same device": name and priority do not count
    // (docs/protocol.md#identity-and-arbitration).
    bool sameSlot(const DeviceIdentity& other) const
    {
        return module == other.module && deviceType == other.deviceType && role == other.role;
    }

    // Every field, as a connect response must echo it back.
    friend bool operator==(const DeviceIdentity&, const DeviceIdentity&) = default;

    void toProto(InternalProtocol::Device* device) const;
    static DeviceIdentity fromProto(const InternalProtocol::Device& device);

    // "1000/0/role 'name' priority 0", for logs and error details.
    QString toString() const;
    // toString() for a text line a peer must not be able to forge: role and name through
    // printableText() (payloadtext.h), escaped and cut.
    QString toLine() const;
    // The inverse of toString(); false when text is not in that form (a connection label).
    static bool fromString(const QString& text, DeviceIdentity* identity);
};

} // namespace fleet

Q_DECLARE_METATYPE(fleet::DeviceIdentity)
