package io.clawmesh.common.node;

import java.time.Instant;
import java.util.List;

/** Capabilities, runtimes and views used by the node tests. */
public final class NodeFixtures {

    private NodeFixtures() {}

    /** The mac-mini of the SPEC §3 example. */
    public static Capabilities macMini() {
        return new Capabilities(
                "darwin", "arm64", true, 32, List.of("xcode", "local"), List.of("docker", "nodejs", "xcode"));
    }

    /** A Linux box with a GPU, 64 GB and the given tags and skills. */
    public static Capabilities linuxGpu(List<String> tags, List<String> skills) {
        return new Capabilities("linux", "amd64", true, 64, tags, skills);
    }

    /** A small Linux box without a GPU. */
    public static Capabilities linuxSmall() {
        return new Capabilities("linux", "arm64", false, 8, List.of("edge"), List.of("python"));
    }

    /** The node of the SPEC §3 example. */
    public static NodeView macMiniView() {
        return new NodeView(
                "node-3f9c2a1b7e6d5c4a",
                "mac-mini",
                "192.168.1.20:9121",
                macMini(),
                NodeStatus.ONLINE,
                Instant.parse("2026-11-23T23:00:00Z"),
                new RuntimeInfo("openclaw", "2026.9.6", true),
                1,
                4,
                Instant.parse("2026-11-20T08:00:00Z"));
    }
}
