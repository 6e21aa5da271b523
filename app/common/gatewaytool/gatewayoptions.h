#pragma once

#include "gatewaypolicy.h"
#include "modulecatalog.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <optional>

namespace fleet {

// Everything fleet-gateway's command line decides.
struct GatewayOptions {
    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = kDefaultGatewayPort;
    GatewayPolicy policy;
    bool json = false;
    bool quiet = false;  // no per-status / per-command lines
    bool frames = false; // every frame in and out, as hex
    bool commandsFromStdin = true;
    bool strictReference = false; // --policy strict-reference (the tool says so at start)
    // --mission ROUTE:STOP,… (stops from --map): queued for every vehicle (MissionDispatcher).
    std::optional<MissionCommand> mission;
};

// The result of parsing: options, or what to print and the exit code.
struct GatewayOptionsResult {
    enum class Outcome { Run, Exit };
    Outcome outcome = Outcome::Run;
    GatewayOptions options;
    QString message; // --help / --version text (stdout) or the usage error (stderr), with "\n"
    int exitCode = 0;
};

// Parses argv (program name first). Bad input names the option and what is wrong.
GatewayOptionsResult parseGatewayOptions(const QStringList& arguments);

// --listen: HostPort's forms for a listener ("127.0.0.1:8888", "[::1]:0", "localhost:1636",
// "*:8888") and a bare port ("8888", loopback). Literal addresses only: a name lookup would
// block. On failure returns false and sets *error.
bool parseListenAddress(const QString& text, QHostAddress* address, quint16* port, QString* error);

} // namespace fleet
