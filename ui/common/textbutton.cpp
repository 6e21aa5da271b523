#include "textbutton.h"

#include <QToolButton>

namespace fleet {

QToolButton* textToolButton(const QString& text, const QString& tip)
{
    auto* button = new QToolButton;
    button->setText(text);
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace fleet
