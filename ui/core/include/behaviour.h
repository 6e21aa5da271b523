#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace fleet {

// A device that behaves (docs/modules.md#device-behaviour): a small state machine driven by
// time and by the commands it receives, producing the next status. Widget-free and timer-free:
// whoever drives it (BehaviourDriver in the console, the device tool headless, a test) says
// what time it is with advanceTo(), so a test can run an hour of a vehicle's life in
// milliseconds. Time is monotonic milliseconds from any origin.
//
// Statuses go out on change and as a heartbeat: statusDue() says when one should be sent,
// takeStatus() hands it over and counts it as sent. A change never makes statuses come faster
// than kMinStatusGapMs apart, so a command that changes the device (an IO toggle applied on
// every repeated copy) cannot start a status/command storm with the gateway.
class Behaviour : public QObject {
    Q_OBJECT
public:
    enum class Kind { Button, Io, Vehicle };
    Q_ENUM(Kind)

    static constexpr qint64 kMinStatusGapMs = 100;

    // One visible setting of a behaviour; the [open] choices of docs/modules.md#device-behaviour
    // are among them so the operator sees which way the emulator decided.
    struct Setting {
        QString key;   // "outputBase"
        QString label; // "Output numbers in commands start at"
        QString value; // "1"
        QString help;  // one sentence: why this is a choice
        // The values it takes when it is a choice ("0", "1"; "true", "false"); empty: free text.
        QStringList choices;
    };

    // What applyCommand() made of a command, for the face and the headless tool's events.
    struct CommandOutcome {
        bool applied = false; // the command changed or confirmed the device's state
        QString note;         // "output 1 on", "ignored: repeated command", "START: 2 stops"
    };

    explicit Behaviour(QObject* parent = nullptr);
    ~Behaviour() override;

    virtual Kind kind() const = 0;
    // "Example button", "Arduino Opta board", "Autonomous vehicle".
    virtual QString title() const = 0;

    // The module and device type this behaviour speaks for.
    virtual quint32 module() const = 0;
    virtual quint32 deviceType() const = 0;

    // Moves the device's time forward to nowMs (earlier times are ignored: time never runs
    // backwards). Movement, waits and heartbeats follow from it.
    void advanceTo(qint64 nowMs);
    qint64 now() const { return m_nowMs; }

    // The status the device would send now, without sending it (the composer shows it).
    virtual QByteArray status() const = 0;
    // Whether a status should go out at now(): never sent yet, changed since the last one
    // (and kMinStatusGapMs passed), or the heartbeat period ran out.
    bool statusDue() const;
    // The status to send now, counted as sent at now() (an IO board's press counter restarts).
    QByteArray takeStatus();
    // When the driver should call advanceTo() next, at the latest: the next heartbeat, the
    // next pending change or the model's own next event (a node reached, a wait over).
    qint64 nextWakeMs() const;
    // True while something moves continuously (a driving vehicle): faces want frames.
    virtual bool isAnimating() const { return false; }
    // What the device is doing, in the words its events and scenario expectations use: a
    // vehicle's state as its status names it ("IN_STOP"), a button's lamp ("lamp on"), an IO
    // board's outputs from output 1 on ("outputs 1010").
    virtual QString stateText() const = 0;

    // A command from the gateway (an answer or a push), applied at now().
    CommandOutcome applyCommand(const QByteArray& command);
    QString lastCommandNote() const { return m_lastCommandNote; }

    // Heartbeat: the longest gap between two statuses.
    int periodMs() const { return m_periodMs; }
    void setPeriodMs(int periodMs);

    virtual QList<Setting> settings() const = 0;
    // Sets a setting by key from its text form; false with *error naming what is wrong.
    virtual bool setSetting(const QString& key, const QString& value, QString* error = nullptr);

    // The behaviour that fits a device, or nullptr when the catalog knows none: the example
    // button (1000/0), the IO boards (2/1–2/4) and the autonomous vehicle (1/1).
    static std::unique_ptr<Behaviour> create(quint32 module, quint32 deviceType);
    static bool exists(quint32 module, quint32 deviceType);

signals:
    // Anything a face shows changed (state, lamps, position).
    void changed();
    // A status became due earlier than the heartbeat (an operator's press, a state change).
    void statusPending();

protected:
    // Called by advanceTo() with the old and new time.
    virtual void advance(qint64 fromMs, qint64 toMs) = 0;
    virtual CommandOutcome apply(const QByteArray& command) = 0;
    // The model's next own event (absolute ms), or -1 for none.
    virtual qint64 nextEventMs() const { return -1; }
    // A status was taken (IO boards restart their press counter).
    virtual void statusTaken() {}

    // What the status says changed: a status is due (after the minimum gap).
    void markStatusChanged();
    void notifyChanged() { emit changed(); }

private:
    qint64 m_nowMs = 0;
    qint64 m_lastSentMs = -1; // -1: never
    bool m_pending = true;    // the first status is due at once
    int m_periodMs = 1000;
    QString m_lastCommandNote;
};

// Shared by the behaviours' setSetting(): parses a bool/int setting text.
namespace behaviour {
bool parseBool(const QString& text, bool* value);
bool parseInt(const QString& text, int min, int max, int* value);
QString boolText(bool value);
} // namespace behaviour

} // namespace fleet
