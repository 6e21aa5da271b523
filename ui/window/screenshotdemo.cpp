#include "screenshotdemo.h"

#include "behaviourio.h"
#include "behaviourmap.h"
#include "behaviourpanel.h"
#include "commandinspector.h"
#include "connectionindicator.h"
#include "consoleactions.h"
#include "demotour.h"
#include "demotourbar.h"
#include "devicesession.h"
#include "devicesessionpage.h"
#include "gatewaycontroller.h"
#include "gatewaylink.h"
#include "gatewaypanel.h"
#include "identityform.h"
#include "mainwindow.h"
#include "statuscomposer.h"

#include <QDir>
#include <QDockWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>

namespace fleet {

namespace {
constexpr int kPollMs = 50;
// After the awaited state arrives: time for layouts, repaints and "since" labels to settle.
constexpr int kSettleMs = 400;
// How long the demo vehicle drives before its picture: far enough to be between stops.
constexpr int kDriveMs = 4000;
} // namespace

ScreenshotDemo::ScreenshotDemo(MainWindow* window, const QString& directory, QObject* parent)
    : QObject(parent)
    , m_window(window)
    , m_directory(directory)
    , m_poll(new QTimer(this))
{
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &ScreenshotDemo::poll);
}

ScreenshotDemo::~ScreenshotDemo() = default;

void ScreenshotDemo::buildSteps()
{
    MainWindow* w = m_window;
    auto first = [w] { return w->pages().value(0); };
    auto second = [w] { return w->pages().value(1); };
    m_steps = {
        {QStringLiteral("console-start"), [] {},
         [w, first] { return w->isVisible() && first() && w->gateway()->isListening(); }},
        // Help › Demo tour in presentation mode, as a presenter starts it on a fresh console, at
        // its takeover (docs/demo.md#the-demo-tour): each Next once the gateway has shown the
        // step before it happened; then Close tour, and the console as it was.
        {QStringLiteral("presentation"), [w] { w->actions().demoTour->trigger(); },
         [w] {
             auto* bar = w->findChild<DemoTourBar*>();
             DemoTour* tour = bar ? bar->tour() : nullptr;
             if (!tour || tour->state() != DemoTour::StepState::Done)
                 return false;
             const QList<DemoStep>& steps = tour->steps();
             if (steps.value(tour->current()).key == QLatin1String("a-higher-priority-takes-over"))
                 return true;
             if (tour->canNext())
                 tour->next();
             return false;
         }},
        {QString(),
         [w] {
             if (auto* bar = w->findChild<DemoTourBar*>())
                 bar->closeButton()->click();
         },
         [w] { return !w->actions().presentation->isChecked(); }},
        {QStringLiteral("console-connected"), [first] { first()->connectButton()->click(); },
         [first] { return first()->session()->status() == SessionStatus::Connected; }},
        {QStringLiteral("console-command"), [first] { first()->composer()->sendButton()->click(); },
         [first] { return first()->inspector()->hasCommand(); }},
        // A second device for the same slot with the same priority: the gateway refuses it
        // and its indicator explains why.
        {QStringLiteral("console-rejected"),
         [w, first] {
             DeviceConfig config = first()->config();
             config.identity.name = QStringLiteral("second button");
             DeviceSessionPage* page = w->addDevice(config);
             page->connectButton()->click();
         },
         [second] { return second() && second()->session()->status() == SessionStatus::Failed; }},
        // A takeover: the first button reconnects with a worse priority, the second one (0)
        // takes its slot, and the first tab shows what happened to it (no picture of the
        // intermediate step).
        {QString(),
         [first] {
             first()->disconnectFromServer();
             first()->identityForm()->prioritySpin()->setValue(5);
             first()->connectToServer();
         },
         [first] { return first()->session()->status() == SessionStatus::Connected; }},
        {QStringLiteral("console-takeover"),
         [w, second] {
             w->tabs()->setCurrentIndex(1);
             second()->connectButton()->click();
         },
         [w, first, second] {
             if (first()->session()->status() != SessionStatus::ClosedByGateway ||
                 second()->session()->status() != SessionStatus::Connected)
                 return false;
             w->tabs()->setCurrentIndex(0);
             return true;
         }},
        {QStringLiteral("composer-invalid"),
         [w, first] {
             w->tabs()->setCurrentIndex(0);
             first()->composer()->editor()->setPlainText(QStringLiteral("{\"pressed\": tru}"));
         },
         [first] { return first()->composer()->check().hasErrors(); }},
        // The embedded gateway's side of the same conversation, its panel brought forward.
        {QStringLiteral("gateway-panel"),
         [w] {
             if (auto* panel = w->findChild<GatewayPanel*>())
                 panel->raise(), panel->selectDevice(0);
         },
         [w] { return w->findChild<GatewayPanel*>() != nullptr; }},
        // Living devices (docs/modules.md#device-behaviour): the button with its lamp lit, and
        // a vehicle mid-route on the demo map after the gateway queued a two-stop mission.
        {QStringLiteral("device-button"),
         [w] {
             DeviceConfig config = DeviceConfig::exampleButton();
             config.identity.role = QStringLiteral("lobby");
             config.identity.name = QStringLiteral("lobby button");
             DeviceSessionPage* page = w->addDevice(config);
             w->tabs()->setCurrentWidget(page);
             page->behaviourPanel()->setActive(true);
             page->connectButton()->click();
         },
         [w] {
             auto* page = qobject_cast<DeviceSessionPage*>(w->tabs()->currentWidget());
             // The module lights the lamp of a released button from its heartbeat on.
             return page && page->inspector()->shownCommand().contains("true");
         }},
        // An Opta board: the gateway queues outputs 1 and 3 on (1-based, the board's
        // default), and one input is pulled low by the operator.
        {QStringLiteral("device-ioboard"),
         [w] {
             DeviceConfig config = DeviceConfig::exampleButton();
             config.identity.module = 2;
             config.identity.deviceType = 1;
             config.identity.role = QStringLiteral("plc");
             config.identity.name = QStringLiteral("line PLC");
             config.draft.text.clear();
             DeviceSessionPage* page = w->addDevice(config);
             w->tabs()->setCurrentWidget(page);
             page->behaviourPanel()->setActive(true);
             if (auto* board = qobject_cast<IoBehaviour*>(page->behaviourPanel()->behaviour()))
                 board->setInput(2, false);
             page->connectButton()->click();
             w->gateway()->link()->queueCommand(
                 config.identity,
                 QByteArrayLiteral(R"([{"outNum":1,"actType":1},{"outNum":3,"actType":1}])"));
         },
         [w] {
             auto* page = qobject_cast<DeviceSessionPage*>(w->tabs()->currentWidget());
             auto* board =
                 page ? qobject_cast<IoBehaviour*>(page->behaviourPanel()->behaviour()) : nullptr;
             return board && board->output(1) && board->output(3);
         }},
        {QStringLiteral("device-vehicle"),
         [w, clock = m_driveClock] {
             DeviceConfig config = DeviceConfig::exampleButton();
             config.identity.module = 1;
             config.identity.deviceType = 1;
             config.identity.role = QStringLiteral("autonomy");
             config.identity.name = QStringLiteral("demo vehicle");
             config.draft.text.clear();
             DeviceSessionPage* page = w->addDevice(config);
             w->tabs()->setCurrentWidget(page);
             page->behaviourPanel()->setActive(true);
             page->connectButton()->click();
             // The cloud's part, played by the embedded gateway: two stops of the demo site.
             OsmMap map;
             MissionCommand mission;
             QString error;
             if (map.load(OsmMap::demoMapFile(), &error) &&
                 map.mission(QStringLiteral("Yard loop"),
                             {QStringLiteral("Paint Shop"), QStringLiteral("Canteen")}, &mission,
                             &error))
                 w->gateway()->link()->queueCommand(
                     config.identity,
                     ModuleCatalog::encodeMissionCommand(mission, MissionEncoding::Json));
             clock->start();
         },
         [w, clock = m_driveClock] {
             auto* page = qobject_cast<DeviceSessionPage*>(w->tabs()->currentWidget());
             return page && clock->elapsed() > kDriveMs &&
                    page->behaviourPanel()->nextStatusText().contains(QStringLiteral("DRIVE"));
         }},
    };
}

void ScreenshotDemo::start()
{
    if (!QDir().mkpath(m_directory)) {
        emit finished(1, tr("cannot create %1").arg(m_directory));
        return;
    }
    buildSteps();
    m_index = 0;
    runStep();
}

void ScreenshotDemo::runStep()
{
    if (m_index >= m_steps.size()) {
        emit finished(0, tr("wrote %1").arg(m_written.join(QStringLiteral(", "))));
        return;
    }
    m_steps[m_index].action();
    m_stepClock.start();
    m_poll->start();
}

void ScreenshotDemo::poll()
{
    const Step& step = m_steps[m_index];
    if (step.ready()) {
        m_poll->stop();
        QTimer::singleShot(kSettleMs, this, &ScreenshotDemo::capture);
        return;
    }
    if (m_stepClock.elapsed() > kStepTimeoutMs) {
        m_poll->stop();
        emit finished(
            1,
            tr("step %1 did not reach its state within %2 ms").arg(step.name).arg(kStepTimeoutMs));
    }
}

void ScreenshotDemo::capture()
{
    if (m_steps[m_index].name.isEmpty()) { // a step that only sets the scene
        ++m_index;
        runStep();
        return;
    }
    const QString path = QDir(m_directory).filePath(m_steps[m_index].name + QStringLiteral(".png"));
    if (!m_window->grab().save(path)) {
        emit finished(1, tr("cannot write %1").arg(path));
        return;
    }
    m_written.append(path);
    ++m_index;
    runStep();
}

} // namespace fleet
