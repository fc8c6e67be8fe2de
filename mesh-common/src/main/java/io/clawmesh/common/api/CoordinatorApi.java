package io.clawmesh.common.api;

/**
 * The coordinator's REST API as one HTTP interface for clients: the node agent and the CLI call it through client
 * proxies. The coordinator implements its parts, one per controller ({@link NodeApi}, {@link RouteApi},
 * {@link RuleApi}), so a path is mapped once for server and clients. Authentication is a bearer token that the client
 * adds to every request.
 */
public interface CoordinatorApi extends NodeApi, RouteApi, RuleApi {}
