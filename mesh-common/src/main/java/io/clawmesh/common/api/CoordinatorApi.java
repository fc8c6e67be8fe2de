package io.clawmesh.common.api;

import io.clawmesh.common.message.RouteRequest;
import io.clawmesh.common.message.RouteResponse;
import io.clawmesh.common.node.HeartbeatRequest;
import io.clawmesh.common.node.NodeView;
import io.clawmesh.common.node.RegisterNodeRequest;
import io.clawmesh.common.node.RegisterNodeResponse;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

/**
 * The coordinator's REST API as an HTTP interface: the coordinator implements it, the node agent and the CLI call it
 * through client proxies. Authentication is a bearer token that the client adds to every request.
 */
public interface CoordinatorApi {

    @PostExchange(ApiPaths.REGISTER)
    RegisterNodeResponse register(@RequestBody RegisterNodeRequest request);

    @PostExchange(ApiPaths.HEARTBEAT)
    void heartbeat(@PathVariable("id") String id, @RequestBody HeartbeatRequest request);

    @DeleteExchange(ApiPaths.NODE)
    void deregister(@PathVariable("id") String id);

    @GetExchange(ApiPaths.NODES)
    List<NodeView> nodes();

    @GetExchange(ApiPaths.NODE)
    NodeView node(@PathVariable("id") String id);

    @PostExchange(ApiPaths.ROUTE)
    RouteResponse route(@RequestBody RouteRequest request);

    @PostExchange(ApiPaths.ROUTE_TO_NODE)
    RouteResponse routeTo(@PathVariable("node") String node, @RequestBody RouteRequest request);

    @GetExchange(ApiPaths.RULES)
    List<RoutingRule> rules();

    @PostExchange(ApiPaths.RULES)
    RoutingRule addRule(@RequestBody RuleRequest request);

    @DeleteExchange(ApiPaths.RULE)
    void deleteRule(@PathVariable("id") String id);

    /** Moves a rule to a zero-based position and answers the whole list in its new order. */
    @PutExchange(ApiPaths.RULE_POSITION)
    List<RoutingRule> moveRule(@PathVariable("id") String id, @RequestBody MoveRuleRequest request);
}
