// The status composer's editing: undo and redo, the editor's menu and keys, text replaced in
// place, and the behaviour's statuses shown while the device is not manual.
#include "statuscomposer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QKeyEvent>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QTextCursor>

namespace fleet {

void StatusComposer::undo()
{
    if (m_history.canUndo())
        restoreStep(m_history.undo());
}

void StatusComposer::redo()
{
    if (m_history.canRedo())
        restoreStep(m_history.redo());
}

// Text and format are put back together, so the editor is always read the way it was written.
void StatusComposer::restoreStep(const ComposerHistory::Step& step)
{
    m_currentFormat = step.draft.format;
    {
        QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(int(step.draft.format)));
    }
    replaceEditorText(step.draft.text);
    QTextCursor cursor = m_editor->textCursor();
    cursor.setPosition(qBound(0, step.cursor, int(step.draft.text.size())));
    m_editor->setTextCursor(cursor);
    m_syncStepOnTop = false;
    revalidate();
    emit undoRedoChanged();
    emit draftChanged();
    emit edited();
}

bool StatusComposer::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_editor &&
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool isUndo = key->matches(QKeySequence::Undo);
        const bool isRedo = key->matches(QKeySequence::Redo);
        if (isUndo || isRedo) {
            // Claim the keys from window shortcuts while the editor has focus, then act.
            event->accept();
            if (event->type() == QEvent::KeyPress)
                isUndo ? undo() : redo();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StatusComposer::showEditorMenu(const QPoint& position)
{
    QMenu* menu = m_editor->createStandardContextMenu(position);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    // The standard entries drive the document's (disabled) history; point them at ours.
    for (QAction* action : menu->actions()) {
        const bool isUndo = action->objectName() == QLatin1String("edit-undo");
        if (!isUndo && action->objectName() != QLatin1String("edit-redo"))
            continue;
        action->disconnect();
        action->setEnabled(isUndo ? canUndo() : canRedo());
        connect(action, &QAction::triggered, this,
                isUndo ? &StatusComposer::undo : &StatusComposer::redo);
    }
    menu->popup(m_editor->viewport()->mapToGlobal(position));
}

void StatusComposer::replaceEditorText(const QString& text)
{
    const QScopedValueRollback<bool> replacing(m_replacing, true);
    // Through a cursor rather than setPlainText(): the editor keeps its scroll position.
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();
    cursor.select(QTextCursor::Document);
    cursor.insertText(text);
    cursor.endEditBlock();
}

// Only the part that differs is replaced: a vehicle's status changes a few digits at a time,
// and the operator's cursor, selection and scroll position outside them stay where they are.
void StatusComposer::replaceChangedPart(const QString& text)
{
    const QString old = m_editor->toPlainText();
    const qsizetype common = qMin(old.size(), text.size());
    qsizetype prefix = 0;
    while (prefix < common && old[prefix] == text[prefix])
        ++prefix;
    if (prefix > 0 && old[prefix - 1].isHighSurrogate())
        --prefix; // never split a character
    qsizetype suffix = 0;
    while (suffix < common - prefix &&
           old[old.size() - 1 - suffix] == text[text.size() - 1 - suffix])
        ++suffix;
    if (suffix > 0 && old[old.size() - suffix].isLowSurrogate())
        --suffix;
    if (prefix == old.size() && prefix == text.size())
        return;
    const QScopedValueRollback<bool> replacing(m_replacing, true);
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(int(prefix));
    cursor.setPosition(int(old.size() - suffix), QTextCursor::KeepAnchor);
    cursor.insertText(text.mid(prefix, text.size() - prefix - suffix));
}

// The format that shows a behaviour's status byte for byte: JSON when its spelling already
// is compact or pretty JSON, Text for other text (the button's {"pressed": true}), Hex for
// binary (a protobuf vehicle).
PayloadFormat StatusComposer::behaviourFormat(const QByteArray& status) const
{
    if (!payloadformat::isLosslessText(status))
        return PayloadFormat::Hex;
    for (PayloadFormat json : {PayloadFormat::JsonCompact, PayloadFormat::JsonPretty}) {
        const payloadformat::Conversion shown = payloadformat::encode(status, json);
        if (shown.ok && shown.text.toUtf8() == status)
            return json;
    }
    return PayloadFormat::Text;
}

void StatusComposer::setBehaviourMode(BehaviourMode mode)
{
    if (mode == behaviourMode())
        return;
    // Entering sync: the next status is one new undo step, shown in the format that fits it.
    m_syncStepOnTop = false;
    m_behaviourFormatPinned = false;
    m_behaviourMark->setMode(mode);
}

void StatusComposer::showBehaviourStatus(const QByteArray& status)
{
    if (behaviourMode() != BehaviourMode::Synced)
        return;
    const bool binary = !payloadformat::isLosslessText(status);
    if (binary != m_behaviourBinary) {
        m_behaviourBinary = binary; // the encoding changed: JSON ⇄ Hex as fits, not the pin
        m_behaviourFormatPinned = false;
    }
    PayloadFormat target = m_behaviourFormatPinned ? m_currentFormat : behaviourFormat(status);
    payloadformat::Conversion shown = payloadformat::encode(status, target);
    if (!shown.ok || payloadformat::decode(shown.text, target).bytes != status) {
        target = behaviourFormat(status);
        shown = payloadformat::encode(status, target);
        m_behaviourFormatPinned = false;
    }
    if (target == m_currentFormat && !m_template->isChecked() &&
        shown.text == m_editor->toPlainText())
        return;
    if (m_template->isChecked()) {
        // The behaviour's bytes go as they are: no placeholder expansion.
        const QSignalBlocker blocker(m_template);
        m_template->setChecked(false);
    }
    if (target != m_currentFormat) {
        m_currentFormat = target;
        const QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(int(target)));
    }
    replaceChangedPart(shown.text);
    // One undo step for the whole sync, amended by each status: undo returns to the
    // operator's text, however many statuses went by.
    if (m_syncStepOnTop && m_history.canUndo())
        m_history.undo();
    // A status equal to the operator's own text needs no step of its own.
    m_syncStepOnTop = !(m_history.current().draft == draft());
    m_history.recordReplace(draft(), m_editor->textCursor().position());
    emit undoRedoChanged();
    revalidate();
}

bool StatusComposer::holds(const QByteArray& bytes) const
{
    return !templateApplies() && m_check.decoded && m_check.bytes == bytes;
}

} // namespace fleet
