// fleet-bench log: how many frames per second the traffic log takes through the console's
// recording path (a device label formatted per frame, the real log dock), with and without a
// text filter, what memory it needs, and how long a filter change over a full log takes.
#ifdef FLEET_BENCH_HAS_UI

#include "benchmain.h"

#include "framecodec.h"
#include "trafficlogfilter.h"
#include "trafficlogmodel.h"
#include "trafficlogview.h"

#include "InternalProtocol.pb.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace {

struct LogBenchOptions {
    qint64 frames = 1'000'000;
    int capacity = fleet::TrafficLogModel::kDefaultCapacity;
    int devices = 20;
    // Frames per event-loop turn: what one readyRead of a busy socket might deliver.
    int burst = 200;
    bool view = true;
    QString filter; // --filter TEXT: the log's text filter, active while frames arrive
};

// Parses "--frames N" style options; on bad input says which option and why.
bool parseOptions(const QStringList& arguments, LogBenchOptions* options, QString* error)
{
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& option = arguments[i];
        if (option == QLatin1String("--no-view")) {
            options->view = false;
            continue;
        }
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(option);
            return false;
        }
        if (option == QLatin1String("--filter")) {
            options->filter = arguments[++i];
            continue;
        }
        bool ok = false;
        const qint64 value = arguments[++i].toLongLong(&ok);
        if (!ok || value <= 0) {
            *error =
                QStringLiteral("%1 needs a positive number, not '%2'").arg(option, arguments[i]);
            return false;
        }
        if (option == QLatin1String("--frames")) {
            options->frames = value;
        } else if ((option == QLatin1String("--cap") || option == QLatin1String("--devices") ||
                    option == QLatin1String("--burst")) &&
                   value > std::numeric_limits<int>::max()) {
            *error = QStringLiteral("%1 %2 is too large").arg(option).arg(value);
            return false;
        } else if (option == QLatin1String("--cap")) {
            options->capacity = int(value);
        } else if (option == QLatin1String("--devices")) {
            options->devices = int(value);
        } else if (option == QLatin1String("--burst")) {
            options->burst = int(value);
        } else {
            *error = QStringLiteral("unknown option %1").arg(option);
            return false;
        }
    }
    return true;
}

struct DeviceFrames {
    fleet::DeviceIdentity identity;
    QByteArray status;
    QByteArray command;
};

// An example-module button per device, talking as a real one does (docs/modules.md#example-module).
QList<DeviceFrames> makeDevices(int count)
{
    QList<DeviceFrames> devices;
    for (int i = 0; i < count; ++i) {
        fleet::DeviceIdentity identity;
        identity.module = fleet::ModuleNumber::Example;
        identity.role = QStringLiteral("button-%1").arg(i);
        identity.name = QStringLiteral("bench device %1").arg(i);
        InternalProtocol::InternalClient status;
        identity.toProto(status.mutable_devicestatus()->mutable_device());
        status.mutable_devicestatus()->set_statusdata(i % 2 ? "{\"pressed\": true}"
                                                            : "{\"pressed\": false}");
        InternalProtocol::InternalServer command;
        identity.toProto(command.mutable_devicecommand()->mutable_device());
        command.mutable_devicecommand()->set_commanddata(i % 2 ? "{\"lit_up\": false}"
                                                               : "{\"lit_up\": true}");
        devices.append({identity, fleet::encodeFrame(status), fleet::encodeFrame(command)});
    }
    return devices;
}

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // kilobytes on Linux
}

// User + system CPU seconds so far: on a shared machine wall-clock rates vary with the load,
// CPU time much less.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The dock's filter box set and applied at once (the box itself waits for a typing pause).
void setTextFilter(fleet::TrafficLogView* view, const QString& text)
{
    fleet::TrafficViewConfig config = view->viewConfig();
    config.text = text;
    view->applyViewConfig(config);
}

struct FilterChangeTimes {
    double medianMs = 0;
    double maxMs = 0;
};

// Filter changes over the whole log, each until the view has repainted: a device, a payload
// word no row has, a word half the rows have, and back to none.
FilterChangeTimes timeFilterChanges(fleet::TrafficLogView* view, int devices)
{
    const QStringList texts{QStringLiteral("button-%1").arg(devices / 2), QStringLiteral("zebra"),
                            QStringLiteral("lit_up"), QString()};
    std::vector<double> times;
    for (const QString& text : texts) {
        QElapsedTimer clock;
        clock.start();
        setTextFilter(view, text);
        QCoreApplication::processEvents();
        times.push_back(double(clock.nsecsElapsed()) / 1e6);
        QTextStream(stderr) << "fleet-bench log: filter '" << text << "': " << times.back()
                            << " ms, " << view->filter()->rowCount() << " rows shown\n";
    }
    std::sort(times.begin(), times.end());
    return {(times[1] + times[2]) / 2, times.back()};
}

int runLogBench(const QStringList& arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    LogBenchOptions options;
    QString error;
    if (!parseOptions(arguments, &options, &error)) {
        err << "fleet-bench log: " << error << '\n';
        return 2;
    }

    fleet::TrafficLogModel model;
    model.setCapacity(options.capacity);
    // The console's log dock itself: its filter proxy, its table following new frames.
    fleet::TrafficLogView view(&model);
    if (options.view) {
        view.resize(1200, 700);
        view.show();
    }
    if (!options.filter.isEmpty())
        setTextFilter(&view, options.filter);

    const QList<DeviceFrames> devices = makeDevices(options.devices);
    QElapsedTimer timer;
    timer.start();
    const double cpuBefore = cpuSeconds();
    for (qint64 i = 0; i < options.frames; ++i) {
        const DeviceFrames& device = devices[(i / 2) % devices.size()];
        const bool isStatus = i % 2 == 0;
        const QByteArray& wireTemplate = isStatus ? device.status : device.command;
        // A fresh buffer per frame, as each socket read yields: sharing one template would
        // understate the memory a real log needs.
        const QByteArray wire(wireTemplate.constData(), wireTemplate.size());
        // The label formatted per frame, as TrafficLogModel::attachClient does.
        model.appendFrame(device.identity.toString(), fleet::TrafficSide::Device,
                          isStatus ? fleet::TrafficDirection::DeviceToGateway
                                   : fleet::TrafficDirection::GatewayToDevice,
                          wire);
        if ((i + 1) % options.burst == 0)
            QCoreApplication::processEvents();
    }
    model.flush();
    QCoreApplication::processEvents();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpuBefore;
    const int shown = view.filter()->rowCount();
    const FilterChangeTimes changes = timeFilterChanges(&view, options.devices);

    out << QString::asprintf(
        "frames_per_s=%.0f frames_per_cpu_s=%.0f peak_rss_mb=%.1f frames=%lld cap=%d rows=%d "
        "shown=%d dropped=%lld "
        "view=%s filter=%s wall_s=%.2f cpu_s=%.2f filter_change_ms_median=%.1f "
        "filter_change_ms_max=%.1f filter_change_rows=%d\n",
        double(options.frames) / seconds, double(options.frames) / cpu, peakRssMb(), options.frames,
        options.capacity, model.rowCount(), shown, model.droppedCount(),
        options.view ? "yes" : "no", options.filter.isEmpty() ? "none" : qPrintable(options.filter),
        seconds, cpu, changes.medianMs, changes.maxMs, model.rowCount());
    return 0;
}

const BenchRegistration
    registration("log",
                 "log [--frames N] [--cap N] [--devices N] [--burst N] [--no-view] "
                 "[--filter TEXT]",
                 &runLogBench);

} // namespace

#endif // FLEET_BENCH_HAS_UI
