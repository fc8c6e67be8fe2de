package io.clawmesh.common.routing;

import io.clawmesh.common.node.InvalidInputException;
import io.clawmesh.common.node.Names;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Checks a rule before it is stored and returns it in canonical form (default strategy, deduplicated tags). */
public final class RuleValidator {

    /** Operating systems a rule may require, in Go naming. */
    public static final Set<String> KNOWN_OS = Set.of("linux", "darwin", "windows", "freebsd");

    /** Architectures a rule may require, in Go naming. */
    public static final Set<String> KNOWN_ARCH = Set.of("amd64", "arm64", "386", "arm", "riscv64", "ppc64le", "s390x");

    private RuleValidator() {}

    /**
     * Validates a rule request.
     *
     * @throws InvalidInputException with the reason when the rule is empty, contradictory or malformed
     */
    public static RuleRequest validate(RuleRequest request) {
        RuleMatch match = request.match();
        if (match == null || match.isEmpty()) {
            throw new InvalidInputException(
                    "rule needs a match with at least one of requires_gpu, requires_os, requires_skill, requires_arch, requires_tags, min_memory_gb, or wildcard: true");
        }
        Strategy strategy = (request.strategy() != null) ? request.strategy() : Strategy.LEAST_BUSY;
        if (match.wildcard() != null) {
            return new RuleRequest(validateWildcard(match, request.target()), null, strategy);
        }
        if (match.requiresOs() != null && !KNOWN_OS.contains(match.requiresOs())) {
            throw new InvalidInputException(
                    "requires_os '" + match.requiresOs() + "' is not one of " + String.join(", ", sorted(KNOWN_OS)));
        }
        if (match.requiresArch() != null && !KNOWN_ARCH.contains(match.requiresArch())) {
            throw new InvalidInputException("requires_arch '" + match.requiresArch() + "' is not one of "
                    + String.join(", ", sorted(KNOWN_ARCH)));
        }
        if (match.requiresSkill() != null) {
            Names.requireName("requires_skill", match.requiresSkill());
        }
        if (match.minMemoryGb() != null && (match.minMemoryGb() < 1 || match.minMemoryGb() > 65536)) {
            throw new InvalidInputException("min_memory_gb must be between 1 and 65536, not " + match.minMemoryGb());
        }
        List<String> tags =
                (match.requiresTags() != null) ? Names.requireLabels("requires_tags", match.requiresTags()) : null;
        if (request.target() != null) {
            Names.requireName("target", request.target());
        }
        RuleMatch canonical = new RuleMatch(
                match.requiresGpu(),
                match.requiresOs(),
                match.requiresSkill(),
                null,
                match.requiresArch(),
                (tags == null || tags.isEmpty()) ? null : tags,
                match.minMemoryGb());
        return new RuleRequest(canonical, request.target(), strategy);
    }

    private static RuleMatch validateWildcard(RuleMatch match, @Nullable String target) {
        if (!match.isWildcard()) {
            throw new InvalidInputException("wildcard: false matches nothing; leave it out or set it to true");
        }
        if (!new RuleMatch(
                        match.requiresGpu(),
                        match.requiresOs(),
                        match.requiresSkill(),
                        null,
                        match.requiresArch(),
                        match.requiresTags(),
                        match.minMemoryGb())
                .isEmpty()) {
            throw new InvalidInputException("wildcard: true cannot be combined with other requirements");
        }
        if (target != null) {
            throw new InvalidInputException(
                    "a wildcard rule has no target; use a rule with requirements to target a node");
        }
        return RuleMatch.any();
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
