package io.clawmesh.coordinator.security;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.audit.RotatedToken;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.registry.NodeScopeException;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/token/rotate}: a new operator token, answered once; the ones before keep working for
 * {@code mesh.security.rotation-overlap}. Only the current operator token may rotate, so that a replaced token cannot
 * buy itself a new life inside its overlap window.
 */
@RestController
class TokenController {

    private final OperatorToken tokens;

    private final AuditTrail audit;

    TokenController(OperatorToken tokens, AuditTrail audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @PostMapping(ApiPaths.TOKEN_ROTATE)
    ResponseEntity<RotatedToken> rotate(MeshAuthentication caller) {
        String fingerprint = caller.actor().name();
        if (fingerprint == null || !this.tokens.isCurrent(fingerprint)) {
            throw new NodeScopeException("only the current operator token may rotate; this one was replaced by a "
                    + "rotation and works only until its overlap window ends");
        }
        OperatorToken.Rotation rotation = this.tokens.rotate();
        this.audit.record(
                AuditAction.TOKEN_ROTATE,
                rotation.fingerprint(),
                "replaced " + fingerprint + "; tokens before valid until " + rotation.previousValidUntil()
                        + (rotation.tokenFileUpdated() ? "; token file updated" : ""));
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new RotatedToken(rotation.token(), rotation.fingerprint(), rotation.previousValidUntil()));
    }
}
