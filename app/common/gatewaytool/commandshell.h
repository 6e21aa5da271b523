#pragma once

#include "deviceidentity.h"

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

namespace fleet {

class GatewayServer;
class OutputSink;

// The operator's stdin commands (type "help"): push, queue, clear, disconnect, list, delay,
// empty, quit. Replies go to the output (JSON objects with "event":"reply" in JSON mode);
// mistakes get a line naming what is wrong and change nothing.
class CommandShell : public QObject {
    Q_OBJECT
public:
    CommandShell(GatewayServer* server, OutputSink* out, OutputSink* err, bool json,
                 QObject* parent = nullptr);

    void execute(const QString& line);

    static QString helpText();

    // "1000/0/button" or "\"1000/0/my role\"" at the start of text; the rest goes to *rest.
    static bool parseSlot(const QString& text, DeviceIdentity* slot, QString* rest, QString* error);
    // The command bytes: the text as UTF-8, or "hex:7b7d" for binary.
    static bool parseData(const QString& text, QByteArray* data, QString* error);

signals:
    void quitRequested();

private:
    void list(const QString& command);
    void reply(const QString& command, const QString& text, QJsonObject json = {});
    void fail(const QString& command, const QString& error);

    GatewayServer* m_server;
    OutputSink* m_out;
    OutputSink* m_err;
    bool m_json;
};

} // namespace fleet
