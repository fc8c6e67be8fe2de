package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a node can do: platform, hardware and the tags and skills it offers. {@code os} and {@code arch} use the
 * Go names ({@code linux}, {@code darwin}, {@code windows}; {@code amd64}, {@code arm64}).
 */
public record Capabilities(
        String os,
        String arch,
        boolean gpu,
        @JsonProperty("memory_gb") int memoryGb,
        List<String> tags,
        List<String> skills) {

    public Capabilities(
            @Nullable String os,
            @Nullable String arch,
            boolean gpu,
            int memoryGb,
            @Nullable List<String> tags,
            @Nullable List<String> skills) {
        this.os = (os != null) ? os : "";
        this.arch = (arch != null) ? arch : "";
        this.gpu = gpu;
        this.memoryGb = memoryGb;
        this.tags = (tags != null) ? List.copyOf(tags) : List.of();
        this.skills = (skills != null) ? List.copyOf(skills) : List.of();
    }

    /**
     * Reads capabilities from JSON, where every field is optional (a Go-era agent may leave out {@code gpu} or
     * {@code memory_gb}): absent means no GPU and unknown memory (0).
     */
    @JsonCreator
    public static Capabilities fromJson(
            @JsonProperty("os") @Nullable String os,
            @JsonProperty("arch") @Nullable String arch,
            @JsonProperty("gpu") @Nullable Boolean gpu,
            @JsonProperty("memory_gb") @Nullable Integer memoryGb,
            @JsonProperty("tags") @Nullable List<String> tags,
            @JsonProperty("skills") @Nullable List<String> skills) {
        return new Capabilities(os, arch, Boolean.TRUE.equals(gpu), (memoryGb != null) ? memoryGb : 0, tags, skills);
    }

    /** Capabilities of a node that reported nothing. */
    public static Capabilities none() {
        return new Capabilities("", "", false, 0, List.of(), List.of());
    }

    /** Whether the node offers {@code name} as a skill or as a tag (the Go {@code requires_skill} semantics). */
    public boolean offers(String name) {
        return this.skills.contains(name) || this.tags.contains(name);
    }
}
