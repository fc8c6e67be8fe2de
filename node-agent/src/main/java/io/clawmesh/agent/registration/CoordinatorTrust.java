package io.clawmesh.agent.registration;

import io.clawmesh.common.tls.MeshTrust;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.client.SimpleClientHttpRequestFactory;

/**
 * How this agent trusts an https coordinator ({@code join --ca-fingerprint} / {@code --ca-file},
 * {@code mesh.agent.ca-fingerprint} / {@code mesh.agent.ca-file}): one TLS context for every call and for the
 * outbound WebSocket. A pinned fingerprint is checked inside the handshake, so a coordinator with another CA never
 * receives the join token or anything else.
 *
 * @param context the TLS context, or {@code null} for the JDK's default trust (no pin, no CA file)
 */
public record CoordinatorTrust(@Nullable SSLContext context) {

    private static final Logger logger = LoggerFactory.getLogger(CoordinatorTrust.class);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Reads the settings.
     *
     * @throws IllegalStateException for a pin or CA file given with an http URL, a malformed fingerprint or an
     *     unreadable CA file, naming the setting
     */
    public static CoordinatorTrust from(Environment environment, String coordinatorUrl) {
        String fingerprint = environment.getProperty("mesh.agent.ca-fingerprint");
        String file = environment.getProperty("mesh.agent.ca-file");
        boolean given = (fingerprint != null && !fingerprint.isBlank()) || (file != null && !file.isBlank());
        if (!given) {
            return new CoordinatorTrust(null);
        }
        if (!coordinatorUrl.regionMatches(true, 0, "https:", 0, 6)) {
            throw new IllegalStateException("--ca-fingerprint and --ca-file need an https:// coordinator URL, not "
                    + coordinatorUrl + " (the coordinator serves https with up --tls)");
        }
        CoordinatorTrust trust;
        try {
            trust = new CoordinatorTrust(MeshTrust.clientContext(
                    fingerprint, (file != null && !file.isBlank()) ? Path.of(file.strip()) : null));
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException("--ca-fingerprint / --ca-file: " + ex.getMessage(), ex);
        }
        trust.firstContact(URI.create(coordinatorUrl));
        return trust;
    }

    /**
     * A TLS handshake with the coordinator and nothing else: a coordinator that fails the pin or the CA file stops the
     * agent here, before the first request. One that does not answer yet is left to the registration loop, whose
     * every connection makes the same check.
     *
     * @throws IllegalStateException naming the pinned fingerprint and the one the coordinator showed
     */
    void firstContact(URI coordinator) {
        SSLContext tls = this.context;
        if (tls == null) {
            return;
        }
        int port = (coordinator.getPort() > 0) ? coordinator.getPort() : 443;
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress(coordinator.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            socket.startHandshake();
            logger.info("The coordinator {} showed the pinned CA", coordinator);
        } catch (SSLException ex) {
            throw new IllegalStateException("Refusing the coordinator " + coordinator + ": " + rootMessage(ex), ex);
        } catch (IOException ex) {
            logger.info(
                    "Cannot reach the coordinator {} yet ({}); its CA is checked at the first connection",
                    coordinator,
                    ex.getMessage());
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return (cause.getMessage() != null) ? cause.getMessage() : cause.toString();
    }

    /** A request factory (HttpURLConnection) that uses this trust for https. */
    public SimpleClientHttpRequestFactory requestFactory() {
        SSLContext tls = this.context;
        return new SimpleClientHttpRequestFactory() {
            @Override
            protected void prepareConnection(HttpURLConnection connection, String httpMethod) throws IOException {
                super.prepareConnection(connection, httpMethod);
                if (tls != null && connection instanceof HttpsURLConnection https) {
                    https.setSSLSocketFactory(tls.getSocketFactory());
                }
            }
        };
    }
}
