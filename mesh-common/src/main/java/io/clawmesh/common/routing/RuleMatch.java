package io.clawmesh.common.routing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.clawmesh.common.node.Capabilities;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a rule requires of a node. The Go fields are {@code requires_gpu}, {@code requires_os}, {@code requires_skill}
 * (a skill or a tag) and {@code wildcard}; ours add {@code requires_arch}, {@code requires_tags} (all of them) and
 * {@code min_memory_gb}. Absent fields require nothing; {@code requires_gpu: false} requires a node without a GPU.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleMatch(
        @JsonProperty("requires_gpu") @Nullable Boolean requiresGpu,
        @JsonProperty("requires_os") @Nullable String requiresOs,
        @JsonProperty("requires_skill") @Nullable String requiresSkill,
        // Explicit, so that the @JsonIgnore on isWildcard() hides only that method and not the wire field.
        @JsonProperty("wildcard") @Nullable Boolean wildcard,
        @JsonProperty("requires_arch") @Nullable String requiresArch,
        @JsonProperty("requires_tags") @Nullable List<String> requiresTags,
        @JsonProperty("min_memory_gb") @Nullable Integer minMemoryGb) {

    /** A rule that matches every node. */
    public static RuleMatch any() {
        return new RuleMatch(null, null, null, true, null, null, null);
    }

    /** Whether the rule is the wildcard. */
    @JsonIgnore
    public boolean isWildcard() {
        return Boolean.TRUE.equals(this.wildcard);
    }

    /** Whether a node with these capabilities satisfies every requirement. */
    public boolean matches(Capabilities capabilities) {
        if (isWildcard()) {
            return true;
        }
        return (this.requiresGpu == null || this.requiresGpu == capabilities.gpu())
                && (this.requiresOs == null || this.requiresOs.equals(capabilities.os()))
                && (this.requiresArch == null || this.requiresArch.equals(capabilities.arch()))
                && (this.requiresSkill == null || capabilities.offers(this.requiresSkill))
                && (this.requiresTags == null || capabilities.tags().containsAll(this.requiresTags))
                && (this.minMemoryGb == null || capabilities.memoryGb() >= this.minMemoryGb);
    }

    /** Whether no requirement at all is set. */
    boolean isEmpty() {
        return this.requiresGpu == null
                && this.requiresOs == null
                && this.requiresSkill == null
                && this.wildcard == null
                && this.requiresArch == null
                && (this.requiresTags == null || this.requiresTags.isEmpty())
                && this.minMemoryGb == null;
    }
}
