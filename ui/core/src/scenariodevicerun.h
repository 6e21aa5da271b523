#pragma once

#include "internalclient.h"
#include "payloadtemplate.h"
#include "scenario.h"

#include <QByteArray>
#include <QList>
#include <QObject>

#include <functional>
#include <memory>

namespace fleet {

class Behaviour;
class BehaviourDriver;
class DeviceSession;

// One device of a running scenario (docs/scenarios.md#running): its session, its behaviour
// when it has one, and what arrived that no expectation has looked at yet — commands and
// errors, bounded, oldest dropped first.
class ScenarioDeviceRun : public QObject {
    Q_OBJECT
public:
    struct Command {
        QByteArray data;
        qint64 atMs = 0; // the runner's clock
    };

    ScenarioDeviceRun(const ScenarioDevice& device, int maxUnread, QObject* parent = nullptr);
    ~ScenarioDeviceRun() override;

    // Sets up the behaviour and its settings; false with *error naming a bad setting.
    bool prepare(QString* error);

    const ScenarioDevice& spec() const { return m_spec; }
    DeviceSession* session() const { return m_session; }
    Behaviour* behaviour() const { return m_behaviour.get(); }

    // The status bytes of a send step: templates expand (and advance), presets and files are
    // read now. False with *error when the source cannot give bytes.
    bool payloadBytes(const ScenarioPayload& payload, QByteArray* bytes, QString* error);

    QList<Command>& unreadCommands() { return m_commands; }
    QList<InternalClient::Error>& unreadErrors() { return m_errors; }
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

signals:
    // A command or an error arrived, the session's state or the behaviour changed: whoever
    // waits on this device looks again.
    void changed();
    // The session made a new client (one per connect), before its first frame goes out.
    void clientCreated(fleet::InternalClient* client);

private:
    ScenarioDevice m_spec;
    int m_maxUnread;
    DeviceSession* m_session = nullptr;
    std::unique_ptr<Behaviour> m_behaviour;
    BehaviourDriver* m_driver = nullptr;
    TemplateState m_templateState;
    QList<Command> m_commands;
    QList<InternalClient::Error> m_errors;
    std::function<qint64()> m_clock;
};

} // namespace fleet
