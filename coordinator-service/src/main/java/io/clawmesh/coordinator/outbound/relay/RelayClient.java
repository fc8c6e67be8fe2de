package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.node.PrintableText;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import io.clawmesh.coordinator.tls.ApacheClientDefaults;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends an outbound node's request to the replica that holds its connection, over pooled HTTP connections to that
 * replica's relay endpoint, and reads the answer as it streams. The failures are a local exchange's: nothing reached the
 * agent (the replica cannot be reached, refuses, or has no connection to the node) is a {@link LinkLostException}
 * not accepted, so the message fails over; a relay that breaks after the agent acknowledged it is accepted.
 */
@Component
public class RelayClient implements DisposableBean {

    /** The holder reports the agent's silence itself; this replica's own socket waits a little longer. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final CloseableHttpClient httpClient;

    private final PoolingHttpClientConnectionManager connections;

    private final RelaySecret secret;

    private final ReplicaIdentity identity;

    private final JsonMapper json;

    public RelayClient(RelaySecret secret, ReplicaIdentity identity, RelayProperties properties, JsonMapper json) {
        this.secret = secret;
        this.identity = identity;
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                // a replica's relay address may be https: TLS built at the first such connection
                .setTlsSocketStrategy(ApacheClientDefaults.tlsSocketStrategy())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(10))
                        .build())
                // every relayed task stream holds one connection while it runs
                .setMaxConnTotal(4096)
                .setMaxConnPerRoute(4096)
                .build();
        this.httpClient = HttpClients.custom()
                .setConnectionManager(this.connections)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setDefaultCookieSpecRegistry(ApacheClientDefaults.noCookieSpecs())
                .disableRedirectHandling()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
    }

    /**
     * Relays one request to the node's connection on another replica.
     *
     * @throws LinkLostException (not accepted) when nothing reached the agent
     */
    NodeExchange open(
            Node node,
            LinkLocations.Location where,
            String method,
            String path,
            Map<String, String> headers,
            byte[] body,
            Duration readTimeout)
            throws LinkLostException {
        Map<String, String> relayed = new HashMap<>();
        headers.forEach((name, value) -> {
            // the holder adds the node's delivery credential itself: none travels between replicas
            if (!HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)) {
                relayed.put(name, value);
            }
        });
        RelayRequest request = new RelayRequest(
                method, path, relayed, Base64.getEncoder().encodeToString(body), readTimeout.toMillis());
        HttpPost post = new HttpPost(where.url() + RelayController.NODES + "/" + node.id());
        post.setHeader(HttpHeaders.AUTHORIZATION, this.secret.authorization());
        post.setHeader(RelayController.FROM_HEADER, this.identity.id());
        post.setHeader(HttpHeaders.ACCEPT, RelayRecords.CONTENT_TYPE);
        post.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(readTimeout.plus(MARGIN)))
                .build());
        post.setEntity(new ByteArrayEntity(this.json.writeValueAsBytes(request), ContentType.APPLICATION_JSON));
        String via = node.name() + " (outbound, connected to replica " + where.replica() + ")";
        ClassicHttpResponse response;
        try {
            response = this.httpClient.executeOpen(null, post, null);
        } catch (IOException ex) {
            throw new LinkLostException(false, via + ": that replica cannot be reached: " + describe(ex));
        }
        try {
            HttpEntity entity = response.getEntity();
            InputStream content = (entity != null) ? entity.getContent() : InputStream.nullInputStream();
            if (response.getCode() != 200) {
                byte[] error = content.readNBytes(MAX_ERROR_BYTES);
                post.cancel();
                response.close();
                throw new LinkLostException(
                        false,
                        via + ": that replica refused the relay with " + response.getCode()
                                + detail(new String(error, StandardCharsets.UTF_8)));
            }
            return new RelayedExchange(this.json, via, post, response, new DataInputStream(content));
        } catch (IOException ex) {
            post.cancel();
            closeQuietly(response);
            if (ex instanceof LinkLostException lost) {
                throw lost;
            }
            throw new LinkLostException(false, via + ": the relay broke before it started: " + describe(ex));
        }
    }

    private String detail(String body) {
        try {
            var problem = this.json.readTree(body);
            var detail = problem.get("detail");
            return (detail != null && detail.isString()) ? ": " + PrintableText.escape(detail.asString()) : "";
        } catch (JacksonException | IllegalArgumentException ex) {
            return "";
        }
    }

    static String describe(IOException ex) {
        return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ex) {
            // the connection is discarded
        }
    }

    @Override
    public void destroy() {
        this.httpClient.close(CloseMode.GRACEFUL);
        this.connections.close(CloseMode.GRACEFUL);
    }
}
