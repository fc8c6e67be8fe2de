package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.RouteApi;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import org.springframework.web.bind.annotation.RestController;

/** The routing API: send a message auto-routed or to one node. */
@RestController
public class RouteController implements RouteApi {

    private final MessageForwarder forwarder;

    public RouteController(MessageForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public RouteResponse route(RouteRequest request) {
        return this.forwarder.route(request);
    }

    @Override
    public RouteResponse routeTo(String node, RouteRequest request) {
        return this.forwarder.routeTo(node, request);
    }
}
