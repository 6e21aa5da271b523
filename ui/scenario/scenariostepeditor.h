#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
class QPushButton;
QT_END_NAMESPACE

namespace fleet {

struct ScenarioEditError;

// The selected step's JSON, editable: Apply hands the text to the document, which refuses a
// bad edit; the reason shows under the text with the cursor put on the fault, and the text
// stays as typed (docs/scenarios.md#in-the-console).
class ScenarioStepEditor : public QWidget {
    Q_OBJECT
public:
    explicit ScenarioStepEditor(QWidget* parent = nullptr);

    // Shows a step as it is in the scenario, or `draft`: text typed earlier and not applied.
    void setStep(const QString& path, const QString& text, const QString* draft = nullptr);
    QString path() const { return m_path; }
    QString text() const;
    void setText(const QString& text); // as the operator would type it
    // Typed since setStep() and not applied.
    bool isModified() const;
    void showError(const ScenarioEditError& error);
    void clearError();
    void setEditable(bool editable);

    QPlainTextEdit* textEdit() const { return m_text; }
    QLabel* errorLabel() const { return m_error; }
    QPushButton* applyButton() const { return m_apply; }

signals:
    void applyRequested(const QString& path, const QString& text);

private:
    void updateButtons();

    QString m_path;
    QString m_original;
    QLabel* m_title = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_revert = nullptr;
    bool m_editable = true;
};

} // namespace fleet
