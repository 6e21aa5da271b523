#include "statuscomposer.h"

#include "modulecatalog.h"
#include "sendbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QTextCursor>
#include <QVBoxLayout>

namespace fleet {

namespace {

// A text editor holding more than this gets sluggish; frames can be larger, files rarely are.
constexpr qint64 kMaxLoadBytes = 4 * 1024 * 1024;
// The template preview is one line; the whole expansion is in its tooltip.
constexpr int kPreviewChars = 96;

constexpr PayloadFormat kFormats[] = {PayloadFormat::Text, PayloadFormat::JsonPretty,
                                      PayloadFormat::JsonCompact, PayloadFormat::Hex,
                                      PayloadFormat::Base64};

QString issueHtml(const ComposerIssue& issue)
{
    switch (issue.severity) {
    case ComposerIssue::Severity::Error:
        return QStringLiteral("<span style=\"color:#c62828\">✖ %1</span>")
            .arg(issue.message.toHtmlEscaped());
    case ComposerIssue::Severity::Warning:
        return QStringLiteral("<span style=\"color:#b26a00\">⚠ %1</span>")
            .arg(issue.message.toHtmlEscaped());
    case ComposerIssue::Severity::Ok:
        return QStringLiteral("<span style=\"color:#2e7d32\">✔ %1</span>")
            .arg(issue.message.toHtmlEscaped());
    case ComposerIssue::Severity::Note:
        break;
    }
    return QStringLiteral("<span style=\"color:#555\">• %1</span>")
        .arg(issue.message.toHtmlEscaped());
}

} // namespace

StatusComposer::StatusComposer(QWidget* parent)
    : QWidget(parent)
{
    m_editor = new QPlainTextEdit;
    m_editor->setObjectName(QStringLiteral("statusEditor"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(qMax(10.0, mono.pointSizeF()));
    m_editor->setFont(mono);
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setTabChangesFocus(true);
    m_editor->setMinimumHeight(m_editor->fontMetrics().height() * 3);
    m_editor->setPlaceholderText(tr("The status payload: pick a preset, type, or load a file."));
    m_editor->setToolTip(tr("The status bytes in the chosen format. Send with Ctrl+Return."));
    // One history for text and format together (ComposerHistory), not the document's.
    m_editor->setUndoRedoEnabled(false);
    m_editor->installEventFilter(this);
    m_editor->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_editor, &QPlainTextEdit::customContextMenuRequested, this,
            &StatusComposer::showEditorMenu);

    m_validation = new QLabel;
    m_validation->setObjectName(QStringLiteral("validation"));
    m_validation->setWordWrap(true);
    m_validation->setTextFormat(Qt::RichText);
    m_validation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_formatMessage = new QLabel;
    m_formatMessage->setWordWrap(true);
    m_formatMessage->hide();
    m_preview = new QLabel;
    m_preview->setObjectName(QStringLiteral("templatePreview"));
    m_preview->setTextFormat(Qt::PlainText);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->hide();
    m_clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    m_seeds.seed(QRandomGenerator::global()->generate());
    m_drawSeed = m_seeds.generate();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildTopRow());
    m_behaviourMark = new BehaviourMark;
    layout->addWidget(m_behaviourMark);
    connect(m_behaviourMark, &BehaviourMark::backRequested, this,
            &StatusComposer::backToBehaviourRequested);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_preview);
    layout->addWidget(m_formatMessage);
    layout->addWidget(m_validation);
    m_sendBar = new SendBar;
    layout->addWidget(m_sendBar);
    connect(m_sendBar, &SendBar::sendRequested, this, &StatusComposer::sendRequested);
    connect(m_sendBar, &SendBar::autoSendToggled, this, &StatusComposer::autoSendToggled);
    connect(m_sendBar, &SendBar::valuesChanged, this, &StatusComposer::draftChanged);

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        m_formatMessage->hide(); // about the previous content; callers re-show theirs after
        if (!m_replacing) {
            m_history.recordTyping(draft(), m_editor->textCursor().position());
            m_syncStepOnTop = false;
            emit undoRedoChanged();
        }
        revalidate();
        if (m_replacing && behaviourMode() == BehaviourMode::Synced)
            return; // the behaviour's status, not the operator's draft
        emit draftChanged();
        if (!m_replacing)
            emit edited();
    });
    revalidate();
}

QWidget* StatusComposer::buildTopRow()
{
    m_preset = new QComboBox;
    m_preset->setToolTip(tr("Status payloads the chosen module accepts, from the catalog."));
    m_preset->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_preset->setMinimumContentsLength(10);
    m_format = new QComboBox;
    for (PayloadFormat format : kFormats)
        m_format->addItem(payloadformat::formatName(format), int(format));
    m_format->setToolTip(tr("How the editor shows the bytes. Switching converts them; a switch "
                            "that would lose bytes is refused (Ctrl+1 … Ctrl+5)."));
    m_load = new QPushButton(tr("Load file…"));
    m_load->setToolTip(tr("Use a file's bytes as the status (binary files show as Hex)."));
    m_load->setAutoDefault(false);
    m_template = new QCheckBox(tr("Template"));
    m_template->setObjectName(QStringLiteral("templateCheck"));
    m_template->setToolTip(
        tr("Expand placeholders at each send (Text and JSON formats): {{seq}}, {{now_ms}}, "
           "{{iso_time}}, {{random A B}}, {{choice a|b|c}}, {{toggle X Y}}, {{device.role}}, "
           "{{device.name}}, {{device.module}}, {{device.type}}, {{device.priority}}. "
           "Write {{{{ for a literal {{."));
    connect(m_template, &QCheckBox::toggled, this, [this] {
        revalidate();
        emit draftChanged();
        emit edited();
    });

    // Two short rows rather than one long one: the composer shares the page with the form
    // and the inspector on a 1024-pixel screen.
    auto* row = new QWidget;
    auto* layout = new QGridLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Preset")), 0, 0);
    layout->addWidget(m_preset, 0, 1, 1, 3);
    layout->addWidget(new QLabel(tr("Format")), 1, 0);
    layout->addWidget(m_format, 1, 1);
    layout->addWidget(m_load, 1, 2);
    layout->addWidget(m_template, 1, 3);
    layout->setColumnStretch(1, 1);

    connect(m_preset, &QComboBox::activated, this, &StatusComposer::applyPreset);
    connect(m_format, &QComboBox::currentIndexChanged, this, &StatusComposer::onFormatPicked);
    connect(m_load, &QPushButton::clicked, this, &StatusComposer::chooseFile);
    return row;
}

void StatusComposer::setDevice(quint32 module, quint32 deviceType)
{
    if (module == m_module && deviceType == m_deviceType && m_preset->count() > 0)
        return;
    m_module = module;
    m_deviceType = deviceType;
    refreshPresets();
    revalidate();
}

ComposerDraft StatusComposer::draft() const
{
    return {m_currentFormat, m_editor->toPlainText(), m_template->isChecked()};
}

void StatusComposer::setDraft(const ComposerDraft& draft)
{
    m_currentFormat = draft.format;
    {
        QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(int(draft.format)));
    }
    {
        QSignalBlocker blocker(m_template);
        m_template->setChecked(draft.isTemplate);
    }
    {
        const QScopedValueRollback<bool> replacing(m_replacing, true);
        m_editor->setPlainText(draft.text);
    }
    revalidate();
    m_history.reset(this->draft());
    emit undoRedoChanged();
}

void StatusComposer::setPayload(const QByteArray& bytes)
{
    const PayloadFormat target =
        payloadformat::isLosslessText(bytes) ? PayloadFormat::Text : PayloadFormat::Hex;
    m_currentFormat = target;
    {
        QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(int(target)));
    }
    replaceEditorText(payloadformat::encode(bytes, target).text);
    m_history.recordReplace(draft());
    m_syncStepOnTop = false;
    emit undoRedoChanged();
    revalidate();
    emit edited();
}

bool StatusComposer::setFormat(PayloadFormat format, QString* error)
{
    auto refuse = [&](const QString& why) {
        {
            QSignalBlocker blocker(m_format);
            m_format->setCurrentIndex(m_format->findData(int(m_currentFormat)));
        }
        showFormatMessage(why, true);
        if (error)
            *error = why;
        return false;
    };
    if (format == m_currentFormat)
        return true;
    const QString text = m_editor->toPlainText();
    const QString from = payloadformat::formatName(m_currentFormat);
    const QString to = payloadformat::formatName(format);
    payloadformat::Conversion bytes = payloadformat::decode(text, m_currentFormat);
    // Leaving JSON for plain text needs no valid JSON: the text itself is the payload.
    if (!bytes.ok && payloadformat::isJson(m_currentFormat) && format == PayloadFormat::Text)
        bytes = {true, text.toUtf8(), {}, {}};
    if (!bytes.ok) {
        return refuse(tr("Stays %1: the editor content does not parse as %1 (%2). Fix it, "
                         "or undo, before switching to %3.")
                          .arg(from, bytes.error, to));
    }
    const payloadformat::Conversion converted = payloadformat::encode(bytes.bytes, format);
    if (!converted.ok)
        return refuse(tr("Stays %1: %2 (switching to %3 would change the bytes).")
                          .arg(from, converted.error, to));
    const PayloadFormat previous = m_currentFormat;
    m_currentFormat = format;
    replaceEditorText(converted.text);
    // The editor may still alter what it is given (line endings): check, and put it back.
    const payloadformat::Conversion roundTrip =
        payloadformat::decode(m_editor->toPlainText(), format);
    const QByteArray expected = payloadformat::isJson(format)
                                    ? payloadformat::decode(converted.text, format).bytes
                                    : bytes.bytes;
    if (!roundTrip.ok || roundTrip.bytes != expected) {
        m_currentFormat = previous;
        replaceEditorText(text);
        return refuse(
            tr("Stays %1: the editor cannot show these bytes as %2 exactly.").arg(from, to));
    }
    if (payloadformat::isJson(format) && expected != bytes.bytes) {
        showFormatMessage(tr("Reformatted as %1: whitespace outside strings changed (%2 → %3 "
                             "bytes); keys, order and values are kept. What you see is what "
                             "is sent.")
                              .arg(to)
                              .arg(bytes.bytes.size())
                              .arg(expected.size()),
                          false);
    } else {
        m_formatMessage->hide();
        m_formatMessage->clear();
    }
    {
        QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(m_format->findData(int(format)));
    }
    m_history.recordReplace(draft());
    m_syncStepOnTop = false;
    // In sync, a view the operator picks (Hex, Base64) is kept for the following statuses.
    m_behaviourFormatPinned = behaviourMode() == BehaviourMode::Synced;
    emit undoRedoChanged();
    revalidate();
    emit edited();
    return true;
}

bool StatusComposer::loadFile(const QString& path, QString* error)
{
    QFile file(path);
    QString problem;
    if (!file.open(QIODevice::ReadOnly))
        problem = tr("Cannot read %1: %2").arg(path, file.errorString());
    else if (file.size() > kMaxLoadBytes)
        problem = tr("%1 has %2 bytes; the composer loads at most %3 bytes")
                      .arg(path)
                      .arg(file.size())
                      .arg(kMaxLoadBytes);
    if (!problem.isEmpty()) {
        showFormatMessage(problem, true);
        if (error)
            *error = problem;
        return false;
    }
    const QByteArray bytes = file.readAll();
    setPayload(bytes);
    showFormatMessage(
        tr("Loaded %1 bytes from %2%3")
            .arg(bytes.size())
            .arg(QFileInfo(path).fileName(), m_currentFormat == PayloadFormat::Hex
                                                 ? tr(" (not plain text: shown as Hex)")
                                                 : QString()),
        false);
    return true;
}

void StatusComposer::chooseFile()
{
    // open(), not exec(): the window keeps running while the dialog is up.
    auto* dialog = new QFileDialog(this, tr("Load status payload"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this](const QString& path) { loadFile(path); });
    dialog->open();
}

int StatusComposer::timeoutMs() const
{
    return m_sendBar->timeoutMs();
}

void StatusComposer::setTimeoutMs(int timeoutMs)
{
    m_sendBar->setTimeoutMs(timeoutMs);
}

int StatusComposer::autoSendIntervalMs() const
{
    return m_sendBar->intervalMs();
}

void StatusComposer::setAutoSendIntervalMs(int intervalMs)
{
    m_sendBar->setIntervalMs(intervalMs);
}

void StatusComposer::setSendAvailable(bool available, const QString& reason)
{
    m_sendAvailable = available;
    m_sendUnavailableReason = reason;
    updateSendButtons();
}

void StatusComposer::setAutoSendState(bool running, const QString& info)
{
    m_sendBar->setAutoSendState(running, info);
}

QString StatusComposer::validationText() const
{
    QStringList lines;
    for (const ComposerIssue& issue : m_check.issues)
        lines.append(issue.message);
    return lines.join(QLatin1Char('\n'));
}

QString StatusComposer::formatMessage() const
{
    return m_formatMessage->isHidden() ? QString() : m_formatMessage->text();
}

QPushButton* StatusComposer::sendButton() const
{
    return m_sendBar->sendButton();
}

QPushButton* StatusComposer::sendAnywayButton() const
{
    return m_sendBar->sendAnywayButton();
}

QCheckBox* StatusComposer::autoSendCheck() const
{
    return m_sendBar->autoSendCheck();
}

QString StatusComposer::autoSendInfo() const
{
    return m_sendBar->autoSendInfo();
}

void StatusComposer::refreshPresets()
{
    m_preset->clear();
    const QList<PayloadPreset> presets = ModuleCatalog::statusPresets(m_module, m_deviceType);
    if (presets.isEmpty()) {
        m_preset->addItem(tr("(no presets for %1, type %2)")
                              .arg(ModuleCatalog::moduleName(m_module))
                              .arg(m_deviceType));
        m_preset->setEnabled(false);
        return;
    }
    m_preset->setEnabled(true);
    m_preset->addItem(tr("Choose a preset (%1)…").arg(presets.size()));
    for (const PayloadPreset& preset : presets) {
        m_preset->addItem(preset.name, preset.payload);
        m_preset->setItemData(m_preset->count() - 1, preset.description, Qt::ToolTipRole);
    }
}

void StatusComposer::applyPreset(int index)
{
    if (index <= 0)
        return;
    setPayload(m_preset->itemData(index).toByteArray());
    showFormatMessage(tr("Preset \"%1\" loaded").arg(m_preset->itemText(index)), false);
}

void StatusComposer::onFormatPicked(int index)
{
    setFormat(PayloadFormat(m_format->itemData(index).toInt()));
}

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

void StatusComposer::revalidate()
{
    // Parsed once per edit, expanded per preview and per send.
    m_parsedTemplate = templateApplies() ? PayloadTemplate::parse(m_editor->toPlainText().toUtf8())
                                         : PayloadTemplate();
    QByteArray expanded;
    m_check = checkEditor(m_clock(), &expanded);
    QStringList lines;
    for (const ComposerIssue& issue : m_check.issues)
        lines.append(issueHtml(issue));
    if (m_check.decoded) {
        lines.append(
            QStringLiteral("<span style=\"color:#555\">%1 bytes</span>").arg(m_check.bytes.size()));
    }
    m_validation->setText(lines.join(QStringLiteral("<br>")));
    refreshTemplatePreview(expanded);
    updateSendButtons();
}

void StatusComposer::updateSendButtons()
{
    m_sendBar->setSendState(m_sendAvailable, m_sendUnavailableReason, m_check.decoded,
                            m_check.hasErrors());
    // A broken template is never sent, not even "anyway": the disabled button says why.
    if (m_sendAvailable && templateApplies() && !m_parsedTemplate.isValid())
        sendButton()->setToolTip(tr("Not sent: %1").arg(m_check.firstError()));
}

bool StatusComposer::templateApplies() const
{
    return m_template->isChecked() &&
           (m_currentFormat == PayloadFormat::Text || payloadformat::isJson(m_currentFormat));
}

ComposerCheck StatusComposer::checkEditor(qint64 nowMs, QByteArray* expanded) const
{
    const QString text = m_editor->toPlainText();
    if (!templateApplies())
        return checkComposerText(text, m_currentFormat, m_module, m_deviceType);
    if (!m_parsedTemplate.isValid()) {
        ComposerCheck check;
        check.issues.append({ComposerIssue::Severity::Error,
                             tr("Template: %1").arg(m_parsedTemplate.errorString())});
        return check;
    }
    // Validation runs on what goes out: the expansion, decoded in the editor's format.
    QRandomGenerator random(m_drawSeed);
    const QByteArray bytes =
        m_parsedTemplate.expand({m_templateDevice, nowMs, &random}, m_templateState);
    if (expanded)
        *expanded = bytes;
    return checkComposerText(QString::fromUtf8(bytes), m_currentFormat, m_module, m_deviceType);
}

void StatusComposer::refreshTemplatePreview(const QByteArray& expanded)
{
    m_previewFull.clear();
    if (!m_template->isChecked()) {
        m_preview->hide();
        m_preview->clear();
        m_preview->setToolTip({});
        return;
    }
    QString line;
    if (!templateApplies()) {
        line = tr("Template off in %1: templates apply to Text and JSON; these bytes go as they "
                  "are.")
                   .arg(payloadformat::formatName(m_currentFormat));
    } else if (!m_parsedTemplate.isValid()) {
        line = tr("Next send: nothing until the template error is fixed.");
    } else {
        const QByteArray bytes = m_check.decoded ? m_check.bytes : expanded;
        m_previewFull = QString::fromUtf8(bytes);
        QString shown = m_previewFull;
        shown.replace(QLatin1Char('\n'), QChar(0x23CE)); // ⏎: one line, still readable
        if (shown.size() > kPreviewChars)
            shown = shown.left(kPreviewChars - 1) + QChar(0x2026);
        line = tr("Next send (%1 bytes): %2").arg(bytes.size()).arg(shown);
    }
    m_preview->setText(line);
    m_preview->setToolTip(
        m_previewFull.isEmpty()
            ? line
            : QStringLiteral("<pre>%1</pre>%2")
                  .arg(m_previewFull.toHtmlEscaped(),
                       tr("{{now_ms}} and {{iso_time}} take the clock when the status goes out.")
                           .toHtmlEscaped()));
    m_preview->show();
}

void StatusComposer::setTemplateDevice(const DeviceIdentity& identity)
{
    if (identity == m_templateDevice)
        return;
    m_templateDevice = identity;
    if (templateApplies())
        revalidate();
}

ComposerCheck StatusComposer::checkForSend() const
{
    return templateApplies() ? checkEditor(m_clock()) : m_check;
}

void StatusComposer::templateSent()
{
    if (!templateApplies() || !m_parsedTemplate.isValid())
        return;
    m_parsedTemplate.advance(&m_templateState);
    m_drawSeed = m_seeds.generate();
    revalidate();
}

void StatusComposer::setTemplateSources(std::function<qint64()> clock, quint32 seed)
{
    m_clock = std::move(clock);
    m_seeds.seed(seed);
    m_drawSeed = m_seeds.generate();
    revalidate();
}

QString StatusComposer::templatePreview() const
{
    return m_preview->isHidden() ? QString() : m_preview->text();
}

QString StatusComposer::templatePreviewFull() const
{
    return m_previewFull;
}

void StatusComposer::showFormatMessage(const QString& text, bool problem)
{
    m_formatMessage->setText(text);
    m_formatMessage->setStyleSheet(problem ? QStringLiteral("color: #b26a00; font-weight: bold;")
                                           : QStringLiteral("color: #555;"));
    m_formatMessage->show();
}

} // namespace fleet
