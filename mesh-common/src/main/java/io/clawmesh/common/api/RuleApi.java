package io.clawmesh.common.api;

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

/** The rules part of the coordinator's API: list, add, delete and move rules. The coordinator's {@code RuleController} implements it. */
public interface RuleApi {

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
