#pragma once

#include "behaviour.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

class DeviceSession;

// Ties a Behaviour to a DeviceSession: tells the behaviour the time, sends its status when
// one is due (on change and on heartbeat) and the session can take it — never two at once,
// the reference server does not expect pipelined statuses (docs/protocol.md#framing) — and
// applies every command that arrives, answers and pushes alike. While the session is not
// connected the behaviour keeps living (a vehicle keeps following its last command) and
// nothing is sent.
//
// The clock is injectable: tests and the headless tool's fast mode pass their own and call
// poll() after moving it; the real one is a monotonic timer. One single-shot QTimer wakes the
// driver for the next heartbeat or event, and every frame interval while the behaviour
// animates (a driving vehicle), so a face can repaint smoothly.
class BehaviourDriver : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    static constexpr int kDefaultFrameIntervalMs = 40;
    // A status is due but the previous one still awaits its answer: look again this often
    // (the answer itself wakes the driver at once).
    static constexpr int kBlockedRecheckMs = 250;

    explicit BehaviourDriver(DeviceSession* session, QObject* parent = nullptr);
    ~BehaviourDriver() override;

    // The behaviour to drive (not owned); nullptr stops driving.
    void setBehaviour(Behaviour* behaviour);
    Behaviour* behaviour() const { return m_behaviour; }

    void setClock(Clock clock);
    qint64 now() const;
    void setStatusTimeoutMs(int timeoutMs) { m_statusTimeoutMs = timeoutMs; }
    void setFrameIntervalMs(int intervalMs) { m_frameIntervalMs = qMax(1, intervalMs); }

    // Advances the behaviour to now(), sends a due status if the session can take one, and
    // schedules the next wake-up.
    void poll();

    // Manual mode of a device tab: the operator's typed statuses go out instead, so the
    // behaviour's own are held back while it keeps living and applying every command. Lifting
    // the suspension sends the behaviour's status as soon as the session can take one: the
    // gateway's last status was the operator's.
    void setSendingSuspended(bool suspended);
    bool sendingSuspended() const { return m_suspended; }
    // Sends the behaviour's status now (the operator's Send while the composer shows it),
    // counted as the behaviour's own. False with *error when the session cannot take it.
    bool sendNow(QString* error = nullptr);

    quint64 statusesSent() const { return m_sent; }
    quint64 commandsApplied() const { return m_applied; }

signals:
    void statusSent(const QByteArray& status);
    // A command reached the behaviour; applied false when it ignored it (note says why).
    void commandHandled(const QByteArray& command, bool applied, const QString& note);
    void sendFailed(const QString& error);

private:
    void onCommand(const QByteArray& data);
    void pollLater();
    void schedule();

    QPointer<DeviceSession> m_session;
    QPointer<Behaviour> m_behaviour;
    QTimer* m_timer = nullptr;
    Clock m_clock;
    QElapsedTimer m_elapsed;
    int m_statusTimeoutMs = 5000;
    int m_frameIntervalMs = kDefaultFrameIntervalMs;
    bool m_pollQueued = false;
    bool m_suspended = false;
    bool m_resendAfterSuspend = false;
    quint64 m_sent = 0;
    quint64 m_applied = 0;
};

} // namespace fleet
