#pragma once

#include "deviceconfig.h"

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QTabWidget;
QT_END_NAMESPACE

namespace fleet {

class Behaviour;
class BehaviourDriver;
class BehaviourMark;
class BehaviourSettingsView;
class DeviceSession;
class ElidedLabel;

// A device tab's behaviour: the choice "None (payload sender)" or the behaviour of the device's
// module and type (docs/modules.md#device-behaviour), and while one is chosen its face, the
// status it sends next and its settings. Owns the behaviour and the BehaviourDriver that ties
// it to the tab's DeviceSession.
class BehaviourPanel : public QWidget {
    Q_OBJECT
public:
    explicit BehaviourPanel(DeviceSession* session, QWidget* parent = nullptr);
    ~BehaviourPanel() override;

    // Offers the behaviour of this module and type; a different device switches it off.
    void setDevice(quint32 module, quint32 deviceType);
    // The choice; the page puts it where the operator looks for device controls.
    QComboBox* choiceCombo() const { return m_choice; }
    bool isActive() const { return m_behaviour != nullptr; }
    void setActive(bool on);
    void setStatusTimeoutMs(int timeoutMs);

    Behaviour* behaviour() const { return m_behaviour.get(); }
    BehaviourDriver* driver() const { return m_driver; }
    QWidget* face() const { return m_face; }
    BehaviourSettingsView* settingsView() const { return m_settings; }
    QString nextStatusText() const;

    // Manual: the operator's typed statuses go out instead of the behaviour's, which are
    // paused (BehaviourDriver::setSendingSuspended) while the behaviour keeps living and
    // applying every command. Shown by the mark at the top; always off while inactive.
    void setManual(bool manual);
    bool isManual() const { return m_manual; }
    BehaviourMark* mark() const { return m_mark; }

    // The saved form of the choice: None, or this behaviour with its settings, map and route
    // (and the manual mark).
    BehaviourConfig config() const;
    // Restores a saved choice. Each value that cannot be used (a behaviour this device does
    // not have, a setting the behaviour refuses, a map that does not load, a route not on
    // the map) is named in *problems and left at the behaviour's default; the rest applies.
    void applyConfig(const BehaviourConfig& config, QStringList* problems);

signals:
    void activeChanged(bool on);
    void manualChanged(bool manual);
    // The status the behaviour would send now changed (the composer follows it in sync).
    void nextStatusChanged(const QByteArray& status);
    // The choice, a setting, the map or the route changed: the device's saved configuration.
    void configChanged();

private:
    void refreshChoice();
    void refreshNextStatus();
    void refreshConfig();
    void activate(bool on, const BehaviourConfig* restore, QStringList* problems);
    void restoreInto(const BehaviourConfig& config, QStringList* problems);

    DeviceSession* m_session = nullptr;
    BehaviourDriver* m_driver = nullptr;
    std::unique_ptr<Behaviour> m_behaviour;
    quint32 m_module = 0;
    quint32 m_deviceType = 0;
    QComboBox* m_choice = nullptr;
    QTabWidget* m_tabs = nullptr;
    QWidget* m_face = nullptr;
    BehaviourSettingsView* m_settings = nullptr;
    ElidedLabel* m_nextStatus = nullptr;
    BehaviourMark* m_mark = nullptr;
    bool m_manual = false;
    QByteArray m_lastStatus;
    BehaviourConfig m_lastConfig;
};

} // namespace fleet
