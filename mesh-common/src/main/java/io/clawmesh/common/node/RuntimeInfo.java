package io.clawmesh.common.node;

import org.jspecify.annotations.Nullable;

/**
 * The AI runtime behind a node: its kind ({@code echo}, {@code openclaw}, {@code zeroclaw}, {@code openai}), its
 * version when known, and whether the agent is connected to it right now.
 */
public record RuntimeInfo(String kind, @Nullable String version, boolean connected) {

    /** The runtime of the built-in echo mode. */
    public static RuntimeInfo echo() {
        return new RuntimeInfo("echo", null, true);
    }

    /** What the coordinator shows for a node that never said. */
    public static RuntimeInfo unknown() {
        return new RuntimeInfo("unknown", null, true);
    }
}
