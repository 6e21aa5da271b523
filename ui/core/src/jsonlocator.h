#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include "payloadtext.h"

namespace fleet {

// Where each value of a JSON text starts, so that a reader checking the meaning of a valid
// document (a scenario file, docs/scenarios.md) can say "line 12, column 9" for the value it
// rejects, which QJsonDocument forgets. Built from text that checkJson() accepted.
class JsonLocator {
public:
    struct Node {
        qsizetype offset = 0;                // byte offset of the value's first character
        qsizetype end = 0;                   // and one past its last
        qsizetype keyOffset = -1;            // a member's key (its opening quote); -1 elsewhere
        QList<Node> elements;                // an array's values
        QList<QPair<QString, Node>> members; // an object's keys and values, as written
        const Node* member(const QString& key) const; // nullptr when absent
        const Node* element(qsizetype index) const;   // nullptr when out of range
    };

    explicit JsonLocator(const QByteArray& json);

    const Node& root() const { return m_root; }
    // Line and column (1-based, in characters) of a byte offset.
    TextPosition position(qsizetype offset) const;

private:
    Node parseValue();
    void skipSpace();
    void skipString();
    QString readKey();

    QByteArray m_json;
    qsizetype m_at = 0;
    Node m_root;
};

} // namespace fleet
