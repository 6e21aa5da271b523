#include "module_json.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

namespace fleet::detail {

JsonParse parseJson(const QByteArray& text)
{
    const JsonCheck check = checkJson(text);
    if (check.error && check.error->empty)
        return {QJsonValue::Undefined, QStringLiteral("the payload is empty, expected JSON")};
    if (check.error)
        return {QJsonValue::Undefined,
                QStringLiteral("JSON syntax error at ") + check.error->toString()};
    return {check.value, {}};
}

QString describeJsonValue(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        return QStringLiteral("the number %1").arg(formatNumber(value.toDouble()));
    case QJsonValue::String: {
        QString text = value.toString();
        if (text.size() > 40)
            text = text.left(40) + QChar(0x2026);
        return QStringLiteral("the string \"%1\"").arg(text);
    }
    case QJsonValue::Array: {
        const qsizetype count = value.toArray().size();
        return count == 1 ? QStringLiteral("an array of 1 element")
                          : QStringLiteral("an array of %1 elements").arg(count);
    }
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

QString formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace fleet::detail
