#pragma once

#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// SIGINT and SIGTERM as a Qt signal: the handler only writes the signal number into a pipe
// (async-signal-safe), the event loop reads it through a QSocketNotifier. One per process.
class SignalPipe : public QObject {
    Q_OBJECT
public:
    explicit SignalPipe(QObject* parent = nullptr);
    ~SignalPipe() override;

    bool isValid() const { return m_notifier != nullptr; }
    QString errorString() const { return m_error; }

signals:
    void terminationRequested(int signalNumber);

private:
    void drain();

    QSocketNotifier* m_notifier = nullptr;
    QString m_error;
};

} // namespace fleet
