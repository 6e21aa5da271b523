#pragma once

#include <QByteArray>
#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace fleet {

// Operator lines from a descriptor (stdin), read only when the event loop says there is
// something to read, so a silent terminal never blocks the gateway. EOF just ends the input;
// the gateway keeps serving.
class StdinReader : public QObject {
    Q_OBJECT
public:
    explicit StdinReader(int fd, QObject* parent = nullptr);

    // False when the descriptor is not open (e.g. started with stdin closed).
    bool isOpen() const { return m_notifier != nullptr; }

signals:
    void lineRead(const QString& line);
    void endOfInput();

private:
    void readAvailable();

    int m_fd;
    QSocketNotifier* m_notifier = nullptr;
    QByteArray m_partial;
};

} // namespace fleet
