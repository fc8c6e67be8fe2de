package io.clawmesh.coordinator.tasks;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.task.AgentTaskRequest;
import io.clawmesh.common.task.AgentTaskView;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeRemovedElsewhere;
import io.clawmesh.coordinator.forwarding.EventStreamReader;
import io.clawmesh.coordinator.forwarding.EventStreamReader.Event;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.forwarding.ForwardingProperties;
import io.clawmesh.coordinator.forwarding.NodeClient;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.outbound.relay.NodeExchange;
import io.clawmesh.coordinator.outbound.relay.NodeLinks;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.tls.AgentClientTls;
import io.clawmesh.coordinator.tls.ApacheClientDefaults;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to a node agent's task API (ADR 0008) over pooled HTTP connections (Apache HttpClient 5, blocking I/O on
 * virtual threads): posts a task and reads its event stream, re-attaches to a stream, asks about a task and cancels it.
 * Every call resolves the node's endpoint and checks it against the SSRF policy again (DNS rebinding), and carries
 * the node's delivery credential.
 */
@Component
public class AgentTaskClient implements DisposableBean {

    /** An event may hold a whole reply (1 MiB of content), JSON-escaped. */
    private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private static final ContentType JSON_CONTENT = ContentType.APPLICATION_JSON;

    /** Short calls (status, cancel) wait this long for an answer. */
    private static final Timeout SHORT_CALL = Timeout.ofSeconds(10);

    private static final Duration SHORT = Duration.ofSeconds(10);

    /**
     * Outbound nodes' connections (ADR 0010), here or through the replica that holds them (ADR 0013); {@code null}
     * where only inbound nodes are reached.
     */
    private final @Nullable NodeLinks links;

    private final CloseableHttpClient httpClient;

    private final PoolingHttpClientConnectionManager connections;

    private final EndpointPolicy endpointPolicy;

    private final JsonMapper json;

    /** Resolved once: the mapper's {@code writeValueAsBytes} looks the root type's serializer up per call. */
    private final ObjectWriter requestWriter;

    /**
     * The {@code Authorization} header of each node, with the token hash it was derived from (a re-registration or a
     * token rotation changes it): an HMAC per task was 2 % of the coordinator's CPU samples (issue 13).
     */
    private final Map<String, Credential> credentials = new ConcurrentHashMap<>();

    /**
     * The checked scheme, address and port of nodes whose endpoint is an IP literal, which DNS cannot re-point: only
     * a host name is resolved and checked again per call (the route path does the same, {@code NodeClient}).
     */
    private final Map<String, String> literalOrigins = new ConcurrentHashMap<>();

    public AgentTaskClient(EndpointPolicy endpointPolicy, ForwardingProperties forwarding, JsonMapper json) {
        this(endpointPolicy, forwarding, json, null);
    }

    @Autowired
    public AgentTaskClient(
            EndpointPolicy endpointPolicy,
            ForwardingProperties forwarding,
            JsonMapper json,
            @Nullable NodeLinks links) {
        this.links = links;
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                // mutual TLS towards agents when the coordinator runs the mesh CA (ADR 0012), else plain HTTP
                .setTlsSocketStrategy(AgentClientTls.socketStrategy(endpointPolicy.agentTls()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(forwarding.connectTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(10))
                        .build())
                // every running task holds one connection for its event stream
                .setMaxConnTotal(8192)
                .setMaxConnPerRoute(2048)
                .build();
        this.httpClient = HttpClients.custom()
                .setConnectionManager(this.connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(SHORT_CALL)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setDefaultCookieSpecRegistry(ApacheClientDefaults.noCookieSpecs())
                // a client certificate would otherwise tie each pooled connection to one caller and stop reuse
                .disableConnectionState()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.endpointPolicy = endpointPolicy;
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.requestWriter = this.json.writerFor(AgentTaskRequest.class);
    }

    /**
     * Posts a task; on 200 the node accepted it (or it knew the task id and attached to the run) and its event stream
     * follows.
     *
     * @param readTimeout how long the stream may stay silent before it counts as broken
     * @throws ForwardAttemptException when the node did not accept it: {@link Kind#FULL} (429),
     *     {@link Kind#NOT_ACCEPTED} (down, unreachable, runtime down), {@link Kind#INTERRUPTED} (the connection broke
     *     before an answer: the node may have taken it), {@link Kind#REJECTED} (it refused this task)
     */
    public EventStream submit(Node node, AgentTaskRequest request, Duration readTimeout)
            throws ForwardAttemptException {
        if (node.outbound()) {
            return openOverLink(
                    node,
                    "POST",
                    ApiPaths.TASKS,
                    null,
                    this.requestWriter.writeValueAsBytes(request),
                    readTimeout,
                    false);
        }
        HttpPost post = new HttpPost(uri(node, ApiPaths.TASKS));
        post.setEntity(new ByteArrayEntity(this.requestWriter.writeValueAsBytes(request), JSON_CONTENT));
        return open(node, post, readTimeout, false);
    }

    /**
     * Re-attaches to a task's event stream.
     *
     * @param lastEventId the last event id seen ({@code 0} after {@code started}, else the reply length so far)
     * @throws TaskUnknownOnNodeException when the node does not know the task (404)
     */
    public EventStream events(Node node, String taskId, @Nullable String lastEventId, Duration readTimeout)
            throws ForwardAttemptException {
        if (node.outbound()) {
            return openOverLink(
                    node, "GET", ApiPaths.TASKS + "/" + taskId + "/events", lastEventId, null, readTimeout, true);
        }
        HttpGet get = new HttpGet(uri(node, ApiPaths.TASKS + "/" + taskId + "/events"));
        if (lastEventId != null) {
            get.setHeader("Last-Event-ID", lastEventId);
        }
        return open(node, get, readTimeout, true);
    }

    /**
     * What the node knows of a task.
     *
     * @return empty when the node does not know it (404)
     * @throws ForwardAttemptException when the node cannot be asked or answers otherwise
     */
    public Optional<AgentTaskView> find(Node node, String taskId) throws ForwardAttemptException {
        if (node.outbound()) {
            try (NodeExchange exchange = this.overLink(node, "GET", ApiPaths.TASKS + "/" + taskId, null, null, SHORT)) {
                LinkResponse response = exchange.response();
                byte[] body = readAtMost(response.body(), MAX_BODY_BYTES);
                if (response.status() == 404) {
                    return Optional.empty();
                }
                if (response.status() != 200) {
                    throw new ForwardAttemptException(
                            kindOf(response.status()), answered(node, response.status(), body));
                }
                return Optional.of(this.json.readValue(body, AgentTaskView.class));
            } catch (IOException | RuntimeException ex) {
                throw classify(node, ex);
            }
        }
        HttpGet get = new HttpGet(uri(node, ApiPaths.TASKS + "/" + taskId));
        prepare(node, get, "application/json");
        try {
            return this.httpClient.execute(get, AgentClientTls.contextFor(node.id()), (response) -> {
                int status = response.getCode();
                byte[] body = read(response.getEntity(), MAX_BODY_BYTES);
                if (status == 404) {
                    return Optional.<AgentTaskView>empty();
                }
                if (status != 200) {
                    throw new AgentAnswer(kindOf(status), answered(node, status, body));
                }
                return Optional.of(this.json.readValue(body, AgentTaskView.class));
            });
        } catch (AgentAnswer ex) {
            throw new ForwardAttemptException(ex.kind, ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            throw classify(node, ex);
        }
    }

    /** How a node answered a cancel. */
    public enum CancelAnswer {
        /** 202: the abort is on its way; the stream ends with {@code canceled}. */
        ABORTING,
        /** 404: the node does not know the task. */
        UNKNOWN,
        /** 409: the task already ended there. */
        FINISHED,
        /** No answer, or another one. */
        UNREACHABLE
    }

    /** Asks a node to abort a task. Never throws: an unreachable node is an answer too. */
    public CancelAnswer cancel(Node node, String taskId) {
        if (node.outbound()) {
            try (NodeExchange exchange =
                    this.overLink(node, "DELETE", ApiPaths.TASKS + "/" + taskId, null, null, SHORT)) {
                LinkResponse response = exchange.response();
                readAtMost(response.body(), MAX_ERROR_BYTES);
                return cancelAnswer(response.status());
            } catch (IOException | ForwardAttemptException | RuntimeException ex) {
                return CancelAnswer.UNREACHABLE;
            }
        }
        try {
            HttpDelete delete = new HttpDelete(uri(node, ApiPaths.TASKS + "/" + taskId));
            prepare(node, delete, "application/json");
            return this.httpClient.execute(delete, AgentClientTls.contextFor(node.id()), (response) -> {
                read(response.getEntity(), MAX_ERROR_BYTES);
                return cancelAnswer(response.getCode());
            });
        } catch (IOException | ForwardAttemptException | RuntimeException ex) {
            return CancelAnswer.UNREACHABLE;
        }
    }

    private static CancelAnswer cancelAnswer(int status) {
        return switch (status) {
            case 200, 202, 204 -> CancelAnswer.ABORTING;
            case 404 -> CancelAnswer.UNKNOWN;
            case 409 -> CancelAnswer.FINISHED;
            default -> CancelAnswer.UNREACHABLE;
        };
    }

    /**
     * The same call down an outbound node's WebSocket (ADR 0010), with the headers the HTTP call carries.
     *
     * @throws ForwardAttemptException when the node is not connected here or the request could not be sent
     */
    private NodeExchange overLink(
            Node node,
            String method,
            String path,
            @Nullable String lastEventId,
            byte @Nullable [] body,
            Duration readTimeout)
            throws ForwardAttemptException {
        if (this.links == null) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, node.name() + " is outbound; no connections here");
        }
        Map<String, String> headers = new HashMap<>();
        headers.put(
                HttpHeaders.ACCEPT,
                (body != null || path.endsWith("/events")) ? TaskEventTypes.EVENT_STREAM : "application/json");
        headers.put(HttpHeaders.AUTHORIZATION, authorization(node));
        if (body != null) {
            headers.put(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        if (lastEventId != null) {
            headers.put("Last-Event-ID", lastEventId);
        }
        try {
            return this.links.exchange(node, method, path, headers, (body != null) ? body : new byte[0], readTimeout);
        } catch (LinkLostException ex) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, node.name() + " (outbound): " + ex.getMessage());
        }
    }

    private EventStream openOverLink(
            Node node,
            String method,
            String path,
            @Nullable String lastEventId,
            byte @Nullable [] body,
            Duration readTimeout,
            boolean reattach)
            throws ForwardAttemptException {
        NodeExchange exchange = overLink(node, method, path, lastEventId, body, readTimeout);
        try {
            LinkResponse response = exchange.response();
            if (response.status() == 200) {
                return new EventStream(
                        exchange, new EventStreamReader(response.body(), MAX_EVENT_BYTES, Long.MAX_VALUE));
            }
            byte[] error = readAtMost(response.body(), MAX_ERROR_BYTES);
            exchange.close();
            throw refusal(node, response.status(), error, reattach);
        } catch (IOException | RuntimeException ex) {
            exchange.close();
            throw classify(node, ex);
        }
    }

    private static byte[] readAtMost(InputStream body, int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new IOException("the node's answer is larger than " + limit + " bytes");
        }
        return bytes;
    }

    private EventStream open(Node node, HttpUriRequestBase request, Duration readTimeout, boolean reattach)
            throws ForwardAttemptException {
        prepare(node, request, TaskEventTypes.EVENT_STREAM);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(readTimeout))
                .setRedirectsEnabled(false)
                .build());
        ClassicHttpResponse response;
        try {
            response = this.httpClient.executeOpen(null, request, AgentClientTls.contextFor(node.id()));
        } catch (IOException ex) {
            throw classify(node, ex);
        }
        int status = response.getCode();
        if (status == 200) {
            HttpEntity entity = response.getEntity();
            try {
                InputStream body = (entity != null) ? entity.getContent() : InputStream.nullInputStream();
                return new EventStream(request, response, new EventStreamReader(body, MAX_EVENT_BYTES, Long.MAX_VALUE));
            } catch (IOException ex) {
                closeQuietly(request, response);
                throw classify(node, ex);
            }
        }
        try {
            byte[] body = read(response.getEntity(), MAX_ERROR_BYTES);
            throw refusal(node, status, body, reattach);
        } catch (IOException ex) {
            throw new ForwardAttemptException(kindOf(status), node.name() + " answered " + status);
        } finally {
            closeQuietly(request, response);
        }
    }

    /** A stream the node did not open; a re-attach it answers 404 is a task it does not know. */
    private ForwardAttemptException refusal(Node node, int status, byte[] body, boolean reattach) {
        if (reattach && status == 404) {
            return new TaskUnknownOnNodeException(answered(node, status, body));
        }
        return new ForwardAttemptException(kindOf(status), answered(node, status, body));
    }

    private void prepare(Node node, HttpUriRequestBase request, String accept) {
        request.setHeader(HttpHeaders.ACCEPT, accept);
        request.setHeader(HttpHeaders.AUTHORIZATION, authorization(node));
    }

    private String authorization(Node node) {
        Credential cached = this.credentials.get(node.id());
        if (cached == null || !cached.tokenHash().equals(node.tokenHash())) {
            cached = new Credential(
                    node.tokenHash(), "Bearer " + NodeCredentials.deliveryCredential(node.tokenHash(), node.id()));
            this.credentials.put(node.id(), cached);
        }
        return cached.header();
    }

    private URI uri(Node node, String path) throws ForwardAttemptException {
        String origin = this.literalOrigins.get(node.endpoint());
        if (origin != null) {
            return URI.create(origin + path);
        }
        try {
            Endpoint endpoint = Endpoint.parse(node.endpoint());
            URI uri = this.endpointPolicy.resolveUri(endpoint, path);
            if (endpoint.isIpLiteral()) {
                this.literalOrigins.put(node.endpoint(), uri.getScheme() + "://" + uri.getRawAuthority());
            }
            return uri;
        } catch (InvalidInputException ex) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, ex.getMessage());
        }
    }

    /** Forgets what was cached for a removed node, so the caches do not grow with every node that ever existed. */
    @EventListener
    void onNodeRemoved(NodeRemoved removed) {
        this.credentials.remove(removed.node().id());
        this.literalOrigins.remove(removed.node().endpoint());
    }

    /** Another replica removed the node: its delivery credential goes from this replica's cache too. */
    @EventListener
    void onNodeRemovedElsewhere(NodeRemovedElsewhere removed) {
        this.credentials.remove(removed.nodeId());
    }

    /** How many nodes have cached delivery credentials; for tests. */
    int cachedCredentials() {
        return this.credentials.size();
    }

    private String answered(Node node, int status, byte[] body) {
        return node.name() + " answered " + status
                + NodeClient.problemDetail(this.json, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] read(@Nullable HttpEntity entity, int limit) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        try (InputStream body = entity.getContent()) {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new IOException("the node's answer is larger than " + limit + " bytes");
            }
            return bytes;
        }
    }

    private static Kind kindOf(int status) {
        return switch (status) {
            case 429 -> Kind.FULL;
            case 401, 403, 404, 502, 503 -> Kind.NOT_ACCEPTED;
            default -> Kind.REJECTED;
        };
    }

    private static ForwardAttemptException classify(Node node, Exception ex) {
        String where = node.name() + " (" + (node.outbound() ? "outbound" : node.endpoint()) + ")";
        if (ex instanceof LinkLostException lost && !lost.accepted()) {
            // the agent never acknowledged the request: it did not take it
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": " + lost.getMessage());
        }
        if (ex instanceof ConnectTimeoutException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connect timed out");
        }
        if (ex instanceof ConnectException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connection refused");
        }
        return new ForwardAttemptException(
                Kind.INTERRUPTED, where + ": " + ((ex.getMessage() != null) ? ex.getMessage() : ex.toString()));
    }

    private static void closeQuietly(HttpUriRequestBase request, ClassicHttpResponse response) {
        request.cancel();
        try {
            response.close();
        } catch (IOException ex) {
            // the connection is discarded either way
        }
    }

    @Override
    public void destroy() {
        this.httpClient.close(CloseMode.IMMEDIATE);
        this.connections.close(CloseMode.IMMEDIATE);
    }

    /** An open event stream of one task on one node. Close it (or {@link #abort()} it from another thread). */
    public static final class EventStream implements Closeable {

        /**
         * How long {@link #close()} waits for the stream's end after its final event. An agent ends the stream right
         * after that event (in the same packet since issue 13's profile); one that keeps it open loses the connection.
         */
        static final long END_WAIT_MILLIS = 1000;

        /** Breaks off a stream whose end did not come within {@link #END_WAIT_MILLIS}. */
        private static final Executor END_WATCH =
                CompletableFuture.delayedExecutor(END_WAIT_MILLIS, TimeUnit.MILLISECONDS);

        private final @Nullable HttpUriRequestBase request;

        private final @Nullable ClassicHttpResponse response;

        private final @Nullable NodeExchange exchange;

        private final EventStreamReader reader;

        private boolean ended;

        private boolean finalEventRead;

        EventStream(HttpUriRequestBase request, ClassicHttpResponse response, EventStreamReader reader) {
            this.request = request;
            this.response = response;
            this.exchange = null;
            this.reader = reader;
        }

        /** A stream down an outbound node's WebSocket. */
        EventStream(NodeExchange exchange, EventStreamReader reader) {
            this.request = null;
            this.response = null;
            this.exchange = exchange;
            this.reader = reader;
        }

        /**
         * The next event, waiting for it.
         *
         * @return {@code null} when the stream ended
         * @throws IOException when it broke (or was aborted)
         */
        @Nullable
        Event next() throws IOException {
            Event event = this.reader.next();
            this.ended = (event == null);
            return event;
        }

        /**
         * Says that the task's final event was read: nothing may follow but the stream's end, which {@link #close()}
         * then reads (waiting at most {@link #END_WAIT_MILLIS}) so that the connection goes back to the pool for the
         * next task instead of being dropped.
         */
        void finalEventRead() {
            this.finalEventRead = true;
        }

        /** Breaks the stream off from any thread; a reader blocked in {@link #next()} gets an exception. */
        public void abort() {
            if (this.exchange != null) {
                this.exchange.close();
            } else if (this.request != null) {
                this.request.cancel();
            }
        }

        /** Keeps the connection for reuse when the stream was read to its end; else drops it (never drains it). */
        @Override
        public void close() {
            if (this.exchange != null || this.request == null || this.response == null) {
                abort();
                return;
            }
            if (!this.ended && this.finalEventRead) {
                readEnd(this.request);
            }
            if (this.ended) {
                try {
                    this.response.close();
                } catch (IOException ex) {
                    // the connection is discarded
                }
            } else {
                closeQuietly(this.request, this.response);
            }
        }

        /**
         * Reads the stream's end after its final event, which releases the connection to the pool; a watch breaks it
         * off when the end does not come in time (the connection is then discarded).
         */
        private void readEnd(HttpUriRequestBase request) {
            // the watch holds the request only until one side settles it
            AtomicReference<HttpUriRequestBase> unsettled = new AtomicReference<>(request);
            END_WATCH.execute(() -> {
                HttpUriRequestBase late = unsettled.getAndSet(null);
                if (late != null) {
                    late.cancel();
                }
            });
            boolean atEnd;
            try {
                // anything but the end after the final event breaks the protocol: the connection is dropped
                atEnd = this.reader.next() == null;
            } catch (IOException ex) {
                atEnd = false;
            }
            // the watch may have fired while the end arrived: then the request is canceled and not reusable
            this.ended = unsettled.getAndSet(null) != null && atEnd;
        }
    }

    private record Credential(String tokenHash, String header) {}

    /** Carries a non-2xx answer out of a response handler. */
    private static final class AgentAnswer extends RuntimeException {

        private final Kind kind;

        AgentAnswer(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }
}
