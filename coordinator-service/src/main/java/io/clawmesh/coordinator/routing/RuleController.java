package io.clawmesh.coordinator.routing;

import io.clawmesh.common.api.ApiPaths;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The rules API: list, add, delete and move routing rules. */
@RestController
public class RuleController {

    private final RoutingRules rules;

    public RuleController(RoutingRules rules) {
        this.rules = rules;
    }

    @GetMapping(ApiPaths.RULES)
    public List<RoutingRule> rules() {
        return this.rules.list();
    }

    @PostMapping(ApiPaths.RULES)
    @ResponseStatus(HttpStatus.CREATED)
    public RoutingRule addRule(@RequestBody RuleRequest request) {
        return this.rules.add(request);
    }

    @DeleteMapping(ApiPaths.RULE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void deleteRule(@PathVariable String id) {
        this.rules.delete(id);
    }

    @PutMapping(ApiPaths.RULE_POSITION)
    public List<RoutingRule> moveRule(@PathVariable String id, @RequestBody MoveRuleRequest request) {
        return this.rules.move(id, request);
    }
}
