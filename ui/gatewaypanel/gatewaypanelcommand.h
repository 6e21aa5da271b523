#pragma once

#include "payloadformat.h"

#include <QByteArray>
#include <QWidget>

#include <optional>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPlainTextEdit;
QT_END_NAMESPACE

namespace fleet {

// Where the operator writes a command for one connected device: the module's command presets,
// the payload formats (switching converts the bytes and never loses them: a switch the
// content cannot survive is refused), and the module's advice on the command's shape.
class GatewayPanelCommandEditor : public QWidget {
    Q_OBJECT
public:
    explicit GatewayPanelCommandEditor(QWidget* parent = nullptr);

    // Presets and advice follow the selected device's module and type.
    void setDevice(quint32 module, quint32 deviceType);

    // The bytes the editor holds, or nullopt with *error saying what is wrong in the text.
    std::optional<QByteArray> command(QString* error = nullptr) const;
    // Shows bytes as Text when the editor can hold them exactly, else as Hex.
    void setCommand(const QByteArray& bytes);

    bool setFormat(PayloadFormat format, QString* error = nullptr);
    PayloadFormat format() const { return m_format; }
    // The module's advice on what the editor holds (empty when it looks right).
    QString adviceText() const;

    QComboBox* presetCombo() const { return m_presets; }
    QComboBox* formatCombo() const { return m_formats; }
    QPlainTextEdit* editor() const { return m_editor; }

signals:
    void commandEdited();

private:
    void applyPreset(int index);
    void onFormatPicked(int index);
    void updateAdvice();

    quint32 m_module = 0;
    quint32 m_deviceType = 0;
    PayloadFormat m_format = PayloadFormat::Text;
    QComboBox* m_presets = nullptr;
    QComboBox* m_formats = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_advice = nullptr;
};

} // namespace fleet
