#pragma once

#include <QObject>

namespace fleet {

class GatewayServer;
class OutputSink;
struct GatewayEvent;
struct GatewayFrame;

// Prints the gateway's events: one human-readable line each, or one JSON object per line.
class EventWriter : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool json = false;
        bool quiet = false;  // skip per-status and per-command events
        bool frames = false; // also every frame, as hex
    };

    EventWriter(GatewayServer* server, OutputSink* out, Options options, QObject* parent = nullptr);

private:
    void writeEvent(const GatewayEvent& event);
    void writeFrame(const GatewayFrame& frame);

    OutputSink* m_out;
    Options m_options;
};

} // namespace fleet
