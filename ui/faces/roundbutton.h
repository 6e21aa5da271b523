#pragma once

#include <QAbstractButton>

namespace fleet {

// A big round push button, drawn sunk while held: the example button and the IO Button
// device. A QAbstractButton, so mouse, keyboard (space) and accessibility work as usual.
class RoundButton : public QAbstractButton {
    Q_OBJECT
public:
    explicit RoundButton(const QString& text, QWidget* parent = nullptr);

    void setDiameter(int diameter);
    // Shown sunk regardless of the mouse (a latched press).
    void setShownDown(bool down);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool hitButton(const QPoint& pos) const override;

private:
    int m_diameter = 110;
    bool m_shownDown = false;
};

} // namespace fleet
