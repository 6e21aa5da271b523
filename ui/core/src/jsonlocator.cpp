#include "jsonlocator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace fleet {

const JsonLocator::Node* JsonLocator::Node::member(const QString& key) const
{
    for (const auto& [name, node] : members) {
        if (name == key)
            return &node;
    }
    return nullptr;
}

const JsonLocator::Node* JsonLocator::Node::element(qsizetype index) const
{
    return index >= 0 && index < elements.size() ? &elements.at(index) : nullptr;
}

JsonLocator::JsonLocator(const QByteArray& json)
    : m_json(json)
{
    skipSpace();
    m_root = parseValue();
}

void JsonLocator::skipSpace()
{
    while (m_at < m_json.size() && QByteArrayView(" \t\r\n").contains(m_json.at(m_at)))
        ++m_at;
}

void JsonLocator::skipString()
{
    ++m_at; // the opening quote
    while (m_at < m_json.size() && m_json.at(m_at) != '"')
        m_at += m_json.at(m_at) == '\\' ? 2 : 1;
    ++m_at; // the closing quote
}

QString JsonLocator::readKey()
{
    const qsizetype start = m_at;
    skipString();
    // The key as JSON decodes it (escapes included): wrap it into an array and let Qt read it.
    const QByteArray literal = '[' + m_json.mid(start, m_at - start) + ']';
    return QJsonDocument::fromJson(literal).array().at(0).toString();
}

JsonLocator::Node JsonLocator::parseValue()
{
    Node node;
    node.offset = m_at;
    if (m_at >= m_json.size())
        return node;
    const char first = m_json.at(m_at);
    if (first == '{' || first == '[') {
        const char close = first == '{' ? '}' : ']';
        ++m_at;
        skipSpace();
        while (m_at < m_json.size() && m_json.at(m_at) != close) {
            if (first == '{') {
                const qsizetype keyOffset = m_at;
                const QString key = readKey();
                skipSpace();
                ++m_at; // ':'
                skipSpace();
                Node value = parseValue();
                value.keyOffset = keyOffset;
                node.members.append({key, value});
            } else {
                node.elements.append(parseValue());
            }
            skipSpace();
            if (m_at < m_json.size() && m_json.at(m_at) == ',')
                ++m_at;
            skipSpace();
        }
        ++m_at; // the closing bracket
        node.end = m_at;
        return node;
    }
    if (first == '"') {
        skipString();
        node.end = m_at;
        return node;
    }
    // A number, true, false or null: up to the next separator.
    while (m_at < m_json.size() && !QByteArrayView(",]} \t\r\n").contains(m_json.at(m_at)))
        ++m_at;
    node.end = m_at;
    return node;
}

TextPosition JsonLocator::position(qsizetype offset) const
{
    TextPosition position;
    const qsizetype end = qMin(offset, m_json.size());
    for (qsizetype i = 0; i < end; ++i) {
        const auto byte = static_cast<unsigned char>(m_json.at(i));
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((byte & 0xC0) != 0x80) { // UTF-8 continuation bytes are no new character
            ++position.column;
        }
    }
    return position;
}

} // namespace fleet
