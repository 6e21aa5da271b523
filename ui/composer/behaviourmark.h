#pragma once

#include <QFrame>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace fleet {

// Whose statuses a living device sends (docs/modules.md#device-behaviour), shown where the
// operator looks: in the composer and in the behaviour panel. In sync, a quiet line says the
// composer shows the status the behaviour sends next; manual, an amber badge says the
// behaviour's statuses are paused and offers Back to behaviour.
class BehaviourMark : public QFrame {
    Q_OBJECT
public:
    enum class Mode { Off, Synced, Manual };
    Q_ENUM(Mode)

    explicit BehaviourMark(QWidget* parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    // The panel shows the mark only when manual: in sync, the composer says it.
    void setShowsSynced(bool shows);
    QString text() const;
    QPushButton* backButton() const { return m_back; }

signals:
    void backRequested();

private:
    Mode m_mode = Mode::Off;
    bool m_showsSynced = true;
    QLabel* m_label = nullptr;
    QPushButton* m_back = nullptr;
};

} // namespace fleet
