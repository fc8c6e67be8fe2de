package io.clawmesh.common.routing;

import io.clawmesh.common.node.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A rule match written the way {@code claw-mesh route add --match} takes it: comma-separated {@code key:value} pairs
 * ({@code gpu:true}, {@code os:linux}, {@code arch:arm64}, {@code skill:docker}, {@code tag:eu} once per tag,
 * {@code memory:16} for at least 16 GB), or {@code *} for the wildcard. The JSON names ({@code requires_gpu},
 * {@code requires_os}, ...) are accepted too; {@link #format} writes what {@link #parse} reads.
 */
public final class RuleMatchExpression {

    private RuleMatchExpression() {}

    /**
     * Parses an expression into a match; the coordinator still validates values such as the OS name.
     *
     * @throws InvalidInputException naming the part that is wrong and the accepted keys
     */
    public static RuleMatch parse(@Nullable String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidInputException("the match is empty; write key:value pairs such as gpu:true or os:linux");
        }
        String trimmed = expression.strip();
        if (trimmed.equals("*") || trimmed.equalsIgnoreCase("wildcard") || trimmed.equalsIgnoreCase("wildcard:true")) {
            return RuleMatch.any();
        }
        Builder builder = new Builder();
        for (String part : trimmed.split(",")) {
            String pair = part.strip();
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new InvalidInputException("'" + pair + "' in match '" + trimmed
                        + "' is not key:value (keys: gpu, os, arch, skill, tag, memory; or * for every node)");
            }
            builder.add(
                    pair.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    pair.substring(colon + 1).strip());
        }
        return builder.build();
    }

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

    private static final class Builder {

        private @Nullable Boolean gpu;

        private @Nullable String os;

        private @Nullable String arch;

        private @Nullable String skill;

        private final List<String> tags = new ArrayList<>();

        private @Nullable Integer memory;

        void add(String key, String value) {
            switch (key) {
                case "gpu", "requires_gpu" -> this.gpu = bool(key, value);
                case "os", "requires_os" -> this.os = once(key, this.os, value.toLowerCase(Locale.ROOT));
                case "arch", "requires_arch" -> this.arch = once(key, this.arch, value.toLowerCase(Locale.ROOT));
                case "skill", "requires_skill" -> this.skill = once(key, this.skill, value);
                case "tag", "tags", "requires_tags" -> this.tags.addAll(List.of(value.split("\\+")));
                case "memory", "memory_gb", "min_memory_gb" -> this.memory = number(key, value);
                case "wildcard" ->
                    throw new InvalidInputException(
                            "wildcard cannot be combined with other requirements; write * alone");
                default ->
                    throw new InvalidInputException("unknown match key '" + key
                            + "' (keys: gpu, os, arch, skill, tag, memory; or * for every node)");
            }
        }

        RuleMatch build() {
            return new RuleMatch(
                    this.gpu,
                    this.os,
                    this.skill,
                    null,
                    this.arch,
                    this.tags.isEmpty() ? null : List.copyOf(this.tags),
                    this.memory);
        }

        private static Boolean bool(String key, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw new InvalidInputException(key + " takes true or false, not '" + value + "'");
            };
        }

        private static String once(String key, @Nullable String previous, String value) {
            if (previous != null && !previous.equals(value)) {
                throw new InvalidInputException(
                        key + " is given twice ('" + previous + "' and '" + value + "'); a node has one " + key);
            }
            return value;
        }

        private static Integer number(String key, String value) {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException ex) {
                throw new InvalidInputException(key + " takes a whole number of GiB, not '" + value + "'");
            }
        }
    }
}
