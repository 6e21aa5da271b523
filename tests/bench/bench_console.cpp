// fleet-bench console: the real console window (offscreen) with its embedded gateway and the
// traffic log shown, devices auto-sending, and three clocks side by side: the round-trip time
// each device reports (what the operator reads), the gateway's own time from a status in to
// its answer out, and how late a 0 ms timer runs on the GUI thread. With --sequence the
// sequence diagram is shown beside the log, so both views paint the conversation as it comes.
#ifdef FLEET_BENCH_HAS_UI

#include "benchmain.h"

#include "autosender.h"
#include "consoledocks.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "mainwindow.h"
#include "sequencedock.h"
#include "sequencemodel.h"
#include "sequenceview.h"
#include "trafficlogmodel.h"

#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

namespace {

struct ConsoleBenchOptions {
    int devices = 1;
    int intervalMs = 1; // auto-send every N ms; 1: as fast as answers come (a due status waits)
    double seconds = 5.0;
    double warmupSeconds = 1.0;
    bool log = true;       // the traffic log dock shown (raised) while measuring
    bool sequence = false; // the sequence diagram shown beside the log (not tabbed with it)
};

bool parseOptions(const QStringList& arguments, ConsoleBenchOptions* options, QString* error)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& option = arguments[i];
        if (option == QLatin1String("--no-log")) {
            options->log = false;
            continue;
        }
        if (option == QLatin1String("--sequence")) {
            options->sequence = true;
            continue;
        }
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(option);
            return false;
        }
        bool ok = false;
        const double value = arguments[++i].toDouble(&ok);
        if (!ok || value <= 0 || value > 100000) {
            *error = QStringLiteral("%1 needs a positive number up to 100000, not '%2'")
                         .arg(option, arguments[i]);
            return false;
        }
        if (option == QLatin1String("--devices"))
            options->devices = int(value);
        else if (option == QLatin1String("--interval"))
            options->intervalMs = int(value);
        else if (option == QLatin1String("--seconds"))
            options->seconds = value;
        else if (option == QLatin1String("--warmup"))
            options->warmupSeconds = value;
        else {
            *error = QStringLiteral("unknown option %1").arg(option);
            return false;
        }
    }
    return true;
}

// How late a 0 ms timer fires on the GUI thread: one probe every 10 ms, so the probe itself
// adds no load worth measuring.
class GuiLatencyProbe : public QObject {
public:
    explicit GuiLatencyProbe(QObject* parent)
        : QObject(parent)
    {
        m_interval.setInterval(10);
        QObject::connect(&m_interval, &QTimer::timeout, this, [this] {
            m_posted.start();
            QTimer::singleShot(0, this, [this] {
                if (m_measuring)
                    m_samples.push_back(double(m_posted.nsecsElapsed()) / 1e6);
            });
        });
        m_interval.start();
    }
    void setMeasuring(bool on) { m_measuring = on; }
    const std::vector<double>& samples() const { return m_samples; }

private:
    QTimer m_interval;
    QElapsedTimer m_posted;
    std::vector<double> m_samples;
    bool m_measuring = false;
};

class ConsoleBench : public QObject {
public:
    explicit ConsoleBench(const ConsoleBenchOptions& options)
        : m_options(options)
    {
        m_clock.start();
    }

    int run()
    {
        if (!m_settingsDir.isValid()) {
            QTextStream(stderr) << "fleet-bench console: no temporary directory\n";
            return 1;
        }
        // A fresh settings file: the window starts with its one default device (the example
        // button) and the docks where a first start puts them.
        fleet::MainWindow window(m_settingsDir.filePath(QStringLiteral("console.ini")));
        m_windowObject = &window;
        fleet::installConsoleDocks(&window, qint64(256) * 1024 * 1024, 100000);
        // Asynchronous (the gateway lives on the console's network thread): wait here, in the
        // benchmark, for where it listens.
        window.startEmbeddedGateway(quint16(0));
        QElapsedTimer starting;
        starting.start();
        while (!window.gateway()->isListening() && starting.elapsed() < kStartWaitMs &&
               (window.gateway()->isStarting() || window.gateway()->errorString().isEmpty()))
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (!window.gateway()->isListening()) {
            QTextStream(stderr) << "fleet-bench console: the embedded gateway did not start\n";
            return 1;
        }
        window.resize(1366, 768);
        window.show();
        if (auto* log = window.findChild<QDockWidget*>(QStringLiteral("trafficLogDock"))) {
            log->setVisible(m_options.log);
            if (m_options.log)
                log->raise();
        }
        if (m_options.sequence && !showSequence(&window))
            return 1;
        watchGateway(window.gateway()->link());
        // The example button as New device makes it, each with a role of its own and the
        // auto-send interval typed in; then the start's own device goes.
        for (int i = 0; i < m_options.devices; ++i) {
            fleet::DeviceConfig config = fleet::DeviceConfig::exampleButton();
            config.identity.role = QStringLiteral("bench-%1").arg(i + 1);
            config.autoSendIntervalMs = m_options.intervalMs;
            window.addDevice(config);
        }
        window.closeDevice(0);
        for (fleet::DeviceSessionPage* page : window.pages())
            startDevice(page);
        m_probe = new GuiLatencyProbe(this);
        QTimer::singleShot(int(m_options.warmupSeconds * 1000), this, [this] { startWindow(); });
        const int exitCode = QCoreApplication::exec();
        for (fleet::DeviceSessionPage* page : window.pages())
            page->setAutoSend(false);
        return exitCode;
    }

private:
    // The diagram is tabbed with the log at first start, so only one of them would paint: it
    // moves to the right of the window, beside the log, and follows the conversation.
    bool showSequence(fleet::MainWindow* window)
    {
        m_sequence = window->findChild<fleet::SequenceDock*>(QStringLiteral("sequenceDock"));
        if (!m_sequence) {
            QTextStream(stderr) << "fleet-bench console: the window has no sequence dock\n";
            return false;
        }
        window->removeDockWidget(m_sequence);
        window->addDockWidget(Qt::RightDockWidgetArea, m_sequence);
        m_sequence->show();
        window->resizeDocks({m_sequence}, {560}, Qt::Horizontal);
        return true;
    }

    // The gateway's own time per exchange, stamped in its frame signal, which it emits on the
    // thread it runs on (the network thread) as each frame goes in or out.
    void watchGateway(fleet::GatewayLink* link)
    {
        link->watchFramesOnServerThread([this](const fleet::GatewayFrame& frame) {
            const QMutexLocker locker(&m_gatewayMutex);
            const qint64 now = m_clock.nsecsElapsed();
            if (frame.direction == fleet::GatewayFrame::Direction::In) {
                m_statusIn.insert(frame.connectionId, now);
                return;
            }
            const auto in = m_statusIn.find(frame.connectionId);
            if (in == m_statusIn.end())
                return; // the connect response has no status before it
            if (m_measuring)
                m_gatewayRtts.push_back(double(now - *in) / 1e6);
            m_statusIn.erase(in);
        });
    }

    void startDevice(fleet::DeviceSessionPage* page)
    {
        QObject::connect(page->session(), &fleet::DeviceSession::commandReceived, this,
                         [this](const QByteArray&, bool pushed, bool, double roundTripMs) {
                             if (m_measuring && !pushed && roundTripMs >= 0)
                                 m_deviceRtts.push_back(roundTripMs);
                         });
        QObject::connect(page->session(), &fleet::DeviceSession::statusChanged, page,
                         [page](fleet::SessionStatus status) {
                             if (status == fleet::SessionStatus::Connected &&
                                 !page->autoSender()->isRunning())
                                 page->setAutoSend(true);
                         });
        page->connectToServer();
    }

    void startWindow()
    {
        m_measuring = true;
        m_probe->setMeasuring(true);
        m_window.start();
        m_windowStartMs = QDateTime::currentMSecsSinceEpoch();
        QTimer::singleShot(int(m_options.seconds * 1000), this, [this] { finish(); });
    }

    void finish()
    {
        m_measuring = false;
        m_probe->setMeasuring(false);
        const QMutexLocker locker(&m_gatewayMutex);
        const double seconds = double(m_window.nsecsElapsed()) / 1e9;
        const std::vector<double> logRtts = logRoundTrips();
        QString sequence = QStringLiteral("hidden");
        if (m_sequence)
            sequence = QStringLiteral("shown sequence_rows=%1 sequence_visible=%2")
                           .arg(m_sequence->view()->model()->messageCount())
                           .arg(m_sequence->view()->isVisible() ? 1 : 0);
        QTextStream out(stdout);
        out << QStringLiteral("devices=%1 interval_ms=%2 log=%3 sequence=%4 ")
                   .arg(m_options.devices)
                   .arg(m_options.intervalMs)
                   .arg(m_options.log ? QStringLiteral("shown") : QStringLiteral("hidden"),
                        sequence)
            << QStringLiteral("round_trips_per_s=%4 "
                              "rtt_ms_p50=%5 rtt_ms_p99=%6 gateway_rtt_ms_p50=%7 "
                              "gateway_rtt_ms_p99=%8 gui_latency_ms_p50=%9 ")
                   .arg(double(m_deviceRtts.size()) / seconds, 0, 'f', 0)
                   .arg(percentile(m_deviceRtts, 50), 0, 'f', 3)
                   .arg(percentile(m_deviceRtts, 99), 0, 'f', 3)
                   .arg(percentile(m_gatewayRtts, 50), 0, 'f', 3)
                   .arg(percentile(m_gatewayRtts, 99), 0, 'f', 3)
                   .arg(percentile(m_probe->samples(), 50), 0, 'f', 2)
            << QStringLiteral("gui_latency_ms_p99=%1 log_rtt_ms_p50=%2 log_rtt_ms_p99=%3 "
                              "rtt_samples=%4\n")
                   .arg(percentile(m_probe->samples(), 99), 0, 'f', 2)
                   .arg(percentile(logRtts, 50), 0, 'f', 3)
                   .arg(percentile(logRtts, 99), 0, 'f', 3)
                   .arg(m_deviceRtts.size());
        out.flush();
        QCoreApplication::exit(m_deviceRtts.empty() ? 1 : 0);
    }

    // The traffic log's Round trip column for the devices' own rows in the measured window:
    // what the operator reads there, to set beside what the devices report.
    std::vector<double> logRoundTrips() const
    {
        std::vector<double> rtts;
        auto* log = m_windowObject ? m_windowObject->findChild<fleet::TrafficLogModel*>() : nullptr;
        if (!log)
            return rtts;
        log->flush();
        for (int row = 0; row < log->rowCount(); ++row) {
            const fleet::TrafficFrame& frame = log->frame(row);
            if (frame.side == fleet::TrafficSide::Device &&
                frame.kind == fleet::TrafficKind::Command && frame.roundTripMs >= 0.f &&
                frame.timeMs >= m_windowStartMs)
                rtts.push_back(double(frame.roundTripMs));
        }
        return rtts;
    }

    ConsoleBenchOptions m_options;
    QObject* m_windowObject = nullptr;
    qint64 m_windowStartMs = 0;
    QTemporaryDir m_settingsDir;
    QElapsedTimer m_clock;
    QElapsedTimer m_window;
    GuiLatencyProbe* m_probe = nullptr;
    fleet::SequenceDock* m_sequence = nullptr;
    static constexpr int kStartWaitMs = 10000;
    QMutex m_gatewayMutex;             // m_statusIn, m_gatewayRtts: filled on the network thread
    QHash<quint64, qint64> m_statusIn; // connection → when its status came in (ns)
    std::vector<double> m_deviceRtts;
    std::vector<double> m_gatewayRtts;
    std::atomic<bool> m_measuring = false;
};

int runConsoleBench(const QStringList& arguments)
{
    ConsoleBenchOptions options;
    QString error;
    if (!parseOptions(arguments, &options, &error)) {
        QTextStream(stderr) << "fleet-bench console: " << error << '\n';
        return 2;
    }
    ConsoleBench bench(options);
    return bench.run();
}

const BenchRegistration registration(
    "console",
    "console [--devices N] [--interval MS] [--seconds T] [--warmup S] [--no-log] [--sequence]   "
    "the "
    "console window offscreen, N devices (default 1) auto-sending every MS ms (default 1: as "
    "fast as answers come) to the embedded gateway, the traffic log shown (--sequence: and the "
    "sequence diagram beside it)",
    &runConsoleBench);

} // namespace

#endif // FLEET_BENCH_HAS_UI
