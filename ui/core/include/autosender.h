#pragma once

#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

// Paces "auto-send every N ms" and counts what it did. It only says when a status is due;
// the page decides whether one can go (never two at once: the reference server does not
// expect pipelined statuses, docs/protocol.md#framing) and reports back what happened.
class AutoSender : public QObject {
    Q_OBJECT
public:
    explicit AutoSender(QObject* parent = nullptr);

    // Resets the counts; the first status is due at once, then every intervalMs.
    void start(int intervalMs);
    // Stops; a reason (e.g. the error that ended it) stays visible in info().
    void stop(const QString& reason = {});
    bool isRunning() const;
    int intervalMs() const;

    void countSent();
    void countAnswered();
    void countSkipped(); // due while the previous status still awaited its answer

    int sent() const { return m_sent; }
    int answered() const { return m_answered; }
    int skipped() const { return m_skipped; }
    QString stopReason() const { return m_stopReason; }
    // "12 sent · 12 answered" while running; "stopped after 12 sent: …" after an error.
    QString info() const;

signals:
    void due();
    void changed();

private:
    QTimer* m_timer = nullptr;
    int m_sent = 0;
    int m_answered = 0;
    int m_skipped = 0;
    QString m_stopReason;
};

} // namespace fleet
