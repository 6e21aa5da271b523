#include "numbercombo.h"

#include <QLineEdit>
#include <QRegularExpression>

#include <limits>

namespace fleet {

NumberCombo::NumberCombo(const QString& what, QWidget* parent)
    : QComboBox(parent)
    , m_what(what)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setMinimumContentsLength(8);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    connect(this, &QComboBox::currentTextChanged, this, &NumberCombo::numberChanged);
}

void NumberCombo::setEntries(const QList<QPair<quint32, QString>>& entries)
{
    quint32 current = 0;
    const bool hadNumber = number(&current);
    const QString typed = currentText();
    QSignalBlocker blocker(this);
    clear();
    for (const auto& [value, name] : entries)
        addItem(QStringLiteral("%1 – %2").arg(value).arg(name), value);
    if (hadNumber)
        setNumber(current);
    else
        setEditText(typed);
    blocker.unblock();
    emit numberChanged();
}

void NumberCombo::setNumber(quint32 value)
{
    const int index = findData(value);
    if (index >= 0) {
        setCurrentIndex(index);
        setEditText(itemText(index)); // an index that did not change leaves stale typed text
    } else {
        setCurrentIndex(-1);
        setEditText(QString::number(value));
    }
}

bool NumberCombo::number(quint32* value, QString* error) const
{
    const QString text = currentText().trimmed();
    // The leading number decides: "1000 – Example module", "1000" and "1001" all parse.
    static const QRegularExpression leadingNumber(QStringLiteral("^(\\d+)(\\s|$)"));
    const QRegularExpressionMatch match = leadingNumber.match(text);
    if (!match.hasMatch()) {
        if (error) {
            *error = text.isEmpty()
                         ? QStringLiteral("%1: empty, enter a number").arg(m_what)
                         : QStringLiteral("%1: \"%2\" is not a number").arg(m_what, text);
        }
        return false;
    }
    bool ok = false;
    const qulonglong parsed = match.captured(1).toULongLong(&ok);
    if (!ok || parsed > std::numeric_limits<quint32>::max()) {
        if (error)
            *error = QStringLiteral("%1: %2 is above 4294967295").arg(m_what, match.captured(1));
        return false;
    }
    *value = quint32(parsed);
    return true;
}

} // namespace fleet
