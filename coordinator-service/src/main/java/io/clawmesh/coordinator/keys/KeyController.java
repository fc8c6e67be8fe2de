package io.clawmesh.coordinator.keys;

import io.clawmesh.common.api.KeyApi;
import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.key.ClientKeyView;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The client keys API (SPEC §21), operator only: create, list, revoke. */
@RestController
public class KeyController implements KeyApi {

    private final ClientKeys keys;

    public KeyController(ClientKeys keys) {
        this.keys = keys;
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public ClientKeyCreated createKey(ClientKeyRequest request) {
        return this.keys.create(request);
    }

    @Override
    public List<ClientKeyView> keys() {
        return this.keys.list().stream().map(ClientKey::view).toList();
    }

    @Override
    public ClientKeyView revokeKey(String idOrName) {
        return this.keys.revoke(idOrName).view();
    }
}
