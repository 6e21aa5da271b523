#pragma once

#include <QComboBox>
#include <QList>
#include <QPair>

namespace fleet {

// An editable combo box for protocol numbers that have names for some values: lists
// "1000 – Example module" and friends, and takes any other number typed in (proto3 enums
// are open, docs/protocol.md#schema). The number always comes first, so the typed text parses the
// same way as a picked entry.
class NumberCombo : public QComboBox {
    Q_OBJECT
public:
    explicit NumberCombo(const QString& what, QWidget* parent = nullptr);

    // Replaces the listed entries; keeps the current number.
    void setEntries(const QList<QPair<quint32, QString>>& entries);
    void setNumber(quint32 number);
    // The number in the edit field; false with *error ("module: \"abc\" is not a number").
    bool number(quint32* value, QString* error = nullptr) const;

signals:
    void numberChanged();

private:
    QString m_what;
};

} // namespace fleet
