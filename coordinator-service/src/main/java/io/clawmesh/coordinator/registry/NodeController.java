package io.clawmesh.coordinator.registry;

import io.clawmesh.common.api.NodeApi;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.HeartbeatResponse;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.coordinator.PeerAddressValve;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The registry API: register, heartbeat, deregister, list and get nodes (SPEC §3). */
@RestController
public class NodeController implements NodeApi {

    private final NodeRegistry registry;

    private final InflightTracker inflight;

    private final RegistrationThrottle throttle;

    private final AuditTrail audit;

    private final NodeTokenRotation rotation;

    private final ObjectProvider<NodeCertificateSigner> signers;

    public NodeController(
            NodeRegistry registry,
            InflightTracker inflight,
            RegistrationThrottle throttle,
            AuditTrail audit,
            NodeTokenRotation rotation,
            ObjectProvider<NodeCertificateSigner> signers) {
        this.rotation = rotation;
        this.signers = signers;
        this.registry = registry;
        this.inflight = inflight;
        this.throttle = throttle;
        this.audit = audit;
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public RegisterNodeResponse register(RegisterNodeRequest request) {
        Caller caller = caller();
        return switch (caller.role()) {
            case OPERATOR -> this.registry.register(request, Registrant.operator());
            case JOIN ->
                // the TCP peer: with native forwarded headers Tomcat's remote address is whatever X-Forwarded-For says
                this.throttle.limit(
                        PeerAddressValve.of(currentRequest()),
                        () -> this.registry.register(request, Registrant.join()));
            case NODE -> this.registry.register(request, Registrant.node(Objects.requireNonNull(caller.nodeId())));
            // the security chain lets no client key register; this is the last line
            case CLIENT -> throw new NodeScopeException("a client key may not register nodes");
        };
    }

    @Override
    public ResponseEntity<HeartbeatResponse> heartbeat(String id, HeartbeatRequest request) {
        requireOwnNode(id, "heartbeat");
        String csr = request.csr();
        // renewal of the node certificate rides on the heartbeat (ADR 0012); a bad CSR is refused before the lease
        // is renewed, so the agent sees the error at once
        NodeCertificateSigner signer = (csr != null) ? this.signers.getIfAvailable() : null;
        if (signer != null) {
            signer.check(csr);
        }
        Node node = this.registry.heartbeat(id, request);
        String certificate = (signer != null) ? signer.sign(node, csr) : null;
        String token = this.rotation.afterHeartbeat(node).orElse(null);
        return (token != null || certificate != null)
                ? ResponseEntity.ok(new HeartbeatResponse(token, certificate))
                : ResponseEntity.noContent().build();
    }

    @Override
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deregister(String id) {
        Caller caller = caller();
        if (caller.role() == MeshRole.NODE) {
            requireOwnNode(id, "deregister");
            this.registry.deregister(id, "deregistered by its agent");
        } else {
            Node node = this.registry.findByIdOrName(id).orElseThrow(() -> new NodeNotFoundException(id));
            this.registry.deregister(node.id(), "removed by the operator");
            this.audit.record(AuditAction.NODE_REMOVE, node.name(), "node " + node.id() + " removed through the API");
        }
    }

    @Override
    public List<NodeView> nodes() {
        return this.registry.all().stream()
                .sorted(Comparator.comparing(Node::name))
                .map((node) -> node.toView(this.inflight.load(node)))
                .toList();
    }

    @Override
    public NodeView node(String id) {
        Node node = this.registry.findByIdOrName(id).orElseThrow(() -> new NodeNotFoundException(id));
        return node.toView(this.inflight.load(node));
    }

    private static void requireOwnNode(String id, String action) {
        Caller caller = caller();
        if (caller.role() != MeshRole.NODE || !id.equals(caller.nodeId())) {
            throw new NodeScopeException("a node token may " + action + " only its own node; this token belongs to "
                    + ((caller.nodeId() != null) ? caller.nodeId() : "no node"));
        }
    }

    /** The client's address, for the join throttle; from the request context, since the contract has no servlet types. */
    private static HttpServletRequest currentRequest() {
        return ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
    }

    private static Caller caller() {
        return (Caller) SecurityContextHolder.getContext().getAuthentication();
    }
}
