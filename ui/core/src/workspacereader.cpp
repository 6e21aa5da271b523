// Workspace::parse(): every value checked against docs/workspaces.md, every mistake named by
// file, line, column and key path. Keys it does not know are not mistakes: a newer console
// may have written them, and they are kept (Workspace::json, WorkspaceDevice::json).

#include "workspacereader.h"

#include "payloadtext.h"

#include <cmath>

namespace fleet {

bool WorkspaceReader::fail(const At& at, const QString& message)
{
    const TextPosition position = m_locator.position(at.node ? at.node->offset : 0);
    m_error = WorkspaceError{m_fileName, position.line, position.column, at.path, message};
    return false;
}

// The value as written in the file (cut when long), which is what the operator will look for.
QString WorkspaceReader::shown(const At& at) const
{
    if (!at.node || at.value.isUndefined())
        return QStringLiteral("nothing");
    QString text = QString::fromUtf8(m_bytes.mid(at.node->offset, at.node->end - at.node->offset));
    if (text.size() > kMaxShownChars)
        text = text.left(kMaxShownChars) + QStringLiteral("…");
    return text;
}

bool WorkspaceReader::object(const At& at, QJsonObject* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isObject())
        return expected(at, QStringLiteral("an object {…}"));
    *out = at.value.toObject();
    return true;
}

bool WorkspaceReader::number(const At& at, qint64 minimum, qint64 maximum, qint64* out)
{
    if (at.value.isUndefined())
        return true;
    const double value = at.value.toDouble();
    if (!at.value.isDouble() || std::floor(value) != value || value < double(minimum) ||
        value > double(maximum))
        return expected(at,
                        QStringLiteral("a whole number from %1 to %2").arg(minimum).arg(maximum));
    *out = qint64(value);
    return true;
}

bool WorkspaceReader::boolean(const At& at, bool* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isBool())
        return expected(at, QStringLiteral("true or false"));
    *out = at.value.toBool();
    return true;
}

bool WorkspaceReader::text(const At& at, QString* out)
{
    if (at.value.isUndefined())
        return true;
    if (!at.value.isString())
        return expected(at, QStringLiteral("text in quotes"));
    *out = at.value.toString();
    return true;
}

bool WorkspaceReader::choice(const At& at, const QStringList& allowed, QString* out)
{
    QString value = *out;
    if (!text(at, &value))
        return false;
    if (!allowed.contains(value)) {
        QStringList quoted;
        for (const QString& word : allowed)
            quoted.append(QLatin1Char('"') + word + QLatin1Char('"'));
        return expected(at, QStringLiteral("one of ") + quoted.join(QStringLiteral(", ")));
    }
    *out = value;
    return true;
}

bool WorkspaceReader::bytes(const At& at, QByteArray* out)
{
    QString encoded;
    if (!text(at, &encoded))
        return false;
    if (at.value.isUndefined())
        return true;
    const auto decoded = QByteArray::fromBase64Encoding(
        encoded.toLatin1(), QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return expected(at, QStringLiteral("Base64 text (saved window data)"));
    *out = decoded.decoded;
    return true;
}

bool WorkspaceReader::read(Workspace* workspace, WorkspaceError* error, QStringList* warnings)
{
    Workspace read;
    int version = Workspace::kFormatVersion;
    const bool ok = [&] {
        const JsonCheck check = checkJson(m_bytes);
        if (!check.ok()) {
            const TextPosition position = check.error->position;
            m_error = WorkspaceError{m_fileName,
                                     position.line,
                                     position.column,
                                     {},
                                     QStringLiteral("not JSON: %1").arg(check.error->reason)};
            return false;
        }
        const At root{check.value, &m_locator.root(), QString()};
        if (!check.value.isObject())
            return fail(root, QStringLiteral("a workspace is a JSON object {\"format\": \"%1\", "
                                             "…}")
                                  .arg(QLatin1String(Workspace::kFormatName)));
        read.json = check.value.toObject();
        const At format = member(root, QStringLiteral("format"));
        if (format.value.toString() != QLatin1String(Workspace::kFormatName))
            return format.value.isUndefined()
                       ? fail(root, QStringLiteral("this is not a workspace file: \"format\": "
                                                   "\"%1\" is missing")
                                        .arg(QLatin1String(Workspace::kFormatName)))
                       : expected(format, QLatin1Char('"') + QLatin1String(Workspace::kFormatName) +
                                              QLatin1Char('"'));
        const At versionAt = member(root, QStringLiteral("version"));
        if (versionAt.value.isUndefined())
            return fail(root, QStringLiteral("\"version\" (the format's version, %1) is missing")
                                  .arg(Workspace::kFormatVersion));
        if (!number(versionAt, 1, std::numeric_limits<int>::max(), &version))
            return false;
        read.version = version;

        const At devices = member(root, QStringLiteral("devices"));
        if (!devices.value.isUndefined() && !devices.value.isArray())
            return expected(devices, QStringLiteral("a list of devices [{…}, …]"));
        const QJsonArray deviceArray = devices.value.toArray();
        if (deviceArray.size() > Workspace::kMaxDevices)
            return fail(devices, QStringLiteral("%1 devices; a workspace holds at most %2")
                                     .arg(deviceArray.size())
                                     .arg(Workspace::kMaxDevices));
        for (qsizetype i = 0; i < deviceArray.size(); ++i) {
            WorkspaceDevice device;
            if (!readDevice(element(devices, i), &device))
                return false;
            read.devices.append(device);
        }
        QJsonObject ignored;
        const At window = member(root, QStringLiteral("window"));
        return number(member(root, QStringLiteral("currentDevice")), 0,
                      qMax(qsizetype(0), read.devices.size() - 1), &read.currentDevice) &&
               readGateway(member(root, QStringLiteral("gateway")), &read.gateway) &&
               readTrafficView(member(root, QStringLiteral("trafficView")), &read.trafficView) &&
               object(window, &ignored) &&
               bytes(member(window, QStringLiteral("geometry")), &read.windowGeometry) &&
               bytes(member(window, QStringLiteral("state")), &read.windowState) &&
               object(member(root, QStringLiteral("parts")), &read.parts);
    }();
    const bool newer = version > Workspace::kFormatVersion;
    if (!ok) {
        if (newer)
            m_error.message =
                QStringLiteral("written by a newer console (workspace version %1; this one reads "
                               "version %2) and cannot be read here: %3")
                    .arg(version)
                    .arg(Workspace::kFormatVersion)
                    .arg(m_error.message);
        *error = m_error;
        return false;
    }
    if (newer && warnings)
        warnings->append(QStringLiteral("%1 was written by a newer console (workspace version %2; "
                                        "this one reads version %3): what this one does not know "
                                        "is kept as it is but not used")
                             .arg(m_fileName)
                             .arg(version)
                             .arg(Workspace::kFormatVersion));
    *workspace = read;
    return true;
}

bool Workspace::parse(const QByteArray& bytes, const QString& fileName, Workspace* workspace,
                      WorkspaceError* error, QStringList* warnings)
{
    if (bytes.size() > kMaxFileBytes) {
        *error = WorkspaceError{fileName,
                                0,
                                0,
                                {},
                                QStringLiteral("it is %1 bytes; a workspace file is at most %2 MiB")
                                    .arg(bytes.size())
                                    .arg(kMaxFileBytes / (1024 * 1024))};
        return false;
    }
    return WorkspaceReader(bytes, fileName).read(workspace, error, warnings);
}

} // namespace fleet
