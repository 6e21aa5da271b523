#pragma once

#include "outputsink.h"

#include <QObject>

#include <memory>

namespace fleet {

// A headless tool's stdout and stderr. Where both are the same pipe, terminal or file (as with
// `2>&1`), they share one sink: lines keep the order they were printed in, and while the reader
// is behind no line of one lands inside a line of the other (docs/architecture.md#tool-output).
class ToolOutput : public QObject {
    Q_OBJECT
public:
    ToolOutput(int outFd, int errFd, OutputSink::Mode mode, QObject* parent = nullptr);
    ~ToolOutput() override;

    OutputSink* out() const { return m_out.get(); }
    OutputSink* err() const { return m_err ? m_err.get() : m_out.get(); }
    bool isShared() const { return !m_err; }
    // Either sink waits for its reader (Immediate mode, OutputSink::kBacklogBytes).
    bool isBacklogged() const { return out()->isBacklogged() || err()->isBacklogged(); }

    // True when both descriptors are the same file (device and inode).
    static bool sameFile(int a, int b);

signals:
    void backlogChanged(bool backlogged);

private:
    std::unique_ptr<OutputSink> m_out;
    std::unique_ptr<OutputSink> m_err; // null: stderr is stdout's file and shares its sink
};

} // namespace fleet
