package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.outbound.AgentLinks;
import io.clawmesh.coordinator.outbound.LinkExchange;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.security.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replica-to-replica relay (ADR 0013): another replica asks this one to send a request down an outbound agent's
 * connection held here, and gets the answer streamed back in {@link RelayRecords}. Only callers with the replicas'
 * shared secret get here ({@link RelayAuthenticationFilter}); only the agent's message and task calls are relayed, and
 * the node's delivery credential is added here, never carried by the caller.
 */
@RestController
class RelayController {

    static final String BASE = "/internal/v1/relay";

    static final String NODES = BASE + "/nodes";

    static final String FROM_HEADER = "X-Mesh-Relay-From";

    private static final Logger logger = LoggerFactory.getLogger(RelayController.class);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private static final Pattern TASK_PATH =
            Pattern.compile(Pattern.quote(ApiPaths.TASKS) + "/[A-Za-z0-9._-]{1,100}(/events)?");

    private static final Set<String> HEADERS =
            Set.of("accept", "content-type", ApiPaths.MESSAGE_ID_HEADER.toLowerCase(Locale.ROOT), "last-event-id");

    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /** How often the wait for the answer's head looks whether the agent acknowledged the request. */
    private static final long ACK_POLL_MILLIS = 10;

    private final AgentLinks links;

    private final NodeRegistry registry;

    private final ProblemWriter problems;

    private final JsonMapper json;

    RelayController(AgentLinks links, NodeRegistry registry, ProblemWriter problems, JsonMapper json) {
        this.links = links;
        this.registry = registry;
        this.problems = problems;
        this.json = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @PostMapping(NODES + "/{nodeId}")
    void relay(@PathVariable String nodeId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RelayRequest relayed;
        try (InputStream body = request.getInputStream()) {
            relayed = this.json.readValue(body, RelayRequest.class);
        } catch (JacksonException ex) {
            reject(
                    request,
                    response,
                    ProblemType.MALFORMED_JSON,
                    "the relay request is not valid: " + ex.getOriginalMessage());
            return;
        }
        String invalid = invalid(nodeId, relayed);
        if (invalid != null) {
            reject(request, response, ProblemType.INVALID_INPUT, invalid);
            return;
        }
        byte[] content;
        try {
            content = (relayed.body() != null) ? Base64.getDecoder().decode(relayed.body()) : new byte[0];
        } catch (IllegalArgumentException ex) {
            reject(request, response, ProblemType.INVALID_INPUT, "body must be Base64: " + ex.getMessage());
            return;
        }
        Optional<Node> found = this.registry.find(nodeId);
        if (found.isEmpty()) {
            reject(request, response, ProblemType.NODE_NOT_FOUND, "no node has the id " + nodeId);
            return;
        }
        Node node = found.get();
        if (!node.outbound()) {
            reject(request, response, ProblemType.NODE_NOT_OUTBOUND, node.name() + " is not an outbound node");
            return;
        }
        if (!this.links.connected(node.id())) {
            reject(
                    request,
                    response,
                    ProblemType.NODE_UNAVAILABLE,
                    node.name() + " has no open connection to this replica");
            return;
        }
        Map<String, String> headers = new HashMap<>(relayed.headers());
        headers.put("Authorization", "Bearer " + NodeCredentials.deliveryCredential(node.tokenHash(), node.id()));
        response.setStatus(200);
        response.setContentType(RelayRecords.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        // the head goes at once: the caller knows the relay started before the agent answers
        response.flushBuffer();
        DataOutputStream out = new DataOutputStream(response.getOutputStream());
        LinkExchange exchange;
        try {
            exchange = this.links.exchange(
                    node, relayed.method(), relayed.path(), headers, content, Duration.ofMillis(relayed.timeout()));
        } catch (LinkLostException ex) {
            lost(out, ex.accepted(), ex.getMessage());
            return;
        }
        try {
            stream(exchange, out);
        } catch (IOException ex) {
            // the caller went away: the exchange is abandoned below, and the agent is told
            logger.debug("Relay of {} to {} broken off: {}", relayed.path(), node.name(), ex.toString());
        } finally {
            exchange.close();
        }
    }

    private void stream(LinkExchange exchange, DataOutputStream out) throws IOException {
        LinkResponse head;
        boolean[] toldAccepted = {false};
        try {
            head = awaitHead(exchange, out, toldAccepted);
        } catch (SocketTimeoutException ex) {
            RelayRecords.write(out, RelayRecords.TIMEOUT, bytes(ex.getMessage()));
            return;
        } catch (LinkLostException ex) {
            lost(out, ex.accepted(), ex.getMessage());
            return;
        }
        if (!toldAccepted[0] && exchange.accepted()) {
            RelayRecords.write(out, RelayRecords.ACCEPTED, new byte[0]);
        }
        RelayRecords.write(
                out,
                RelayRecords.HEAD,
                this.json.writeValueAsBytes(new RelayRecords.Head(head.status(), head.headers())));
        InputStream body = head.body();
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            int read;
            try {
                read = body.read(buffer);
            } catch (SocketTimeoutException ex) {
                RelayRecords.write(out, RelayRecords.TIMEOUT, bytes(ex.getMessage()));
                return;
            } catch (LinkLostException ex) {
                lost(out, ex.accepted(), ex.getMessage());
                return;
            }
            if (read == -1) {
                RelayRecords.write(out, RelayRecords.END, new byte[0]);
                return;
            }
            byte[] piece = new byte[read];
            System.arraycopy(buffer, 0, piece, 0, read);
            RelayRecords.write(out, RelayRecords.BODY, piece);
        }
    }

    /**
     * Waits for the head of the agent's answer on another thread, and tells the caller as soon as the agent
     * acknowledged the request: should this replica die before the answer, the caller knows not to send it elsewhere.
     */
    private LinkResponse awaitHead(LinkExchange exchange, DataOutputStream out, boolean[] toldAccepted)
            throws IOException {
        CompletableFuture<LinkResponse> head = new CompletableFuture<>();
        Thread.ofVirtual().name("relay-head").start(() -> {
            try {
                head.complete(exchange.response());
            } catch (IOException | RuntimeException ex) {
                head.completeExceptionally(ex);
            }
        });
        while (true) {
            try {
                return head.get(ACK_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException ex) {
                if (!toldAccepted[0] && exchange.accepted()) {
                    RelayRecords.write(out, RelayRecords.ACCEPTED, new byte[0]);
                    toldAccepted[0] = true;
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for the agent");
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new LinkLostException(exchange.accepted(), String.valueOf(ex.getCause()));
            }
        }
    }

    private void lost(DataOutputStream out, boolean accepted, @Nullable String detail) throws IOException {
        RelayRecords.write(
                out,
                RelayRecords.LOST,
                this.json.writeValueAsBytes(
                        new RelayRecords.Failure(accepted, (detail != null) ? detail : "no reason given")));
    }

    private static @Nullable String invalid(String nodeId, RelayRequest relayed) {
        if (!ID.matcher(nodeId).matches()) {
            return "the node id must be 1 to 100 letters, digits, '.', '_' or '-'";
        }
        String method = relayed.method();
        String path = relayed.path();
        if (method == null || path == null) {
            return "method and path are required";
        }
        boolean allowed = switch (method) {
            case "POST" -> path.equals(ApiPaths.AGENT_MESSAGES) || path.equals(ApiPaths.TASKS);
            case "GET" -> TASK_PATH.matcher(path).matches();
            case "DELETE" -> TASK_PATH.matcher(path).matches() && !path.endsWith("/events");
            default -> false;
        };
        if (!allowed) {
            return "only the agent's message and task calls are relayed (POST " + ApiPaths.AGENT_MESSAGES + ", POST "
                    + ApiPaths.TASKS + ", GET or DELETE " + ApiPaths.TASKS + "/{id}, GET " + ApiPaths.TASKS
                    + "/{id}/events), not " + printable(method) + " " + printable(path);
        }
        if (relayed.headers() == null) {
            return "headers are required";
        }
        for (Map.Entry<String, String> header : relayed.headers().entrySet()) {
            if (header.getKey() == null || !HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                return "header '" + printable(String.valueOf(header.getKey()))
                        + "' is not relayed (only Accept, Content-Type, " + ApiPaths.MESSAGE_ID_HEADER
                        + " and Last-Event-ID; the node's credential is added by the replica that holds its connection)";
            }
            String value = header.getValue();
            if (value == null || value.length() > 256 || !value.chars().allMatch((c) -> c >= 0x20 && c < 0x7f)) {
                return "header '" + header.getKey() + "' must be at most 256 printable ASCII characters";
            }
        }
        if (relayed.timeout() <= 0 || relayed.timeout() > MAX_TIMEOUT.toMillis()) {
            return "timeout must be 1 to " + MAX_TIMEOUT.toMillis() + " milliseconds";
        }
        return null;
    }

    private static String printable(String text) {
        String cut = (text.length() > 100) ? text.substring(0, 100) + "…" : text;
        return io.clawmesh.common.node.PrintableText.escape(cut);
    }

    private static byte[] bytes(@Nullable String text) {
        return ((text != null) ? text : "").getBytes(StandardCharsets.UTF_8);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        this.problems.write(request, response, Problems.of(type, detail));
    }
}
