#pragma once

#include <QDockWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPushButton;
QT_END_NAMESPACE

namespace fleet {

class DemoTour;

// Help › Demo tour (docs/demo.md#the-demo-tour): the bar across the top of the window in
// presentation mode that walks a room through the protocol one step at a time: the step's
// title and caption, whether the gateway has shown it yet, and Back / Next / Close. Next is
// enabled only once the step's real event happened on the gateway.
class DemoTourBar : public QDockWidget {
    Q_OBJECT
public:
    explicit DemoTourBar(DemoTour* tour, QWidget* parent = nullptr);

    DemoTour* tour() const { return m_tour; }
    QString titleText() const;   // "Step 5 of 6 · A higher priority takes over"
    QString captionText() const; // the step's caption
    QString statusText() const;  // "Waiting for the gateway…", "Done: seen on the gateway"
    QPushButton* backButton() const { return m_back; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* retryButton() const { return m_retry; }
    QPushButton* closeButton() const { return m_close; }

signals:
    void closeRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();

    DemoTour* m_tour;
    QLabel* m_title = nullptr;
    QLabel* m_caption = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
    QPushButton* m_retry = nullptr;
    QPushButton* m_close = nullptr;
};

} // namespace fleet
