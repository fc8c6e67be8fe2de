package io.clawmesh.coordinator.registry;

import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.tls.LazyTls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Decides which node endpoints the coordinator may talk to, so a registration cannot turn it into a proxy for
 * loopback, private networks or the cloud metadata service (SSRF). Host names are resolved and every address is
 * checked, once at registration and again right before each connection, because DNS answers can change in between.
 */
public final class EndpointPolicy {

    // Strict dotted quad only: short or octal-looking forms (127.1, 0177.0.0.1) are read differently by different
    // parsers, which is exactly what address-filter bypasses rely on.
    private static final Pattern IPV4_LITERAL =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private static final String ALLOW_PRIVATE_HINT = "; start the coordinator with --allow-private for LAN setups";

    private static final String NEVER_ALLOWED_HINT = "; this is refused even with --allow-private";

    private final boolean allowPrivate;

    private final boolean allowLoopback;

    private final HostResolver resolver;

    private final @Nullable SSLContext agentTls;

    /** Creates a policy that resolves host names through the system resolver. */
    public EndpointPolicy(boolean allowPrivate) {
        this(allowPrivate, false, InetAddress::getAllByName);
    }

    /** Creates a policy that resolves host names through the given resolver instead of the system's DNS. */
    public EndpointPolicy(boolean allowPrivate, HostResolver resolver) {
        this(allowPrivate, false, resolver);
    }

    /**
     * Creates a policy that may also allow loopback endpoints alone: {@code claw-mesh up} does so for the node agent it
     * starts on the same machine, without opening the private networks.
     */
    public EndpointPolicy(boolean allowPrivate, boolean allowLoopback, HostResolver resolver) {
        this(allowPrivate, allowLoopback, resolver, null);
    }

    /**
     * @param agentTls the client TLS context for mutual TLS towards inbound agents (ADR 0012): agents are then reached
     *     over https with it; {@code null} for plain HTTP
     */
    public EndpointPolicy(
            boolean allowPrivate, boolean allowLoopback, HostResolver resolver, @Nullable SSLContext agentTls) {
        this.allowPrivate = allowPrivate;
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
        this.agentTls = agentTls;
    }

    /**
     * The TLS context for a JDK HttpClient towards agents: {@link #agentTls()}, or the JDK's default one, built at the
     * first https connection (set it with {@link LazyTls#configure}).
     */
    public SSLContext clientContext() {
        return (this.agentTls != null) ? this.agentTls : LazyTls.defaultContext();
    }

    /** The client TLS context towards agents, or {@code null} when they are reached over plain HTTP. */
    public @Nullable SSLContext agentTls() {
        return this.agentTls;
    }

    /**
     * Checks an endpoint at registration: its host must resolve and every address it resolves to must be allowed.
     *
     * @throws InvalidInputException naming the refused address and why
     */
    public void check(Endpoint endpoint) {
        resolveForConnect(endpoint);
    }

    /**
     * The URI of {@code path} on the agent at {@code endpoint}, addressed by the IP that {@link #resolveForConnect}
     * checked, so the connection goes exactly where the check looked.
     *
     * @throws InvalidInputException when the host does not resolve or any of its addresses is refused
     */
    public URI resolveUri(Endpoint endpoint, String path) {
        InetAddress address = resolveForConnect(endpoint);
        String host =
                (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return URI.create(((this.agentTls != null) ? "https://" : "http://") + host + ":" + endpoint.port() + path);
    }

    /**
     * Resolves the endpoint again just before connecting and returns the address to connect to, so a name that
     * passed at registration cannot be re-pointed at an internal address later (DNS rebinding).
     *
     * @throws InvalidInputException when the host does not resolve or any of its addresses is refused
     */
    public InetAddress resolveForConnect(Endpoint endpoint) {
        return allowedAddresses(endpoint).get(0);
    }

    /**
     * Every address the endpoint's host resolves to, each allowed by this policy (a node certificate names them, so
     * the coordinator's connection to whichever one passes the host name check).
     *
     * @throws InvalidInputException when the host does not resolve or any of its addresses is refused
     */
    public List<InetAddress> allowedAddresses(Endpoint endpoint) {
        InetAddress[] addresses = resolve(endpoint);
        for (InetAddress address : addresses) {
            Optional<Refusal> refusal = classify(address.getAddress());
            boolean loopbackAllowed = this.allowLoopback && address.isLoopbackAddress();
            if (refusal.isPresent()
                    && !loopbackAllowed
                    && (!this.allowPrivate || refusal.get().evenWhenPrivateAllowed())) {
                throw new InvalidInputException(describe(endpoint, address, refusal.get()));
            }
        }
        return List.of(addresses);
    }

    /**
     * The reason a policy without {@code --allow-private} refuses the address, or empty when it is a public address.
     */
    public static Optional<String> forbiddenReason(InetAddress address) {
        return classify(address.getAddress()).map(Refusal::reason);
    }

    private InetAddress[] resolve(Endpoint endpoint) {
        String host = endpoint.host();
        try {
            if (endpoint.isIpLiteral()) {
                return new InetAddress[] {parseLiteral(host)};
            }
            InetAddress[] addresses = this.resolver.resolve(host);
            if (addresses == null || addresses.length == 0) {
                throw new UnknownHostException(host);
            }
            return addresses;
        } catch (UnknownHostException ex) {
            throw new InvalidInputException("endpoint host '" + host + "' does not resolve");
        }
    }

    private static InetAddress parseLiteral(String host) throws UnknownHostException {
        if (host.contains(":")) {
            try {
                // A string with a colon is only ever parsed as an IPv6 literal; InetAddress never sends it to DNS.
                return InetAddress.getByName(host);
            } catch (UnknownHostException ex) {
                throw new InvalidInputException("endpoint host '" + host + "' is not a valid IPv6 address");
            }
        }
        if (!IPV4_LITERAL.matcher(host).matches()) {
            throw new InvalidInputException("endpoint host '" + host + "' is not a valid IPv4 address (use a.b.c.d)");
        }
        byte[] bytes = new byte[4];
        String[] parts = host.split("\\.");
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return InetAddress.getByAddress(bytes);
    }

    private static String describe(Endpoint endpoint, InetAddress address, Refusal refusal) {
        String hint = refusal.evenWhenPrivateAllowed() ? NEVER_ALLOWED_HINT : ALLOW_PRIVATE_HINT;
        if (endpoint.isIpLiteral()) {
            return "endpoint " + endpoint + " is " + refusal.reason() + hint;
        }
        return "endpoint " + endpoint + " resolves to " + address.getHostAddress() + ", " + refusal.reason() + hint;
    }

    private static Optional<Refusal> classify(byte[] bytes) {
        return (bytes.length == 4) ? classifyIpv4(bytes) : classifyIpv6(bytes);
    }

    private static Optional<Refusal> classifyIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 0) {
            return Refusal.always("the unspecified address (0.0.0.0/8), where no node can be reached");
        }
        if (a0 == 127) {
            return Refusal.unlessPrivateAllowed("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return Refusal.unlessPrivateAllowed("a private address (RFC 1918)");
        }
        // Instance metadata hands out cloud credentials; no LAN setup needs to send chats there, so even
        // --allow-private keeps it closed. 169.254.170.2 is the ECS task endpoint, 100.100.100.200 Alibaba's.
        if ((a0 == 169 && a1 == 254 && ((a2 == 169 && a3 == 254) || (a2 == 170 && a3 == 2)))
                || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200)) {
            return Refusal.always("the cloud metadata address");
        }
        if (a0 == 169 && a1 == 254) {
            return Refusal.unlessPrivateAllowed("a link-local address (169.254.0.0/16)");
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return Refusal.unlessPrivateAllowed("a shared CGNAT address (100.64.0.0/10)");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return Refusal.unlessPrivateAllowed("an IETF protocol address (192.0.0.0/24)");
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2)
                || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return Refusal.unlessPrivateAllowed("a documentation address (RFC 5737)");
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return Refusal.unlessPrivateAllowed("a benchmarking address (198.18.0.0/15)");
        }
        if ((a0 & 0xf0) == 224) {
            return Refusal.always("a multicast address, which is not one node");
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return Refusal.always("the broadcast address, which is not one node");
        }
        if ((a0 & 0xf0) == 240) {
            return Refusal.unlessPrivateAllowed("a reserved address (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> classifyIpv6(byte[] b) {
        if (isZero(b, 0, 16)) {
            return Refusal.always("the unspecified address (::), where no node can be reached");
        }
        if (isZero(b, 0, 15) && b[15] == 1) {
            return Refusal.unlessPrivateAllowed("a loopback address");
        }
        // Addresses that carry an IPv4 address are judged by that address: the OS or a translator on the path
        // turns them into IPv4 traffic, so ::ffff:127.0.0.1 reaches the same place as 127.0.0.1.
        if (isZero(b, 0, 10) && isOnes(b, 10, 12)) {
            return embedded(b, 12, "an IPv4-mapped IPv6 address");
        }
        if (isZero(b, 0, 8) && isOnes(b, 8, 10) && isZero(b, 10, 12)) {
            return embedded(b, 12, "an IPv4-translated IPv6 address");
        }
        if (isZero(b, 0, 12)) {
            return embedded(b, 12, "an IPv4-compatible IPv6 address");
        }
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && isZero(b, 4, 12)) {
            return embedded(b, 12, "a NAT64 address (64:ff9b::/96)");
        }
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return Refusal.unlessPrivateAllowed("a local-use NAT64 address (64:ff9b:1::/48)");
        }
        if (startsWith(b, 0x20, 0x02)) {
            return embedded(b, 2, "a 6to4 address (2002::/16)");
        }
        return classifyIpv6Ranges(b);
    }

    private static Optional<Refusal> classifyIpv6Ranges(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xff) {
            return Refusal.always("a multicast address, which is not one node");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Refusal.unlessPrivateAllowed("a link-local address (fe80::/10)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Refusal.unlessPrivateAllowed("a site-local address (fec0::/10)");
        }
        // fd00:ec2::254 is the IPv6 face of the EC2 metadata service; see the IPv4 check for why it stays closed.
        if (startsWith(b, 0xfd, 0x00, 0x0e, 0xc2) && isZero(b, 4, 14) && b[14] == 0x02 && b[15] == 0x54) {
            return Refusal.always("the cloud metadata address");
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Refusal.unlessPrivateAllowed("a unique local address (fc00::/7)");
        }
        if (startsWith(b, 0x20, 0x01, 0x0d, 0xb8)) {
            return Refusal.unlessPrivateAllowed("a documentation address (2001:db8::/32)");
        }
        // Only 2000::/3 is handed out as global unicast; everything else is special-purpose or unassigned.
        if ((b0 & 0xe0) != 0x20) {
            return Refusal.unlessPrivateAllowed("a reserved IPv6 address (outside 2000::/3)");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> embedded(byte[] b, int offset, String form) {
        return classifyIpv4(Arrays.copyOfRange(b, offset, offset + 4))
                .map((inner) -> new Refusal(inner.reason() + " inside " + form, inner.evenWhenPrivateAllowed()));
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOnes(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Resolves a host name to its addresses; the seam that lets tests answer without real DNS. */
    @FunctionalInterface
    public interface HostResolver {

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private record Refusal(String reason, boolean evenWhenPrivateAllowed) {

        static Optional<Refusal> unlessPrivateAllowed(String reason) {
            return Optional.of(new Refusal(reason, false));
        }

        static Optional<Refusal> always(String reason) {
            return Optional.of(new Refusal(reason, true));
        }
    }
}
