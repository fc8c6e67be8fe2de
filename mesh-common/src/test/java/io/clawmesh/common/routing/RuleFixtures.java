package io.clawmesh.common.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Rule matches and requests used by the routing tests. */
public final class RuleFixtures {

    private RuleFixtures() {}

    public static RuleMatch requiresGpu(boolean gpu) {
        return new RuleMatch(gpu, null, null, null, null, null, null);
    }

    public static RuleMatch requiresOs(String os) {
        return new RuleMatch(null, os, null, null, null, null, null);
    }

    public static RuleMatch requiresArch(String arch) {
        return new RuleMatch(null, null, null, null, arch, null, null);
    }

    public static RuleMatch requiresSkill(String skill) {
        return new RuleMatch(null, null, skill, null, null, null, null);
    }

    public static RuleMatch requiresTags(String... tags) {
        return new RuleMatch(null, null, null, null, null, List.of(tags), null);
    }

    public static RuleMatch minMemoryGb(int gb) {
        return new RuleMatch(null, null, null, null, null, null, gb);
    }

    public static RuleMatch wildcard(@Nullable Boolean wildcard) {
        return new RuleMatch(null, null, null, wildcard, null, null, null);
    }

    /** The {@code linux-gpu} rule of the SPEC §3 example. */
    public static RuleMatch linuxGpuDocker() {
        return new RuleMatch(true, "linux", "docker", null, null, null, null);
    }

    public static RuleMatch empty() {
        return new RuleMatch(null, null, null, null, null, null, null);
    }

    public static RuleRequest request(RuleMatch match) {
        return new RuleRequest(match, null, null);
    }

    public static RuleRequest request(RuleMatch match, @Nullable String target, @Nullable Strategy strategy) {
        return new RuleRequest(match, target, strategy);
    }
}
