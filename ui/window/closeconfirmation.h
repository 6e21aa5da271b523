#pragma once

#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QMessageBox;
class QWidget;
QT_END_NAMESPACE

namespace fleet {

// Asks before a connected device's tab is closed: closing drops its connection, and on the
// gateway its slot (docs/protocol.md#identity-and-arbitration). Window-modal and open()ed, not
// exec()ed: the GUI keeps running while the question is shown. onClose runs only for "Close",
// with whether "Don't ask again" was ticked. The box deletes itself when answered.
QMessageBox* askBeforeClosingConnected(QWidget* parent, const QString& deviceTitle,
                                       std::function<void(bool dontAskAgain)> onClose);

} // namespace fleet
