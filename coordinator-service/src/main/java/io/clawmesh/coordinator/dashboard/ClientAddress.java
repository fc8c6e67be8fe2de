package io.clawmesh.coordinator.dashboard;

import io.clawmesh.coordinator.PeerAddressValve;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The address a dashboard login comes from, for the login throttle. It is the TCP peer, as seen before any
 * forwarded-header handling of the container ({@link PeerAddressValve}); only when that peer is one of the proxies
 * listed in {@code mesh.dashboard.trusted-proxies} is {@code X-Forwarded-For} believed, read from the right and
 * skipping further trusted proxies. With no trusted proxy (the default) the header never counts, so a client cannot
 * pick its own throttle bucket, and clients behind a listed proxy do not all share the proxy's bucket.
 */
final class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** An IPv4 or IPv6 literal, so that parsing one never asks DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** How many hops of the header are read at most, so a long header costs nothing. */
    private static final int MAX_HOPS = 20;

    private final List<IpAddressMatcher> trustedProxies;

    /**
     * @throws IllegalArgumentException naming the entry when a trusted proxy is not an IP address or CIDR range
     */
    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies =
                trustedProxies.stream().map(ClientAddress::matcher).toList();
    }

    String resolve(HttpServletRequest request) {
        String peer = PeerAddressValve.of(request);
        String header = request.getHeader(FORWARDED_FOR);
        if (header == null || !trusted(peer)) {
            return peer;
        }
        String[] hops = header.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= Math.max(0, hops.length - MAX_HOPS); i--) {
            String hop = hops[i].strip();
            if (!IP_LITERAL.matcher(hop).matches()) {
                break;
            }
            client = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        if (!IP_LITERAL.matcher(address).matches()) {
            return false;
        }
        try {
            return this.trustedProxies.stream().anyMatch((proxy) -> proxy.matches(address));
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static IpAddressMatcher matcher(String proxy) {
        String address = proxy.strip();
        int slash = address.indexOf('/');
        String host = (slash >= 0) ? address.substring(0, slash) : address;
        if (!IP_LITERAL.matcher(host).matches()) {
            throw new IllegalArgumentException("mesh.dashboard.trusted-proxies: '" + proxy
                    + "' is not an IP address or CIDR range such as 10.0.0.7 or 10.0.0.0/24");
        }
        try {
            return new IpAddressMatcher(address);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("mesh.dashboard.trusted-proxies: '" + proxy
                    + "' is not an IP address or CIDR range such as 10.0.0.7 or 10.0.0.0/24: " + ex.getMessage());
        }
    }
}
