// The presentation mode's caption: each gateway event told as one sentence, with the slot's
// holder remembered for refusals and takeovers (docs/demo.md#presentation-mode).
#include "captionnarrator.h"
#include "gatewaylink.h"
#include "gatewayserver.h"
#include "internalclient.h"

#include "identities.h"

#include <QSignalSpy>
#include <QTest>

using namespace fleet;
using namespace fleet::test;

namespace {

const QByteArray kPressed("{\"pressed\": true}");
const QByteArray kReleased("{\"pressed\": false}");
const QByteArray kLitUp("{\"lit_up\": true}");
const QByteArray kDark("{\"lit_up\": false}");

GatewayEvent event(GatewayEvent::Kind kind, const DeviceIdentity& device)
{
    GatewayEvent e;
    e.kind = kind;
    e.hasDevice = true;
    e.device = device;
    e.connectionId = 1;
    return e;
}

GatewayEvent connected(const DeviceIdentity& device, const QString& detail = {})
{
    GatewayEvent e = event(GatewayEvent::Kind::Connected, device);
    e.responseType = 0;
    e.detail = detail;
    return e;
}

GatewayEvent rejected(const DeviceIdentity& device, int responseType)
{
    GatewayEvent e = event(GatewayEvent::Kind::Rejected, device);
    e.responseType = responseType;
    return e;
}

GatewayEvent disconnected(const DeviceIdentity& device, GatewayEvent::Reason reason)
{
    GatewayEvent e = event(GatewayEvent::Kind::Disconnected, device);
    e.reason = reason;
    return e;
}

GatewayEvent data(GatewayEvent::Kind kind, const DeviceIdentity& device, const QByteArray& bytes,
                  GatewayEvent::Source source = GatewayEvent::Source::None)
{
    GatewayEvent e = event(kind, device);
    e.data = bytes;
    e.source = source;
    return e;
}

GatewayEvent unanswered(const DeviceIdentity& device, GatewayEvent::Reason reason,
                        const QString& detail)
{
    GatewayEvent e = data(GatewayEvent::Kind::StatusUnanswered, device, "{\"pressed\": maybe}");
    e.reason = reason;
    e.detail = detail;
    return e;
}

const DeviceIdentity b1 = button(QStringLiteral("button"), 1, QStringLiteral("b1"));
const DeviceIdentity b2 = button(QStringLiteral("button"), 1, QStringLiteral("b2"));
const DeviceIdentity b3 = button(QStringLiteral("button"), 0, QStringLiteral("b3"));
const DeviceIdentity weak = button(QStringLiteral("button"), 5, QStringLiteral("b4"));

} // namespace

class TestCaptionNarrator : public QObject {
    Q_OBJECT
private slots:
    void sentences_data();
    void sentences();
    void refusalCloseKeepsTheRefusal();
    void liveGateway();
};

void TestCaptionNarrator::sentences_data()
{
    QTest::addColumn<QList<GatewayEvent>>("events");
    QTest::addColumn<QString>("caption");

    using K = GatewayEvent::Kind;
    using S = GatewayEvent::Source;
    using R = GatewayEvent::Reason;
    QTest::newRow("connected") << QList{connected(b1)}
                               << "Button b1 connected and the gateway accepted it (priority 1)";
    QTest::newRow("status") << QList{connected(b1), data(K::StatusReceived, b1, kPressed)}
                            << "Button b1 sent its status: button pressed";
    QTest::newRow("module answer") << QList{connected(b1), data(K::StatusReceived, b1, kPressed),
                                            data(K::CommandSent, b1, kDark, S::Module)}
                                   << "The gateway answered b1's status with: lamp off";
    QTest::newRow("queued answer") << QList{data(K::CommandSent, b1, kLitUp, S::Queued)}
                                   << "The gateway answered b1's status with the operator's "
                                      "queued command: lamp on";
    QTest::newRow("empty answer") << QList{data(K::CommandSent, b1, {}, S::Empty)}
                                  << "The gateway answered b1's status with an empty command: "
                                     "nothing new";
    QTest::newRow("pushed") << QList{data(K::CommandSent, b1, kLitUp, S::Pushed)}
                            << "The gateway pushed a command to b1 without being asked: lamp on";
    QTest::newRow("same priority, holder known")
        << QList{connected(b1), rejected(b2, 1)}
        << "The gateway refused a second button, b2: the slot is already taken by b1, which has "
           "the same priority (1)";
    QTest::newRow("same priority, holder unknown")
        << QList{rejected(b2, 1)}
        << "The gateway refused button b2: the slot is already taken by a device with the same "
           "priority";
    QTest::newRow("weaker priority")
        << QList{connected(b1), rejected(weak, 4)}
        << "The gateway refused button b4 (priority 5): b1 holds the slot with a higher priority "
           "(1; a lower number wins)";
    QTest::newRow("module not served") << QList{rejected(b1, 2)}
                                       << "The gateway refused button b1: the gateway does not "
                                          "serve this module";
    QTest::newRow("displaced")
        << QList{connected(b1), disconnected(b1, R::Takeover)}
        << "The gateway dropped button b1: a device with a higher priority is taking its slot";
    QTest::newRow("takeover")
        << QList{connected(b1), disconnected(b1, R::Takeover),
                 connected(b3, QStringLiteral("took the slot over from a lower-priority device"))}
        << "Button b3 (priority 0) took the slot over from b1 (priority 1): a lower number wins, "
           "so the gateway accepted b3 and dropped b1";
    QTest::newRow("holder left, then a rival is refused without a known holder")
        << QList{connected(b1), disconnected(b1, R::PeerClosed), rejected(b2, 1)}
        << "The gateway refused button b2: the slot is already taken by a device with the same "
           "priority";
    QTest::newRow("peer closed") << QList{connected(b1), disconnected(b1, R::PeerClosed)}
                                 << "Button b1 closed its connection";
    QTest::newRow("invalid status dropped")
        << QList{connected(b3), unanswered(b3, R::InvalidStatus, QStringLiteral("bad bytes"))}
        << "The gateway dropped b3's status without an answer: the example module rejected it, "
           "and the protocol has no error message";
    QTest::newRow("invalid status, then closed")
        << QList{unanswered(b3, R::InvalidStatus, QStringLiteral("bad bytes")),
                 disconnected(b3, R::InvalidStatus)}
        << "The gateway closed b3's connection after leaving its invalid status unanswered";
    QTest::newRow("silent device") << QList{disconnected(b1, R::Silence)}
                                   << "The gateway closed b1's connection: the device was silent "
                                      "for too long";
}

void TestCaptionNarrator::sentences()
{
    QFETCH(QList<GatewayEvent>, events);
    QFETCH(QString, caption);
    CaptionNarrator narrator;
    QSignalSpy spy(&narrator, &CaptionNarrator::captionChanged);
    for (const GatewayEvent& e : events)
        narrator.take(e);
    QCOMPARE(narrator.caption(), caption);
    QVERIFY(!spy.isEmpty());
    QCOMPARE(spy.last().at(0).toString(), caption);
}

// The gateway closes a refused device's connection right after the refusal: the room must
// still read why it was refused, not that a connection closed.
void TestCaptionNarrator::refusalCloseKeepsTheRefusal()
{
    CaptionNarrator narrator;
    narrator.take(connected(b1));
    narrator.take(rejected(b2, 1));
    const QString refusal = narrator.caption();
    QSignalSpy spy(&narrator, &CaptionNarrator::captionChanged);
    narrator.take(disconnected(b2, GatewayEvent::Reason::ConnectRejected));
    QVERIFY(spy.isEmpty());
    QCOMPARE(narrator.caption(), refusal);
    // A later event still moves the caption on.
    narrator.take(data(GatewayEvent::Kind::StatusReceived, b1, kReleased));
    QCOMPARE(narrator.caption(), QStringLiteral("Button b1 sent its status: button released"));
}

// The same sentences from a real gateway's events: a holder, a rival with its priority.
void TestCaptionNarrator::liveGateway()
{
    GatewayServer gateway;
    QVERIFY(gateway.listen(QHostAddress::LocalHost, 0));
    GatewayLink link(&gateway);
    CaptionNarrator narrator;
    narrator.attachGateway(&link);

    InternalClient first;
    QSignalSpy firstUp(&first, &InternalClient::connected);
    first.connectToServer(QStringLiteral("127.0.0.1"), gateway.serverPort(), b1);
    QVERIFY(firstUp.wait());
    QTRY_COMPARE(narrator.caption(),
                 QStringLiteral("Button b1 connected and the gateway accepted it (priority 1)"));

    InternalClient rival;
    QSignalSpy refused(&rival, &InternalClient::errorOccurred);
    rival.connectToServer(QStringLiteral("127.0.0.1"), gateway.serverPort(), b2);
    QVERIFY(refused.wait());
    QTRY_COMPARE(narrator.caption(),
                 QStringLiteral("The gateway refused a second button, b2: the slot is already "
                                "taken by b1, which has the same priority (1)"));
}

QTEST_GUILESS_MAIN(TestCaptionNarrator)
#include "tst_captionnarrator.moc"
