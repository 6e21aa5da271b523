#pragma once

#include <QDockWidget>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QButtonGroup;
class QChart;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QTimer;
class QToolButton;
class QValueAxis;
QT_END_NAMESPACE

namespace fleet {

class DeviceSession;
class RttSeries;
class RttTrack;

// The Charts dock (View › Charts): round trip p50/p99 per wall-clock second, statuses and
// errors per second, of the device whose tab is current or of all devices together
// (docs/charts.md#what-is-plotted). It draws an RttSeries and redraws when it changes and once a
// second while shown, so the time axis moves on when nothing happens.
class ChartsDock : public QDockWidget {
    Q_OBJECT
public:
    enum class View { Device, Total };
    static constexpr int kTickMs = 1000;

    explicit ChartsDock(RttSeries* series, QWidget* parent = nullptr);
    ~ChartsDock() override;

    // The device the Device view draws (the current tab's) and what its tab says; nullptr when
    // there is no device tab (the Total view is drawn then).
    void setCurrentDevice(const DeviceSession* session, const QString& title);
    void setView(View view);
    View view() const { return m_view; }
    // What the charts show now: the device's session, nullptr for the total.
    const DeviceSession* shownDevice() const;
    // Seconds of history on the time axis (60, 300 or RttTrack::kSeconds).
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }

    QLineSeries* p50Series() const { return m_p50; }
    QLineSeries* p99Series() const { return m_p99; }
    QLineSeries* statusSeries() const { return m_statuses; }
    QLineSeries* errorSeries() const { return m_errors; }
    QLabel* summaryLabel() const { return m_summary; }

public slots:
    void refresh();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void buildCharts(QWidget* host);
    const RttTrack* shownTrack() const;
    void updateButtons();

    QPointer<RttSeries> m_series;
    const DeviceSession* m_device = nullptr;
    QString m_deviceTitle;
    View m_view = View::Device;
    int m_windowSeconds = 120;
    QToolButton* m_deviceButton = nullptr;
    QToolButton* m_totalButton = nullptr;
    QButtonGroup* m_viewGroup = nullptr;
    QComboBox* m_windowCombo = nullptr;
    QLabel* m_summary = nullptr;
    QChart* m_rttChart = nullptr;
    QChart* m_rateChart = nullptr;
    QLineSeries* m_p50 = nullptr;
    QLineSeries* m_p99 = nullptr;
    QLineSeries* m_statuses = nullptr;
    QLineSeries* m_errors = nullptr;
    QDateTimeAxis* m_rttTime = nullptr;
    QDateTimeAxis* m_rateTime = nullptr;
    QValueAxis* m_rttAxis = nullptr;
    QValueAxis* m_rateAxis = nullptr;
    QTimer* m_tick = nullptr;
};

} // namespace fleet
