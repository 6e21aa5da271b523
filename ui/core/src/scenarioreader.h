#pragma once

// The scenario file reader (docs/scenarios.md): private to ui/core, used by Scenario::parse.
#include "jsonlocator.h"
#include "scenario.h"

#include <QJsonObject>

namespace fleet {

// A step's kind is the one key among these that it has (docs/scenarios.md#steps).
struct StepKey {
    const char* key;
    ScenarioStep::Kind kind;
    bool takesDevice; // the key's value names a device
};
inline constexpr StepKey kStepKeys[] = {
    {"connect", ScenarioStep::Kind::Connect, true},
    {"send", ScenarioStep::Kind::Send, true},
    {"expect_command", ScenarioStep::Kind::ExpectCommand, true},
    {"expect_error", ScenarioStep::Kind::ExpectError, true},
    {"expect_state", ScenarioStep::Kind::ExpectState, true},
    {"wait_ms", ScenarioStep::Kind::Wait, false},
    {"repeat", ScenarioStep::Kind::Repeat, false},
    {"together", ScenarioStep::Kind::Together, false},
    {"disconnect", ScenarioStep::Kind::Disconnect, true},
    {"gateway", ScenarioStep::Kind::Gateway, false},
};

// The words of the reader's messages, shared by scenarioreader.cpp and scenarioreadersteps.cpp.
namespace scenariowords {

inline constexpr const char* kPayloadKeys[] = {"text", "json", "hex", "template", "preset", "file"};
inline constexpr const char* kMatchKeys[] = {"bytes",       "hex",   "json",
                                             "json_subset", "regex", "fields"};

inline QString quoted(const QString& key)
{
    return QLatin1Char('"') + key + QLatin1Char('"');
}

inline QStringList quotedAll(const QStringList& keys)
{
    QStringList list;
    for (const QString& key : keys)
        list.append(quoted(key));
    return list;
}

template <std::size_t N> QStringList names(const char* const (&keys)[N])
{
    QStringList list;
    for (const char* key : keys)
        list.append(QLatin1String(key));
    return list;
}

} // namespace scenariowords

// Reads one document; every check that fails records the first error and stops the read.
class ScenarioReader {
public:
    ScenarioReader(const QByteArray& json, const QString& fileName)
        : m_json(json)
        , m_fileName(fileName)
        , m_locator(json)
    {
    }

    bool read(Scenario* scenario, ScenarioError* error);

private:
    using Node = JsonLocator::Node;

    bool fail(const Node* at, const QString& message);
    bool readDevices(const QJsonObject& devices, const Node* node);
    bool readDevice(const QString& key, const QJsonValue& value, const Node* node,
                    ScenarioDevice* device);
    bool readSteps(const QJsonValue& value, const Node* node, const QString& path,
                   QList<ScenarioStep>* steps);
    bool readStep(const QJsonObject& object, const Node* node, ScenarioStep* step);
    bool readPayload(const QJsonObject& object, const Node* node, bool required,
                     const ScenarioDevice* device, ScenarioPayload* payload);
    bool readMatch(const QJsonObject& object, const Node* node, ScenarioMatch* match);
    bool readWithin(const QJsonObject& object, const Node* node, int* ms);
    bool readCount(const QJsonValue& value, const Node* node, const QString& what, int min, int max,
                   int* count);
    bool readDeviceName(const QJsonValue& value, const Node* node, QString* key);
    bool checkKeys(const QJsonObject& object, const Node* node, const QStringList& allowed);
    // The one key of `keys` the object has (*found stays empty for none); two of them fail
    // with "`what`: both "a" and "b"".
    bool oneKeyOf(const QJsonObject& object, const Node* node, const QStringList& keys,
                  const QString& what, QString* found);
    QByteArray asWritten(const Node* node) const
    {
        return m_json.mid(node->offset, node->end - node->offset);
    }
    static const Node* member(const Node* node, const QString& key)
    {
        return node ? node->member(key) : nullptr;
    }

    QByteArray m_json;
    QString m_fileName;
    JsonLocator m_locator;
    Scenario m_scenario;
    ScenarioError m_error;
    QString m_step; // label of the step being read
    qsizetype m_keyAt = -1;
};

} // namespace fleet
