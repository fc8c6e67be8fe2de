package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The status of a node as the mesh sees it. {@code online}, {@code busy} and {@code offline} are the Go
 * claw-mesh values; {@code degraded} means the agent is up but its AI runtime is not.
 */
public enum NodeStatus {
    ONLINE,
    BUSY,
    OFFLINE,
    DEGRADED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the accepted values when the name is unknown
     */
    @JsonCreator
    public static NodeStatus fromWire(String value) {
        for (NodeStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException(
                "unknown status '" + value + "' (expected online, busy, offline or degraded)");
    }

    /** Whether automatic routing may pick a node in this status. */
    public boolean routable() {
        return this == ONLINE || this == BUSY;
    }
}
