package io.clawmesh.common.seed;

import io.clawmesh.common.api.ApiPaths;
import java.util.Map;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The coordinator's seed-sync API as an HTTP interface (node token or operator token): the coordinator implements it,
 * a joining agent calls it.
 */
public interface SeedApi {

    /** The coordinator's OpenClaw config without the {@link SeedPaths#NODE_LOCAL_KEYS}; 404 when it has none. */
    @GetExchange(ApiPaths.SEED_CONFIG)
    Map<String, Object> config();

    /** The shared files of the coordinator's workspace; empty when it has none. */
    @GetExchange(ApiPaths.SEED_WORKSPACE)
    SeedWorkspaceResponse workspace();
}
