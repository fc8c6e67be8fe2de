package io.clawmesh.coordinator.keys;

import io.clawmesh.common.api.KeyApi;
import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.key.ClientKeyView;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The client keys API (SPEC §21), operator only: create, list, revoke. */
@RestController
public class KeyController implements KeyApi {

    private final ClientKeys keys;

    private final AuditTrail audit;

    public KeyController(ClientKeys keys, AuditTrail audit) {
        this.audit = audit;
        this.keys = keys;
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public ClientKeyCreated createKey(ClientKeyRequest request) {
        ClientKeyCreated created = this.keys.create(request);
        this.audit.record(
                AuditAction.KEY_CREATE, created.key().name(), created.key().id());
        return created;
    }

    @Override
    public List<ClientKeyView> keys() {
        return this.keys.list().stream().map(ClientKey::view).toList();
    }

    @Override
    public ClientKeyView revokeKey(String idOrName) {
        ClientKeyView revoked = this.keys.revoke(idOrName).view();
        this.audit.record(AuditAction.KEY_REVOKE, revoked.name(), revoked.id());
        return revoked;
    }
}
