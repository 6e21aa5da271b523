// fleet-gateway: the gateway emulator as a headless process (docs/architecture.md#layers).
// Everything but the process setup lives in fleet_tools (GatewayTool), where tests reach it.
#include "epolldispatcher.h"
#include "gatewaytool.h"

#include <QCoreApplication>

#include <memory>

namespace {

// Qt's dispatchers cost O(devices) per status: every pass poll()s every socket, and the GLib
// one also searches a list of all notifiers whenever one is switched off (each answer does
// that). The epoll dispatcher touches only the sockets that have something to say.
// FLEET_GATEWAY_DISPATCHER=qt keeps Qt's own (without GLib).
void installEventDispatcher()
{
    if (qEnvironmentVariable("FLEET_GATEWAY_DISPATCHER") != QLatin1String("qt")) {
        auto dispatcher = std::make_unique<fleet::EpollDispatcher>();
        if (dispatcher->isValid()) {
            QCoreApplication::setEventDispatcher(dispatcher.release());
            return;
        }
    }
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
}

} // namespace

int main(int argc, char** argv)
{
    installEventDispatcher(); // before QCoreApplication creates its own
    QCoreApplication app(argc, argv);

    fleet::GatewayTool tool;
    if (const std::optional<int> exitCode = tool.start(QCoreApplication::arguments()))
        return *exitCode;
    QObject::connect(&tool, &fleet::GatewayTool::finished, &app, &QCoreApplication::exit);
    return QCoreApplication::exec();
}
