// fleet-device: emulated Fleet Protocol v2 devices, headless (docs/architecture.md#layers).
// Everything but the process setup lives in fleet_tools (DeviceTool), where tests reach it.
#include "devicetool.h"
#include "epolldispatcher.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    // The event dispatcher is chosen here, before QCoreApplication creates its own.
    // The epoll dispatcher, as in fleet-gateway: with --devices in the thousands, every pass of
    // Qt's dispatchers polls every socket (glib's also walks all notifiers on each write).
    // FLEET_DEVICE_DISPATCHER=qt keeps Qt's own UNIX dispatcher (never glib's).
    if (qEnvironmentVariable("FLEET_DEVICE_DISPATCHER") != QLatin1String("qt")) {
        auto* dispatcher = new fleet::EpollDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher);
        else
            delete dispatcher;
    }
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);

    fleet::DeviceTool tool;
    if (const std::optional<int> exitCode = tool.start(QCoreApplication::arguments()))
        return *exitCode;
    QObject::connect(&tool, &fleet::DeviceTool::finished, &app, &QCoreApplication::exit);
    return QCoreApplication::exec();
}
