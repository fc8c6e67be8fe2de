package io.clawmesh.agent.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Locale;

/**
 * Turns {@code --gateway-endpoint} ({@code host:port}, {@code :port} or an {@code http(s)} URL) into the base URI of a
 * runtime reached over HTTP.
 */
public final class GatewayAddress {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private GatewayAddress() {}

    /**
     * The base URI without a trailing slash.
     *
     * @throws IllegalArgumentException naming the property when the value is neither {@code host:port} nor a URL
     */
    public static URI baseUri(String endpoint) {
        String value = endpoint.strip().replaceAll("/+$", "");
        if (!value.contains("://")) {
            value = "http://" + (value.startsWith(":") ? "127.0.0.1" + value : value);
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException ex) {
            throw invalid(endpoint, ex);
        }
        String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw invalid(endpoint, null);
        }
        return uri;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Whether the URI points at this machine, where runtimes allow admin calls such as ZeroClaw's pairing. */
    public static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null
                && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    /**
     * Whether something accepts a TCP connection at the URI's host and port within two seconds: the cheap first step
     * of runtime detection, so that an agent on a machine without any runtime never builds an HTTP client.
     */
    public static boolean accepts(URI uri) {
        int port = (uri.getPort() > 0) ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException | IllegalArgumentException ex) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String endpoint, Throwable cause) {
        return new IllegalArgumentException(
                "mesh.agent.gateway-endpoint '" + endpoint + "' is neither host:port nor an http(s) URL", cause);
    }
}
