#pragma once

#include <QPointer>
#include <QWidget>

namespace fleet {

class DeviceSession;
class RttSeries;

// A device tab's small line of its latest round trips (RttTrack::kRecent answers) and the last
// one in ms, drawn with QPainter (docs/charts.md#sparkline). Empty until setSource() names the
// series and the device; a click asks for the Charts dock.
class RttSparkline : public QWidget {
    Q_OBJECT
public:
    explicit RttSparkline(QWidget* parent = nullptr);

    void setSource(const RttSeries* series, const DeviceSession* session);
    // What the line draws now, oldest first (ms), and the text beside it.
    QList<double> values() const;
    QString text() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void clicked();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QPointer<const RttSeries> m_series;
    const DeviceSession* m_session = nullptr;
};

} // namespace fleet
