package io.clawmesh.coordinator.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.coordinator.registry.Caller;
import io.clawmesh.coordinator.registry.MeshRole;
import io.clawmesh.coordinator.registry.Node;
import io.clawmesh.coordinator.registry.NodeNotFoundException;
import io.clawmesh.coordinator.registry.NodeRegistry;
import io.clawmesh.coordinator.registry.NodeScopeException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/nodes/{id}/certificate}: a node sends a CSR and gets a certificate of the mesh CA for its own
 * node id (node token, own node only; SPEC §18). Agents call it for their first certificate right after registration;
 * renewals ride on the heartbeat ({@link NodeCertificates} as the registry's signer). Exists only when the coordinator
 * runs its own CA or has the operator's CA key ({@code mesh.tls.ca-key-file}).
 */
@RestController
@ConditionalOnExpression(
        "${mesh.tls.enabled:false} and ('${mesh.tls.cert-file:}' == ''" + " or '${mesh.tls.ca-key-file:}' != '')")
class NodeCertificateController {

    static final String PATH = ApiPaths.NODE + "/certificate";

    private final NodeCertificates certificates;

    private final NodeRegistry registry;

    NodeCertificateController(NodeCertificates certificates, NodeRegistry registry) {
        this.certificates = certificates;
        this.registry = registry;
    }

    @PostMapping(PATH)
    NodeCertificateResponse sign(@PathVariable String id, @RequestBody NodeCertificateRequest request) {
        Caller caller = (Caller) SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || caller.role() != MeshRole.NODE || !id.equals(caller.nodeId())) {
            throw new NodeScopeException("a node token may ask for a certificate only for its own node; this token "
                    + "belongs to " + ((caller != null && caller.nodeId() != null) ? caller.nodeId() : "no node"));
        }
        if (request.csr() == null || request.csr().isBlank()) {
            throw new InvalidInputException("csr: required, a PEM certificate signing request");
        }
        Node node = this.registry.find(id).orElseThrow(() -> new NodeNotFoundException(id));
        NodeCertificates.Issued issued = this.certificates.sign(id, this.certificates.names(node), request.csr());
        return new NodeCertificateResponse(issued.certificate(), issued.notAfter());
    }

    /** @param csr the node's certificate signing request, PEM */
    record NodeCertificateRequest(@Nullable String csr) {}

    /**
     * @param certificate the node certificate followed by the CA's, PEM
     * @param notAfter when it expires
     */
    record NodeCertificateResponse(
            String certificate, @JsonProperty("not_after") Instant notAfter) {}
}
