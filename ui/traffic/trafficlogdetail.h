#pragma once

#include "gatewayevent.h"
#include "trafficframe.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QButtonGroup;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
QT_END_NAMESPACE

namespace fleet {

// Everything about one logged frame: what it means in a plain sentence (and, for a command,
// where it came from), the whole envelope in protobuf text form, the payload as Text, JSON or
// a hex dump, and the exact bytes on the wire (length header included).
class TrafficLogDetail : public QWidget {
    Q_OBJECT
public:
    enum class PayloadView { Text, Json, Hex };
    Q_ENUM(PayloadView)
    enum class Tab { Envelope, Payload, Wire };

    explicit TrafficLogDetail(QWidget* parent = nullptr);

    // `origin`: where a command came from, when the embedded gateway said (plainlanguage.h).
    void showFrame(const TrafficFrame& frame, const QString& device,
                   GatewayEvent::Source origin = GatewayEvent::Source::None);
    void clearFrame();
    bool hasFrame() const { return m_hasFrame; }

    void setPayloadView(PayloadView view);
    PayloadView payloadView() const { return m_payloadView; }

    // What the panes show, for tests and copy/paste.
    QString headline() const;
    // The frame in a plain sentence, then the command's origin when known.
    QString meaning() const;
    QString envelopeText() const;
    QString payloadText() const;
    QString wireText() const;
    // The shown frame's payload; empty when it carries none (see hasPayload()).
    QByteArray payload() const { return m_payload; }
    bool hasPayload() const { return m_hasPayload; }

    QTabWidget* tabs() const { return m_tabs; }
    QPushButton* toComposerButton() const { return m_toComposer; }

signals:
    // "Copy payload to composer": the operator wants to send (or edit) these bytes.
    void payloadToComposer(const QByteArray& payload);

private:
    QPlainTextEdit* addPane(const QString& title, const QString& tip, QWidget* header = nullptr);
    void renderPayload();

    bool m_hasFrame = false;
    bool m_hasPayload = false;
    QByteArray m_payload;
    PayloadView m_payloadView = PayloadView::Text;

    QLabel* m_headline = nullptr;
    QLabel* m_meaning = nullptr;
    QTabWidget* m_tabs = nullptr;
    QPlainTextEdit* m_envelope = nullptr;
    QPlainTextEdit* m_payloadPane = nullptr;
    QPlainTextEdit* m_wire = nullptr;
    QButtonGroup* m_viewButtons = nullptr;
    QPushButton* m_toComposer = nullptr;
};

} // namespace fleet
