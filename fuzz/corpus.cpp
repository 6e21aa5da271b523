// Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the project's own
// encoders and presets, in the byte layout each target reads with FuzzedDataProvider: choices
// are bytes taken from the end of the input, strings are taken from its front (a backslash
// doubled, a backslash and another character ending one). Run by `scripts/fuzz.sh --seeds`.

#include "deviceidentity.h"
#include "envelope.h"
#include "framecodec.h"
#include "modulecatalog.h"

#include "MissionModule.pb.h"

#include <QDir>
#include <QFile>
#include <QList>

#include <cstdio>

using namespace fleet;

namespace {

class Seed {
public:
    // A choice of ConsumeIntegralInRange / PickValueInArray / ConsumeBool: one byte.
    Seed& choice(int value)
    {
        m_back.append(char(value));
        return *this;
    }
    Seed& string(const QByteArray& bytes)
    {
        for (const char c : bytes) {
            m_front.append(c);
            if (c == '\\')
                m_front.append('\\');
        }
        m_front.append("\\e"); // ends the string
        return *this;
    }
    Seed& rest(const QByteArray& bytes)
    {
        m_front.append(bytes);
        return *this;
    }
    QByteArray bytes() const
    {
        QByteArray back = m_back;
        std::reverse(back.begin(), back.end());
        return m_front + back;
    }

private:
    QByteArray m_front;
    QByteArray m_back;
};

bool write(const QString& dir, const QString& name, const QByteArray& bytes)
{
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/') + name);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        std::fprintf(stderr, "fuzz_corpus: cannot write %s\n", qPrintable(file.fileName()));
        return false;
    }
    return true;
}

DeviceIdentity device(quint32 module, quint32 type, const char* role, quint32 priority = 0)
{
    DeviceIdentity identity;
    identity.module = module;
    identity.deviceType = type;
    identity.role = QString::fromLatin1(role);
    identity.name = QStringLiteral("fuzz_seed");
    identity.priority = priority;
    return identity;
}

// A mission command whose first stop serializes to 123 bytes: protobuf that starts with "\n{".
QByteArray missionCommand123()
{
    MissionModule::AutonomyCommand command;
    command.set_action(MissionModule::AutonomyCommand::START);
    auto* stop = command.add_stops();
    stop->set_name(std::string(121, 'A'));
    command.add_stops()->set_name("B");
    return QByteArray::fromStdString(command.SerializeAsString());
}

QByteArray frames(const QList<Envelope>& envelopes)
{
    QByteArray stream;
    for (const Envelope& envelope : envelopes)
        stream += encodeEnvelopeFrame(envelope);
    return stream;
}

QList<PayloadPreset> presets(quint32 module, quint32 type)
{
    return ModuleCatalog::statusPresets(module, type) + ModuleCatalog::commandPresets(module, type);
}

// fuzz_framecodec: stream, then the chunk pattern, then the cap (the last byte, read first).
bool frameSeeds(const QString& dir)
{
    const DeviceIdentity mission = device(1, 1, "autonomy");
    const QByteArray conversation = frames(
        {Envelope::connect(mission), Envelope::status(mission, presets(1, 1).first().payload),
         Envelope::connectResponse(ResponseType::Ok, mission),
         Envelope::command(mission, missionCommand123())});
    QByteArray oversized = encodeFrame(QByteArray(100, 'x'));
    bool ok = true;
    ok &= write(dir, "conversation-whole", conversation + char(0) + char(4));
    ok &= write(dir, "conversation-in-3-byte-chunks", conversation + char(3) + char(4));
    ok &= write(dir, "frame-above-64-byte-cap", oversized + char(1) + char(2));
    ok &= write(dir, "empty-frames", QByteArray(12, '\0') + char(5) + char(0));
    return ok;
}

// fuzz_modulecatalog: module pick, device type, then per payload a string and, for a status the
// module accepts, the emulator step.
bool catalogSeeds(const QString& dir)
{
    const QList<quint32> modules{1, 2, 3, 1000, 1001};
    bool ok = true;
    for (int m = 0; m < modules.size(); ++m) {
        const quint32 module = modules[m];
        const ModuleInfo* info = ModuleCatalog::module(module);
        const quint32 type =
            info && !info->deviceTypes.isEmpty() ? info->deviceTypes.first().number : 0;
        Seed seed;
        seed.choice(m).choice(int(type));
        QList<QByteArray> payloads;
        for (const PayloadPreset& preset : presets(module, type))
            payloads.append(preset.payload);
        if (module == 1)
            payloads.append(missionCommand123());
        payloads.append(QByteArray("{\"unknown\": [1, 2, \"\\u001b\"]}"));
        for (int i = 0; i < payloads.size() && i < 8; ++i) {
            seed.string(payloads[i]);
            if (ModuleCatalog::createEmulator(module, type) &&
                ModuleCatalog::validateStatus(module, type, payloads[i]).ok)
                seed.choice(i % 4);
        }
        ok &=
            write(dir, ModuleCatalog::moduleName(module).toLower().replace(' ', '-'), seed.bytes());
    }
    return ok;
}

// fuzz_gatewaysession: policy (empty answers, unknown types, frame cap, peers read), then steps
// of peer, slot, operation and, for writes and operator commands, a string.
struct Step {
    int peer;
    int op; // 0 queue, 1 push, 2 disconnect, 3 reconnect, 4+ write
    QByteArray bytes;
};

QByteArray gatewaySeed(bool peersRead, const QList<Step>& steps)
{
    Seed seed;
    seed.choice(0).choice(0).choice(2).choice(peersRead ? 1 : 0);
    for (const Step& step : steps) {
        seed.choice(step.peer).choice(0).choice(step.op);
        if (step.op != 2 && step.op != 3)
            seed.string(step.bytes);
    }
    return seed.bytes();
}

bool gatewaySeeds(const QString& dir)
{
    const DeviceIdentity mission = device(1, 1, "autonomy");
    const DeviceIdentity button = device(1000, 0, "button");
    const DeviceIdentity opta = device(2, 1, "opta", 5);
    const DeviceIdentity optaFirst = device(2, 1, "opta", 1);
    const QByteArray drive = ModuleCatalog::statusPresets(1, 1).at(1).payload;
    QByteArray inStopProto;
    for (const PayloadPreset& preset : ModuleCatalog::statusPresets(1, 1)) {
        if (preset.name.contains(QLatin1String("protobuf")) && preset.name.contains("stop"))
            inStopProto = preset.payload;
    }
    const QByteArray pressed = frames({Envelope::status(button, "{\"pressed\": true}")});
    bool ok = true;
    ok &= write(dir, "mission-json-and-protobuf",
                gatewaySeed(true, {{0, 4, frames({Envelope::connect(mission)})},
                                   {0, 4, frames({Envelope::status(mission, drive)})},
                                   {0, 0, missionCommand123()},
                                   {0, 4, frames({Envelope::status(mission, inStopProto)})},
                                   {0, 1,
                                    QByteArray("{\"action\":\"STOP\",\"route\":\"\","
                                               "\"stops\":[]}")}}));
    ok &= write(dir, "button-split-frames",
                gatewaySeed(true, {{1, 4, frames({Envelope::connect(button)})},
                                   {1, 4, pressed.left(3)},
                                   {1, 4, pressed.mid(3)},
                                   {1, 4, pressed + pressed},
                                   {1, 2, {}}}));
    ok &= write(dir, "io-takeover-and-garbage",
                gatewaySeed(false, {{0, 4, frames({Envelope::connect(opta)})},
                                    {1, 4, frames({Envelope::connect(optaFirst)})},
                                    {2, 4, QByteArray("\x05\x00\x00\x00garbage", 11)},
                                    {0, 3, {}}}));
    ok &= write(dir, "oversized-header-and-unknown-module",
                gatewaySeed(true, {{0, 4, QByteArray("\xff\xff\xff\x7f", 4)},
                                   {1, 4, frames({Envelope::connect(device(1001, 0, "x"))})}}));
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_corpus CORPUS_DIR (fuzz/corpus)\n");
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    const bool ok = frameSeeds(root + QStringLiteral("/fuzz_framecodec")) &&
                    catalogSeeds(root + QStringLiteral("/fuzz_modulecatalog")) &&
                    gatewaySeeds(root + QStringLiteral("/fuzz_gatewaysession"));
    return ok ? 0 : 1;
}
