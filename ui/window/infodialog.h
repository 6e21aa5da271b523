#pragma once

#include <QtGlobal>

#include <QString>

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace fleet {

// A small non-modal window with rich text and a Close button (shortcuts, about). Shown with
// show(), never exec(): the console keeps running while it is open.
void showInfoDialog(QWidget* parent, const QString& title, const QString& richText);

} // namespace fleet
