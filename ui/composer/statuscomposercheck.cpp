// The status composer's checks: the draft validated per edit, templates expanded for the
// preview and per send, and the messages under the editor.
#include "statuscomposer.h"

#include "sendbar.h"

#include <QCheckBox>
#include <QDateTime>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>

namespace fleet {

namespace {

// The template preview is one line; the whole expansion is in its tooltip.
constexpr int kPreviewChars = 96;

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
