package io.clawmesh.coordinator.routing;

import io.clawmesh.common.api.RuleApi;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The rules API: list, add, delete and move routing rules. */
@RestController
public class RuleController implements RuleApi {

    private final RoutingRules rules;

    public RuleController(RoutingRules rules) {
        this.rules = rules;
    }

    @Override
    public List<RoutingRule> rules() {
        return this.rules.list();
    }

    @Override
    @ResponseStatus(HttpStatus.CREATED)
    public RoutingRule addRule(RuleRequest request) {
        return this.rules.add(request);
    }

    @Override
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteRule(String id) {
        this.rules.delete(id);
    }

    @Override
    public List<RoutingRule> moveRule(String id, MoveRuleRequest request) {
        return this.rules.move(id, request);
    }
}
