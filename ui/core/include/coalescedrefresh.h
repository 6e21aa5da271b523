#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace fleet {

// Runs a view's refresh at most once per interval, so a device answering hundreds of times a
// second repaints its tab at a reader's pace, not the network's (docs/performance.md#repaints).
// The first request after a quiet interval runs at once: a single click shows its effect
// without delay; the requests that follow within the interval run once, at its end.
class CoalescedRefresh : public QObject {
public:
    // 25 refreshes a second: smooth to the eye, a small share of the GUI thread.
    static constexpr int kDefaultIntervalMs = 40;

    explicit CoalescedRefresh(std::function<void()> refresh, QObject* parent = nullptr,
                              int intervalMs = kDefaultIntervalMs);

    // Now, when the last refresh ran an interval ago or more; else once at the interval's end.
    void request();
    // Now, whatever the interval: a state the operator must see at once (an error, a close).
    void flush();
    // A request waits for the interval's end.
    bool isPending() const { return m_timer.isActive(); }
    int intervalMs() const { return m_intervalMs; }

private:
    void run();

    std::function<void()> m_refresh;
    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_lastRun;
};

} // namespace fleet
