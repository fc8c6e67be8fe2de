package io.clawmesh.coordinator.routing;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.routing.MoveRuleRequest;
import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatchExpression;
import io.clawmesh.common.routing.RuleRequest;
import io.clawmesh.common.routing.RuleValidator;
import io.clawmesh.coordinator.audit.AuditAction;
import io.clawmesh.coordinator.audit.AuditTrail;
import io.clawmesh.coordinator.events.RuleAdded;
import io.clawmesh.coordinator.events.RuleMoved;
import io.clawmesh.coordinator.events.RuleRemoved;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
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

    private final ApplicationEventPublisher events;

    private final AuditTrail audit;

    private volatile List<RoutingRule> rules;

    public RoutingRules(RuleRepository repository, Clock clock, ApplicationEventPublisher events, AuditTrail audit) {
        this.repository = repository;
        this.clock = clock;
        this.events = events;
        this.audit = audit;
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
        Instant now = this.clock.instant();
        this.repository.append(rule, now);
        reload();
        this.events.publishEvent(new RuleAdded(rule, Math.max(0, positionOf(rule.id())), now));
        this.audit.record(
                AuditAction.RULE_CREATE,
                rule.id(),
                RuleMatchExpression.format(rule.match()) + " -> "
                        + ((rule.target() != null) ? rule.target() : "any matching node") + " ("
                        + rule.strategy().wireName()
                        + ")");
        logger.info(
                "Rule {} added: {} -> {} ({})",
                rule.id(),
                RuleMatchExpression.format(rule.match()),
                (rule.target() != null) ? rule.target() : "any matching node",
                rule.strategy().wireName());
        return rule;
    }

    public void delete(String id) {
        RoutingRule rule = find(id);
        if (!this.repository.delete(id)) {
            throw new RuleNotFoundException(id);
        }
        reload();
        logger.info("Rule {} removed", id);
        this.audit.record(AuditAction.RULE_DELETE, id, RuleMatchExpression.format(rule.match()));
        this.events.publishEvent(new RuleRemoved(rule, this.clock.instant()));
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
        this.audit.record(AuditAction.RULE_UPDATE, id, "moved to position " + position);
        Instant now = this.clock.instant();
        this.rules.stream()
                .filter((rule) -> rule.id().equals(id))
                .findFirst()
                .ifPresent((rule) -> this.events.publishEvent(new RuleMoved(rule, position, now)));
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

    /** The rule with this id, read from the database so a rule another replica added is found too. */
    private RoutingRule find(String id) {
        return this.list().stream()
                .filter((rule) -> rule.id().equals(id))
                .findFirst()
                .or(() -> this.repository.findAllInOrder().stream()
                        .filter((rule) -> rule.id().equals(id))
                        .findFirst())
                .orElseThrow(() -> new RuleNotFoundException(id));
    }

    private int positionOf(String id) {
        List<RoutingRule> current = this.rules;
        for (int i = 0; i < current.size(); i++) {
            if (current.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String newId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "rule-" + HexFormat.of().formatHex(bytes);
    }
}
