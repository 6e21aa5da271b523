#include "trafficlogdetail.h"

#include "payloadformat.h"
#include "payloadtext.h"
#include "plainlanguage.h"

#include <QButtonGroup>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace fleet {

TrafficLogDetail::TrafficLogDetail(QWidget* parent)
    : QWidget(parent)
{
    m_headline = new QLabel;
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setWordWrap(true);
    // For someone who does not know the protocol: the frame in a sentence.
    m_meaning = new QLabel;
    m_meaning->setObjectName(QStringLiteral("trafficFrameMeaning"));
    m_meaning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meaning->setWordWrap(true);
    m_meaning->setTextFormat(Qt::PlainText);

    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_envelope = addPane(tr("Envelope"),
                         tr("The whole message in protobuf text form, as the schema names it."));

    auto* payloadHeader = new QWidget;
    auto* payloadRow = new QHBoxLayout(payloadHeader);
    payloadRow->setContentsMargins(0, 0, 0, 0);
    m_viewButtons = new QButtonGroup(this);
    const std::pair<PayloadView, QString> views[] = {{PayloadView::Text, tr("Text")},
                                                     {PayloadView::Json, tr("JSON")},
                                                     {PayloadView::Hex, tr("Hex")}};
    for (const auto& [view, title] : views) {
        auto* button = new QRadioButton(title);
        m_viewButtons->addButton(button, int(view));
        payloadRow->addWidget(button);
    }
    m_viewButtons->button(int(m_payloadView))->setChecked(true);
    payloadRow->addStretch(1);
    m_toComposer = new QPushButton(tr("Copy payload to composer"));
    m_toComposer->setAutoDefault(false);
    m_toComposer->setToolTip(tr("Put these bytes into the status composer, to send or edit."));
    payloadRow->addWidget(m_toComposer);
    m_payloadPane =
        addPane(tr("Payload"), tr("statusData or commandData of the frame."), payloadHeader);

    m_wire = addPane(tr("Wire bytes"),
                     tr("The exact bytes on the wire: the 4-byte little-endian length, then the "
                        "serialized message."));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_headline);
    layout->addWidget(m_meaning);
    layout->addWidget(m_tabs, 1);

    connect(m_viewButtons, &QButtonGroup::idClicked, this,
            [this](int id) { setPayloadView(PayloadView(id)); });
    connect(m_toComposer, &QPushButton::clicked, this, [this] {
        if (m_hasPayload)
            emit payloadToComposer(m_payload);
    });
    clearFrame();
}

QPlainTextEdit* TrafficLogDetail::addPane(const QString& title, const QString& tip, QWidget* header)
{
    auto* pane = new QPlainTextEdit;
    pane->setReadOnly(true);
    pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    pane->setToolTip(tip);
    // Two lines are enough to start reading; the pane grows with the dock.
    pane->setMinimumHeight(pane->fontMetrics().height() * 2);
    if (!header) {
        m_tabs->addTab(pane, title);
        return pane;
    }
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(header);
    layout->addWidget(pane, 1);
    m_tabs->addTab(page, title);
    return pane;
}

void TrafficLogDetail::showFrame(const TrafficFrame& frame, const QString& device,
                                 GatewayEvent::Source origin)
{
    m_hasFrame = true;
    QStringList parts{
        trafficKindName(frame.kind, frame.responseType),
        trafficRowDirectionName(frame),
        tr("logged by the %1").arg(trafficSideName(frame.side)),
        utcTimestamp(frame.timeMs), // as in the export, so a row can be found there
        tr("%n byte(s) on the wire", nullptr, int(frame.size())),
    };
    if (frame.isCut())
        parts.append(tr("only the first %1 kept (the log's byte budget)")
                         .arg(QLocale().formattedDataSize(frame.wire.size())));
    if (frame.isAnswer())
        parts.append(tr("round trip %1 ms").arg(double(frame.roundTripMs), 0, 'f', 2));
    m_headline->setText(QStringLiteral("<b>%1</b><br>%2")
                            .arg(device.toHtmlEscaped(), parts.join(QStringLiteral(" · "))));
    // The headline's words (kind, direction, side) explained where the mouse rests on it.
    m_headline->setToolTip(QStringList{trafficKindExplanation(frame.kind, frame.responseType),
                                       trafficRowDirectionExplanation(frame),
                                       trafficSideExplanation(frame.side)}
                               .join(QLatin1Char('\n')));
    QString meaning = plainFrameSentence(frame);
    if (const QString from = answerOriginSentence(origin); !from.isEmpty())
        meaning += QLatin1Char('\n') + from;
    m_meaning->setText(meaning);
    m_meaning->show();

    if (frame.kind == TrafficKind::ProtocolError) {
        m_envelope->setPlainText(frame.note);
        m_hasPayload = false;
        m_payload.clear();
    } else {
        const DecodedFrame decoded = decodeFrame(frame.direction, frame.wire);
        QString envelope;
        if (frame.isCut())
            envelope = tr("Summary (decoded when the frame arrived): %1\n").arg(frame.note);
        else if (!decoded.ok)
            envelope = tr("Not a valid envelope: %1\n").arg(decoded.error);
        if (!decoded.envelopeText.isEmpty())
            envelope += decoded.envelopeText;
        m_envelope->setPlainText(envelope);
        m_hasPayload = decoded.ok && (decoded.kind == TrafficKind::Status ||
                                      decoded.kind == TrafficKind::Command);
        m_payload = m_hasPayload ? decoded.payload : QByteArray();
    }
    m_wire->setPlainText(frame.wire.isEmpty() ? tr("(no bytes)") : trafficHexDump(frame.wire));
    renderPayload();
}

void TrafficLogDetail::clearFrame()
{
    m_hasFrame = false;
    m_hasPayload = false;
    m_payload.clear();
    m_headline->setText(tr("Select a row to see the whole frame."));
    m_headline->setToolTip({});
    m_meaning->clear();
    m_meaning->hide();
    m_envelope->clear();
    m_wire->clear();
    renderPayload();
}

void TrafficLogDetail::setPayloadView(PayloadView view)
{
    m_payloadView = view;
    if (QAbstractButton* button = m_viewButtons->button(int(view)))
        button->setChecked(true);
    renderPayload();
}

void TrafficLogDetail::renderPayload()
{
    m_toComposer->setEnabled(m_hasPayload);
    if (!m_hasFrame) {
        m_payloadPane->clear();
        return;
    }
    if (!m_hasPayload) {
        m_payloadPane->setPlainText(tr("This frame carries no payload."));
        return;
    }
    if (m_payload.isEmpty()) {
        m_payloadPane->setPlainText(tr("(empty payload: nothing new)"));
        return;
    }
    switch (m_payloadView) {
    case PayloadView::Text: {
        if (const std::optional<QString> text = exactUtf8(m_payload))
            m_payloadPane->setPlainText(*text);
        else
            m_payloadPane->setPlainText(
                tr("The payload is no UTF-8 text; the Hex view shows its bytes."));
        return;
    }
    case PayloadView::Json: {
        const payloadformat::Conversion json =
            payloadformat::encode(m_payload, PayloadFormat::JsonPretty);
        m_payloadPane->setPlainText(json.ok ? json.text
                                            : tr("The payload is no JSON: %1").arg(json.error));
        return;
    }
    case PayloadView::Hex:
        m_payloadPane->setPlainText(trafficHexDump(m_payload));
        return;
    }
}

QString TrafficLogDetail::headline() const
{
    return m_headline->text();
}

QString TrafficLogDetail::meaning() const
{
    return m_meaning->text();
}

QString TrafficLogDetail::envelopeText() const
{
    return m_envelope->toPlainText();
}

QString TrafficLogDetail::payloadText() const
{
    return m_payloadPane->toPlainText();
}

QString TrafficLogDetail::wireText() const
{
    return m_wire->toPlainText();
}

} // namespace fleet
