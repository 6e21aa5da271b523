#pragma once

#include "deviceconfig.h"
#include "settingsstore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace fleet {

// One device of a workspace: what the console uses, and the object it was read from, so that
// keys this version does not know (written by a newer one) are written back unchanged.
struct WorkspaceDevice {
    DeviceConfig config;
    QJsonObject json; // as read; empty for a device that was not read from a file
};

// Where a workspace file is wrong: the file, the line and column of the value at fault, its
// key path ("devices[2].identity.priority") and what is wrong with it.
struct WorkspaceError {
    QString fileName;
    int line = 0; // 0 when the file as a whole is at fault (missing, too large)
    int column = 0;
    QString path; // empty for the file as a whole
    QString message;
    // "ws.json:12:9: devices[2].identity.priority: a whole number from 0 to 4294967295, not -1"
    QString toString() const;
};

// A saved workspace (docs/workspaces.md): the device tabs with their identities, servers,
// drafts and behaviours, the gateway panel's setup, the traffic log's view, the window layout
// and what panels contribute ("parts"), as one readable, versioned JSON file. Reading is
// all-or-nothing: a file with a mistake gives an error and no half-read workspace.
class Workspace {
public:
    static constexpr const char* kFormatName = "fleet-console-workspace";
    static constexpr int kFormatVersion = 1;
    // A workspace is a few kilobytes; anything near this is not one (docs/workspaces.md#limits).
    static constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
    static constexpr int kMaxDevices = 64; // as many as the settings file keeps

    QList<WorkspaceDevice> devices;
    int currentDevice = 0; // the tab in front
    GatewayConfig gateway;
    TrafficViewConfig trafficView;
    QByteArray windowGeometry; // QMainWindow::saveGeometry()
    QByteArray windowState;    // QMainWindow::saveState(): docks and toolbar
    // What panels saved, by their key (MainWindow::addWorkspacePart); a part no panel of this
    // console knows is kept as read.
    QJsonObject parts;
    // The whole file as read: its unknown keys at the top level and in the gateway, traffic
    // view and window objects are written back. Empty for a new workspace.
    QJsonObject json;
    int version = kFormatVersion; // the version the file says it is (a newer one may be read)

    // Indented JSON with a stable key order (known keys first, in the documented order, then
    // unknown ones alphabetically): this workspace written over `json`.
    QByteArray toJson() const;

    // Reads a workspace from its bytes; fileName labels messages. False with *error at the
    // first mistake. *warnings gets what the operator should know about a file that was read
    // (written by a newer version).
    static bool parse(const QByteArray& bytes, const QString& fileName, Workspace* workspace,
                      WorkspaceError* error, QStringList* warnings = nullptr);
    static bool load(const QString& fileName, Workspace* workspace, WorkspaceError* error,
                     QStringList* warnings = nullptr);
    // Writes toJson() atomically (the old file stays whole until the new one is complete).
    // False with *error naming the file.
    bool save(const QString& fileName, QString* error = nullptr) const;

    // The device's object as the file holds it: `config` written over `base`.
    static QJsonObject deviceToJson(const DeviceConfig& config, const QJsonObject& base = {});
};

} // namespace fleet
