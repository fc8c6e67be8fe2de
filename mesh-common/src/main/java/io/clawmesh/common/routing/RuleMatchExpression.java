package io.clawmesh.common.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule match written the way {@code claw-mesh route add --match} takes it: comma-separated {@code key:value} pairs
 * ({@code gpu:true}, {@code os:linux}, {@code arch:arm64}, {@code skill:docker}, {@code tag:eu} once per tag,
 * {@code memory:16} for at least 16 GB), or {@code *} for the wildcard.
 */
public final class RuleMatchExpression {

    private RuleMatchExpression() {}

    /** Writes a match as an expression, in a fixed key order. */
    public static String format(RuleMatch match) {
        if (match.isWildcard()) {
            return "*";
        }
        List<String> parts = new ArrayList<>();
        if (match.requiresGpu() != null) {
            parts.add("gpu:" + match.requiresGpu());
        }
        if (match.requiresOs() != null) {
            parts.add("os:" + match.requiresOs());
        }
        if (match.requiresArch() != null) {
            parts.add("arch:" + match.requiresArch());
        }
        if (match.requiresSkill() != null) {
            parts.add("skill:" + match.requiresSkill());
        }
        if (match.requiresTags() != null) {
            match.requiresTags().forEach((tag) -> parts.add("tag:" + tag));
        }
        if (match.minMemoryGb() != null) {
            parts.add("memory:" + match.minMemoryGb());
        }
        return String.join(",", parts);
    }
}
