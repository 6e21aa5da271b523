#pragma once

#include "deviceconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QSettings;
QT_END_NAMESPACE

namespace fleet {

struct GatewayConfig {
    bool enabled = true;
    quint16 port = 8888; // preferred port; the next free one is used when it is taken
    // What the operator set in the gateway panel (GatewayPolicy's fields of the same names).
    QList<quint32> supportedModules{1, 2, 3, 1000};
    int answerDelayMs = 0;
    bool emptyAnswers = false;
    bool explainSilentDrops = true;
    friend bool operator==(const GatewayConfig&, const GatewayConfig&) = default;
};

// How the operator left the traffic log: its filters, whether it follows new frames and
// shows details, and its column widths.
struct TrafficViewConfig {
    QString device;                         // a device label; empty: all devices
    QString direction;                      // trafficDirectionKey(); empty: both directions
    QString rows = QStringLiteral("frame"); // "frame" (one row per frame), "both", "device",
                                            // "gateway" (trafficSideKey())
    quint32 kinds = 0xffffffffu;            // TrafficLogFilter::kindBit() per shown kind
    QString text;                           // the text filter
    bool follow = true;
    bool details = true;
    QByteArray header; // QHeaderView::saveState(): column widths
    friend bool operator==(const TrafficViewConfig&, const TrafficViewConfig&) = default;
};

// Everything the console restores on the next start.
struct ConsoleSettings {
    QList<DeviceConfig> devices;
    int currentDevice = 0;
    GatewayConfig gateway;
    TrafficViewConfig trafficView;
    bool askBeforeClosingConnected = true; // File › Ask before closing a connected device
    QByteArray windowGeometry;
    QByteArray windowState;
    // File › Open recent: workspace files, the most recent first (at most kMaxRecentWorkspaces).
    QStringList recentWorkspaces;
};

inline constexpr int kMaxRecentWorkspaces = 8;

// Reads and writes ConsoleSettings as one ini file at an explicit path (tests pass a
// temporary one; the console uses defaultFileName()). A file that is not a well-formed
// settings file is never half-used: it is renamed to "<file>.corrupt-<timestamp>" and the
// caller gets defaults plus a message naming the file and what was wrong.
class SettingsStore {
public:
    explicit SettingsStore(const QString& fileName);

    // ~/.config/fleet/fleet-console.ini (XDG_CONFIG_HOME is honoured).
    static QString defaultFileName();
    QString fileName() const { return m_fileName; }

    struct LoadResult {
        ConsoleSettings settings; // defaults when the file is missing or corrupt
        QString fileName;
        bool existed = false;
        bool corrupt = false;
        QString problem;      // what was wrong: "line 3 is not …", "devices/1/port is …"
        QString setAsidePath; // where the corrupt file went (empty if renaming failed)
        // One sentence for a banner, naming the file; empty unless corrupt.
        QString message() const;
        // Values that were wrong but did not spoil the file, each naming the device, the value
        // and what was used instead (a behaviour the device does not have, a setting the
        // behaviour refuses, a map file that does not load); the rest was restored.
        QStringList notes;
        // The notes as one banner text naming the file; empty when there are none.
        QString notesMessage() const;
    };
    LoadResult load() const;

    // Replaces the file's content. Returns false with *error naming the file on failure.
    bool save(const ConsoleSettings& settings, QString* error = nullptr) const;

    // A fresh console: one example-module button on the embedded gateway.
    static ConsoleSettings defaults();

private:
    QString m_fileName;
};

} // namespace fleet
