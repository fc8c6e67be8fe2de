package io.clawmesh.coordinator.registry;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.tls.LazyTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides {@code --connect auto} at registration (ADR 0010): an endpoint is reachable when the SSRF policy lets the
 * coordinator dial it and its {@code GET /healthz} answers 200 within a short timeout. Anything else, a private
 * address the policy refuses included, means the agent should dial out.
 */
public class EndpointReachability {

    private static final Logger logger = LoggerFactory.getLogger(EndpointReachability.class);

    private final EndpointPolicy policy;

    private final Duration timeout;

    private final HttpClient httpClient;

    public EndpointReachability(EndpointPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
        this.httpClient = LazyTls.configure(
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(timeout)
                                .followRedirects(HttpClient.Redirect.NEVER),
                        this.policy.clientContext())
                .build();
    }

    /** Whether the coordinator can reach the agent at {@code endpoint}; never throws. */
    public boolean reachable(@Nullable String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return false;
        }
        try {
            URI uri = this.policy.resolveUri(Endpoint.parse(endpoint), ApiPaths.AGENT_HEALTH);
            HttpResponse<InputStream> response = this.httpClient.send(
                    HttpRequest.newBuilder(uri).timeout(this.timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.readNBytes(16 * 1024);
            }
            return response.statusCode() == 200;
        } catch (InvalidInputException ex) {
            logger.debug("Endpoint {} is not reachable by policy: {}", endpoint, ex.getMessage());
            return false;
        } catch (SSLHandshakeException ex) {
            // Mutual TLS (ADR 0012): the port speaks TLS, but a node asks for its certificate only after this
            // registration, so a first handshake fails there. The agent is listening: reachable, and its
            // certificate follows within seconds.
            boolean listening = this.policy.agentTls() != null;
            logger.debug("Endpoint {} answered TLS without a node certificate yet: {}", endpoint, ex.toString());
            return listening;
        } catch (IOException ex) {
            logger.debug("Endpoint {} did not answer its health probe: {}", endpoint, ex.toString());
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
