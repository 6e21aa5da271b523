#pragma once

#include <QString>

QT_BEGIN_NAMESPACE
class QToolButton;
QT_END_NAMESPACE

namespace fleet {

// A flat-bar button that says what it does in words (the panels' toolbars), with a tooltip.
QToolButton* textToolButton(const QString& text, const QString& tip);

} // namespace fleet
