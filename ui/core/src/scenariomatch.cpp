#include "scenariomatch.h"

#include "modulecatalog.h"
#include "payloadtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace fleet::scenariomatch {

namespace {

constexpr qsizetype kQuoteChars = 120;

QString compact(const QJsonValue& value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

// Objects: every key of `part` is in `whole` with a matching value; arrays: element by element
// (the whole may be longer); scalars: equal.
bool contains(const QJsonValue& whole, const QJsonValue& part)
{
    if (part.isObject()) {
        if (!whole.isObject())
            return false;
        const QJsonObject object = whole.toObject();
        const QJsonObject wanted = part.toObject();
        for (auto it = wanted.begin(); it != wanted.end(); ++it) {
            if (!object.contains(it.key()) || !contains(object.value(it.key()), it.value()))
                return false;
        }
        return true;
    }
    if (part.isArray()) {
        if (!whole.isArray())
            return false;
        const QJsonArray array = whole.toArray();
        const QJsonArray wanted = part.toArray();
        if (wanted.size() > array.size())
            return false;
        for (qsizetype i = 0; i < wanted.size(); ++i) {
            if (!contains(array.at(i), wanted.at(i)))
                return false;
        }
        return true;
    }
    return whole == part;
}

// "stops[0].name" in a decoded command; Undefined when the path leads nowhere.
QJsonValue valueAt(QJsonValue value, const QString& path)
{
    static const QRegularExpression part(QStringLiteral(R"(^([^\[\]]*)((?:\[\d+\])*)$)"));
    static const QRegularExpression index(QStringLiteral(R"(\[(\d+)\])"));
    for (const QString& step : path.split(QLatin1Char('.'))) {
        const QRegularExpressionMatch m = part.match(step);
        if (!m.hasMatch())
            return QJsonValue::Undefined;
        if (!m.captured(1).isEmpty()) {
            if (!value.isObject())
                return QJsonValue::Undefined;
            value = value.toObject().value(m.captured(1));
        }
        for (auto it = index.globalMatch(m.captured(2)); it.hasNext();) {
            const int at = it.next().captured(1).toInt();
            if (!value.isArray() || at >= value.toArray().size())
                return QJsonValue::Undefined;
            value = value.toArray().at(at);
        }
    }
    return value;
}

} // namespace

bool matches(const ScenarioMatch& match, quint32 module, const QByteArray& command)
{
    switch (match.kind) {
    case ScenarioMatch::Kind::Any:
        return true;
    case ScenarioMatch::Kind::Exact:
        return command == match.bytes;
    case ScenarioMatch::Kind::Regex:
        return QRegularExpression(match.pattern).match(QString::fromUtf8(command)).hasMatch();
    case ScenarioMatch::Kind::JsonEqual:
    case ScenarioMatch::Kind::JsonSubset: {
        const JsonCheck json = checkJson(command);
        if (!json.ok())
            return false;
        return match.kind == ScenarioMatch::Kind::JsonEqual ? json.value == match.subset
                                                            : contains(json.value, match.subset);
    }
    case ScenarioMatch::Kind::Fields: {
        const JsonCheck decoded = checkJson(ModuleCatalog::prettyCommand(module, command).toUtf8());
        if (!decoded.ok())
            return false;
        for (auto it = match.fields.cbegin(); it != match.fields.cend(); ++it) {
            if (valueAt(decoded.value, it.key()) != it.value())
                return false;
        }
        return true;
    }
    }
    return false;
}

QString describe(const ScenarioMatch& match)
{
    switch (match.kind) {
    case ScenarioMatch::Kind::Any:
        return QStringLiteral("a command");
    case ScenarioMatch::Kind::Exact:
        return quote(match.bytes);
    case ScenarioMatch::Kind::Regex:
        return QStringLiteral("a command matching /%1/").arg(match.pattern);
    case ScenarioMatch::Kind::JsonEqual:
        return QStringLiteral("`%1`").arg(QString::fromUtf8(match.bytes));
    case ScenarioMatch::Kind::JsonSubset:
        return QStringLiteral("JSON containing `%1`").arg(QString::fromUtf8(match.bytes));
    case ScenarioMatch::Kind::Fields: {
        QStringList fields;
        for (auto it = match.fields.cbegin(); it != match.fields.cend(); ++it)
            fields.append(QStringLiteral("%1 = %2").arg(it.key(), compact(it.value())));
        return QStringLiteral("a command with %1").arg(fields.join(QStringLiteral(", ")));
    }
    }
    return {};
}

QString quote(const QByteArray& command)
{
    if (command.isEmpty())
        return QStringLiteral("an empty command");
    return QStringLiteral("`%1`").arg(payloadLine(command, kQuoteChars));
}

} // namespace fleet::scenariomatch
