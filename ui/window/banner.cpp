#include "banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace fleet {

BannerArea::BannerArea(QWidget* parent)
    : QWidget(parent)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(4);
    setVisible(false);
}

void BannerArea::showMessage(Level level, const QString& text)
{
    QString background = QStringLiteral("#e3f2fd");
    QString border = QStringLiteral("#1f7ac4");
    if (level == Level::Warning) {
        background = QStringLiteral("#fff4e0");
        border = QStringLiteral("#e0a100");
    } else if (level == Level::Error) {
        background = QStringLiteral("#fdecea");
        border = QStringLiteral("#d0312d");
    }
    auto* banner = new QFrame;
    banner->setObjectName(QStringLiteral("banner"));
    banner->setStyleSheet(QStringLiteral("#banner { background: %1; border: 1px solid %2; "
                                         "border-left: 6px solid %2; border-radius: 3px; }"
                                         "#banner QLabel { color: #222; }")
                              .arg(background, border));
    auto* label = new QLabel(text);
    label->setObjectName(QStringLiteral("bannerText"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    auto* row = new QHBoxLayout(banner);
    row->setContentsMargins(10, 6, 6, 6);
    row->addWidget(label, 1);
    row->addWidget(close, 0, Qt::AlignTop);
    connect(close, &QToolButton::clicked, banner, [this, banner] {
        banner->deleteLater();
        banner->hide();
        setVisible(!messages().isEmpty());
    });
    m_layout->addWidget(banner);
    setVisible(true);
}

void BannerArea::clear()
{
    while (QLayoutItem* item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    setVisible(false);
}

QStringList BannerArea::messages() const
{
    QStringList texts;
    for (const QLabel* label : findChildren<QLabel*>(QStringLiteral("bannerText"))) {
        if (!label->parentWidget()->isHidden())
            texts.append(label->text());
    }
    return texts;
}

} // namespace fleet
