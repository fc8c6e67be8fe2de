package io.clawmesh.common.api;

import io.clawmesh.common.key.ClientKeyCreated;
import io.clawmesh.common.key.ClientKeyRequest;
import io.clawmesh.common.key.ClientKeyView;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The client keys part of the coordinator's API (SPEC §21), operator only: create (the secret is answered once), list
 * and revoke. The coordinator's {@code KeyController} implements it.
 */
public interface KeyApi {

    @PostExchange(ApiPaths.KEYS)
    ClientKeyCreated createKey(@RequestBody ClientKeyRequest request);

    @GetExchange(ApiPaths.KEYS)
    List<ClientKeyView> keys();

    /** Revokes a key by id or name, at once on every coordinator, and answers it as it is now. */
    @DeleteExchange(ApiPaths.KEY)
    ClientKeyView revokeKey(@PathVariable("id") String idOrName);
}
