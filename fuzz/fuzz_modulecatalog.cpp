#include "deviceidentity.h"
#include "fuzzcheck.h"
#include "modulecatalog.h"
#include "payloadtext.h"

#include "module_mission.h"

#include "MissionModule.pb.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <google/protobuf/util/message_differencer.h>

#include <cmath>

// The module catalog (docs/modules.md): validators, descriptions, pretty views and emulators of
// every known module over any payload, and the mission module's two encodings
// (docs/modules.md#mission-module). Properties: a decoded mission payload encodes back in its
// flavour to bytes that are read in that flavour and decode to the same message, and a message
// encodes in either flavour to bytes read in that flavour.

using namespace fleet;
using MissionModule::AutonomyCommand;
using MissionModule::AutonomyStatus;
namespace mission = fleet::detail::mission;

namespace {

QByteArray bytes(const std::string& text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

bool same(const google::protobuf::Message& a, const google::protobuf::Message& b)
{
    return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// JSON has no NaN or infinity, and the JSON flavour spells states and actions by name only.
bool jsonCanCarry(const AutonomyStatus& status)
{
    const auto& t = status.telemetry();
    const auto& p = t.position();
    const auto& s = status.nextstop().position();
    for (const double value : {t.speed(), t.fuel(), p.latitude(), p.longitude(), p.altitude(),
                               s.latitude(), s.longitude(), s.altitude()}) {
        if (!std::isfinite(value))
            return false;
    }
    return AutonomyStatus::State_IsValid(status.state());
}

bool jsonCanCarry(const AutonomyCommand& command)
{
    for (const auto& stop : command.stops()) {
        const auto& p = stop.position();
        for (const double value : {p.latitude(), p.longitude(), p.altitude()}) {
            if (!std::isfinite(value))
                return false;
        }
    }
    return AutonomyCommand::Action_IsValid(command.action());
}

// How the JSON flavour gives a message back: telemetry, next stop and positions always there.
void asJsonDecodes(AutonomyStatus* status)
{
    status->mutable_telemetry()->mutable_position();
    status->mutable_nextstop()->mutable_position();
}

void asJsonDecodes(AutonomyCommand* command)
{
    for (auto& stop : *command->mutable_stops())
        stop.mutable_position();
}

template <typename Message> mission::Reading readAs(const QByteArray& payload, Message* message)
{
    if constexpr (std::is_same_v<Message, AutonomyStatus>)
        return mission::readStatus(payload, message);
    else
        return mission::readCommand(payload, message);
}

template <typename Message> QByteArray encodeAs(const Message& message, MissionEncoding encoding)
{
    if constexpr (std::is_same_v<Message, AutonomyStatus>)
        return mission::encodeStatus(message, encoding);
    else
        return mission::encodeCommand(message, encoding);
}

// A message written in `encoding` is read in it and decodes to itself.
template <typename Message> void checkEncodes(const Message& message, MissionEncoding encoding)
{
    if (encoding == MissionEncoding::Json && !jsonCanCarry(message))
        return;
    const QByteArray payload = encodeAs(message, encoding);
    Message decoded;
    const mission::Reading reading = readAs(payload, &decoded);
    FLEET_FUZZ_CHECK(reading.encoding == encoding && reading.decoded(),
                     payload.toHex() + " " + reading.validation.message.toUtf8());
    if (encoding == MissionEncoding::Protobuf) {
        // Bit for bit: a NaN coordinate travels in protobuf, and NaN equals nothing.
        FLEET_FUZZ_CHECK(decoded.SerializeAsString() == message.SerializeAsString(),
                         payload.toHex());
    } else {
        Message expected = message;
        asJsonDecodes(&expected);
        FLEET_FUZZ_CHECK(same(expected, decoded), payload.toHex());
    }
    FLEET_FUZZ_CHECK(ModuleCatalog::missionEncoding(payload) == encoding, payload.toHex());
}

// Whatever a payload reads as, the message it decodes to round-trips in that flavour.
template <typename Message> void checkMission(const QByteArray& payload)
{
    Message decoded;
    const mission::Reading reading = readAs(payload, &decoded);
    FLEET_FUZZ_CHECK(reading.decoded() == reading.validation.ok, payload.toHex());
    FLEET_FUZZ_CHECK(reading.validation.ok || !reading.validation.message.isEmpty(),
                     payload.toHex());
    if (reading.decoded())
        checkEncodes(decoded, *reading.encoding);

    // The bytes as a protobuf message, written in both flavours.
    Message parsed;
    if (parsed.ParseFromArray(payload.constData(), int(payload.size()))) {
        parsed.DiscardUnknownFields();
        checkEncodes(parsed, MissionEncoding::Protobuf);
        checkEncodes(parsed, MissionEncoding::Json);
    }
}

void exercise(quint32 module, quint32 type, const QByteArray& payload)
{
    const ValidationResult status = ModuleCatalog::validateStatus(module, type, payload);
    const ValidationResult command = ModuleCatalog::validateCommand(module, type, payload);
    FLEET_FUZZ_CHECK(status.ok || !status.message.isEmpty(), payload.toHex());
    FLEET_FUZZ_CHECK(command.ok || !command.message.isEmpty(), payload.toHex());
    (void)ModuleCatalog::describeStatus(module, payload);
    (void)ModuleCatalog::describeCommand(module, payload);
    (void)ModuleCatalog::prettyStatus(module, payload);
    (void)ModuleCatalog::prettyCommand(module, payload);
    (void)ModuleCatalog::missionEncoding(payload);
    const QString line = printableText(QString::fromUtf8(payload), 40);
    for (const QChar c : line)
        FLEET_FUZZ_CHECK(c.unicode() >= 0x20 && c.unicode() != 0x7f, payload.toHex());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fleet::fuzz::quietLibraries();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider input(data, size);
    const quint32 module =
        input.PickValueInArray<quint32>({ModuleNumber::Mission, ModuleNumber::Io,
                                         ModuleNumber::Transparent, ModuleNumber::Example, 1001u});
    const quint32 type = input.ConsumeIntegralInRange<quint32>(0, 5);
    const auto emulator = ModuleCatalog::createEmulator(module, type);

    // Up to eight payloads: each validated, described and, when valid, answered as the gateway
    // does; now and then the previous one queued as a cloud command or pushed.
    QByteArray previous;
    for (int i = 0; i < 8 && input.remaining_bytes() > 0; ++i) {
        const QByteArray payload = bytes(input.ConsumeRandomLengthString(1 << 16));
        exercise(module, type, payload);
        checkMission<AutonomyStatus>(payload);
        checkMission<AutonomyCommand>(payload);
        if (!emulator || !ModuleCatalog::validateStatus(module, type, payload).ok)
            continue;
        switch (input.ConsumeIntegralInRange(0, 3)) {
        case 0:
            emulator->answerCloudCommand(payload, previous);
            break;
        case 1:
            emulator->setCurrentCommand(previous);
            [[fallthrough]];
        default:
            previous = emulator->answerStatus(payload);
            exercise(module, type, previous);
        }
    }
    return 0;
}
