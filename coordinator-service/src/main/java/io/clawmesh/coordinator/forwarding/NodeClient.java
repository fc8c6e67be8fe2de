package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.AgentMessageRequest;
import io.clawmesh.common.message.AgentMessageResponse;
import io.clawmesh.common.node.Endpoint;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.node.PrintableText;
import io.clawmesh.common.task.TaskEventTypes;
import io.clawmesh.coordinator.events.NodeRemoved;
import io.clawmesh.coordinator.events.NodeRemovedElsewhere;
import io.clawmesh.coordinator.forwarding.ForwardAttemptException.Kind;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.outbound.relay.NodeExchange;
import io.clawmesh.coordinator.outbound.relay.NodeLinks;
import io.clawmesh.coordinator.registry.EndpointPolicy;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.tls.AgentClientTls;
import io.clawmesh.coordinator.tls.ApacheClientDefaults;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one message to one node agent over pooled keep-alive HTTP/1.1 connections (Apache HttpClient 5's classic API
 * used directly, blocking I/O on virtual threads: far cheaper per message than the JDK client's asynchronous plumbing,
 * and without a RestClient's header maps and converters on the hot path). The endpoint is resolved and
 * checked against the SSRF policy again on every call (DNS rebinding), and the agent is addressed by the checked IP.
 */
@Component
public class NodeClient implements DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(NodeClient.class);

    /** Replies carry at most 1 MiB of content; allow for JSON escaping. */
    static final int MAX_REPLY_BYTES = 4 * 1024 * 1024;

    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private static final String JSON = "application/json";

    private static final String EVENT_STREAM = TaskEventTypes.EVENT_STREAM;

    private static final ContentType JSON_CONTENT = ContentType.create(JSON);

    private final CloseableHttpClient httpClient;

    private final PoolingHttpClientConnectionManager connections;

    private final EndpointPolicy endpointPolicy;

    private final JsonMapper json;

    private final ReplyStreamRelay relay;

    /** Delivery credentials by node id, with the token hash they were derived from (a re-registration changes it). */
    private final Map<String, Credential> credentials = new ConcurrentHashMap<>();

    private final @Nullable NodeLinks links;

    private final Duration timeout;

    private final Map<String, URI> literalUris = new ConcurrentHashMap<>();

    /** A client for inbound nodes only (tests that need no outbound connections). */
    public NodeClient(EndpointPolicy endpointPolicy, ForwardingProperties properties, JsonMapper json) {
        this(endpointPolicy, properties, json, null);
    }

    @Autowired
    public NodeClient(
            EndpointPolicy endpointPolicy,
            ForwardingProperties properties,
            JsonMapper json,
            @Nullable NodeLinks links) {
        this.links = links;
        this.timeout = properties.timeout();
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                // mutual TLS towards agents when the coordinator runs the mesh CA (ADR 0012), else plain HTTP
                .setTlsSocketStrategy(AgentClientTls.socketStrategy(endpointPolicy.agentTls()))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.timeout()))
                        // A pooled connection idle for a second is checked before reuse: agents restart.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(10))
                        .build())
                .setMaxConnTotal(properties.maxConnections())
                .setMaxConnPerRoute(properties.maxConnections())
                .build();
        this.httpClient = HttpClients.custom()
                .setConnectionManager(this.connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(properties.timeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                // redirects are off in the request config too; without the step, no exec element looks at them
                .disableRedirectHandling()
                .disableCookieManagement()
                .setDefaultCookieSpecRegistry(ApacheClientDefaults.noCookieSpecs())
                // agents answer small JSON uncompressed; the decompression step and its header cost every message
                .disableContentCompression()
                // a client certificate would otherwise tie each pooled connection to one caller and stop reuse
                .disableConnectionState()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.endpointPolicy = endpointPolicy;
        this.json = json.rebuild()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        this.relay = new ReplyStreamRelay(this.json);
    }

    /**
     * Hands a message to a node and returns its answer.
     *
     * @throws ForwardAttemptException saying whether another node may be tried
     */
    public AgentMessageResponse send(Node node, AgentMessageRequest message) throws ForwardAttemptException {
        if (node.outbound()) {
            return overLink(node, message, JSON, (response) -> replied(node, response.status(), response.body()));
        }
        HttpPost post = post(node, message, JSON);
        try {
            return this.httpClient.execute(post, AgentClientTls.contextFor(node.id()), (response) -> {
                HttpEntity entity = response.getEntity();
                return replied(
                        node,
                        response.getCode(),
                        (entity != null) ? entity.getContent() : InputStream.nullInputStream());
            });
        } catch (AgentAnswerException ex) {
            throw ex.toAttemptFailure();
        } catch (IOException ex) {
            throw classify(node, ex);
        }
    }

    /**
     * Cancels a message running on a node ({@code DELETE /api/v1/messages/{id}} with the delivery credential, down the
     * link for an outbound node): its client went away. Best effort: every failure answers false.
     *
     * @return whether the node had the message running and stops it; false too when it does not have it (yet)
     */
    public boolean cancel(Node node, String messageId) {
        String path = ApiPaths.AGENT_MESSAGES + "/" + messageId;
        String authorization = "Bearer " + credential(node);
        try {
            if (node.outbound()) {
                if (this.links == null) {
                    return false;
                }
                Map<String, String> headers =
                        Map.of(HttpHeaders.AUTHORIZATION, authorization, ApiPaths.MESSAGE_ID_HEADER, messageId);
                try (NodeExchange exchange =
                        this.links.exchange(node, "DELETE", path, headers, new byte[0], this.timeout)) {
                    return exchange.response().status() == 204;
                }
            }
            HttpDelete delete = new HttpDelete(messagesUri(node).resolve(path));
            delete.setHeader(HttpHeaders.AUTHORIZATION, authorization);
            delete.setHeader(ApiPaths.MESSAGE_ID_HEADER, messageId);
            return this.httpClient.execute(
                            delete, AgentClientTls.contextFor(node.id()), (response) -> response.getCode())
                    == 204;
        } catch (ForwardAttemptException | IOException | RuntimeException ex) {
            logger.debug("Could not cancel message {} on {}: {}", messageId, node.name(), ex.toString());
            return false;
        }
    }

    private AgentMessageResponse replied(Node node, int status, InputStream body) throws IOException {
        if (status >= 200 && status < 300) {
            return answer(node, status, readReply(node, status, body));
        }
        throw refusal(node, status, body);
    }

    /**
     * Hands a message to a node asking for its reply as server-sent events ({@code delta {text}}, then
     * {@code done {message_id, node_id, response}} or {@code error} with a problem), and passes every piece on to
     * {@code listener} as it arrives. Until the node answered 200 the failures are those of {@link #send}, so failover
     * works alike; from then on the node has the message and every failure is final ({@link Kind#REJECTED}, or
     * {@link Kind#TIMED_OUT} when the stream went quiet for longer than {@code mesh.forwarding.timeout} or the node
     * reported a timeout). An agent that answers plain JSON instead is taken as one piece. Each event is bounded, and
     * so is the whole stream.
     *
     * @return the node's answer; its response equals the pieces concatenated
     * @throws ForwardAttemptException saying whether another node may be tried
     * @throws ClientGoneException when the listener's client went away; the node's stream is closed
     */
    public AgentMessageResponse stream(Node node, AgentMessageRequest message, ReplyListener listener)
            throws ForwardAttemptException {
        if (node.outbound()) {
            return overLink(
                    node,
                    message,
                    EVENT_STREAM,
                    (response) -> streamed(node, response.status(), response.contentType(), response.body(), listener));
        }
        HttpPost post = post(node, message, EVENT_STREAM);
        try {
            return this.httpClient.execute(post, AgentClientTls.contextFor(node.id()), (response) -> {
                HttpEntity entity = response.getEntity();
                return streamed(
                        node,
                        response.getCode(),
                        (entity != null) ? entity.getContentType() : null,
                        (entity != null) ? entity.getContent() : InputStream.nullInputStream(),
                        listener);
            });
        } catch (AgentAnswerException ex) {
            throw ex.toAttemptFailure();
        } catch (IOException ex) {
            throw classify(node, ex);
        }
    }

    private AgentMessageResponse streamed(
            Node node, int status, @Nullable String contentType, InputStream body, ReplyListener listener)
            throws IOException {
        if (status < 200 || status >= 300) {
            throw refusal(node, status, body);
        }
        ReplyStreamRelay.notify(body, () -> listener.started(node));
        if (!isEventStream(contentType)) {
            AgentMessageResponse answer = answer(node, status, readReply(node, status, body));
            if (!answer.response().isEmpty()) {
                ReplyStreamRelay.notify(body, () -> listener.delta(answer.response()));
            }
            return answer;
        }
        return this.relay.relay(node, body, listener);
    }

    /**
     * The same exchange down an outbound node's WebSocket (ADR 0010), here or relayed through the replica that holds it
     * (ADR 0013). Until the agent acknowledged the message it may go to another node; after that a dropped connection
     * is final, never a resend.
     */
    private AgentMessageResponse overLink(Node node, AgentMessageRequest message, String accept, LinkAnswer handler)
            throws ForwardAttemptException {
        Map<String, String> headers = Map.of(
                HttpHeaders.ACCEPT,
                accept,
                HttpHeaders.AUTHORIZATION,
                "Bearer " + credential(node),
                HttpHeaders.CONTENT_TYPE,
                JSON,
                ApiPaths.MESSAGE_ID_HEADER,
                message.id());
        if (this.links == null) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, node.name() + " is outbound; no connections here");
        }
        try (NodeExchange exchange = this.links.exchange(
                node, "POST", ApiPaths.AGENT_MESSAGES, headers, this.json.writeValueAsBytes(message), this.timeout)) {
            return handler.handle(exchange.response());
        } catch (AgentAnswerException ex) {
            throw ex.toAttemptFailure();
        } catch (LinkLostException ex) {
            throw new ForwardAttemptException(
                    ex.accepted() ? Kind.REJECTED : Kind.NOT_ACCEPTED,
                    node.name() + " (outbound): " + ex.getMessage()
                            + (ex.accepted() ? " after it accepted the message" : ""));
        } catch (IOException ex) {
            throw classify(node, ex);
        }
    }

    /** What to make of an outbound node's answer. */
    private interface LinkAnswer {

        AgentMessageResponse handle(LinkResponse response) throws IOException;
    }

    private HttpPost post(Node node, AgentMessageRequest message, String accept) throws ForwardAttemptException {
        HttpPost post = new HttpPost(messagesUri(node));
        post.setHeader(HttpHeaders.ACCEPT, accept);
        post.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + credential(node));
        post.setHeader(ApiPaths.MESSAGE_ID_HEADER, message.id());
        post.setEntity(new ByteArrayEntity(this.json.writeValueAsBytes(message), JSON_CONTENT));
        return post;
    }

    /**
     * A non-2xx answer. Only the start of an error body is read: the status decides, however large the body. A body
     * longer than that is not drained either (a node may never stop sending): the connection is dropped.
     */
    private AgentAnswerException refusal(Node node, int status, InputStream body) throws IOException {
        byte[] error = readPrefix(body, MAX_ERROR_BYTES);
        return new AgentAnswerException(
                kindOf(status),
                node.name() + " answered " + status + detail(new String(error, StandardCharsets.UTF_8)));
    }

    private static boolean isEventStream(@Nullable String contentType) {
        return contentType != null
                && contentType.regionMatches(true, 0, EVENT_STREAM, 0, EVENT_STREAM.length())
                && (contentType.length() == EVENT_STREAM.length()
                        || contentType.charAt(EVENT_STREAM.length()) == ';'
                        || contentType.charAt(EVENT_STREAM.length()) == ' ');
    }

    /** A 2xx means the node ran the message: a reply that cannot be read is a final failure, never a resend. */
    private AgentMessageResponse answer(Node node, int status, byte[] bytes) {
        try {
            AgentMessageResponse body =
                    (bytes.length > 0) ? this.json.readValue(bytes, AgentMessageResponse.class) : null;
            if (body != null && body.response() != null) {
                return body;
            }
        } catch (JacksonException ex) {
            throw new AgentAnswerException(
                    Kind.REJECTED,
                    node.name() + " answered " + status + " with a reply that is not a message answer: "
                            + ex.getOriginalMessage());
        }
        throw new AgentAnswerException(Kind.REJECTED, node.name() + " answered " + status + " without a reply");
    }

    /**
     * Reads a 2xx reply. The node has run the message by then, so a reply that breaks off is a final failure like an
     * unreadable one (or a timeout), never a reason to send the message to another node.
     */
    private static byte[] readReply(Node node, int status, InputStream body) {
        try {
            return readAtMost(body, MAX_REPLY_BYTES);
        } catch (SocketTimeoutException ex) {
            throw new AgentAnswerException(
                    Kind.TIMED_OUT,
                    node.name() + " answered " + status
                            + " but its reply did not arrive in time (mesh.forwarding.timeout)");
        } catch (IOException ex) {
            throw new AgentAnswerException(
                    Kind.REJECTED,
                    node.name() + " answered " + status + " but its reply broke off: " + ex.getMessage());
        }
    }

    /** Reads a body, refusing one larger than {@code limit}: a node must not be able to exhaust our memory. */
    private static byte[] readAtMost(InputStream body, int limit) throws IOException {
        byte[] bytes = readPrefix(body, limit + 1);
        if (bytes.length > limit) {
            throw new AgentAnswerException(Kind.REJECTED, "the node's answer is larger than " + limit + " bytes");
        }
        return bytes;
    }

    /**
     * Up to {@code limit} bytes of a body. When the body may go on, the connection is dropped: closing it would read
     * the rest first, and a node may never stop sending.
     */
    private static byte[] readPrefix(InputStream body, int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit);
        if (bytes.length == limit && body instanceof EofSensorInputStream stream) {
            stream.abort();
        }
        return bytes;
    }

    private URI messagesUri(Node node) throws ForwardAttemptException {
        URI literal = this.literalUris.get(node.endpoint());
        if (literal != null) {
            return literal;
        }
        try {
            Endpoint endpoint = Endpoint.parse(node.endpoint());
            URI uri = this.endpointPolicy.resolveUri(endpoint, ApiPaths.AGENT_MESSAGES);
            if (endpoint.isIpLiteral()) {
                // An IP literal cannot be re-pointed by DNS: its checked URI can be reused.
                this.literalUris.put(node.endpoint(), uri);
            }
            return uri;
        } catch (InvalidInputException ex) {
            throw new ForwardAttemptException(Kind.NOT_ACCEPTED, ex.getMessage());
        }
    }

    private String credential(Node node) {
        Credential cached = this.credentials.get(node.id());
        if (cached == null || !cached.tokenHash().equals(node.tokenHash())) {
            cached = new Credential(node.tokenHash(), NodeCredentials.deliveryCredential(node.tokenHash(), node.id()));
            this.credentials.put(node.id(), cached);
        }
        return cached.value();
    }

    /** Forgets what was cached for a removed node, so the caches do not grow with every node that ever existed. */
    @EventListener
    void onNodeRemoved(NodeRemoved removed) {
        this.credentials.remove(removed.node().id());
        this.literalUris.remove(removed.node().endpoint());
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

    private static Kind kindOf(int status) {
        return switch (status) {
            case 429 -> Kind.FULL;
            // The agent or its runtime is down, not registered, or not this node: it never took the message.
            case 401, 403, 404, 502, 503 -> Kind.NOT_ACCEPTED;
            case 504 -> Kind.TIMED_OUT;
            // 500 and anything else: the node may have started the message, so it is not sent elsewhere.
            default -> Kind.REJECTED;
        };
    }

    private static ForwardAttemptException classify(Node node, IOException ex) {
        String where = node.name() + " (" + node.endpoint() + ")";
        if (ex instanceof ConnectTimeoutException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connect timed out");
        }
        if (ex instanceof ConnectException) {
            return new ForwardAttemptException(Kind.NOT_ACCEPTED, where + ": connection refused");
        }
        if (ex instanceof SocketTimeoutException) {
            return new ForwardAttemptException(
                    Kind.TIMED_OUT,
                    where + " accepted the message but did not answer in time (mesh.forwarding.timeout)");
        }
        return new ForwardAttemptException(
                Kind.INTERRUPTED, where + ": " + ((ex.getMessage() != null) ? ex.getMessage() : ex.toString()));
    }

    private String detail(@Nullable String body) {
        return problemDetail(this.json, body);
    }

    /**
     * {@code ": <detail>"} of a problem body, escaped for logs and the caller's problem; empty when it has none. Also
     * for the agent task API's answers ({@code tasks}).
     */
    public static String problemDetail(JsonMapper json, @Nullable String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode problem = json.readTree(body);
            JsonNode detail = problem.get("detail");
            // the agent's own words go into log lines and the caller's problem: no control characters
            return (detail != null && detail.isString()) ? ": " + PrintableText.escape(detail.asString()) : "";
        } catch (RuntimeException ex) {
            return "";
        }
    }

    @Override
    public void destroy() {
        this.httpClient.close(CloseMode.GRACEFUL);
        this.connections.close(CloseMode.GRACEFUL);
    }

    private record Credential(String tokenHash, String value) {}
}
