package io.clawmesh.coordinator.routing;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.RuleValidator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * The ordered rule list: add, delete, move. Routing reads an in-memory copy that is replaced after every change here
 * and re-read from the database every {@code mesh.registry.cache-refresh}, so other replicas' changes arrive too.
 */
@Service
public class RoutingRules {

    private static final Logger logger = LoggerFactory.getLogger(RoutingRules.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RuleRepository repository;

    private final Clock clock;

    private volatile List<RoutingRule> rules;

    public RoutingRules(RuleRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.rules = repository.findAllInOrder();
    }

    /** The rules in evaluation order. */
    public List<RoutingRule> list() {
        return this.rules;
    }

    /**
     * Validates and appends a rule.
     *
     * @throws InvalidInputException with the reason when the rule is empty, contradictory or malformed
     */
    public RoutingRule add(RuleRequest request) {
        RuleRequest valid = RuleValidator.validate(request);
        RoutingRule rule = new RoutingRule(newId(), valid.match(), valid.target(), valid.strategy());
        this.repository.append(rule, this.clock.instant());
        reload();
        logger.info(
                "Rule {} added: {} -> {} ({})",
                rule.id(),
                rule.match(),
                (rule.target() != null) ? rule.target() : "any matching node",
                rule.strategy().wireName());
        return rule;
    }

    public void delete(String id) {
        if (!this.repository.delete(id)) {
            throw new RuleNotFoundException(id);
        }
        reload();
        logger.info("Rule {} removed", id);
    }

    /**
     * Moves a rule to a zero-based position; positions past the end move it to the end.
     *
     * @return the rules in their new order
     */
    public List<RoutingRule> move(String id, MoveRuleRequest request) {
        if (request.position() == null || request.position() < 0) {
            throw new InvalidInputException("position is required and must be 0 or more (0 is evaluated first)");
        }
        int position = this.repository.moveTo(id, request.position());
        if (position < 0) {
            throw new RuleNotFoundException(id);
        }
        reload();
        logger.info("Rule {} moved to position {}", id, position);
        return this.rules;
    }

    /**
     * Re-reads the rules, picking up changes other replicas made. Serialised, and called after each change has been
     * committed, so a scheduled read that began before a change cannot leave the older list in place.
     */
    @Scheduled(
            fixedDelayString = "${mesh.registry.cache-refresh:1s}",
            initialDelayString = "${mesh.registry.cache-refresh:1s}")
    public synchronized void reload() {
        this.rules = this.repository.findAllInOrder();
    }

    private static String newId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "rule-" + HexFormat.of().formatHex(bytes);
    }
}
