#pragma once

#include "fleetmodel.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace fleet {

class NumberCombo;

// Device › New fleet…: one identity for N devices (their roles suffixed "-1".."-N"), what they
// send (a payload on a timer, or their module's behaviour), and whether they connect and start
// at once. Non-modal: the window keeps running while it is open.
class NewFleetDialog : public QDialog {
    Q_OBJECT
public:
    explicit NewFleetDialog(QWidget* parent = nullptr);

    // Fills the fields from a device (the current tab): identity, server, payload, interval.
    void setSeed(const DeviceConfig& device);
    // The fields as a template; false with *error naming the field at fault.
    bool fleetTemplate(FleetTemplate* fleet, QString* error) const;
    bool startAtOnce() const;
    // Why the fleet could not be made; the dialog stays open with what was typed.
    void showError(const QString& text);

signals:
    // Create fleet with valid fields: the receiver makes the fleet and accept()s, or says
    // why not with showError().
    void fleetRequested(const fleet::FleetTemplate& fleet, bool startAtOnce);

private:
    void onModuleChanged();
    void tryAccept();

    NumberCombo* m_module = nullptr;
    QSpinBox* m_type = nullptr;
    QLineEdit* m_role = nullptr;
    QLineEdit* m_name = nullptr;
    QSpinBox* m_priority = nullptr;
    QSpinBox* m_count = nullptr;
    QCheckBox* m_behave = nullptr;
    QLineEdit* m_payload = nullptr;
    QSpinBox* m_interval = nullptr;
    QCheckBox* m_start = nullptr;
    QLabel* m_error = nullptr;
    DeviceConfig m_seed;
};

} // namespace fleet
