package io.clawmesh.common.node;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the coordinator reaches a node (SPEC §17, ADR 0010): {@code inbound} over HTTP to the node's endpoint,
 * {@code outbound} down the WebSocket the agent opened to the coordinator. {@code auto} is only asked for at
 * registration: the coordinator answers which of the two it chose.
 */
public enum ConnectMode {
    INBOUND,
    OUTBOUND,
    AUTO;

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
    public static ConnectMode fromWire(String value) {
        for (ConnectMode mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown connect mode '" + value + "' (expected outbound, inbound or auto)");
    }
}
