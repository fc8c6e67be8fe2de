package io.clawmesh.common.api;

import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.HeartbeatResponse;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The registry part of the coordinator's API: register, heartbeat, deregister, list and get nodes. The coordinator's
 * {@code NodeController} implements it, so these mappings are the server's as well as the clients'.
 */
public interface NodeApi {

    @PostExchange(ApiPaths.REGISTER)
    RegisterNodeResponse register(@RequestBody RegisterNodeRequest request);

    /** 204 without a body, or 200 with what the coordinator hands back (a rotated node token). */
    @PostExchange(ApiPaths.HEARTBEAT)
    ResponseEntity<HeartbeatResponse> heartbeat(@PathVariable("id") String id, @RequestBody HeartbeatRequest request);

    @DeleteExchange(ApiPaths.NODE)
    void deregister(@PathVariable("id") String id);

    @GetExchange(ApiPaths.NODES)
    List<NodeView> nodes();

    @GetExchange(ApiPaths.NODE)
    NodeView node(@PathVariable("id") String id);
}
