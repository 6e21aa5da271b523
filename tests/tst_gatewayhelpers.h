#pragma once

// Shared by the tst_gateway* suites: what only gateway suites need (an event recorder, the
// catalog's model of a module's answers) on top of the shared fixtures of tests/support (the
// raw device, frame builders and identities).

#include "frames.h"
#include "gatewayserver.h"
#include "identities.h"
#include "modulecatalog.h"
#include "rawdevice.h"
#include "timing.h"

#include <memory>

#include <QElapsedTimer>
#include <QList>
#include <QSignalSpy>
#include <QTest>

namespace fleet::test {

// What the gateway's emulated module answers, computed by a fresh emulator of the catalog,
// so the tests follow the catalog's module behaviour instead of restating it.
class ModuleModel {
public:
    ModuleModel(quint32 module = 1000, quint32 type = 0)
        : m_emulator(ModuleCatalog::createEmulator(module, type))
    {
    }
    QByteArray answer(const QByteArray& status) { return m_emulator->answerStatus(status); }
    // The answer when an operator's (cloud) command was queued: it went through the module.
    QByteArray answerQueued(const QByteArray& status, const QByteArray& command)
    {
        return m_emulator->answerCloudCommand(status, command);
    }

private:
    std::unique_ptr<ModuleEmulator> m_emulator;
};

inline const QByteArray kPressed("{\"pressed\": true}");
inline const QByteArray kReleased("{\"pressed\": false}");

// Every gateway event, in order, with helpers to find them.
class EventLog {
public:
    explicit EventLog(GatewayServer* server)
    {
        QObject::connect(server, &GatewayServer::gatewayEvent, &m_context,
                         [this](const GatewayEvent& event) { m_events.append(event); });
    }
    const QList<GatewayEvent>& all() const { return m_events; }
    QList<GatewayEvent> of(GatewayEvent::Kind kind) const
    {
        QList<GatewayEvent> matching;
        for (const GatewayEvent& event : m_events) {
            if (event.kind == kind)
                matching.append(event);
        }
        return matching;
    }
    int count(GatewayEvent::Kind kind) const { return int(of(kind).size()); }
    bool waitFor(GatewayEvent::Kind kind, int count = 1, int timeoutMs = kWaitMs) const
    {
        return QTest::qWaitFor([&] { return this->count(kind) >= count; }, timeoutMs);
    }
    QString describe() const
    {
        QString text;
        for (const GatewayEvent& event : m_events)
            text += event.toText() + QLatin1Char('\n');
        return text;
    }
    void clear() { m_events.clear(); }

private:
    QObject m_context; // disconnects when the log goes first
    QList<GatewayEvent> m_events;
};

} // namespace fleet::test
