#include "tooloutput.h"

#include <sys/stat.h>

namespace fleet {

ToolOutput::ToolOutput(int outFd, int errFd, OutputSink::Mode mode, QObject* parent)
    : QObject(parent)
    , m_out(std::make_unique<OutputSink>(outFd, mode))
{
    if (!sameFile(outFd, errFd))
        m_err = std::make_unique<OutputSink>(errFd, mode);
    for (OutputSink* sink : {m_out.get(), m_err.get()}) {
        if (sink) {
            connect(sink, &OutputSink::backlogChanged, this,
                    [this] { emit backlogChanged(isBacklogged()); });
        }
    }
}

ToolOutput::~ToolOutput() = default;

bool ToolOutput::sameFile(int a, int b)
{
    struct stat first {};
    struct stat second {};
    return ::fstat(a, &first) == 0 && ::fstat(b, &second) == 0 && first.st_dev == second.st_dev &&
           first.st_ino == second.st_ino;
}

} // namespace fleet
