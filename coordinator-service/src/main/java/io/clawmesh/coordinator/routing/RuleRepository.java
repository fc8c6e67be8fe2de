package io.clawmesh.coordinator.routing;

import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import io.clawmesh.common.routing.Strategy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Routing rules in the database, in their evaluation order. */
@Repository
public class RuleRepository {

    private final JdbcClient jdbc;

    private final JsonMapper json;

    public RuleRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public List<RoutingRule> findAllInOrder() {
        return this.jdbc
                .sql("SELECT id, match_json, target, strategy FROM routing_rules ORDER BY rule_order, created_at, id")
                .query((rs, rowNum) -> new RoutingRule(
                        rs.getString("id"),
                        this.json.readValue(rs.getString("match_json"), RuleMatch.class),
                        rs.getString("target"),
                        Strategy.fromWire(rs.getString("strategy"))))
                .list();
    }

    /** Appends a rule after the last one. */
    public void append(RoutingRule rule, Instant now) {
        this.jdbc
                .sql("INSERT INTO routing_rules (id, rule_order, match_json, target, strategy, created_at)"
                        + " VALUES (?, (SELECT COALESCE(MAX(rule_order), -1) + 1 FROM routing_rules), ?, ?, ?, ?)")
                .params(
                        rule.id(),
                        this.json.writeValueAsString(rule.match()),
                        rule.target(),
                        rule.strategy().wireName(),
                        now.atOffset(ZoneOffset.UTC))
                .update();
    }

    public boolean delete(String id) {
        return this.jdbc.sql("DELETE FROM routing_rules WHERE id = ?").param(id).update() == 1;
    }

    /**
     * Moves a rule to a zero-based position (past the end: last) in one transaction.
     *
     * @return the position it got, or -1 when there is no such rule
     */
    @Transactional
    public int moveTo(String id, int position) {
        List<String> ids =
                new ArrayList<>(findAllInOrder().stream().map(RoutingRule::id).toList());
        if (!ids.remove(id)) {
            return -1;
        }
        int actual = Math.min(position, ids.size());
        ids.add(actual, id);
        reorder(ids);
        return actual;
    }

    /** Stores the order of rules: the rule at index i gets order i. */
    public void reorder(List<String> idsInOrder) {
        for (int i = 0; i < idsInOrder.size(); i++) {
            this.jdbc
                    .sql("UPDATE routing_rules SET rule_order = ? WHERE id = ?")
                    .params(i, idsInOrder.get(i))
                    .update();
        }
    }
}
