#pragma once

#include <QFrame>

QT_BEGIN_NAMESPACE
class QLabel;
class QVBoxLayout;
QT_END_NAMESPACE

namespace fleet {

// Non-modal messages across the top of the window (a damaged settings file, a gateway that
// had to move to another port): they never block, and each stays until dismissed.
class BannerArea : public QWidget {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };

    explicit BannerArea(QWidget* parent = nullptr);

    void showMessage(Level level, const QString& text);
    void clear();
    QStringList messages() const; // for tests: the texts of the banners shown

private:
    QVBoxLayout* m_layout = nullptr;
};

} // namespace fleet
