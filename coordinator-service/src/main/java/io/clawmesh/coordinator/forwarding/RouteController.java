package io.clawmesh.coordinator.forwarding;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.api.RouteApi;
import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.task.TaskEventTypes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routing API: send a message auto-routed or to one node, answered as JSON, or as server-sent events when the
 * client accepts {@code text/event-stream} (see {@link RouteStreamWriter}).
 */
@RestController
public class RouteController implements RouteApi {

    private final MessageForwarder forwarder;

    private final JsonMapper json;

    public RouteController(MessageForwarder forwarder, JsonMapper json) {
        this.forwarder = forwarder;
        this.json = json;
    }

    @Override
    public RouteResponse route(RouteRequest request) {
        return this.forwarder.route(request);
    }

    @Override
    public RouteResponse routeTo(String node, RouteRequest request) {
        return this.forwarder.routeTo(node, request);
    }

    /** {@code POST /api/v1/route} with {@code Accept: text/event-stream}: the reply streamed as it is produced. */
    @PostMapping(path = ApiPaths.ROUTE, produces = TaskEventTypes.EVENT_STREAM)
    void routeStreamed(
            @RequestBody RouteRequest request, HttpServletRequest servletRequest, HttpServletResponse response) {
        new RouteStreamWriter(servletRequest, response, this.json)
                .write((listener) -> this.forwarder.route(request, listener));
    }

    /** {@code POST /api/v1/route/{node}} with {@code Accept: text/event-stream}: the reply streamed. */
    @PostMapping(path = ApiPaths.ROUTE_TO_NODE, produces = TaskEventTypes.EVENT_STREAM)
    void routeToStreamed(
            @PathVariable("node") String node,
            @RequestBody RouteRequest request,
            HttpServletRequest servletRequest,
            HttpServletResponse response) {
        new RouteStreamWriter(servletRequest, response, this.json)
                .write((listener) -> this.forwarder.routeTo(node, request, listener));
    }
}
