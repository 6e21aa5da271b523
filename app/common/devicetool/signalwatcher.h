#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// Turns SIGINT/SIGTERM into a Qt signal without blocking: the handler only writes the signal
// number into a pipe (async-signal-safe), and a QSocketNotifier reads it in the event loop.
// One instance per process.
class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    // False when the pipe or the handlers could not be set up; errorString() says why.
    bool isValid() const { return m_notifier != nullptr; }
    QString errorString() const { return m_error; }

signals:
    void signalReceived(int signalNumber);

private:
    void readPipe();

    QSocketNotifier* m_notifier = nullptr;
    QString m_error;
};

} // namespace fleet
