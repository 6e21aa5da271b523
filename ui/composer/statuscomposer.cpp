// The status composer: its widgets, the draft, formats and files. Editing (undo, the editor's
// menu, behaviour mode) is in statuscomposerediting.cpp, checks and templates in
// statuscomposercheck.cpp.
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
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QVBoxLayout>

namespace fleet {

namespace {

// A text editor holding more than this gets sluggish; frames can be larger, files rarely are.
constexpr qint64 kMaxLoadBytes = 4 * 1024 * 1024;

constexpr PayloadFormat kFormats[] = {PayloadFormat::Text, PayloadFormat::JsonPretty,
                                      PayloadFormat::JsonCompact, PayloadFormat::Hex,
                                      PayloadFormat::Base64};

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
    // Two whole lines at least, frame and margins counted, in whichever monospace font the
    // system has: the window's minimum must fit a 1366×768 screen (tst_consolelayout), and a
    // taller monospace font (Noto Sans Mono against DejaVu Sans Mono) added lines' worth of height.
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 2 +
                               2 * int(m_editor->document()->documentMargin()) +
                               2 * m_editor->frameWidth());
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

} // namespace fleet
