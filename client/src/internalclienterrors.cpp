// The words of InternalClient: stable names for logs and scripts, sentences for operators.
// Kept apart from the state machine in internalclient.cpp.
#include "internalclient.h"

#include <QMetaEnum>

namespace fleet {

InternalClient::ErrorFamily InternalClient::errorFamily(Error error)
{
    switch (error) {
    case Error::NoError:
        return ErrorFamily::None;
    case Error::ConnectionRefused:
    case Error::CommunicationError:
    case Error::ServerTookTooLong:
    case Error::DeviceIncorrect:
    case Error::CommandIncorrect:
    case Error::FrameTooLarge:
        return ErrorFamily::Communication;
    case Error::AlreadyConnected:
    case Error::ModuleNotSupported:
    case Error::DeviceNotSupported:
    case Error::HigherPriorityAlreadyConnected:
        return ErrorFamily::Connect;
    case Error::NoCommand:
    case Error::ContextDestroyed:
    case Error::InvalidTimeout:
    case Error::NotConnected:
    case Error::StatusPending:
        return ErrorFamily::Usage;
    }
    return ErrorFamily::None;
}

QString InternalClient::errorName(Error error)
{
    // The enum's key: stable across releases, so scripts and logs may match on it.
    const char* key = QMetaEnum::fromType<Error>().valueToKey(int(error));
    return key ? QString::fromLatin1(key) : QStringLiteral("Error%1").arg(int(error));
}

QString InternalClient::familyName(ErrorFamily family)
{
    switch (family) {
    case ErrorFamily::None:
        return QStringLiteral("none");
    case ErrorFamily::Communication:
        return QStringLiteral("communication");
    case ErrorFamily::Connect:
        return QStringLiteral("connect");
    case ErrorFamily::Usage:
        return QStringLiteral("usage");
    }
    return QStringLiteral("none");
}

// What probably happened and what to try, in an operator's words (docs/protocol.md#conversation,
// docs/protocol.md#client-contract).
QString InternalClient::errorSentence(Error error)
{
    switch (error) {
    case Error::NoError:
        return QStringLiteral("no error");
    case Error::ConnectionRefused:
        return QStringLiteral(
            "the gateway could not be reached: nothing accepts connections at this host and "
            "port, or the host name does not resolve; check that the gateway runs and that the "
            "port is right (8888 by default, 1636 in its container image)");
    case Error::CommunicationError:
        return QStringLiteral(
            "the gateway closed the connection without answering, or sent something the "
            "protocol does not allow there: the module probably rejected this status payload, "
            "or the gateway dropped the device; check the payload against the module's rules "
            "and look at the gateway's log");
    case Error::ServerTookTooLong:
        return QStringLiteral(
            "the gateway did not answer in time: it may be overloaded or stuck, the module may "
            "be slow, or a firewall silently drops the traffic; try a longer timeout or check "
            "the gateway");
    case Error::DeviceIncorrect:
        return QStringLiteral(
            "the gateway answered for another device than this one (module, type, role, name "
            "or priority differ): it is misbehaving or confused about which device is which; "
            "check the device identity and the gateway");
    case Error::CommandIncorrect:
        return QStringLiteral(
            "the gateway sent bytes that are not a Fleet Protocol v2 message: the program on "
            "this port is probably not a module gateway, or speaks another protocol version; "
            "check the host and port");
    case Error::FrameTooLarge:
        return QStringLiteral(
            "the gateway announced a frame larger than the configured limit: the program on "
            "this port probably speaks another protocol, or the module sends very large "
            "commands; check the port, or raise the frame size limit");
    case Error::AlreadyConnected:
        return QStringLiteral(
            "a device with the same module, type and role is already connected with the same "
            "priority; disconnect that device first, use another role, or use a smaller "
            "priority number to take over its slot");
    case Error::ModuleNotSupported:
        return QStringLiteral(
            "the gateway does not serve this module number; check the device's module against "
            "the modules the gateway was started with");
    case Error::DeviceNotSupported:
        return QStringLiteral(
            "the module does not know this device type; pick a device type the module supports "
            "(see the module catalog)");
    case Error::HigherPriorityAlreadyConnected:
        return QStringLiteral(
            "a device with the same module, type and role is already connected with a higher "
            "priority (a smaller priority number); use a smaller number than that device's to "
            "take over the slot, or disconnect it first");
    case Error::NoCommand:
        return QStringLiteral(
            "no command has arrived yet; send a status and wait for its answer first");
    case Error::ContextDestroyed:
        return QStringLiteral(
            "this client was closed (by the application or by an error) and cannot be used "
            "again; create a new client to reconnect");
    case Error::InvalidTimeout:
        return QStringLiteral("the timeout is negative; give zero or more milliseconds");
    case Error::NotConnected:
        return QStringLiteral(
            "the client is not ready for this: a status needs a finished connect handshake, "
            "and a client connects only once; wait for it to connect, or create a new client");
    case Error::StatusPending:
        return QStringLiteral(
            "the previous status is still waiting for its answer; send the next status only "
            "after it was answered (the gateway does not accept pipelined statuses)");
    }
    return QStringLiteral("unknown error %1").arg(int(error));
}

QString InternalClient::stateName(State state)
{
    const char* key = QMetaEnum::fromType<State>().valueToKey(int(state));
    return key ? QString::fromLatin1(key) : QStringLiteral("State%1").arg(int(state));
}

} // namespace fleet
