package io.clawmesh.common.node;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A node endpoint: {@code host:port}, never a URL. The host is a DNS name, an IPv4 literal or a bracketed IPv6 literal
 * ({@code [::1]:9121}).
 */
public record Endpoint(String host, int port) {

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /**
     * Parses {@code host:port}.
     *
     * @throws InvalidInputException saying what is wrong
     */
    public static Endpoint parse(String value) {
        if (value.isBlank()) {
            throw new InvalidInputException("endpoint is required, as host:port (for example 192.168.1.20:9121)");
        }
        // before any message below quotes the value back
        PrintableText.require("endpoint", value);
        if (value.contains("/") || value.contains("@") || value.contains("?") || value.contains("#")) {
            throw new InvalidInputException("endpoint '" + value + "' must be host:port, not a URL");
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new InvalidInputException("endpoint '" + value + "' must be [ipv6]:port");
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
            if (!IPV6.matcher(host).matches() || !host.contains(":")) {
                throw new InvalidInputException("endpoint '" + value + "' has an invalid IPv6 address");
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw new InvalidInputException("endpoint '" + value + "' must be host:port (IPv6 as [addr]:port)");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (!HOSTNAME.matcher(host).matches()) {
                throw new InvalidInputException("endpoint '" + value + "' has an invalid host name");
            }
        }
        return new Endpoint(host.toLowerCase(Locale.ROOT), parsePort(value, port));
    }

    private static int parsePort(String value, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            throw new InvalidInputException("endpoint '" + value + "' needs a numeric port");
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw new InvalidInputException("endpoint '" + value + "' has port " + number + " outside 1-65535");
        }
        return number;
    }

    /** Whether the host is an IP literal rather than a DNS name. */
    public boolean isIpLiteral() {
        return this.host.contains(":") || this.host.chars().allMatch((c) -> c == '.' || Character.isDigit(c));
    }

    @Override
    public String toString() {
        return this.host.contains(":") ? "[" + this.host + "]:" + this.port : this.host + ":" + this.port;
    }
}
