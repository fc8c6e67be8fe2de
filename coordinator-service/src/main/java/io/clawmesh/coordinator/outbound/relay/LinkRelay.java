package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.node.NodeCredentials;
import io.clawmesh.coordinator.outbound.AgentLinks;
import io.clawmesh.coordinator.outbound.LinkExchange;
import io.clawmesh.coordinator.outbound.LinkLostException;
import io.clawmesh.coordinator.outbound.LinkResponse;
import io.clawmesh.coordinator.registry.Node;
import jakarta.servlet.http.HttpServletResponse;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The holder's side of the relay: sends a checked request down the node's connection here through
 * {@link AgentLinks#exchange}, with the node's delivery credential, and streams the answer back in
 * {@link RelayRecords}, telling the caller as soon as the agent acknowledged it.
 */
@Component
class LinkRelay {

    private static final Logger logger = LoggerFactory.getLogger(LinkRelay.class);

    /** How often the wait for the answer's head looks whether the agent acknowledged the request. */
    private static final long ACK_POLL_MILLIS = 10;

    private final AgentLinks links;

    private final JsonMapper json;

    LinkRelay(AgentLinks links, JsonMapper json) {
        this.links = links;
        this.json = json;
    }

    /** Relays a checked request for an outbound node connected here; the answer is 200 with records. */
    void relay(Node node, RelayRequest relayed, byte[] content, HttpServletResponse response) throws IOException {
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

    private static byte[] bytes(@Nullable String text) {
        return ((text != null) ? text : "").getBytes(StandardCharsets.UTF_8);
    }
}
