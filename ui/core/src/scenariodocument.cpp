#include "scenariodocument.h"

#include "jsonlocator.h"
#include "payloadtext.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace fleet {

namespace {

// The header's keys in the order a reader expects them; others follow as written, then steps.
constexpr const char* kHeaderOrder[] = {"scenario", "name", "comment", "server", "devices"};

const QByteArray kFreshDevices = R"({
    "button": {"module": 1000, "type": 0, "role": "button", "name": "scenario button"}
  })";

QByteArray quotedKey(const QString& key)
{
    const QByteArray array = QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // ["key"] -> "key"
}

// Line and column (1-based, in characters) of a byte offset in UTF-8 text.
TextPosition positionOf(const QByteArray& text, qsizetype offset)
{
    TextPosition position;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text.at(i) == '\n') {
            ++position.line;
            lineStart = i + 1;
        }
    }
    position.column = int(QString::fromUtf8(text.mid(lineStart, offset - lineStart)).size()) + 1;
    return position;
}

struct Segment {
    QString name;
    int index = 0;
};

// "steps[3].together[1]" -> {steps, 3}, {together, 1}; empty for anything else.
QList<Segment> segmentsOf(const QString& path)
{
    static const QRegularExpression segment(QStringLiteral("^([a-z_]+)\\[(\\d+)\\]$"));
    QList<Segment> segments;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const QRegularExpressionMatch match = segment.match(part);
        if (!match.hasMatch())
            return {};
        segments.append({match.captured(1), match.captured(2).toInt()});
    }
    if (segments.isEmpty() || segments.first().name != QLatin1String("steps"))
        return {};
    return segments;
}

// Where the step at `path` lies: its top-level step and its bytes inside that step's text.
struct Located {
    int top = -1;
    qsizetype offset = 0;
    qsizetype end = 0;
};

Located locate(const QList<QByteArray>& steps, const QString& path)
{
    const QList<Segment> segments = segmentsOf(path);
    if (segments.isEmpty() || segments.first().index >= steps.size())
        return {};
    Located located;
    located.top = segments.first().index;
    const QByteArray& text = steps.at(located.top);
    located.end = text.size();
    if (segments.size() == 1)
        return located;
    if (!checkJson(text).ok())
        return {};
    const JsonLocator locator(text);
    const JsonLocator::Node* node = &locator.root();
    for (qsizetype i = 1; i < segments.size() && node; ++i) {
        const JsonLocator::Node* list = node->member(segments.at(i).name);
        node = list ? list->element(segments.at(i).index) : nullptr;
    }
    if (!node)
        return {};
    located.offset = node->offset;
    located.end = node->end;
    return located;
}

} // namespace

QString ScenarioEditError::toString() const
{
    if (line <= 0)
        return error.toString();
    QString text = QStringLiteral("line %1, column %2: ").arg(line).arg(column);
    if (!error.step.isEmpty())
        text += error.step + QStringLiteral(": ");
    return text + error.message;
}

ScenarioDocument::ScenarioDocument(QObject* parent)
    : QObject(parent)
{
    reset();
}

void ScenarioDocument::reset()
{
    m_header = {{QStringLiteral("scenario"), QByteArray::number(Scenario::kFormatVersion)},
                {QStringLiteral("name"), QByteArrayLiteral("\"New scenario\"")},
                {QStringLiteral("devices"), kFreshDevices}};
    m_steps = {QByteArrayLiteral(R"({"connect": "button"})")};
    ScenarioError error;
    Scenario::parse(serialize(), parseName(), &m_scenario, &error);
    setFileName(QString());
    setDirty(false);
    emit changed();
}

bool ScenarioDocument::load(const QString& fileName, ScenarioError* error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        error->fileName = fileName;
        error->line = 0;
        error->column = 0;
        error->step.clear();
        error->message = file.errorString();
        return false;
    }
    return loadBytes(file.readAll(), fileName, error);
}

bool ScenarioDocument::loadBytes(const QByteArray& json, const QString& fileName,
                                 ScenarioError* error)
{
    Scenario scenario;
    if (!Scenario::parse(json, fileName, &scenario, error))
        return false;
    // Parsed: the text is one JSON object with a list of steps.
    const JsonLocator locator(json);
    QList<QPair<QString, QByteArray>> header;
    QList<QByteArray> steps;
    for (const auto& [key, node] : locator.root().members) {
        if (key == QLatin1String("steps")) {
            for (const JsonLocator::Node& step : node.elements)
                steps.append(json.mid(step.offset, step.end - step.offset));
        } else {
            header.append({key, json.mid(node.offset, node.end - node.offset)});
        }
    }
    m_header = header;
    m_steps = steps;
    m_scenario = scenario;
    setFileName(fileName);
    setDirty(false);
    emit changed();
    return true;
}

bool ScenarioDocument::save(const QString& fileName, QString* error)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(serialize()) < 0 || !file.commit()) {
        *error = QStringLiteral("%1: %2").arg(fileName, file.errorString());
        return false;
    }
    // Relative `file` sources now resolve against the new folder.
    ScenarioError ignored;
    Scenario scenario;
    if (Scenario::parse(serialize(), fileName, &scenario, &ignored))
        m_scenario = scenario;
    setFileName(fileName);
    setDirty(false);
    return true;
}

ScenarioDocument::Layout ScenarioDocument::layout(const QList<QByteArray>& steps) const
{
    Layout out;
    QByteArray& bytes = out.bytes;
    bytes += "{\n";
    QList<QPair<QString, QByteArray>> ordered;
    for (const char* key : kHeaderOrder) {
        for (const auto& member : m_header) {
            if (member.first == QLatin1String(key))
                ordered.append(member);
        }
    }
    for (const auto& member : m_header) {
        if (!ordered.contains(member))
            ordered.append(member);
    }
    for (const auto& [key, value] : ordered)
        bytes += "  " + quotedKey(key) + ": " + value + ",\n";
    bytes += "  \"steps\": [\n";
    for (qsizetype i = 0; i < steps.size(); ++i) {
        bytes += "    ";
        out.stepOffsets.append(bytes.size());
        bytes += steps.at(i);
        bytes += i + 1 < steps.size() ? ",\n" : "\n";
    }
    bytes += "  ]\n}\n";
    return out;
}

QByteArray ScenarioDocument::serialize() const
{
    return layout(m_steps).bytes;
}

QJsonObject ScenarioDocument::json() const
{
    return QJsonDocument::fromJson(serialize()).object();
}

QString ScenarioDocument::displayName() const
{
    return m_fileName.isEmpty() ? QStringLiteral("untitled.json")
                                : QFileInfo(m_fileName).fileName();
}

QString ScenarioDocument::parseName() const
{
    return m_fileName.isEmpty() ? QStringLiteral("untitled.json") : m_fileName;
}

QString ScenarioDocument::stepText(const QString& path) const
{
    const Located located = locate(m_steps, path);
    if (located.top < 0)
        return {};
    return QString::fromUtf8(
        m_steps.at(located.top).mid(located.offset, located.end - located.offset));
}

bool ScenarioDocument::commit(const QList<QByteArray>& steps, int editedStep,
                              qsizetype editedOffset, qsizetype editedLength,
                              ScenarioEditError* error)
{
    const Layout candidate = layout(steps);
    Scenario scenario;
    *error = ScenarioEditError();
    if (!Scenario::parse(candidate.bytes, parseName(), &scenario, &error->error)) {
        if (editedStep >= 0) {
            // Say where in the edited text, when the fault lies inside it.
            const qsizetype start = candidate.stepOffsets.at(editedStep) + editedOffset;
            const TextPosition from = positionOf(candidate.bytes, start);
            const TextPosition to = positionOf(candidate.bytes, start + editedLength);
            const TextPosition at{error->error.line, error->error.column};
            const bool inside =
                (at.line > from.line || (at.line == from.line && at.column >= from.column)) &&
                (at.line < to.line || (at.line == to.line && at.column <= to.column));
            if (inside) {
                error->line = at.line - from.line + 1;
                error->column = at.line == from.line ? at.column - from.column + 1 : at.column;
            }
        }
        return false;
    }
    m_steps = steps;
    m_scenario = scenario;
    setDirty(true);
    emit changed();
    return true;
}

bool ScenarioDocument::replaceStep(const QString& path, const QString& text,
                                   ScenarioEditError* error)
{
    const QByteArray edited = text.trimmed().toUtf8();
    const Located located = locate(m_steps, path);
    *error = ScenarioEditError();
    if (located.top < 0) {
        error->error.message = QStringLiteral("no step %1").arg(path);
        return false;
    }
    // Checked alone first: a typo gets its place in the edited text, not in the file.
    const JsonCheck check = checkJson(edited);
    if (!check.ok()) {
        error->error.fileName = parseName();
        error->error.step = path;
        error->error.message = QStringLiteral("not JSON: %1").arg(check.error->reason);
        error->line = check.error->position.line;
        error->column = check.error->position.column;
        return false;
    }
    if (!check.value.isObject()) {
        error->error.fileName = parseName();
        error->error.step = path;
        error->error.message = QStringLiteral("a step is an object such as {\"connect\": \"plc\"}");
        error->line = 1;
        error->column = 1;
        return false;
    }
    QList<QByteArray> steps = m_steps;
    QByteArray& top = steps[located.top];
    top.replace(located.offset, located.end - located.offset, edited);
    return commit(steps, located.top, located.offset, edited.size(), error);
}

bool ScenarioDocument::insertStep(int index, const QString& text, ScenarioEditError* error)
{
    const QByteArray edited = text.trimmed().toUtf8();
    QList<QByteArray> steps = m_steps;
    index = std::clamp(index, 0, int(steps.size()));
    steps.insert(index, edited);
    return commit(steps, index, 0, edited.size(), error);
}

bool ScenarioDocument::removeStep(int index, ScenarioEditError* error)
{
    if (index < 0 || index >= m_steps.size()) {
        *error = ScenarioEditError();
        error->error.message = QStringLiteral("no step %1").arg(index);
        return false;
    }
    QList<QByteArray> steps = m_steps;
    steps.removeAt(index);
    return commit(steps, -1, 0, 0, error);
}

bool ScenarioDocument::moveStep(int from, int to, ScenarioEditError* error)
{
    if (from < 0 || from >= m_steps.size() || to < 0 || to >= m_steps.size()) {
        *error = ScenarioEditError();
        error->error.message =
            QStringLiteral("no step %1").arg(from < 0 || from >= m_steps.size() ? from : to);
        return false;
    }
    QList<QByteArray> steps = m_steps;
    steps.move(from, to);
    return commit(steps, -1, 0, 0, error);
}

QString ScenarioDocument::stepTemplate(ScenarioStep::Kind kind) const
{
    const QList<ScenarioDevice>& devices = m_scenario.devices();
    QString device = devices.isEmpty() ? QStringLiteral("device") : devices.first().key;
    if (kind == ScenarioStep::Kind::ExpectState) {
        for (const ScenarioDevice& candidate : devices) {
            if (!candidate.behaviour.isEmpty()) {
                device = candidate.key;
                break;
            }
        }
    }
    const QString name = QString::fromUtf8(quotedKey(device));
    switch (kind) {
    case ScenarioStep::Kind::Connect:
        return QStringLiteral("{\"connect\": %1}").arg(name);
    case ScenarioStep::Kind::Send:
        return QStringLiteral("{\"send\": %1, \"json\": {}}").arg(name);
    case ScenarioStep::Kind::ExpectCommand:
        return QStringLiteral("{\"expect_command\": %1, \"within_ms\": %2}")
            .arg(name)
            .arg(Scenario::kDefaultWithinMs);
    case ScenarioStep::Kind::ExpectError:
        return QStringLiteral("{\"expect_error\": %1, \"error\": \"AlreadyConnected\"}").arg(name);
    case ScenarioStep::Kind::ExpectState:
        return QStringLiteral("{\"expect_state\": %1, \"state\": \"IDLE\"}").arg(name);
    case ScenarioStep::Kind::Wait:
        return QStringLiteral("{\"wait_ms\": 1000}");
    case ScenarioStep::Kind::Repeat:
        return QStringLiteral("{\"repeat\": 2, \"steps\": [{\"wait_ms\": 100}]}");
    case ScenarioStep::Kind::Together:
        return QStringLiteral("{\"together\": [{\"wait_ms\": 100}, {\"wait_ms\": 200}]}");
    case ScenarioStep::Kind::Disconnect:
        return QStringLiteral("{\"disconnect\": %1}").arg(name);
    case ScenarioStep::Kind::Gateway:
        return QStringLiteral("{\"gateway\": \"queue\", \"device\": %1, \"json\": {}}").arg(name);
    }
    return {};
}

void ScenarioDocument::setDirty(bool dirty)
{
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    emit dirtyChanged(dirty);
}

void ScenarioDocument::setFileName(const QString& fileName)
{
    if (m_fileName == fileName)
        return;
    m_fileName = fileName;
    emit fileNameChanged(fileName);
}

} // namespace fleet
