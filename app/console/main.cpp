#include "consoledocks.h"
#include "consoleoptions.h"
#include "mainwindow.h"
#include "screenshotdemo.h"
#include "settingsstore.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

namespace {

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("fleet"));
    QCoreApplication::setApplicationName(QStringLiteral("fleet-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLEET_VERSION));
}

} // namespace

int main(int argc, char* argv[])
{
    fleet::ConsoleOptionsResult parsed;
    {
        // --help, --version and bad options answer without a display.
        QCoreApplication core(argc, argv);
        setIdentity();
        parsed = fleet::parseConsoleOptions(QCoreApplication::arguments());
    }
    using Action = fleet::ConsoleOptionsResult::Action;
    if (parsed.action != Action::Run) {
        std::FILE* out = parsed.action == Action::Error ? stderr : stdout;
        std::fputs(qPrintable(parsed.text + QLatin1Char('\n')), out);
        return parsed.action == Action::Error ? 2 : 0;
    }
    const fleet::ConsoleOptions& options = parsed.options;

    QApplication app(argc, argv);
    setIdentity();
    QApplication::setDesktopFileName(QStringLiteral("fleet-console"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/fleet-console.svg")));

    fleet::MainWindow window(options.settingsFile.isEmpty()
                                 ? fleet::SettingsStore::defaultFileName()
                                 : options.settingsFile);
    fleet::installConsoleDocks(&window, qint64(options.trafficLogMib) * 1024 * 1024,
                               options.trafficLogFrames);
    // Before the gateway starts: the workspace's choice (Embedded gateway running) counts
    // like the settings file's, and the command line's flags still win.
    if (!options.workspaceFile.isEmpty())
        window.openWorkspace(options.workspaceFile, fleet::MainWindow::GatewayRun::LeaveAsIs);
    if (options.gateway && (options.gatewayPort || window.gatewayEnabled()))
        window.startEmbeddedGateway(options.gatewayPort);
    if (options.connectTo)
        window.connectCurrentDeviceTo(options.connectTo->host, options.connectTo->port);
    window.show();

    if (!options.screenshotDir.isEmpty()) {
        auto* demo = new fleet::ScreenshotDemo(&window, options.screenshotDir, &app);
        QObject::connect(demo, &fleet::ScreenshotDemo::finished, &app,
                         [&window](int exitCode, const QString& message) {
                             std::fputs(
                                 qPrintable(QStringLiteral("screenshot demo: %1\n").arg(message)),
                                 exitCode == 0 ? stdout : stderr);
                             window.close();
                             QCoreApplication::exit(exitCode);
                         });
        QTimer::singleShot(0, demo, &fleet::ScreenshotDemo::start);
    }
    return QApplication::exec();
}
