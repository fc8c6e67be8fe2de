package io.clawmesh.coordinator.registry;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.coordinator.forwarding.InflightTracker;
import io.clawmesh.coordinator.security.MeshAuthentication;
import io.clawmesh.coordinator.security.MeshRole;
import io.clawmesh.coordinator.web.PeerAddressValve;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The registry API: register, heartbeat, deregister, list and get nodes (SPEC §3). */
@RestController
public class NodeController {

    private final NodeRegistry registry;

    private final InflightTracker inflight;

    private final RegistrationThrottle throttle;

    public NodeController(NodeRegistry registry, InflightTracker inflight, RegistrationThrottle throttle) {
        this.registry = registry;
        this.inflight = inflight;
        this.throttle = throttle;
    }

    @PostMapping(ApiPaths.REGISTER)
    @ResponseStatus(HttpStatus.CREATED)
    public RegisterNodeResponse register(@RequestBody RegisterNodeRequest request, HttpServletRequest http) {
        MeshAuthentication caller = caller();
        return switch (caller.role()) {
            case OPERATOR -> this.registry.register(request, Registrant.operator());
            case JOIN ->
                // the TCP peer: with native forwarded headers Tomcat's remote address is whatever X-Forwarded-For says
                this.throttle.limit(
                        PeerAddressValve.of(http), () -> this.registry.register(request, Registrant.join()));
            case NODE -> this.registry.register(request, Registrant.node(Objects.requireNonNull(caller.nodeId())));
        };
    }

    @PostMapping(ApiPaths.HEARTBEAT)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void heartbeat(@PathVariable String id, @RequestBody HeartbeatRequest request) {
        requireOwnNode(id, "heartbeat");
        this.registry.heartbeat(id, request);
    }

    @DeleteMapping(ApiPaths.NODE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deregister(@PathVariable String id) {
        MeshAuthentication caller = caller();
        if (caller.role() == MeshRole.NODE) {
            requireOwnNode(id, "deregister");
            this.registry.deregister(id, "deregistered by its agent");
        } else {
            Node node = this.registry.findByIdOrName(id).orElseThrow(() -> new NodeNotFoundException(id));
            this.registry.deregister(node.id(), "removed by the operator");
        }
    }

    @GetMapping(ApiPaths.NODES)
    public List<NodeView> nodes() {
        return this.registry.all().stream()
                .sorted(Comparator.comparing(Node::name))
                .map((node) -> node.toView(this.inflight.get(node.id())))
                .toList();
    }

    @GetMapping(ApiPaths.NODE)
    public NodeView node(@PathVariable String id) {
        Node node = this.registry.findByIdOrName(id).orElseThrow(() -> new NodeNotFoundException(id));
        return node.toView(this.inflight.get(node.id()));
    }

    private static void requireOwnNode(String id, String action) {
        MeshAuthentication caller = caller();
        if (caller.role() != MeshRole.NODE || !id.equals(caller.nodeId())) {
            throw new NodeScopeException("a node token may " + action + " only its own node; this token belongs to "
                    + ((caller.nodeId() != null) ? caller.nodeId() : "no node"));
        }
    }

    private static MeshAuthentication caller() {
        return (MeshAuthentication) SecurityContextHolder.getContext().getAuthentication();
    }
}
