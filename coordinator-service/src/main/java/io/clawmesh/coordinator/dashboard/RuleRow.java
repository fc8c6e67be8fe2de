package io.clawmesh.coordinator.dashboard;

import io.clawmesh.common.routing.RoutingRule;
import io.clawmesh.common.routing.RuleMatch;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rule as the rules page lists it, with its match in words.
 *
 * @param position one-based place in evaluation order
 * @param match what the rule requires, such as "has a GPU and runs linux"
 */
record RuleRow(
        String id, int position, String match, @Nullable String target, String strategy, boolean first, boolean last) {

    static List<RuleRow> of(List<RoutingRule> rules) {
        List<RuleRow> rows = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            RoutingRule rule = rules.get(i);
            rows.add(new RuleRow(
                    rule.id(),
                    i + 1,
                    describe(rule.match()),
                    rule.target(),
                    rule.strategy().wireName(),
                    i == 0,
                    i == rules.size() - 1));
        }
        return rows;
    }

    /** The match in words: every requirement, joined with "and". */
    static String describe(RuleMatch match) {
        if (match.isWildcard()) {
            return "any node";
        }
        List<String> parts = new ArrayList<>();
        if (match.requiresGpu() != null) {
            parts.add(match.requiresGpu() ? "has a GPU" : "has no GPU");
        }
        if (match.requiresOs() != null) {
            parts.add("runs " + match.requiresOs());
        }
        if (match.requiresArch() != null) {
            parts.add("is " + match.requiresArch());
        }
        if (match.requiresSkill() != null) {
            parts.add("offers " + match.requiresSkill());
        }
        if (match.requiresTags() != null && !match.requiresTags().isEmpty()) {
            parts.add((match.requiresTags().size() == 1 ? "is tagged " : "is tagged all of ")
                    + String.join(", ", match.requiresTags()));
        }
        if (match.minMemoryGb() != null) {
            parts.add("has at least " + match.minMemoryGb() + " GB memory");
        }
        return parts.isEmpty() ? "nothing" : String.join(" and ", parts);
    }
}
