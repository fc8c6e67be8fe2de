package io.clawmesh.agent.registration;

import io.clawmesh.common.node.Endpoint;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Works out the {@code host:port} the agent advertises when none is configured: the address it is bound to when that
 * is a specific one, otherwise the first site-local IPv4 address of an up, non-loopback interface, otherwise
 * {@code 127.0.0.1}. It only reads the interface list; it never sends packets.
 */
public final class EndpointResolver {

    private EndpointResolver() {}

    /**
     * The endpoint to advertise.
     *
     * @param configured {@code mesh.agent.endpoint}, validated as {@code host:port} when given
     * @param boundAddress {@code server.address}, or {@code null} when listening on all interfaces
     * @param port the port the server listens on
     */
    public static String resolve(@Nullable String configured, @Nullable String boundAddress, int port) {
        if (configured != null && !configured.isBlank()) {
            return Endpoint.parse(configured.strip()).toString();
        }
        String host = specific(boundAddress).orElseGet(() -> firstSiteLocalIpv4(interfaceAddresses()));
        return new Endpoint(host, port).toString();
    }

    /** The first site-local IPv4 address among the candidates, or {@code 127.0.0.1}. */
    static String firstSiteLocalIpv4(List<InetAddress> candidates) {
        return candidates.stream()
                .filter((address) -> address instanceof Inet4Address)
                .filter(InetAddress::isSiteLocalAddress)
                .map(InetAddress::getHostAddress)
                .findFirst()
                .orElse("127.0.0.1");
    }

    private static Optional<String> specific(@Nullable String boundAddress) {
        if (boundAddress == null || boundAddress.isBlank()) {
            return Optional.empty();
        }
        String address = boundAddress.strip();
        if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]") || address.equals("*")) {
            return Optional.empty();
        }
        return Optional.of(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
    }

    private static List<InetAddress> interfaceAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .filter(EndpointResolver::usable)
                    .sorted(Comparator.comparingInt(NetworkInterface::getIndex))
                    .flatMap(NetworkInterface::inetAddresses)
                    .toList();
        } catch (SocketException | RuntimeException ex) {
            return List.of();
        }
    }

    private static boolean usable(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException ex) {
            return false;
        }
    }
}
