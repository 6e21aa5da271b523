#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace fleet {

// A server address as an operator writes it: "host:port", "[v6]:port", or a bare host when the
// caller has a default port. The one parser and formatter behind every command line and form
// that takes an address, so that they accept the same text and say the same about mistakes.
// Purely textual: host names are checked for shape, never looked up (a lookup would block).
struct HostPort {
    // What the address is for. A listener may take port 0 (any free port) and an empty host or
    // "*" (every interface); a connect needs a host and a port from 1 to 65535.
    enum class Use { Connect, Listen };

    QString host; // without brackets: "::1", "127.0.0.1", "gateway.local"
    quint16 port = 0;

    // Parses "127.0.0.1:8888", "gateway.local:1636", "[::1]:8888", and, when defaultPort is
    // given, "gateway.local", "[::1]" and "::1". On failure returns nothing and sets *error to
    // a sentence naming the text, what is wrong and what is expected.
    static std::optional<HostPort> parse(QStringView text, QString* error = nullptr,
                                         std::optional<quint16> defaultPort = std::nullopt,
                                         Use use = Use::Connect);

    // A port alone ("8888"), for options that take only a port; the error is a sentence like
    // parse()'s ("'x' is not a port number from 1 to 65535").
    static std::optional<quint16> parsePort(QStringView text, QString* error = nullptr,
                                            Use use = Use::Connect);

    // "[::1]:8888" for IPv6, "127.0.0.1:8888" otherwise: text parse() reads back.
    QString toString() const;
    bool isIpv6() const { return isIpv6Address(host); }

    // A literal IPv6 address, optionally with a zone ("fe80::1%eth0"); no brackets.
    static bool isIpv6Address(QStringView text);
    // A literal IPv4 address in dotted-quad form.
    static bool isIpv4Address(QStringView text);

    friend bool operator==(const HostPort&, const HostPort&) = default;
};

} // namespace fleet
