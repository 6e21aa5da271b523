#pragma once

#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QAction;
class QWidget;
QT_END_NAMESPACE

namespace fleet {

// What the window shows when the last device tab was closed: what a device session is, and
// a button that adds one.
QWidget* createNoDevicesPage(QAction* newDevice);

} // namespace fleet
