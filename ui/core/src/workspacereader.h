#pragma once

// Workspace::parse()'s reader, shared by workspacereader.cpp (the file as a whole and the
// typed values) and workspacesections.cpp (devices, gateway, traffic view).

#include "workspace.h"

#include "jsonlocator.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <limits>

namespace fleet {

class WorkspaceReader {
public:
    static constexpr qint64 kMaxU32 = std::numeric_limits<quint32>::max();
    static constexpr qint64 kMaxTimeoutMs = 3600 * 1000; // as the settings file allows
    static constexpr int kMaxShownChars = 40;

    WorkspaceReader(const QByteArray& bytes, const QString& fileName)
        : m_bytes(bytes)
        , m_fileName(fileName)
        , m_locator(bytes)
    {
    }

    bool read(Workspace* workspace, WorkspaceError* error, QStringList* warnings);

private:
    using Node = JsonLocator::Node;
    // A value being read: the value, where it is written and how messages name it.
    struct At {
        QJsonValue value;
        const Node* node = nullptr; // the parent's when the key is absent
        QString path;
    };

    At member(const At& object, const QString& key) const
    {
        const Node* node = object.node ? object.node->member(key) : nullptr;
        return {object.value.toObject().value(key), node ? node : object.node,
                object.path.isEmpty() ? key : object.path + QLatin1Char('.') + key};
    }
    At element(const At& array, qsizetype index) const
    {
        const Node* node = array.node ? array.node->element(index) : nullptr;
        return {array.value.toArray().at(index), node ? node : array.node,
                QStringLiteral("%1[%2]").arg(array.path).arg(index)};
    }

    bool fail(const At& at, const QString& message);
    bool expected(const At& at, const QString& what)
    {
        return fail(at, QStringLiteral("expected %1, found %2").arg(what, shown(at)));
    }
    QString shown(const At& at) const;

    // Each reads an optional value: absent leaves *out as it is.
    bool object(const At& at, QJsonObject* out);
    bool number(const At& at, qint64 minimum, qint64 maximum, qint64* out);
    template <typename T> bool number(const At& at, qint64 minimum, qint64 maximum, T* out)
    {
        qint64 value = qint64(*out);
        if (!number(at, minimum, maximum, &value))
            return false;
        *out = T(value);
        return true;
    }
    bool boolean(const At& at, bool* out);
    bool text(const At& at, QString* out);
    bool choice(const At& at, const QStringList& allowed, QString* out);
    bool bytes(const At& at, QByteArray* out);

    bool readDevice(const At& at, WorkspaceDevice* device);
    bool readBehaviour(const At& at, BehaviourConfig* behaviour);
    bool readGateway(const At& at, GatewayConfig* gateway);
    bool readTrafficView(const At& at, TrafficViewConfig* view);

    QByteArray m_bytes;
    QString m_fileName;
    JsonLocator m_locator;
    WorkspaceError m_error;
};

} // namespace fleet
