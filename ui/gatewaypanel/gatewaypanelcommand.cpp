#include "gatewaypanelcommand.h"

#include "modulecatalog.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace fleet {

namespace {

constexpr PayloadFormat kFormats[] = {PayloadFormat::Text, PayloadFormat::JsonPretty,
                                      PayloadFormat::JsonCompact, PayloadFormat::Hex,
                                      PayloadFormat::Base64};

} // namespace

GatewayPanelCommandEditor::GatewayPanelCommandEditor(QWidget* parent)
    : QWidget(parent)
{
    m_presets = new QComboBox;
    m_presets->setToolTip(tr("Commands the selected device's module sends."));
    m_formats = new QComboBox;
    for (PayloadFormat format : kFormats)
        m_formats->addItem(payloadformat::formatName(format), int(format));
    m_formats->setToolTip(tr("How the editor shows the command bytes."));
    m_editor = new QPlainTextEdit;
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("commandData to queue or push"));
    m_editor->setTabChangesFocus(true);
    m_advice = new QLabel;
    m_advice->setWordWrap(true);
    m_advice->setStyleSheet(QStringLiteral("color: #b56a00;"));

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Preset")));
    top->addWidget(m_presets, 1);
    top->addWidget(new QLabel(tr("Format")));
    top->addWidget(m_formats);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_advice);

    connect(m_presets, &QComboBox::activated, this, &GatewayPanelCommandEditor::applyPreset);
    connect(m_formats, &QComboBox::activated, this, &GatewayPanelCommandEditor::onFormatPicked);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        updateAdvice();
        emit commandEdited();
    });
    setDevice(0, 0);
}

void GatewayPanelCommandEditor::setDevice(quint32 module, quint32 deviceType)
{
    m_module = module;
    m_deviceType = deviceType;
    m_presets->clear();
    const QList<PayloadPreset> presets = ModuleCatalog::commandPresets(module, deviceType);
    m_presets->addItem(presets.isEmpty() ? tr("(no presets for this module)") : tr("Choose…"));
    for (const PayloadPreset& preset : presets) {
        m_presets->addItem(preset.name, preset.payload);
        m_presets->setItemData(m_presets->count() - 1, preset.description, Qt::ToolTipRole);
    }
    m_presets->setEnabled(!presets.isEmpty());
    updateAdvice();
}

std::optional<QByteArray> GatewayPanelCommandEditor::command(QString* error) const
{
    const payloadformat::Conversion conversion =
        payloadformat::decode(m_editor->toPlainText(), m_format);
    if (!conversion.ok) {
        if (error)
            *error = tr("the command is no valid %1: %2")
                         .arg(payloadformat::formatName(m_format), conversion.error);
        return std::nullopt;
    }
    return conversion.bytes;
}

void GatewayPanelCommandEditor::setCommand(const QByteArray& bytes)
{
    const PayloadFormat format =
        payloadformat::isLosslessText(bytes) ? PayloadFormat::Text : PayloadFormat::Hex;
    m_format = format;
    m_formats->setCurrentIndex(m_formats->findData(int(format)));
    m_editor->setPlainText(payloadformat::encode(bytes, format).text);
}

bool GatewayPanelCommandEditor::setFormat(PayloadFormat format, QString* error)
{
    QString why;
    const std::optional<QByteArray> bytes = command(&why);
    payloadformat::Conversion converted;
    if (bytes) {
        converted = payloadformat::encode(*bytes, format);
        if (!converted.ok)
            why = tr("the command cannot be shown as %1: %2")
                      .arg(payloadformat::formatName(format), converted.error);
    }
    if (!bytes || !converted.ok) {
        // Keep the format and the text: nothing the operator typed is lost.
        m_formats->setCurrentIndex(m_formats->findData(int(m_format)));
        m_advice->setText(why);
        if (error)
            *error = why;
        return false;
    }
    m_format = format;
    m_formats->setCurrentIndex(m_formats->findData(int(format)));
    m_editor->setPlainText(converted.text);
    return true;
}

QString GatewayPanelCommandEditor::adviceText() const
{
    return m_advice->text();
}

void GatewayPanelCommandEditor::applyPreset(int index)
{
    if (index <= 0)
        return;
    setCommand(m_presets->itemData(index).toByteArray());
    // Back to the prompt, so that picking the same preset again applies it again.
    QSignalBlocker block(m_presets);
    m_presets->setCurrentIndex(0);
}

void GatewayPanelCommandEditor::onFormatPicked(int index)
{
    setFormat(PayloadFormat(m_formats->itemData(index).toInt()));
}

void GatewayPanelCommandEditor::updateAdvice()
{
    QString error;
    const std::optional<QByteArray> bytes = command(&error);
    if (!bytes) {
        m_advice->setText(error);
        return;
    }
    // Advice, not a rule: modules do not check commands, devices do (docs/modules.md).
    const ValidationResult advice = ModuleCatalog::validateCommand(m_module, m_deviceType, *bytes);
    m_advice->setText(advice.ok ? QString()
                                : tr("The device may not understand this: %1").arg(advice.message));
}

} // namespace fleet
