#pragma once

#include <QFrame>
#include <QString>

namespace fleet {

// One line of text that is cut with "…" when space is short, the whole text in its tooltip.
// Unlike a QLabel, a long text never raises the minimum width of the window it sits in.
class ElidedLabel : public QFrame {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }
    bool isElided() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateToolTip();

    QString m_text;
};

} // namespace fleet
