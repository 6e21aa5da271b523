#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace fleet {

class MainWindow;

// --screenshot-demo DIR: drives the window like a new user (the demo tour, connect, send, a
// second device on the same slot, a broken payload, devices that behave) and saves a PNG of the
// window after each step. Every step waits for what the operator would wait for, polled by a timer:
// nothing blocks, so the pictures show the real window in its real states.
class ScreenshotDemo : public QObject {
    Q_OBJECT
public:
    static constexpr int kStepTimeoutMs = 15000;

    ScreenshotDemo(MainWindow* window, const QString& directory, QObject* parent = nullptr);
    ~ScreenshotDemo() override;

    void start();
    QStringList writtenFiles() const { return m_written; }

signals:
    // 0 when every picture was written; otherwise the message says which step failed.
    void finished(int exitCode, const QString& message);

private:
    struct Step {
        QString name; // the PNG's base name
        std::function<void()> action;
        std::function<bool()> ready;
    };
    void buildSteps();
    void runStep();
    void poll();
    void capture();

    MainWindow* m_window;
    QString m_directory;
    QList<Step> m_steps;
    int m_index = 0;
    QTimer* m_poll = nullptr;
    QElapsedTimer m_stepClock;
    // Since the demo vehicle got its mission (shared with the step's lambdas).
    std::shared_ptr<QElapsedTimer> m_driveClock = std::make_shared<QElapsedTimer>();
    QStringList m_written;
};

} // namespace fleet
