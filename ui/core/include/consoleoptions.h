#pragma once

#include "hostport.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace fleet {

// fleet-console's command line.
struct ConsoleOptions {
    bool gateway = true;                // --no-gateway turns the embedded gateway off
    std::optional<quint16> gatewayPort; // --gateway-port N: exactly this port (0 = any)
    std::optional<HostPort> connectTo;  // --connect HOST:PORT: prefill and connect at start
    QString settingsFile;               // --settings FILE (default: SettingsStore's)
    QString screenshotDir;              // --screenshot-demo DIR
    // FILE.json, the one positional argument: a workspace to open at start
    // (docs/workspaces.md); its devices replace the last session's.
    QString workspaceFile;
    // The traffic log's bounds (docs/architecture.md#limits).
    int trafficLogMib = 256;       // --traffic-log-mib N: wire bytes it may hold
    int trafficLogFrames = 100000; // --traffic-log-frames N: rows it may hold
};

struct ConsoleOptionsResult {
    enum class Action { Run, ShowHelp, ShowVersion, Error };
    Action action = Action::Run;
    ConsoleOptions options;
    QString text; // help, version or error text to print
};

// arguments[0] is the program name, as in QCoreApplication::arguments().
ConsoleOptionsResult parseConsoleOptions(const QStringList& arguments);

} // namespace fleet
