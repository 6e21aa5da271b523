#include "scenariostepeditor.h"

#include "scenariodocument.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QVBoxLayout>

namespace fleet {

ScenarioStepEditor::ScenarioStepEditor(QWidget* parent)
    : QWidget(parent)
{
    m_title = new QLabel(tr("No step selected"));
    m_text = new QPlainTextEdit;
    m_text->setObjectName(QStringLiteral("scenarioStepText"));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setTabChangesFocus(true);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("scenarioStepError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_error->hide();
    m_apply = new QPushButton(tr("&Apply"));
    m_apply->setObjectName(QStringLiteral("scenarioStepApply"));
    m_apply->setToolTip(tr("Check the step and put it in the scenario (Ctrl+Return)"));
    m_apply->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_revert = new QPushButton(tr("Re&vert"));
    m_revert->setToolTip(tr("Back to the step as it is in the scenario"));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_title, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_error);

    connect(m_apply, &QPushButton::clicked, this, [this] { emit applyRequested(m_path, text()); });
    connect(m_revert, &QPushButton::clicked, this, [this] { setStep(m_path, m_original); });
    connect(m_text, &QPlainTextEdit::modificationChanged, this, &ScenarioStepEditor::updateButtons);
    updateButtons();
}

void ScenarioStepEditor::setStep(const QString& path, const QString& text, const QString* draft)
{
    m_path = path;
    m_original = text;
    m_text->setPlainText(draft ? *draft : text);
    m_text->document()->setModified(draft != nullptr);
    clearError();
    updateButtons();
}

QString ScenarioStepEditor::text() const
{
    return m_text->toPlainText();
}

void ScenarioStepEditor::setText(const QString& text)
{
    m_text->selectAll();
    m_text->insertPlainText(text);
}

bool ScenarioStepEditor::isModified() const
{
    return m_text->document()->isModified();
}

void ScenarioStepEditor::showError(const ScenarioEditError& error)
{
    m_error->setText(error.toString());
    m_error->show();
    if (error.line <= 0)
        return;
    // The cursor on the fault, so the operator fixes it where it is.
    const QTextBlock block = m_text->document()->findBlockByLineNumber(error.line - 1);
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                        std::min(error.column - 1, block.length() - 1));
    m_text->setTextCursor(cursor);
}

void ScenarioStepEditor::clearError()
{
    m_error->clear();
    m_error->hide();
}

void ScenarioStepEditor::setEditable(bool editable)
{
    m_editable = editable;
    m_text->setReadOnly(!editable);
    updateButtons();
}

void ScenarioStepEditor::updateButtons()
{
    const bool modified = isModified();
    m_apply->setEnabled(m_editable && !m_path.isEmpty() && modified);
    m_revert->setEnabled(m_editable && modified);
    m_title->setText(m_path.isEmpty() ? tr("No step selected")
                     : modified       ? tr("%1 (edited, not applied)").arg(m_path)
                                      : m_path);
}

} // namespace fleet
