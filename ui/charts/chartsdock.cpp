#include "chartsdock.h"

#include "rttseries.h"

#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace fleet {

namespace {

// The colours of the sequence diagram and the traffic log: answers blue, errors red.
const QColor kP50Colour(0x1f, 0x6f, 0xb4);
const QColor kP99Colour(0xe0, 0x8a, 0x1e);
const QColor kStatusColour(0x2e, 0x8b, 0x57);
const QColor kErrorColour(0xc6, 0x28, 0x28);

QLineSeries* makeSeries(const QString& name, const QColor& colour, qreal width,
                        Qt::PenStyle style = Qt::SolidLine)
{
    auto* series = new QLineSeries;
    series->setName(name);
    QPen pen(colour);
    pen.setWidthF(width);
    pen.setStyle(style);
    series->setPen(pen);
    return series;
}

// A chart made for a short dock: no title bar of its own, a small legend on top, thin margins.
QChart* makeChart(const QString& title, std::initializer_list<QLineSeries*> series,
                  QDateTimeAxis* time, QValueAxis* values)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 0.9);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setMargins(QMargins(4, 0, 4, 0));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignTop);
    time->setFormat(QStringLiteral("hh:mm:ss"));
    time->setTickCount(5);
    values->setMin(0);
    values->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    for (QLineSeries* line : series) {
        chart->addSeries(line);
        line->attachAxis(time);
        line->attachAxis(values);
    }
    return chart;
}

// The value axis from 0 to a round number above the largest value (at least `floor`).
void fitAxis(QValueAxis* axis, double largest, double floor)
{
    axis->setRange(0, std::max(largest * 1.1, floor));
    axis->applyNiceNumbers();
    axis->setMin(0);
}

QString milliseconds(double ms)
{
    return ms < 0 ? QStringLiteral("–") : QObject::tr("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

} // namespace

ChartsDock::ChartsDock(RttSeries* series, QWidget* parent)
    : QDockWidget(tr("Charts"), parent)
    , m_series(series)
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("chartsDock"));
    auto* host = new QWidget;
    m_deviceButton = new QToolButton;
    m_deviceButton->setObjectName(QStringLiteral("chartsDeviceView"));
    m_deviceButton->setToolTip(tr("The device whose tab is current; the charts follow the tabs"));
    m_totalButton = new QToolButton;
    m_totalButton->setObjectName(QStringLiteral("chartsTotalView"));
    m_totalButton->setText(tr("Total"));
    m_totalButton->setToolTip(tr("Every device of this console together: the device tabs and the "
                                 "Fleet panel's devices"));
    m_viewGroup = new QButtonGroup(this);
    for (QToolButton* button : {m_deviceButton, m_totalButton}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
        m_viewGroup->addButton(button);
    }
    connect(m_deviceButton, &QToolButton::clicked, this, [this] { setView(View::Device); });
    connect(m_totalButton, &QToolButton::clicked, this, [this] { setView(View::Total); });

    m_windowCombo = new QComboBox;
    m_windowCombo->setObjectName(QStringLiteral("chartsWindow"));
    m_windowCombo->setToolTip(tr("How much history the time axis shows"));
    for (const int seconds : {60, 120, 300, RttTrack::kSeconds})
        m_windowCombo->addItem(tr("Last %1 min").arg(seconds / 60.0), seconds);
    m_windowCombo->setCurrentIndex(1);
    connect(m_windowCombo, &QComboBox::currentIndexChanged, this,
            [this] { setWindowSeconds(m_windowCombo->currentData().toInt()); });

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("chartsSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_deviceButton);
    bar->addWidget(m_totalButton);
    bar->addWidget(m_windowCombo);
    bar->addSpacing(8);
    bar->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(host);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    buildCharts(host);
    setWidget(host);

    if (m_series)
        connect(m_series, &RttSeries::updated, this, &ChartsDock::refresh);
    // The time axis moves on once a second while the dock is seen, events or not.
    m_tick->setInterval(kTickMs);
    connect(m_tick, &QTimer::timeout, this, &ChartsDock::refresh);
    updateButtons();
}

ChartsDock::~ChartsDock() = default;

void ChartsDock::buildCharts(QWidget* host)
{
    m_p50 = makeSeries(tr("p50"), kP50Colour, 2);
    // Dashed: with one answer a second p99 is p50, and the p50 line must still show through.
    m_p99 = makeSeries(tr("p99"), kP99Colour, 2, Qt::DashLine);
    m_statuses = makeSeries(tr("statuses/s"), kStatusColour, 2);
    m_errors = makeSeries(tr("errors/s"), kErrorColour, 2);
    m_rttTime = new QDateTimeAxis;
    m_rateTime = new QDateTimeAxis;
    m_rttAxis = new QValueAxis;
    m_rateAxis = new QValueAxis;
    m_rttChart = makeChart(tr("Round trip (ms), per second"), {m_p50, m_p99}, m_rttTime, m_rttAxis);
    m_rateChart = makeChart(tr("Statuses and errors per second"), {m_statuses, m_errors},
                            m_rateTime, m_rateAxis);
    m_rateAxis->setLabelFormat(QStringLiteral("%d"));

    auto* charts = new QHBoxLayout;
    charts->setContentsMargins(0, 0, 0, 0);
    charts->setSpacing(4);
    for (QChart* chart : {m_rttChart, m_rateChart}) {
        auto* view = new QChartView(chart);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(240, 150);
        charts->addWidget(view, 1);
    }
    static_cast<QVBoxLayout*>(host->layout())->addLayout(charts, 1);
}

void ChartsDock::setCurrentDevice(const DeviceSession* session, const QString& title)
{
    m_device = session;
    m_deviceTitle = title;
    updateButtons();
    refresh();
}

void ChartsDock::setView(View view)
{
    m_view = view;
    updateButtons();
    refresh();
}

const DeviceSession* ChartsDock::shownDevice() const
{
    return m_view == View::Device ? m_device : nullptr;
}

void ChartsDock::setWindowSeconds(int seconds)
{
    m_windowSeconds = std::clamp(seconds, 10, RttTrack::kSeconds);
    const int index = m_windowCombo->findData(m_windowSeconds);
    if (index >= 0 && index != m_windowCombo->currentIndex())
        m_windowCombo->setCurrentIndex(index);
    refresh();
}

void ChartsDock::updateButtons()
{
    m_deviceButton->setEnabled(m_device != nullptr);
    m_deviceButton->setText(m_device ? tr("Device: %1").arg(m_deviceTitle) : tr("No device"));
    (m_view == View::Device && m_device ? m_deviceButton : m_totalButton)->setChecked(true);
}

const RttTrack* ChartsDock::shownTrack() const
{
    if (!m_series)
        return nullptr;
    if (const DeviceSession* device = shownDevice())
        return m_series->track(device);
    return &m_series->total(); // no device tab: the Device view shows the total
}

void ChartsDock::refresh()
{
    // Hidden (closed, or a tab behind another dock) it draws nothing; showEvent catches up.
    const RttTrack* track = shownTrack();
    if (!track || !isVisible())
        return;
    // Up to the last whole second: the open one is still counting, and its half-filled
    // statuses/s would dip at the right edge every time (docs/charts.md#what-is-plotted).
    const qint64 nowMs = m_series->now();
    const qint64 last = nowMs / 1000 - 1;
    const qint64 first = last - m_windowSeconds + 1;
    const QList<RttSecond> history = track->history(last * 1000 + 999);

    QList<QPointF> p50, p99, statuses, errors;
    p50.reserve(history.size());
    p99.reserve(history.size());
    statuses.reserve(m_windowSeconds);
    errors.reserve(m_windowSeconds);
    double largestRtt = 0;
    int largestRate = 0;
    int errorsInView = 0;
    qsizetype next = 0;
    RttSecond latest;
    bool anything = false;
    for (qint64 second = first; second <= last; ++second) {
        while (next < history.size() && history[next].second < second)
            ++next;
        const bool has = next < history.size() && history[next].second == second;
        const RttSecond shown = has ? history[next] : RttSecond{second};
        const qreal x = qreal(second * 1000);
        // A second without answers has no round trip: no point (docs/charts.md#what-is-plotted).
        if (shown.p50Ms >= 0) {
            p50.append({x, shown.p50Ms});
            p99.append({x, shown.p99Ms});
            largestRtt = std::max(largestRtt, shown.p99Ms);
        }
        statuses.append({x, qreal(shown.statuses)});
        errors.append({x, qreal(shown.errors)});
        largestRate = std::max({largestRate, shown.statuses, shown.errors});
        errorsInView += shown.errors;
        if (has) {
            latest = shown;
            anything = true;
        }
    }
    m_p50->replace(p50);
    m_p99->replace(p99);
    m_statuses->replace(statuses);
    m_errors->replace(errors);
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(first * 1000);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(last * 1000);
    m_rttTime->setRange(from, to);
    m_rateTime->setRange(from, to);
    fitAxis(m_rttAxis, largestRtt, 1);
    fitAxis(m_rateAxis, largestRate, 4);

    const QString who = shownDevice() ? m_deviceTitle : tr("all devices");
    m_summary->setText(
        !anything
            ? tr("%1: nothing sent in the last %2 s").arg(who).arg(m_windowSeconds)
            : tr("%1, second %2: p50 %3 · p99 %4 · %5 statuses/s · %6 answers/s · %7 errors in "
                 "view")
                  .arg(who, QDateTime::fromSecsSinceEpoch(latest.second).toString(u"hh:mm:ss"),
                       milliseconds(latest.p50Ms), milliseconds(latest.p99Ms))
                  .arg(latest.statuses)
                  .arg(latest.answers)
                  .arg(errorsInView));
}

void ChartsDock::showEvent(QShowEvent* event)
{
    QDockWidget::showEvent(event);
    m_tick->start();
    refresh();
}

void ChartsDock::hideEvent(QHideEvent* event)
{
    QDockWidget::hideEvent(event);
    m_tick->stop();
}

} // namespace fleet
