#pragma once

#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// SIGINT and SIGTERM as a Qt signal, for both headless tools: the handler only writes the
// signal number into a pipe (async-signal-safe), and a QSocketNotifier reads it in the event
// loop, so nothing runs inside the handler. One instance per process.
class SignalPipe : public QObject {
    Q_OBJECT
public:
    explicit SignalPipe(QObject* parent = nullptr);
    ~SignalPipe() override;

    // False when the pipe or the handlers could not be set up; errorString() says why.
    bool isValid() const { return m_notifier != nullptr; }
    QString errorString() const { return m_error; }

signals:
    void terminationRequested(int signalNumber);

private:
    void drain();
    void restoreDefaults();

    QSocketNotifier* m_notifier = nullptr;
    QString m_error;
};

} // namespace fleet
