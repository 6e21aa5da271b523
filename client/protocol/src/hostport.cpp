#include "hostport.h"

#include <arpa/inet.h>

namespace fleet {

namespace {

// Letters (any script, for internationalized names), digits, '-', '_' and '.': what a host
// name is made of. Anything else (a space, '/', '@') is a typo or a URL pasted whole.
bool isHostName(QStringView text)
{
    if (text.isEmpty() || text.startsWith(QLatin1Char('.')) || text.startsWith(QLatin1Char('-')))
        return false;
    for (QChar c : text) {
        if (!c.isLetterOrNumber() && c != QLatin1Char('-') && c != QLatin1Char('_') &&
            c != QLatin1Char('.'))
            return false;
    }
    return !text.contains(QStringLiteral(".."));
}

bool isPortDigits(QStringView text)
{
    if (text.isEmpty() || text.size() > 5)
        return false;
    for (QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

} // namespace

bool HostPort::isIpv6Address(QStringView text)
{
    QStringView address = text;
    const qsizetype zone = text.indexOf(QLatin1Char('%'));
    if (zone >= 0) {
        if (zone + 1 == text.size())
            return false; // "fe80::1%" names no zone
        address = text.left(zone);
    }
    in6_addr parsed{};
    return !address.isEmpty() &&
           ::inet_pton(AF_INET6, address.toLatin1().constData(), &parsed) == 1;
}

bool HostPort::isIpv4Address(QStringView text)
{
    in_addr parsed{};
    return !text.isEmpty() && ::inet_pton(AF_INET, text.toLatin1().constData(), &parsed) == 1;
}

std::optional<HostPort> HostPort::parse(QStringView text, QString* error,
                                        std::optional<quint16> defaultPort, Use use)
{
    const bool listen = use == Use::Listen;
    auto fail = [&](const QString& why) -> std::optional<HostPort> {
        if (error) {
            // One arg() pass: a zone such as "%4" in the text must not be read as a marker.
            *error = QStringLiteral("'%1': %2; expected %3, e.g. 127.0.0.1:8888 or [::1]:8888")
                         .arg(text, why,
                              defaultPort ? QStringLiteral("HOST or HOST:PORT")
                                          : QStringLiteral("HOST:PORT"));
        }
        return std::nullopt;
    };

    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QStringLiteral("no address"));
    if (trimmed.contains(QStringLiteral("://")))
        return fail(QStringLiteral("an address, not a URL: leave out the scheme"));

    HostPort result;
    std::optional<QStringView> portText; // nothing: the text names no port
    if (trimmed.startsWith(QLatin1Char('['))) {
        const qsizetype close = trimmed.indexOf(QLatin1Char(']'));
        if (close < 0)
            return fail(QStringLiteral("the IPv6 address has no closing ']'"));
        const QStringView address = trimmed.mid(1, close - 1);
        if (!isIpv6Address(address))
            return fail(QStringLiteral("'%1' in brackets is not an IPv6 address").arg(address));
        result.host = address.toString();
        const QStringView after = trimmed.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(QLatin1Char(':')))
                return fail(QStringLiteral("'%1' after ']' is not ':PORT'").arg(after));
            portText = after.mid(1);
        }
    } else if (trimmed.count(QLatin1Char(':')) > 1) {
        // A bare IPv6 address is unambiguous only when no port can follow it.
        if (!defaultPort || !isIpv6Address(trimmed))
            return fail(QStringLiteral("write an IPv6 address in brackets"));
        result.host = trimmed.toString();
    } else {
        const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
        result.host = (colon < 0 ? trimmed : trimmed.left(colon)).toString();
        if (colon >= 0)
            portText = trimmed.mid(colon + 1);
        const bool anyInterface = listen && (result.host.isEmpty() || result.host == u"*");
        if (result.host.isEmpty() && !anyInterface)
            return fail(QStringLiteral("no host before ':'"));
        if (!anyInterface && !isHostName(result.host))
            return fail(QStringLiteral("'%1' is not a host name or IP address").arg(result.host));
    }

    if (!portText) {
        if (!defaultPort)
            return fail(QStringLiteral("no port"));
        result.port = *defaultPort;
        return result;
    }
    if (portText->isEmpty())
        return fail(QStringLiteral("no port after ':'"));
    QString why;
    const std::optional<quint16> port = parsePort(*portText, &why, use);
    if (!port)
        return fail(why);
    result.port = *port;
    return result;
}

std::optional<quint16> HostPort::parsePort(QStringView text, QString* error, Use use)
{
    const bool listen = use == Use::Listen;
    const QStringView trimmed = text.trimmed();
    const uint port = isPortDigits(trimmed) ? trimmed.toUInt() : 65536;
    if (port >= (listen ? 0u : 1u) && port <= 65535)
        return quint16(port);
    if (error) {
        *error = listen ? QStringLiteral("'%1' is not a port number from 0 to 65535 (0 picks a "
                                         "free port)")
                              .arg(text)
                        : QStringLiteral("'%1' is not a port number from 1 to 65535").arg(text);
    }
    return std::nullopt;
}

QString HostPort::toString() const
{
    if (isIpv6())
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

} // namespace fleet
