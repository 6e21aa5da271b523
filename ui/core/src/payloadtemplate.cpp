#include "payloadtemplate.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <limits>

namespace fleet {

namespace {

constexpr int kMaxDecimals = 9;     // 10^9 keeps every scaled bound well inside qint64
constexpr int kMaxQuotedChars = 40; // how much of an unclosed placeholder an error quotes

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

QList<QByteArray> words(const QByteArray& text)
{
    QList<QByteArray> result;
    for (const QByteArray& word : text.simplified().split(' ')) {
        if (!word.isEmpty())
            result.append(word);
    }
    return result;
}

// A bound of {{random}}: an integer or a decimal in plain notation ("-2", "0.25").
struct Number {
    QByteArray digits; // sign and digits without the point
    int decimals = 0;
};

bool readNumber(const QByteArray& text, Number* number)
{
    int i = 0;
    if (text.startsWith('-'))
        ++i;
    int digits = 0;
    int point = -1;
    for (; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c == '.' && point < 0 && digits > 0) {
            point = i;
        } else {
            return false;
        }
    }
    if (digits == 0 || point == text.size() - 1)
        return false;
    number->decimals = point < 0 ? 0 : int(text.size() - point - 1);
    number->digits = text;
    if (point >= 0)
        number->digits.remove(point, 1);
    return true;
}

// The bound scaled to `decimals` decimals as an integer; false when it does not fit.
bool scaled(const Number& number, int decimals, qint64* value)
{
    QByteArray digits = number.digits;
    digits.append(QByteArray(decimals - number.decimals, '0'));
    bool ok = false;
    *value = digits.toLongLong(&ok);
    return ok;
}

QByteArray formatScaled(qint64 value, int decimals)
{
    const bool negative = value < 0;
    // Through quint64: the magnitude of the smallest qint64 does not fit in a qint64.
    const quint64 magnitude = negative ? quint64(0) - quint64(value) : quint64(value);
    quint64 unit = 1;
    for (int i = 0; i < decimals; ++i)
        unit *= 10;
    QByteArray text = negative ? QByteArray("-") : QByteArray();
    text += QByteArray::number(magnitude / unit);
    if (decimals > 0)
        text += '.' + QByteArray::number(magnitude % unit).rightJustified(decimals, '0');
    return text;
}

// Line and column (1-based, in characters rather than UTF-8 bytes) of a byte offset.
void position(const QByteArray& text, qsizetype offset, int* line, int* column)
{
    *line = 1;
    *column = 1;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        const auto c = uchar(text.at(i));
        if (c == '\n') {
            ++*line;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) { // not a continuation byte
            ++*column;
        }
    }
}

} // namespace

class TemplateParser {
public:
    explicit TemplateParser(const QByteArray& text)
        : m_text(text)
    {
    }

    PayloadTemplate run()
    {
        QByteArray literal;
        qsizetype i = 0;
        const qsizetype size = m_text.size();
        while (i < size) {
            if (m_text.at(i) != '{' || i + 1 >= size || m_text.at(i + 1) != '{') {
                literal += m_text.at(i++);
                continue;
            }
            // A run of opening braces: every "{{{{" is a literal "{{"; of what is left, a
            // single "{" is literal and the last two open a placeholder, so "{{{seq}}}"
            // gives the number in braces.
            qsizetype end = i;
            while (end < size && m_text.at(end) == '{')
                ++end;
            const qsizetype run = end - i;
            for (qsizetype k = 0; k < run / 4; ++k)
                literal += "{{";
            const qsizetype rest = run % 4;
            if (rest == 1 || rest == 3)
                literal += '{';
            i = end;
            if (rest < 2)
                continue;
            const qsizetype open = end - 2;
            qsizetype close = end;
            while (close + 1 < size && m_text.at(close) != '\n' &&
                   !(m_text.at(close) == '}' && m_text.at(close + 1) == '}'))
                ++close;
            if (close + 1 >= size || m_text.at(close) == '\n') {
                qsizetype lineEnd = m_text.indexOf('\n', open);
                if (lineEnd < 0)
                    lineEnd = size;
                QByteArray quoted = m_text.mid(open, lineEnd - open);
                if (quoted.size() > kMaxQuotedChars)
                    quoted = quoted.left(kMaxQuotedChars) + "…";
                fail(open,
                     QStringLiteral("unclosed placeholder \"%1\"").arg(QString::fromUtf8(quoted)),
                     QStringLiteral("no \"}}\" before the end of the line"));
                return std::move(m_result);
            }
            if (!literal.isEmpty()) {
                appendLiteral(literal);
                literal.clear();
            }
            if (!placeholder(open, m_text.mid(end, close - end)))
                return std::move(m_result);
            i = close + 2;
        }
        if (!literal.isEmpty())
            appendLiteral(literal);
        return std::move(m_result);
    }

private:
    using Kind = PayloadTemplate::Kind;

    void appendLiteral(const QByteArray& text)
    {
        PayloadTemplate::Part part;
        part.text = text;
        m_result.m_parts.append(part);
    }

    bool placeholder(qsizetype open, const QByteArray& inside)
    {
        const QByteArray raw = "{{" + inside + "}}";
        const QByteArray content = inside.trimmed();
        qsizetype nameEnd = 0;
        while (nameEnd < content.size() && !isBlank(content.at(nameEnd)))
            ++nameEnd;
        const QByteArray name = content.left(nameEnd);
        const QByteArray arguments = content.mid(nameEnd).trimmed();
        auto bad = [&](const QString& why) {
            fail(open, QStringLiteral("bad placeholder \"%1\"").arg(QString::fromUtf8(raw)), why);
            return false;
        };

        static const struct {
            const char* name;
            Kind kind;
        } kSimple[] = {{"seq", Kind::Seq},
                       {"now_ms", Kind::NowMs},
                       {"iso_time", Kind::IsoTime},
                       {"device.role", Kind::DeviceRole},
                       {"device.name", Kind::DeviceName},
                       {"device.module", Kind::DeviceModule},
                       {"device.type", Kind::DeviceType},
                       {"device.priority", Kind::DevicePriority}};
        for (const auto& simple : kSimple) {
            if (name != simple.name)
                continue;
            if (!arguments.isEmpty())
                return bad(QStringLiteral("{{%1}} takes no arguments").arg(simple.name));
            PayloadTemplate::Part part;
            part.kind = simple.kind;
            m_result.m_parts.append(part);
            return true;
        }

        PayloadTemplate::Part part;
        if (name == "random") {
            const QList<QByteArray> bounds = words(arguments);
            Number low, high;
            if (bounds.size() != 2)
                return bad(QStringLiteral("write {{random LOW HIGH}}, e.g. {{random 0 10}}"));
            if (!readNumber(bounds.at(0), &low) || !readNumber(bounds.at(1), &high))
                return bad(QStringLiteral("the bounds must be plain numbers such as 5, -2 or "
                                          "0.25"));
            part.decimals = qMax(low.decimals, high.decimals);
            if (part.decimals > kMaxDecimals)
                return bad(QStringLiteral("at most %1 decimals").arg(kMaxDecimals));
            if (!scaled(low, part.decimals, &part.low) || !scaled(high, part.decimals, &part.high))
                return bad(QStringLiteral("a bound is too large"));
            if (part.low > part.high) {
                return bad(
                    QStringLiteral("the lower bound %1 is above the upper bound %2")
                        .arg(QString::fromUtf8(bounds.at(0)), QString::fromUtf8(bounds.at(1))));
            }
            part.kind = part.decimals == 0 ? Kind::RandomInt : Kind::RandomDecimal;
        } else if (name == "choice") {
            if (arguments.isEmpty())
                return bad(QStringLiteral("write {{choice a|b|c}}"));
            part.kind = Kind::Choice;
            for (const QByteArray& option : arguments.split('|'))
                part.options.append(option.trimmed());
        } else if (name == "toggle") {
            part.options = words(arguments);
            if (part.options.size() != 2)
                return bad(QStringLiteral("write {{toggle FIRST SECOND}}, e.g. {{toggle true "
                                          "false}}"));
            part.kind = Kind::Toggle;
            part.toggle = m_result.m_toggleCount++;
        } else {
            fail(open, QStringLiteral("unknown placeholder \"%1\"").arg(QString::fromUtf8(raw)),
                 {});
            return false;
        }
        m_result.m_parts.append(part);
        return true;
    }

    void fail(qsizetype offset, const QString& what, const QString& why)
    {
        int line = 0;
        int column = 0;
        position(m_text, offset, &line, &column);
        m_result.m_parts.clear();
        m_result.m_toggleCount = 0;
        m_result.m_errorLine = line;
        m_result.m_errorColumn = column;
        m_result.m_error =
            QStringLiteral("%1 at line %2, column %3").arg(what).arg(line).arg(column);
        if (!why.isEmpty())
            m_result.m_error += QStringLiteral(": ") + why;
    }

    const QByteArray& m_text;
    PayloadTemplate m_result;
};

PayloadTemplate PayloadTemplate::parse(const QByteArray& utf8)
{
    return TemplateParser(utf8).run();
}

bool PayloadTemplate::hasPlaceholders() const
{
    for (const Part& part : m_parts) {
        if (part.kind != Kind::Literal)
            return true;
    }
    return false;
}

QByteArray PayloadTemplate::expand(const TemplateSources& sources, const TemplateState& state) const
{
    QRandomGenerator* random = sources.random ? sources.random : QRandomGenerator::global();
    QByteArray out;
    for (const Part& part : m_parts) {
        switch (part.kind) {
        case Kind::Literal:
            out += part.text;
            break;
        case Kind::Seq:
            out += QByteArray::number(state.sent + 1);
            break;
        case Kind::NowMs:
            out += QByteArray::number(sources.nowMs);
            break;
        case Kind::IsoTime:
            out += QDateTime::fromMSecsSinceEpoch(sources.nowMs, Qt::UTC)
                       .toString(Qt::ISODateWithMs)
                       .toLatin1();
            break;
        case Kind::RandomInt:
        case Kind::RandomDecimal: {
            // Inclusive bounds; the span is computed unsigned so that it cannot overflow.
            const quint64 span = quint64(part.high) - quint64(part.low);
            const quint64 draw = span == std::numeric_limits<quint64>::max()
                                     ? random->generate64()
                                     : random->bounded(span + 1);
            const auto value = qint64(quint64(part.low) + draw);
            out += part.kind == Kind::RandomInt ? QByteArray::number(value)
                                                : formatScaled(value, part.decimals);
            break;
        }
        case Kind::Choice:
            out += part.options.at(int(random->bounded(quint32(part.options.size()))));
            break;
        case Kind::Toggle:
            out += part.options.at(state.toggles.value(part.toggle, false) ? 1 : 0);
            break;
        case Kind::DeviceRole:
            out += sources.device.role.toUtf8();
            break;
        case Kind::DeviceName:
            out += sources.device.name.toUtf8();
            break;
        case Kind::DeviceModule:
            out += QByteArray::number(sources.device.module);
            break;
        case Kind::DeviceType:
            out += QByteArray::number(sources.device.deviceType);
            break;
        case Kind::DevicePriority:
            out += QByteArray::number(sources.device.priority);
            break;
        }
    }
    return out;
}

void PayloadTemplate::advance(TemplateState* state) const
{
    ++state->sent;
    if (state->toggles.size() < m_toggleCount)
        state->toggles.resize(m_toggleCount, false);
    for (int i = 0; i < m_toggleCount; ++i)
        state->toggles[i] = !state->toggles.at(i);
}

} // namespace fleet
