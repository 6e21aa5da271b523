#pragma once

#include <QDockWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

class SequenceModel;
class SequenceView;
class TrafficLogView;

// The "Sequence" dock: the live sequence diagram of the traffic log's conversation
// (docs/sequence.md), with Pause/Follow, the traffic log's device filter, and exports of what
// is in view as SVG or PNG. Clicking a row selects its frame in the traffic log.
class SequenceDock : public QDockWidget {
    Q_OBJECT
public:
    SequenceDock(SequenceModel* model, TrafficLogView* traffic, QWidget* parent = nullptr);

    SequenceView* view() const { return m_view; }

    // Writes the rows in view; false (and the reason in the message line) on failure.
    bool exportSvg(const QString& fileName);
    bool exportPng(const QString& fileName);
    QString messageText() const;

private:
    QWidget* buildBar();
    void chooseExportFile(bool png);
    void followTrafficFilter();
    void selectInLog(qint64 seq, bool raise);
    void updateStatus();
    void showMessage(const QString& text, bool error);

    SequenceModel* m_model;
    TrafficLogView* m_traffic;
    SequenceView* m_view = nullptr;
    QToolButton* m_pause = nullptr;
    QToolButton* m_follow = nullptr;
    QLabel* m_filter = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace fleet
