package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.node.PrintableText;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.replicas.ReplicaIdentity;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
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
import org.jspecify.annotations.Nullable;
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
            return new RelayedExchange(via, post, response, new DataInputStream(content));
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

    private static String describe(IOException ex) {
        return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    private static void closeQuietly(ClassicHttpResponse response) {
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

    /** The answer as the holder streams it, in {@link RelayRecords}. */
    private final class RelayedExchange implements NodeExchange {

        private final String via;

        private final HttpPost post;

        private final ClassicHttpResponse response;

        private final DataInputStream in;

        private volatile boolean accepted;

        private volatile boolean finished;

        RelayedExchange(String via, HttpPost post, ClassicHttpResponse response, DataInputStream in) {
            this.via = via;
            this.post = post;
            this.response = response;
            this.in = in;
        }

        @Override
        public boolean accepted() {
            return this.accepted;
        }

        @Override
        public LinkResponse response() throws IOException {
            while (true) {
                RelayRecords.Entry entry = next("an answer");
                switch (entry.type()) {
                    case RelayRecords.ACCEPTED -> this.accepted = true;
                    case RelayRecords.HEAD -> {
                        RelayRecords.Head head =
                                RelayClient.this.json.readValue(entry.payload(), RelayRecords.Head.class);
                        Map<String, String> headers = new HashMap<>();
                        if (head.headers() != null) {
                            head.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
                        }
                        return new LinkResponse(head.status(), Map.copyOf(headers), new Body());
                    }
                    default -> throw failure(entry, "an answer");
                }
            }
        }

        private RelayRecords.Entry next(String expected) throws IOException {
            RelayRecords.Entry entry;
            try {
                entry = RelayRecords.read(this.in);
            } catch (SocketTimeoutException ex) {
                throw ex;
            } catch (IOException ex) {
                this.finished = true;
                throw new LinkLostException(
                        this.accepted,
                        this.via + ": the relay broke while waiting for " + expected + ": " + describe(ex));
            }
            if (entry == null) {
                this.finished = true;
                throw new LinkLostException(this.accepted, this.via + ": the relay ended before " + expected);
            }
            return entry;
        }

        private IOException failure(RelayRecords.Entry entry, String expected) {
            this.finished = true;
            if (entry.type() == RelayRecords.TIMEOUT) {
                return new SocketTimeoutException(new String(entry.payload(), StandardCharsets.UTF_8));
            }
            if (entry.type() == RelayRecords.LOST) {
                RelayRecords.Failure failure =
                        RelayClient.this.json.readValue(entry.payload(), RelayRecords.Failure.class);
                this.accepted |= failure.accepted();
                return new LinkLostException(this.accepted, this.via + ": " + failure.detail());
            }
            return new LinkLostException(
                    this.accepted,
                    this.via + ": the relay sent '" + (char) entry.type() + "' where " + expected + " belonged");
        }

        @Override
        public void close() {
            if (!this.finished) {
                this.finished = true;
                // breaks the relay's connection off: the holder abandons the exchange, and the agent is told
                this.post.cancel();
            }
            closeQuietly(this.response);
        }

        /** The body as the holder relays it, until {@code E}. */
        private final class Body extends InputStream {

            private byte @Nullable [] piece;

            private int position;

            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xFF);
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (this.piece == null || this.position == this.piece.length) {
                    if (this.ended) {
                        return -1;
                    }
                    RelayRecords.Entry entry = next("the body");
                    if (entry.type() == RelayRecords.END) {
                        this.ended = true;
                        RelayedExchange.this.finished = true;
                        try {
                            // the chunked body's end, so the connection goes back to the pool
                            RelayedExchange.this.in.read();
                        } catch (IOException ex) {
                            // then it is discarded
                        }
                        closeQuietly(RelayedExchange.this.response);
                        return -1;
                    }
                    if (entry.type() == RelayRecords.ACCEPTED) {
                        RelayedExchange.this.accepted = true;
                        continue;
                    }
                    if (entry.type() != RelayRecords.BODY) {
                        throw failure(entry, "the body");
                    }
                    this.piece = entry.payload();
                    this.position = 0;
                }
                int count = Math.min(length, this.piece.length - this.position);
                System.arraycopy(this.piece, this.position, bytes, offset, count);
                this.position += count;
                return count;
            }

            @Override
            public void close() {
                RelayedExchange.this.close();
            }
        }
    }
}
