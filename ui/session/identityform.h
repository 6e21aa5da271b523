#pragma once

#include "deviceconfig.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace fleet {

class NumberCombo;

// Who the device is and where it connects: module, device type, role, name, priority; server
// host and port with one-click presets; connect timeout and attempts. Invalid input is named
// right under its field; nothing is thrown away.
class IdentityForm : public QWidget {
    Q_OBJECT
public:
    explicit IdentityForm(QWidget* parent = nullptr);

    // Identity, server and connection settings of config (not the draft).
    void setConfig(const DeviceConfig& config);
    // Writes the same fields into *config. False with *error naming the field when invalid.
    bool readConfig(DeviceConfig* config, QString* error = nullptr) const;

    // Best effort for presets and validation while the operator types (0 when unparsable).
    quint32 module() const;
    quint32 deviceType() const;

    // Where the embedded gateway listens; an empty host means there is none. A device that
    // follows the embedded gateway picks up the new address.
    void setEmbeddedGateway(const QString& host, quint16 port);
    bool followsEmbeddedGateway() const { return m_followEmbedded; }

    // While connected the identity is fixed: the server routes answers by it
    // (docs/protocol.md#conversation).
    void setLocked(bool locked);

    // For tests and the screenshot demo.
    NumberCombo* moduleCombo() const { return m_module; }
    NumberCombo* deviceTypeCombo() const { return m_deviceType; }
    QLineEdit* roleEdit() const { return m_role; }
    QLineEdit* nameEdit() const { return m_name; }
    QSpinBox* prioritySpin() const { return m_priority; }
    QLineEdit* hostEdit() const { return m_host; }
    QSpinBox* portSpin() const { return m_port; }
    QPushButton* embeddedButton() const { return m_embeddedButton; }
    // The first invalid field's message ("module: \"abc\" is not a number"), empty when valid.
    QString problemText() const;
    // The note under the device type after a module change ("kept as typed", "now …").
    QString deviceTypeNote() const;

signals:
    void changed();
    void deviceKindChanged(quint32 module, quint32 deviceType);

private:
    QWidget* buildDeviceGroup();
    QWidget* buildServerGroup();
    void refreshDeviceTypes();
    void followModule();
    void showFieldProblems();
    void setServer(const QString& host, quint16 port, bool followEmbedded);
    void onEdited();

    NumberCombo* m_module = nullptr;
    NumberCombo* m_deviceType = nullptr;
    QLineEdit* m_role = nullptr;
    QLineEdit* m_name = nullptr;
    QSpinBox* m_priority = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLabel* m_serverNote = nullptr;
    QPushButton* m_embeddedButton = nullptr;
    QPushButton* m_port8888Button = nullptr;
    QPushButton* m_port1636Button = nullptr;
    QSpinBox* m_connectTimeout = nullptr;
    QSpinBox* m_connectAttempts = nullptr;
    QSpinBox* m_resendAttempts = nullptr;
    QLabel* m_moduleProblem = nullptr;
    QLabel* m_deviceTypeProblem = nullptr;
    QLabel* m_deviceTypeNote = nullptr;
    QLabel* m_hostProblem = nullptr;
    QString m_problem;
    QString m_embeddedHost;
    quint16 m_embeddedPort = 0;
    bool m_followEmbedded = false;
    bool m_updating = false; // programmatic changes are not the operator's edits
};

} // namespace fleet
