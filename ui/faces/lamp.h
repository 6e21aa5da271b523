#pragma once

#include <QColor>
#include <QWidget>

namespace fleet {

// A round lamp or LED: lit in its colour or dark grey, optionally ringed red for an error
// flag, with a caption under it ("3" for an output, "Lamp" for the button's light).
class Lamp : public QWidget {
    Q_OBJECT
public:
    explicit Lamp(const QString& caption = {}, QWidget* parent = nullptr);

    bool isOn() const { return m_on; }
    void setOn(bool on);
    bool hasError() const { return m_error; }
    void setError(bool error);
    void setColor(const QColor& color);
    void setDiameter(int diameter);
    QString caption() const { return m_caption; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString m_caption;
    QColor m_color{255, 196, 0};
    int m_diameter = 24;
    bool m_on = false;
    bool m_error = false;
};

} // namespace fleet
