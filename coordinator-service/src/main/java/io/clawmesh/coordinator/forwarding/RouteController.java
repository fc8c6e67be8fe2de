package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The routing API: send a message auto-routed or to one node. */
@RestController
public class RouteController {

    private final MessageForwarder forwarder;

    public RouteController(MessageForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @PostMapping(ApiPaths.ROUTE)
    public RouteResponse route(@RequestBody RouteRequest request) {
        return this.forwarder.route(request);
    }

    @PostMapping(ApiPaths.ROUTE_TO_NODE)
    public RouteResponse routeTo(@PathVariable String node, @RequestBody RouteRequest request) {
        return this.forwarder.routeTo(node, request);
    }
}
