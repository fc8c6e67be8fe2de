package io.clawmesh.coordinator.outbound.relay;

import io.clawmesh.common.problem.ProblemType;
import io.clawmesh.common.problem.Problems;
import io.clawmesh.coordinator.outbound.AgentLinks;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.security.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Optional;
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

    private final AgentLinks links;

    private final NodeRegistry registry;

    private final LinkRelay relay;

    private final ProblemWriter problems;

    private final JsonMapper json;

    RelayController(AgentLinks links, NodeRegistry registry, LinkRelay relay, ProblemWriter problems, JsonMapper json) {
        this.links = links;
        this.registry = registry;
        this.relay = relay;
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
        String invalid = relayed.problem(nodeId);
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
        this.relay.relay(node, relayed, content, response);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        this.problems.write(request, response, Problems.of(type, detail));
    }
}
