#pragma once

#include <QWidget>

#include <memory>

QT_BEGIN_NAMESPACE
class QComboBox;
class QTabWidget;
QT_END_NAMESPACE

namespace fleet {

class Behaviour;
class BehaviourDriver;
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

signals:
    void activeChanged(bool on);

private:
    void refreshChoice();
    void refreshNextStatus();

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
};

} // namespace fleet
