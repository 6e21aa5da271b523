#pragma once

#include "behaviourmark.h"
#include "composercheck.h"
#include "composerhistory.h"
#include "deviceconfig.h"
#include "payloadformat.h"
#include "payloadtemplate.h"

#include <QRandomGenerator>
#include <QWidget>

#include <functional>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
QT_END_NAMESPACE

namespace fleet {

// Where the operator writes a status: catalog presets, five formats (switching converts the
// bytes and never loses them: a switch the content cannot survive is refused and the text
// stays), loading from a file, live validation next to the editor, Send / Send anyway with a
// timeout, and the auto-send controls (the page runs the timer).
class SendBar;

class StatusComposer : public QWidget {
    Q_OBJECT
public:
    explicit StatusComposer(QWidget* parent = nullptr);

    // Presets and the module's rules follow the device's module and type.
    void setDevice(quint32 module, quint32 deviceType);

    ComposerDraft draft() const;
    void setDraft(const ComposerDraft& draft);

    // Shows bytes as Text when the editor can hold them exactly, else as Hex.
    void setPayload(const QByteArray& bytes);
    // Converts the editor content. False (with *error, also shown under the editor) keeps
    // the format and the text as they were.
    bool setFormat(PayloadFormat format, QString* error = nullptr);
    PayloadFormat format() const { return m_currentFormat; }
    // Reads a payload file (binary files show as Hex). False with *error naming the file.
    bool loadFile(const QString& path, QString* error = nullptr);

    // The validation of what the editor holds right now (a template: of its expansion).
    const ComposerCheck& check() const { return m_check; }

    // Templated payloads (payloadtemplate.h): the identity {{device.*}} reads.
    void setTemplateDevice(const DeviceIdentity& identity);
    // The check of the bytes to send now: a template expands with the clock of this moment
    // and the draws the preview showed; anything else is check().
    ComposerCheck checkForSend() const;
    // A status from the composer went out: {{seq}} counts up, toggles flip, new draws.
    void templateSent();
    // Tests: a fixed clock and the seed the draws of each send come from.
    void setTemplateSources(std::function<qint64()> clock, quint32 seed);
    QCheckBox* templateCheck() const { return m_template; }
    QString templatePreview() const;     // "Next send: …" as shown (elided), empty when hidden
    QString templatePreviewFull() const; // the whole expansion (the preview's tooltip)

    int timeoutMs() const;
    void setTimeoutMs(int timeoutMs);
    int autoSendIntervalMs() const;
    void setAutoSendIntervalMs(int intervalMs);

    // Whether the session can take a status now, and if not why (shown as Send's tooltip).
    void setSendAvailable(bool available, const QString& reason = {});
    // The page's auto-sender: checkbox state and "sent 12 · answered 12" or why it stopped.
    void setAutoSendState(bool running, const QString& info);

    // Opens a (non-blocking) file dialog for loadFile().
    void chooseFile();

    // The composer's own undo history (text and format together); the editor's built-in
    // one is off because it knows nothing of formats.
    void undo();
    void redo();
    bool canUndo() const { return m_history.canUndo(); }
    bool canRedo() const { return m_history.canRedo(); }

    // A living device's statuses in the editor (docs/modules.md#device-behaviour). Synced:
    // the editor shows the status the behaviour sends next, kept current through
    // showBehaviourStatus() without new undo steps, draft changes or a moved cursor. Manual:
    // the operator edited it and the typed bytes are what goes out. Off: a payload sender.
    // Entering Synced records one undo step (the operator's text stays one Undo away) and
    // picks the format that shows the next status exactly.
    using BehaviourMode = BehaviourMark::Mode;
    void setBehaviourMode(BehaviourMode mode);
    BehaviourMode behaviourMode() const { return m_behaviourMark->mode(); }
    void showBehaviourStatus(const QByteArray& status);
    BehaviourMark* behaviourMark() const { return m_behaviourMark; }
    // Whether Send would send exactly these bytes (no template, the editor decodes to them).
    bool holds(const QByteArray& bytes) const;

    // For tests and the screenshot demo.
    QPlainTextEdit* editor() const { return m_editor; }
    QComboBox* formatCombo() const { return m_format; }
    QComboBox* presetCombo() const { return m_preset; }
    QPushButton* sendButton() const;
    QPushButton* sendAnywayButton() const;
    QCheckBox* autoSendCheck() const;
    QString validationText() const; // the issues as plain lines
    QString formatMessage() const;  // the last switch/load message, empty if none
    QString autoSendInfo() const;
    // Typing pauses longer than this start a new undo step (tests pin it).
    void setTypingMergeMs(int ms) { m_history.setTypingMergeMs(ms); }

signals:
    void sendRequested(bool anyway);
    void autoSendToggled(bool on);
    void draftChanged();
    void undoRedoChanged();
    // The operator changed what is sent: typing, a preset, a file, a format, undo or redo,
    // the template box. Not emitted for setDraft() or showBehaviourStatus().
    void edited();
    void backToBehaviourRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildTopRow();
    void refreshPresets();
    void applyPreset(int index);
    void onFormatPicked(int index);
    void replaceEditorText(const QString& text);
    void restoreStep(const ComposerHistory::Step& step);
    void showEditorMenu(const QPoint& position);
    void revalidate();
    void updateSendButtons();
    void showFormatMessage(const QString& text, bool problem);
    bool templateApplies() const;
    ComposerCheck checkEditor(qint64 nowMs, QByteArray* expanded = nullptr) const;
    void refreshTemplatePreview(const QByteArray& expanded);
    void replaceChangedPart(const QString& text);
    PayloadFormat behaviourFormat(const QByteArray& status) const;

    quint32 m_module = 0;
    quint32 m_deviceType = 0;
    PayloadFormat m_currentFormat = PayloadFormat::Text;
    ComposerCheck m_check;
    ComposerHistory m_history;
    bool m_replacing = false; // the editor text is being replaced by the composer
    bool m_sendAvailable = false;
    QString m_sendUnavailableReason;
    PayloadTemplate m_parsedTemplate; // the editor text, parsed at each edit
    TemplateState m_templateState;
    DeviceIdentity m_templateDevice;
    std::function<qint64()> m_clock;
    QRandomGenerator m_seeds; // one seed per send: preview and send draw the same values
    quint32 m_drawSeed = 0;
    // Synced: the undo step the behaviour's statuses amend is on top of the history; the
    // operator picked the format the statuses are shown in; the last status was binary.
    bool m_syncStepOnTop = false;
    bool m_behaviourFormatPinned = false;
    bool m_behaviourBinary = false;
    BehaviourMark* m_behaviourMark = nullptr;

    QComboBox* m_preset = nullptr;
    QComboBox* m_format = nullptr;
    QPushButton* m_load = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_validation = nullptr;
    QLabel* m_formatMessage = nullptr;
    QCheckBox* m_template = nullptr;
    QLabel* m_preview = nullptr;
    QString m_previewFull;
    SendBar* m_sendBar = nullptr;
};

} // namespace fleet
