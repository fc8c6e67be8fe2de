package io.clawmesh.common.api;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The routing part of the coordinator's API: send a message auto-routed or to one node. The coordinator's
 * {@code RouteController} implements it; this is the one place the route paths are mapped.
 */
public interface RouteApi {

    @PostExchange(ApiPaths.ROUTE)
    RouteResponse route(@RequestBody RouteRequest request);

    @PostExchange(ApiPaths.ROUTE_TO_NODE)
    RouteResponse routeTo(@PathVariable("node") String node, @RequestBody RouteRequest request);
}
