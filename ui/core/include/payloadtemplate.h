#pragma once

#include "deviceidentity.h"

#include <QByteArray>
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QRandomGenerator;
QT_END_NAMESPACE

namespace fleet {

// What changes from one send to the next: the owner (one per device) keeps it and calls
// PayloadTemplate::advance() after each status that actually went out.
struct TemplateState {
    quint64 sent = 0;    // statuses sent so far: {{seq}} expands to sent + 1, so it starts at 1
    QList<bool> toggles; // per {{toggle}}, in text order: true = shows its second value now
};

// What an expansion reads besides the state, injected so that tests are deterministic.
struct TemplateSources {
    DeviceIdentity device;
    qint64 nowMs = 0; // the clock: ms since the epoch, UTC
    // {{random}} and {{choice}} draw from it in text order; null = QRandomGenerator::global().
    QRandomGenerator* random = nullptr;
};

// A status payload with placeholders, parsed once and expanded per send (issue 14):
//   {{seq}}  {{now_ms}}  {{iso_time}}  {{random A B}}  {{choice a|b|c}}  {{toggle X Y}}
//   {{device.role}}  {{device.name}}  {{device.module}}  {{device.type}}  {{device.priority}}
// `{{{{` is a literal `{{`; a single brace and `}}` outside a placeholder are literal. Text
// without `{{` expands to itself byte for byte. Unknown or malformed placeholders are parse
// errors naming the placeholder and its line and column: never sent as they are.
class PayloadTemplate {
public:
    PayloadTemplate() = default; // empty, valid, expands to nothing

    static PayloadTemplate parse(const QByteArray& utf8);

    bool isValid() const { return m_error.isEmpty(); }
    // e.g. `unknown placeholder "{{foo}}" at line 1, column 14`; empty when valid.
    QString errorString() const { return m_error; }
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }

    bool hasPlaceholders() const;
    int toggleCount() const { return m_toggleCount; }

    // The bytes of the next send; changes nothing (the preview and the send use the same
    // call). An invalid template expands to nothing.
    QByteArray expand(const TemplateSources& sources, const TemplateState& state) const;
    // After a status went out: {{seq}} counts up, every {{toggle}} flips.
    void advance(TemplateState* state) const;

private:
    enum class Kind {
        Literal,
        Seq,
        NowMs,
        IsoTime,
        RandomInt,
        RandomDecimal,
        Choice,
        Toggle,
        DeviceRole,
        DeviceName,
        DeviceModule,
        DeviceType,
        DevicePriority
    };
    struct Part {
        Kind kind = Kind::Literal;
        QByteArray text;           // Literal
        QList<QByteArray> options; // Choice, Toggle (two)
        qint64 low = 0, high = 0;  // Random*, scaled by 10^decimals for decimals
        int decimals = 0;          // RandomDecimal
        int toggle = -1;           // Toggle: its index in TemplateState::toggles
    };
    friend class TemplateParser;

    QList<Part> m_parts;
    int m_toggleCount = 0;
    QString m_error;
    int m_errorLine = 0;
    int m_errorColumn = 0;
};

} // namespace fleet
