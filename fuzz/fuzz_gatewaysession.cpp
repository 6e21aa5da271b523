#include "deviceidentity.h"
#include "fuzzcheck.h"
#include "gatewayevent.h"
#include "gatewayserver.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTcpSocket>

#include <array>

// The gateway driven from bytes: a GatewayServer on a loopback port and three peers whose bytes
// (frames, partial frames, garbage) come from the input, interleaved with the operator's queue,
// push and disconnect. The sessions are the gateway's own, reached through real sockets as a
// device reaches them (docs/protocol.md#conversation). Properties: every event formats to one
// line without control characters and to JSON that parses back; the server never crashes,
// leaks or trips a sanitizer, and closing it leaves no connection behind.

using namespace fleet;

namespace {

constexpr int kPeers = 3;
constexpr int kPassesPerStep = 4; // event-loop passes after each step: write, read, answer, read

QCoreApplication* application = nullptr;

void pump()
{
    for (int i = 0; i < kPassesPerStep; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

void checkEvent(const GatewayEvent& event)
{
    const QString line = event.toText();
    for (const QChar c : line)
        FLEET_FUZZ_CHECK(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() > 0x9f),
                         line.toUtf8().toHex());
    const QByteArray json = QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact);
    FLEET_FUZZ_CHECK(!json.contains('\n'), json);
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(json, &error);
    FLEET_FUZZ_CHECK(error.error == QJsonParseError::NoError && parsed.isObject(), json);
    FLEET_FUZZ_CHECK(parsed.object() == event.toJson(), json);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    fleet::fuzz::quietLibraries();
    application = new QCoreApplication(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider input(data, size);
    GatewayPolicy policy;
    policy.emptyAnswers = input.ConsumeBool();
    policy.acceptUnknownDeviceTypes = input.ConsumeBool();
    policy.maxFrameBytes = input.PickValueInArray<quint32>({64u, 4096u, kDefaultMaxFrameBytes});
    policy.defaultCommand = QByteArray("default");
    const bool peersRead = input.ConsumeBool(); // false: peers that never read their answers

    auto server = std::make_unique<GatewayServer>();
    server->setPolicy(policy);
    QObject::connect(server.get(), &GatewayServer::gatewayEvent, &checkEvent);
    QObject::connect(server.get(), &GatewayServer::frameTransferred, [](const GatewayFrame& frame) {
        FLEET_FUZZ_CHECK(frame.bytes.size() >= 4, frame.bytes.toHex());
    });
    FLEET_FUZZ_CHECK(server->listen(QHostAddress::LocalHost, 0), server->errorString().toUtf8());

    std::array<std::unique_ptr<QTcpSocket>, kPeers> peers;
    const auto open = [&](int i) {
        peers[i] = std::make_unique<QTcpSocket>();
        peers[i]->connectToHost(QHostAddress::LocalHost, server->serverPort());
    };
    for (int i = 0; i < kPeers; ++i)
        open(i);
    pump();

    while (input.remaining_bytes() > 0) {
        // One byte each for the peer, the slot and the step, so seeds stay easy to write
        // (fuzz/corpus.cpp).
        const int peer = input.ConsumeIntegralInRange(0, kPeers - 1);
        const int slotPick = input.ConsumeIntegral<quint8>();
        const QList<GatewayDeviceInfo> devices = server->connectedDevices();
        const DeviceIdentity slot =
            devices.isEmpty() ? DeviceIdentity{} : devices.at(slotPick % devices.size()).device;
        switch (input.ConsumeIntegralInRange(0, 9)) {
        case 0:
            server->queueCommand(slot,
                                 QByteArray::fromStdString(input.ConsumeRandomLengthString(64)));
            break;
        case 1:
            server->pushCommand(slot,
                                QByteArray::fromStdString(input.ConsumeRandomLengthString(64)));
            break;
        case 2:
            server->disconnectDevice(slot);
            break;
        case 3:
            peers[peer]->abort();
            open(peer);
            break;
        default: {
            const std::string bytes = input.ConsumeRandomLengthString(1 << 14);
            peers[peer]->write(bytes.data(), qint64(bytes.size()));
            peers[peer]->flush();
        }
        }
        pump();
        if (peersRead) {
            for (const auto& socket : peers)
                socket->readAll();
        }
    }

    server->close();
    pump();
    FLEET_FUZZ_CHECK(server->connectionCount() == 0 && server->connectedDeviceCount() == 0,
                     "close() leaves no connection");
    server.reset();
    for (auto& socket : peers)
        socket.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
