// Hostile peers against the gateway at a small scale (README "Limits and hardening"): a flood
// that never reads its answers, trickled partial frames, connections that never identify,
// garbage, split frames and a takeover storm. Each attack checks the bound that holds it through
// an observable counter (GatewayServer::statistics()) while a well-behaved bystander device keeps
// trading statuses for commands. Latency figures are printed (qInfo), never asserted: the
// machine is shared. fleet-bench hostile runs the same attacks at full size against a process.
#include "tst_gatewayhelpers.h"

#include "envelope.h"
#include "framecodec.h"
#include "gatewayserver.h"
#include "toolprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace fleet;
using namespace fleet::test;
using Kind = GatewayEvent::Kind;
using Reason = GatewayEvent::Reason;

namespace {

// Runs the event loop until `done` holds; a ticker makes sure the condition is looked at even
// when no socket has anything to say. False when timeoutMs ran out first.
bool runUntil(const std::function<bool()>& done, int timeoutMs = 20000)
{
    QTimer ticker;
    ticker.start(5);
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto index = qsizetype(std::ceil(p * double(values.size()))) - 1;
    return values[size_t(qBound<qsizetype>(0, index, qsizetype(values.size()) - 1))];
}

// A well-behaved device: connects, then sends a status every intervalMs after the previous
// answer and times each round trip where the answer is read (no polling delay in between).
class Bystander : public QObject {
public:
    Bystander(quint16 port, const DeviceIdentity& device, int roundTrips, int intervalMs = 2)
        : m_device(device)
        , m_roundTrips(roundTrips)
        , m_intervalMs(intervalMs)
    {
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(&m_socket, &QTcpSocket::connected, this,
                [this] { m_socket.write(connectFrame(m_device)); });
        connect(&m_socket, &QTcpSocket::readyRead, this, &Bystander::read);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool connected() const { return m_connected; }
    bool closed() const { return m_closed; }
    bool finished() const { return m_answered >= m_roundTrips || m_closed || m_failed; }
    bool allAnswered() const { return m_answered >= m_roundTrips && !m_failed; }
    int answered() const { return m_answered; }
    const std::vector<double>& roundTripsMs() const { return m_rttMs; }

    QString figures(const char* attack) const
    {
        return QStringLiteral("%1: bystander %2 of %3 round trips answered, p50 %4 ms, p99 %5 "
                              "ms, max %6 ms")
            .arg(QLatin1String(attack))
            .arg(m_answered)
            .arg(m_roundTrips)
            .arg(percentile(m_rttMs, 0.50), 0, 'f', 2)
            .arg(percentile(m_rttMs, 0.99), 0, 'f', 2)
            .arg(percentile(m_rttMs, 1.0), 0, 'f', 2);
    }

private:
    void read()
    {
        m_reader.append(m_socket.readAll());
        while (const std::optional<QByteArray> body = m_reader.nextFrame()) {
            const Envelope envelope = decodeEnvelope(EnvelopeDirection::GatewayToDevice, *body);
            if (envelope.kind == EnvelopeKind::ConnectResponse) {
                m_failed = envelope.responseType != ResponseType::Ok;
                m_connected = !m_failed;
                if (m_connected)
                    sendStatus();
            } else if (envelope.kind == EnvelopeKind::Command) {
                m_rttMs.push_back(double(m_sent.nsecsElapsed()) / 1e6);
                ++m_answered;
                if (m_answered < m_roundTrips)
                    QTimer::singleShot(m_intervalMs, this, &Bystander::sendStatus);
            } else {
                m_failed = true;
            }
        }
    }
    void sendStatus()
    {
        m_pressed = !m_pressed;
        m_sent.start();
        m_socket.write(statusFrame(m_device, m_pressed ? kPressed : kReleased));
    }

    QTcpSocket m_socket;
    FrameReader m_reader;
    DeviceIdentity m_device;
    int m_roundTrips;
    int m_intervalMs;
    int m_answered = 0;
    bool m_pressed = false;
    bool m_connected = false;
    bool m_closed = false;
    bool m_failed = false;
    QElapsedTimer m_sent;
    std::vector<double> m_rttMs;
};

// A raw peer for the attacks: writes what it is told and reads only when told to.
class Peer {
public:
    explicit Peer(quint16 port, qint64 readBufferBytes = 0)
    {
        // A bounded read buffer: a peer that does not read leaves the bytes in the kernel, so
        // the gateway's writes back up, as with a peer process that never calls recv().
        m_socket.setReadBufferSize(readBufferBytes);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
            if (m_reading)
                take();
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    QTcpSocket& socket() { return m_socket; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool closed() const { return m_closed; }
    void write(const QByteArray& bytes) { m_socket.write(bytes); }
    void startReading()
    {
        m_reading = true;
        take();
    }
    int framesRead() const { return m_frames; }
    QList<Envelope> envelopes() const { return m_envelopes; }
    QList<QByteArray> bodies() const { return m_bodies; }

private:
    void take()
    {
        m_reader.append(m_socket.readAll());
        while (const std::optional<QByteArray> body = m_reader.nextFrame()) {
            ++m_frames;
            if (m_envelopes.size() < 4) { // the first few, for checks on the connect response
                m_envelopes.append(decodeEnvelope(EnvelopeDirection::GatewayToDevice, *body));
                m_bodies.append(*body);
            }
        }
    }

    QTcpSocket m_socket;
    FrameReader m_reader;
    QList<Envelope> m_envelopes;
    QList<QByteArray> m_bodies;
    bool m_reading = false;
    bool m_closed = false;
    int m_frames = 0;
};

QByteArray connectBodyWithUnknownField(const DeviceIdentity& device)
{
    // Device field 99 (varint 7): a later schema's field, unknown to this one. Written by
    // hand: InternalClient { deviceConnect = 1 { device = 1 { …, 99: 7 } } }.
    const auto lengthDelimited = [](int field, const QByteArray& bytes) {
        QByteArray out(1, char(field << 3 | 2));
        for (quint32 length = quint32(bytes.size());; length >>= 7) {
            out += char(length < 0x80 ? length : (length & 0x7f) | 0x80);
            if (length < 0x80)
                break;
        }
        return out + bytes;
    };
    const QByteArray deviceBytes =
        QByteArray::fromStdString(
            connectMessage(device).deviceconnect().device().SerializeAsString()) +
        QByteArray("\x98\x06\x07", 3);
    return lengthDelimited(1, lengthDelimited(1, deviceBytes));
}

// The same device as identities.h builds it, on a role of its own.
DeviceIdentity bystanderDevice()
{
    return button(QStringLiteral("bystander"));
}

} // namespace

class tst_HostileClients : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();

    void floodWithoutReading();
    void floodersShareTheUnsentBudget_data();
    void floodersShareTheUnsentBudget();
    void trickledPartialFrames();
    void idleConnectionsNeverIdentify();
    void connectionLimitWithEveryoneConnected();
    void garbage();
    void splitFrames_data();
    void splitFrames();
    void takeoverStorm();
    void bigFramesAreDecodedOffTheLoop_data();
    void bigFramesAreDecodedOffTheLoop();
    void oversizedIdentity_data();
    void oversizedIdentity();
    void answersCarryOnlyTheDeviceRecord();
    void badUtf8RolesWithStderrOnAFullPipe();
    void lowOpenFileLimitIsReportedAndIdlePeersCannotLockOut();
    void strictReferenceSaysSo();
    void strictReferenceTakesExplicitBounds();

private:
    GatewayServer& startServer(const GatewayPolicy& policy);

    std::unique_ptr<GatewayServer> m_server;
    std::unique_ptr<EventLog> m_log;
};

void tst_HostileClients::initTestCase()
{
    // Hundreds of connects and drops: the gateway's info lines would bury the figures.
    QLoggingCategory::setFilterRules(QStringLiteral("fleet.gateway.info=false"));
}

void tst_HostileClients::cleanup()
{
    m_log.reset();
    m_server.reset();
}

GatewayServer& tst_HostileClients::startServer(const GatewayPolicy& policy)
{
    m_server = std::make_unique<GatewayServer>();
    m_server->setPolicy(policy);
    m_log = std::make_unique<EventLog>(m_server.get());
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen: %s", qPrintable(m_server->errorString()));
    return *m_server;
}

void tst_HostileClients::floodWithoutReading()
{
    // An unknown module answering every 40-byte status with 64 KiB: the amplification of the
    // issue, bounded by back-pressure on the peer that does not read.
    GatewayPolicy policy;
    policy.supportedModules = {1000, 1001};
    policy.acceptUnknownDeviceTypes = true;
    policy.defaultCommand = QByteArray(64 * 1024, 'x');
    policy.maxUnsentBytes = 256 * 1024;
    GatewayServer& server = startServer(policy);

    const DeviceIdentity flooder = device(1001, 0, QStringLiteral("flooder"));
    constexpr int kStatuses = 400; // 25 MiB of answers if nothing held them back
    Peer peer(server.serverPort(), 4096);
    QVERIFY(runUntil([&] { return peer.isConnected(); }));
    QByteArray burst = connectFrame(flooder);
    for (int i = 0; i < kStatuses; ++i)
        burst += statusFrame(flooder, QByteArray("s"));
    peer.write(burst);
    QVERIFY2(runUntil([&] { return server.statistics().pausedConnections == 1; }),
             "the gateway never stopped reading from the flooding peer");

    Bystander bystander(server.serverPort(), bystanderDevice(), 200);
    QVERIFY(runUntil([&] { return bystander.finished(); }));
    QVERIFY2(bystander.allAnswered(), qPrintable(bystander.figures("flood")));
    const GatewayStatistics during = server.statistics();
    QCOMPARE(during.pausedConnections, 1); // still held back: the flooder never read
    qInfo().noquote() << bystander.figures("flood");
    qInfo("flood: peak unsent bytes of one connection %lld (bound %lld + one answer)",
          during.peakConnectionUnsentBytes, policy.maxUnsentBytes);

    const qint64 answerFrame =
        encodeEnvelopeFrame(Envelope::command(flooder, policy.defaultCommand)).size();
    QVERIFY2(during.peakConnectionUnsentBytes <= policy.maxUnsentBytes + answerFrame,
             qPrintable(QString::number(during.peakConnectionUnsentBytes)));

    // Once the peer reads, reading resumes and every status gets its answer: nothing was lost.
    peer.startReading();
    QVERIFY2(
        runUntil([&] { return peer.framesRead() == kStatuses + 1; }, 60000),
        qPrintable(QStringLiteral("%1 of %2 frames").arg(peer.framesRead()).arg(kStatuses + 1)));
    QVERIFY(server.statistics().pauses >= 1);
    QCOMPARE(server.statistics().pausedConnections, 0);
}

void tst_HostileClients::floodersShareTheUnsentBudget_data()
{
    QTest::addColumn<int>("flooders");
    QTest::addColumn<qint64>("budget");
    QTest::newRow("3 flooders, 1 MiB for all") << 3 << qint64(1024 * 1024);
    QTest::newRow("6 flooders, 512 KiB for all") << 6 << qint64(512 * 1024);
}

void tst_HostileClients::floodersShareTheUnsentBudget()
{
    // Without a bound per connection, only the total budget holds the flooders back: several
    // peers that do not read, each staying under its own bound, must not add up without end.
    QFETCH(int, flooders);
    QFETCH(qint64, budget);
    GatewayPolicy policy;
    policy.supportedModules = {1000, 1001};
    policy.acceptUnknownDeviceTypes = true;
    policy.defaultCommand = QByteArray(64 * 1024, 'x');
    policy.maxUnsentBytes = 0;
    policy.maxUnsentTotalBytes = budget;
    GatewayServer& server = startServer(policy);

    constexpr int kStatuses = 100; // 6.4 MiB of answers each if nothing held them back
    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < flooders; ++i) {
        peers.push_back(std::make_unique<Peer>(server.serverPort(), 4096));
        Peer& peer = *peers.back();
        QVERIFY(runUntil([&] { return peer.isConnected(); }));
        const DeviceIdentity flooder = device(1001, 0, QStringLiteral("flooder-%1").arg(i));
        QByteArray burst = connectFrame(flooder);
        for (int s = 0; s < kStatuses; ++s)
            burst += statusFrame(flooder, QByteArray("s"));
        peer.write(burst);
    }
    QVERIFY2(runUntil([&] { return server.statistics().unsentBudgetPauses > 0; }),
             "the total of unsent answers never paused a connection");

    // A device that takes its answers holds nothing unsent and keeps being served.
    Bystander bystander(server.serverPort(), bystanderDevice(), 100);
    QVERIFY(runUntil([&] { return bystander.finished(); }));
    QVERIFY2(bystander.allAnswered(), qPrintable(bystander.figures("unsent budget")));
    const GatewayStatistics during = server.statistics();
    QVERIFY(during.pausedConnections >= 1);
    const qint64 answerFrame =
        encodeEnvelopeFrame(
            Envelope::command(device(1001, 0, QStringLiteral("flooder-0")), policy.defaultCommand))
            .size();
    // Above the budget the biggest holders stop reading until the rest fits: the total goes
    // beyond the budget by at most one answer per connection that was still reading (without
    // the budget: 6.4 MiB per flooder).
    qInfo("unsent budget %lld: peak of all connections %lld, %d paused, %llu budget pauses", budget,
          during.peakUnsentBytes, during.pausedConnections, during.unsentBudgetPauses);
    QVERIFY2(during.peakUnsentBytes <= budget + flooders * answerFrame,
             qPrintable(QString::number(during.peakUnsentBytes)));

    // Once they read, everything is answered: holding back lost nothing.
    for (const auto& peer : peers)
        peer->startReading();
    QVERIFY2(runUntil(
                 [&] {
                     return std::all_of(peers.begin(), peers.end(), [](const auto& peer) {
                         return peer->framesRead() == kStatuses + 1;
                     });
                 },
                 60000),
             "a flooder did not get all its answers after it started reading");
    QCOMPARE(server.statistics().pausedConnections, 0);
}

void tst_HostileClients::trickledPartialFrames()
{
    // Each trickler announces a big frame, sends a good part of it, then one byte every
    // 100 ms: the per-byte stall never fires, the frame deadline and the budget do.
    GatewayPolicy policy;
    policy.maxPartialBytes = 1024 * 1024;
    policy.stallTimeoutMs = 1000;
    policy.frameDeadlineMs = 1500;
    GatewayServer& server = startServer(policy);

    constexpr int kTricklers = 6;
    constexpr int kHeadStart = 300 * 1024; // 6 x 300 KiB = 1.8 MiB, above the budget
    std::vector<std::unique_ptr<Peer>> tricklers;
    Bystander bystander(server.serverPort(), bystanderDevice(), 300, 5);
    QVERIFY(runUntil([&] { return bystander.connected(); })); // connection #1
    QTimer trickle;
    QObject::connect(&trickle, &QTimer::timeout, [&] {
        for (auto& peer : tricklers) {
            if (!peer->closed())
                peer->write(QByteArray(1, 'z'));
        }
    });
    trickle.start(100);
    qint64 heldMax = 0; // what the budget let the gateway hold, sampled as the attack runs
    for (int i = 0; i < kTricklers; ++i) {
        tricklers.push_back(std::make_unique<Peer>(server.serverPort()));
        Peer& peer = *tricklers.back();
        QVERIFY(runUntil([&] { return peer.isConnected(); }));
        peer.write(headerAnnouncing(1024 * 1024) + QByteArray(kHeadStart, 'z'));
        // Until the gateway has taken it all in (or dropped someone for it).
        QVERIFY(runUntil([&] {
            heldMax = qMax(heldMax, server.statistics().partialBytes);
            return peer.socket().bytesToWrite() == 0 && server.statistics().partialBytes > 0;
        }));
    }
    QVERIFY2(runUntil([&] {
                 heldMax = qMax(heldMax, server.statistics().partialBytes);
                 return std::all_of(tricklers.begin(), tricklers.end(),
                                    [](const auto& p) { return p->closed(); }) &&
                        bystander.finished();
             }),
             "a trickler outlived the frame deadline");
    trickle.stop();

    const GatewayStatistics stats = server.statistics();
    qInfo().noquote() << bystander.figures("trickle");
    qInfo("trickle: peak partial bytes %lld (budget %lld), budget drops %llu, frame-deadline "
          "drops %llu, stall drops %llu",
          stats.peakPartialBytes, policy.maxPartialBytes, stats.partialBudgetDrops,
          stats.frameDeadlineDrops, stats.stallDrops);
    QVERIFY(bystander.allAnswered());
    QVERIFY2(stats.peakPartialBytes <= policy.maxPartialBytes,
             qPrintable(QString::number(stats.peakPartialBytes)));
    QVERIFY(heldMax <= policy.maxPartialBytes);
    QVERIFY(stats.partialBudgetDrops >= 1);
    QVERIFY(stats.frameDeadlineDrops >= 1);
    QCOMPARE(stats.stallDrops, quint64(0)); // bytes kept coming: only the whole-frame deadline
    QCOMPARE(stats.partialBudgetDrops + stats.frameDeadlineDrops, quint64(kTricklers));
    QCOMPARE(stats.partialBytes, 0);
    // The oldest partial frames went first.
    const QList<GatewayEvent> drops = m_log->of(Kind::Disconnected);
    QList<quint64> budgetVictims;
    for (const GatewayEvent& event : drops) {
        if (event.reason == Reason::Limit)
            budgetVictims.append(event.connectionId);
    }
    QVERIFY(!budgetVictims.isEmpty());
    QVERIFY(std::is_sorted(budgetVictims.begin(), budgetVictims.end()));
    QCOMPARE(budgetVictims.first(), quint64(2)); // #1 is the bystander, #2 the first trickler
}

void tst_HostileClients::idleConnectionsNeverIdentify()
{
    GatewayPolicy policy;
    policy.maxConnections = 16;
    policy.connectDeadlineMs = 800;
    GatewayServer& server = startServer(policy);

    Bystander bystander(server.serverPort(), bystanderDevice(), 100, 5);
    QVERIFY(runUntil([&] { return bystander.connected(); }));
    constexpr int kIdle = 40;
    std::vector<std::unique_ptr<Peer>> idle;
    for (int i = 0; i < kIdle; ++i)
        idle.push_back(std::make_unique<Peer>(server.serverPort()));
    QVERIFY(runUntil(
        [&] { return server.statistics().connectionLimitEvictions >= quint64(kIdle - 15); }));
    // A device arriving now is served: idle peers cannot lock it out.
    RawDevice newcomer(server.serverPort());
    QCOMPARE(newcomer.handshake(button(QStringLiteral("newcomer"))), 0);
    QVERIFY(runUntil([&] { return bystander.finished(); }));
    QVERIFY(bystander.allAnswered());

    // And the ones left go at the connect deadline.
    QVERIFY(runUntil([&] { return server.connectionCount() == 2; }));
    const GatewayStatistics stats = server.statistics();
    qInfo().noquote() << bystander.figures("idle");
    qInfo("idle: peak connections %d (limit %d), evicted %llu, connect-deadline drops %llu",
          stats.peakConnections, stats.connectionLimit, stats.connectionLimitEvictions,
          stats.connectDeadlineDrops);
    QCOMPARE(stats.connectionLimit, 16);
    QVERIFY(stats.peakConnections <= 16);
    QVERIFY(stats.connectDeadlineDrops >= 1);
    QCOMPARE(m_log->of(Kind::Connected).size(), 2);
    QVERIFY(!newcomer.isClosed());
}

void tst_HostileClients::connectionLimitWithEveryoneConnected()
{
    GatewayPolicy policy;
    policy.maxConnections = 2;
    GatewayServer& server = startServer(policy);
    RawDevice first(server.serverPort());
    QCOMPARE(first.handshake(button(QStringLiteral("a"))), 0);
    RawDevice second(server.serverPort());
    QCOMPARE(second.handshake(button(QStringLiteral("b"))), 0);

    // Nobody to displace: the newcomer is closed at once, and the event says why.
    RawDevice third(server.serverPort());
    QVERIFY(third.waitForClose());
    QCOMPARE(server.statistics().connectionLimitRefusals, quint64(1));
    const QList<GatewayEvent> drops = m_log->of(Kind::Disconnected);
    QCOMPARE(drops.size(), 1);
    QCOMPARE(drops.first().reason, Reason::Limit);
    QVERIFY2(drops.first().detail.contains(QLatin1String("limit of 2 connections")),
             qPrintable(drops.first().detail));
    QCOMPARE(first.exchange(button(QStringLiteral("a")), kPressed).has_value(), true);
}

void tst_HostileClients::garbage()
{
    GatewayPolicy policy;
    policy.stallTimeoutMs = 300;
    GatewayServer& server = startServer(policy);
    Bystander bystander(server.serverPort(), bystanderDevice(), 200, 2);
    QVERIFY(runUntil([&] { return bystander.connected(); }));

    constexpr int kPeers = 30;
    QRandomGenerator random(20260409); // fixed: a failure replays
    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < kPeers; ++i) {
        peers.push_back(std::make_unique<Peer>(server.serverPort()));
        QByteArray bytes(1024, Qt::Uninitialized);
        for (char& byte : bytes)
            byte = char(random.bounded(256));
        if (i % 3 == 1) // a plausible header with a body that is no message
            bytes = frameAround(garbageBody()) + bytes.left(i);
        if (i % 3 == 2) // an empty envelope
            bytes = frameAround(QByteArray());
        Peer* peer = peers.back().get();
        QObject::connect(&peer->socket(), &QTcpSocket::connected,
                         [peer, bytes] { peer->write(bytes); });
    }
    QVERIFY2(runUntil([&] {
                 return bystander.finished() &&
                        std::all_of(peers.begin(), peers.end(),
                                    [](const auto& p) { return p->closed(); });
             }),
             qPrintable(m_log->describe()));
    QVERIFY(bystander.allAnswered());
    QVERIFY(runUntil([&] { return server.connectionCount() == 1; }));
    const GatewayStatistics stats = server.statistics();
    qInfo().noquote() << bystander.figures("garbage");
    QCOMPARE(stats.partialBytes, 0);
    QCOMPARE(m_log->count(Kind::ProtocolError), kPeers);
    QCOMPARE(m_log->count(Kind::Connected), 1);
}

void tst_HostileClients::splitFrames_data()
{
    QTest::addColumn<int>("chunkBytes");
    QTest::addColumn<int>("statuses");
    QTest::newRow("byte by byte") << 1 << 5;
    QTest::newRow("7-byte pieces across frame borders") << 7 << 20;
    QTest::newRow("one write of many frames") << 1 << -100; // negative: all at once
}

void tst_HostileClients::splitFrames()
{
    QFETCH(int, chunkBytes);
    QFETCH(int, statuses);
    GatewayServer& server = startServer(GatewayPolicy{});
    Bystander bystander(server.serverPort(), bystanderDevice(), 100, 5);

    const DeviceIdentity splitter = button(QStringLiteral("splitter"));
    const int count = std::abs(statuses);
    QByteArray stream = connectFrame(splitter);
    for (int i = 0; i < count; ++i)
        stream += statusFrame(splitter, i % 2 ? kPressed : kReleased);
    Peer peer(server.serverPort());
    peer.startReading();
    QVERIFY(runUntil([&] { return peer.isConnected(); }));
    qsizetype sent = 0;
    QTimer dribble;
    QObject::connect(&dribble, &QTimer::timeout, [&] {
        const qsizetype piece = statuses < 0 ? stream.size() : chunkBytes;
        peer.write(stream.mid(sent, piece));
        peer.socket().flush();
        sent += piece;
        if (sent >= stream.size())
            dribble.stop();
    });
    dribble.start(1);
    QVERIFY(runUntil([&] { return peer.framesRead() == count + 1 && bystander.finished(); }));
    QVERIFY(bystander.allAnswered());
    const GatewayStatistics stats = server.statistics();
    qInfo().noquote() << bystander.figures("split");
    // Split or coalesced, no more than the stream was ever held, and nothing once answered.
    QVERIFY(stats.peakPartialBytes <=
            stream.size() + statusFrame(bystanderDevice(), kReleased).size());
    QCOMPARE(stats.partialBytes, 0);
    QCOMPARE(m_log->count(Kind::ProtocolError), 0);
    QVERIFY(!peer.closed());
}

void tst_HostileClients::takeoverStorm()
{
    GatewayServer& server = startServer(GatewayPolicy{});
    Bystander bystander(server.serverPort(), bystanderDevice(), 200, 2);
    QVERIFY(runUntil([&] { return bystander.connected(); }));

    // Ever stronger devices for one slot, each taking it over, and as many equal ones refused.
    constexpr int kStorm = 30;
    std::vector<std::unique_ptr<Peer>> storm;
    for (int i = 0; i < kStorm; ++i) {
        for (int copy = 0; copy < 2; ++copy) {
            storm.push_back(std::make_unique<Peer>(server.serverPort()));
            Peer* peer = storm.back().get();
            peer->startReading();
            const DeviceIdentity contender =
                button(QStringLiteral("contested"), quint32(kStorm - i));
            QObject::connect(&peer->socket(), &QTcpSocket::connected,
                             [peer, contender] { peer->write(connectFrame(contender)); });
        }
    }
    const auto closedPeers = [&] {
        return std::count_if(storm.begin(), storm.end(), [](const auto& p) { return p->closed(); });
    };
    QVERIFY(runUntil([&] {
        return bystander.finished() && server.connectionCount() == 2 &&
               closedPeers() == qsizetype(storm.size()) - 1;
    }));
    QVERIFY(bystander.allAnswered());
    qInfo().noquote() << bystander.figures("takeover storm");
    // Exactly one contender holds the slot, and it is served.
    QCOMPARE(server.connectedDeviceCount(), 2);
    QCOMPARE(server.statistics().partialBytes, 0);
    const auto holder =
        std::find_if(storm.begin(), storm.end(), [](const auto& p) { return !p->closed(); });
    QVERIFY(holder != storm.end());
    QCOMPARE((*holder)->envelopes().value(0).responseType, ResponseType::Ok);
}

void tst_HostileClients::bigFramesAreDecodedOffTheLoop_data()
{
    QTest::addColumn<DeviceIdentity>("heavy");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<int>("outcome"); // 0 answered, 1 unanswered and closed, 2 protocol error
    const QByteArray big(1024 * 1024, ' ');
    // The transparent module takes any bytes (docs/modules.md#transparent-module); the example
    // module wants its exact JSON (docs/modules.md#example-module).
    QTest::newRow("1 MiB status is answered")
        << device(3, 0, QStringLiteral("heavy")) << QByteArray(1024 * 1024, 'x') << 0;
    QTest::newRow("invalid 1 MiB status closes without answer")
        << button(QStringLiteral("heavy")) << "{\"pressed\": true" + big + "}" << 1;
    QTest::newRow("1 MiB that is no message is a protocol error")
        << button(QStringLiteral("heavy")) << QByteArray() << 2;
}

void tst_HostileClients::bigFramesAreDecodedOffTheLoop()
{
    QFETCH(DeviceIdentity, heavy);
    QFETCH(QByteArray, status);
    QFETCH(int, outcome);
    GatewayPolicy policy;
    policy.offloadDecodeBytes = 64 * 1024;
    GatewayServer& server = startServer(policy);
    Bystander bystander(server.serverPort(), bystanderDevice(), 100, 2);
    QVERIFY(runUntil([&] { return bystander.connected(); }));

    Peer peer(server.serverPort());
    peer.startReading();
    QVERIFY(runUntil([&] { return peer.isConnected(); }));
    const QByteArray bigFrame = outcome == 2
                                    ? frameAround(garbageBody() + QByteArray(1024 * 1024, ' '))
                                    : statusFrame(heavy, status);
    // Connect, the big frame, and a small status behind it: frames stay in order.
    const QByteArray small("small");
    peer.write(connectFrame(heavy) + bigFrame + statusFrame(heavy, small));
    QVERIFY(runUntil([&] { return bystander.finished(); }));
    QVERIFY(bystander.allAnswered());
    qInfo().noquote() << bystander.figures("big frame");
    if (outcome == 0) {
        QVERIFY2(runUntil([&] { return peer.framesRead() == 3; }), qPrintable(m_log->describe()));
        ModuleModel module(heavy.module, heavy.deviceType);
        const QList<QByteArray> replies = peer.bodies();
        QCOMPARE(frameAround(replies[1]), commandFrame(heavy, module.answer(status)));
        QCOMPARE(frameAround(replies[2]), commandFrame(heavy, module.answer(small)));
    } else {
        QVERIFY(runUntil([&] { return peer.closed(); }));
        QCOMPARE(peer.framesRead(), 1); // the connect response only
        QCOMPARE(m_log->count(Kind::ProtocolError), outcome == 2 ? 1 : 0);
        QCOMPARE(m_log->count(Kind::StatusUnanswered), outcome == 1 ? 1 : 0);
    }
    QCOMPARE(server.statistics().offloadedDecodes, quint64(1));
}

void tst_HostileClients::oversizedIdentity_data()
{
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("responseType");
    const QString ascii4k(4096, QLatin1Char('r'));
    QTest::newRow("role at the limit") << ascii4k << QStringLiteral("n") << 0;
    QTest::newRow("role one byte above") << ascii4k + QLatin1Char('r') << QStringLiteral("n") << 3;
    QTest::newRow("name of 1 MiB")
        << QStringLiteral("r") << QString(1024 * 1024, QLatin1Char('n')) << 3;
    // 2,049 two-byte characters: 4,098 UTF-8 bytes, though only 2,049 characters.
    QTest::newRow("name in UTF-8 bytes, not characters")
        << QStringLiteral("r") << QString(2049, QChar(0x00e9)) << 3;
    QTest::newRow("embedded client's 128 bytes")
        << QString(128, QLatin1Char('r')) << QString(128, QLatin1Char('n')) << 0;
}

void tst_HostileClients::oversizedIdentity()
{
    QFETCH(QString, role);
    QFETCH(QString, name);
    QFETCH(int, responseType);
    GatewayServer& server = startServer(GatewayPolicy{});
    const DeviceIdentity identity = button(role, 0, name);
    Peer peer(server.serverPort());
    peer.startReading();
    QVERIFY(runUntil([&] { return peer.isConnected(); }));
    peer.write(connectFrame(identity));
    QVERIFY(runUntil([&] { return peer.framesRead() == 1; }));
    const Envelope response = peer.envelopes().first();
    QCOMPARE(response.kind, EnvelopeKind::ConnectResponse);
    QCOMPARE(int(response.responseType), responseType);
    QCOMPARE(server.statistics().identityRefusals, quint64(responseType == 0 ? 0 : 1));
    if (responseType == 0) {
        QCOMPARE(response.device, identity);
        return;
    }
    // The refusal stays small whatever was sent: the echo is cut at the limit.
    QVERIFY(response.device.role.size() <= kDefaultMaxIdentityBytes);
    QVERIFY(response.device.name.size() <= kDefaultMaxIdentityBytes);
    const GatewayEvent rejected = m_log->of(Kind::Rejected).value(0);
    QVERIFY2(rejected.detail.contains(QLatin1String("limit of 4096 bytes")),
             qPrintable(rejected.detail));
}

void tst_HostileClients::answersCarryOnlyTheDeviceRecord()
{
    GatewayServer& server = startServer(GatewayPolicy{});
    const DeviceIdentity identity = button(QStringLiteral("plain"), 2, QStringLiteral("n"));
    Peer peer(server.serverPort());
    peer.startReading();
    QVERIFY(runUntil([&] { return peer.isConnected(); }));
    peer.write(frameAround(connectBodyWithUnknownField(identity)) +
               statusFrame(identity, kPressed));
    QVERIFY(runUntil([&] { return peer.framesRead() == 2; }));
    // Byte for byte what an independent writer builds from the five Device fields: the
    // unknown field 99 is not echoed.
    ModuleModel module;
    const QList<QByteArray> replies = peer.bodies();
    QCOMPARE(frameAround(replies[0]), connectResponseFrame(identity, 0));
    QCOMPARE(frameAround(replies[1]), commandFrame(identity, module.answer(kPressed)));
}

void tst_HostileClients::badUtf8RolesWithStderrOnAFullPipe()
{
    // stderr is a pipe nobody reads, filled before the gateway starts: one blocking write
    // would freeze it. libprotobuf's own log lines (a role that is not UTF-8) are swallowed;
    // with fleet.protobuf.debug on they go through Qt's logging into the tool's non-blocking
    // stderr, which drops what does not fit.
    int pipeFds[2];
    QCOMPARE(::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK), 0);
    const QByteArray filler(4096, 'f');
    while (::write(pipeFds[1], filler.constData(), size_t(filler.size())) > 0) {
    }
    QCOMPARE(errno, EAGAIN);
    int before = 0;
    ::ioctl(pipeFds[0], FIONREAD, &before);
    const int writeEnd = pipeFds[1];
    // The child's stderr: blocking, as an ordinary inherited pipe is.
    ::fcntl(writeEnd, F_SETFL, ::fcntl(writeEnd, F_GETFL) & ~O_NONBLOCK);

    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    gateway.process().setChildProcessModifier([writeEnd] { ::dup2(writeEnd, STDERR_FILENO); });
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                       QStringLiteral("fleet.protobuf.debug=true"));
    gateway.process().setProcessEnvironment(environment);
    QString error;
    QVERIFY2(
        gateway.startListening({QStringLiteral("--json"), QStringLiteral("--no-stdin")}, &error),
        qPrintable(error));

    DeviceIdentity bad = button(QStringLiteral("role"));
    QByteArray body = QByteArray::fromStdString(connectMessage(bad).SerializeAsString());
    body.replace(QByteArray("role"), QByteArray("r\xff\xfe"
                                                "e")); // same length, not UTF-8
    const QByteArray badConnect = frameAround(body);

    constexpr int kConnects = 2000;
    constexpr int kInFlight = 32;
    int started = 0;
    int closed = 0;
    std::function<void()> startOne = [&] {
        auto* raw = new QTcpSocket; // deleted when the gateway has closed it
        QObject::connect(raw, &QTcpSocket::connected,
                         [raw, &badConnect] { raw->write(badConnect); });
        QObject::connect(raw, &QTcpSocket::disconnected, [&, raw] {
            ++closed;
            raw->deleteLater();
            if (started < kConnects) {
                ++started;
                QTimer::singleShot(0, startOne);
            }
        });
        raw->connectToHost(QHostAddress::LocalHost, gateway.port());
    };
    for (; started < kInFlight; ++started)
        startOne();
    QVERIFY2(runUntil([&] { return closed >= kConnects; }, 120000),
             qPrintable(QStringLiteral("%1 of %2 bad connects were closed; %3")
                            .arg(closed)
                            .arg(kConnects)
                            .arg(gateway.describe())));

    // Still serving.
    RawDevice device(gateway.port());
    QCOMPARE(device.handshake(button()), 0);
    QVERIFY(device.exchange(button(), kPressed).has_value());
    int after = 0;
    ::ioctl(pipeFds[0], FIONREAD, &after);
    qInfo("stderr pipe: %d bytes before the gateway started, %d after %d bad connects", before,
          after, kConnects);
    QVERIFY(gateway.waitForOutput("libprotobuf"));
    QVERIFY(gateway.output().count("\"protocol-error\"") >= 1);
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
}

void tst_HostileClients::lowOpenFileLimitIsReportedAndIdlePeersCannotLockOut()
{
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    gateway.process().setChildProcessModifier([] {
        const rlimit limit{128, 128};
        ::setrlimit(RLIMIT_NOFILE, &limit);
    });
    QString error;
    QVERIFY2(
        gateway.startListening({QStringLiteral("--quiet"), QStringLiteral("--no-stdin")}, &error),
        qPrintable(error));
    QVERIFY(gateway.waitForError("needs 4160 open files"));
    QVERIFY2(gateway.errorOutput().contains("Serving at most 64 connections"),
             gateway.errorOutput().constData());

    // Twice as many idle peers as fit: the gateway displaces the oldest instead of running out
    // of descriptors, and a device arriving afterwards is served.
    std::vector<std::unique_ptr<Peer>> idle;
    for (int i = 0; i < 128; ++i)
        idle.push_back(std::make_unique<Peer>(gateway.port()));
    QVERIFY(runUntil([&] {
        return std::count_if(idle.begin(), idle.end(), [](const auto& p) { return p->closed(); }) >=
               64;
    }));
    RawDevice device(gateway.port());
    QCOMPARE(device.handshake(button()), 0);
    QVERIFY(device.exchange(button(), kPressed).has_value());
}

void tst_HostileClients::strictReferenceSaysSo()
{
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(gateway.startListening({QStringLiteral("--policy"), QStringLiteral("strict-reference"),
                                     QStringLiteral("--no-stdin")},
                                    &error),
             qPrintable(error));
    QVERIFY(gateway.waitForError("strict-reference policy"));
    QVERIFY(gateway.errorOutput().contains("no connect deadline"));
    RawDevice device(gateway.port());
    QCOMPARE(device.handshake(button()), 0);
    QVERIFY(device.exchange(button(), kPressed).has_value());
}

void tst_HostileClients::strictReferenceTakesExplicitBounds()
{
    // An option given explicitly still applies on top of the strict-reference policy.
    GatewayProcess gateway(QStringLiteral(FLEET_GATEWAY_PATH));
    QString error;
    QVERIFY2(gateway.startListening({QStringLiteral("--policy"), QStringLiteral("strict-reference"),
                                     QStringLiteral("--connect-deadline-ms"), QStringLiteral("200"),
                                     QStringLiteral("--json"), QStringLiteral("--no-stdin")},
                                    &error),
             qPrintable(error));
    Peer idle(gateway.port());
    QVERIFY(runUntil([&] { return idle.closed(); }));
    QVERIFY(gateway.waitForOutput("\"connect-deadline\""));
}

QTEST_GUILESS_MAIN(tst_HostileClients)
#include "tst_hostileclients.moc"
