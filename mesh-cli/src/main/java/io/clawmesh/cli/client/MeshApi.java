package io.clawmesh.cli.client;

import io.clawmesh.common.api.CoordinatorApi;
import io.clawmesh.common.api.KeyApi;

/**
 * Everything the CLI calls on the coordinator: the API agents share ({@link CoordinatorApi}) plus the operator-only
 * parts agents never call, such as client keys ({@link KeyApi}).
 */
public interface MeshApi extends CoordinatorApi, KeyApi {}
