package io.clawmesh.common.routing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.clawmesh.common.node.InvalidInputException;
import java.util.Locale;

/** How a rule picks one node among its candidates. */
public enum Strategy {
    /** Lowest in-flight to capacity ratio, ties broken at random (the default). */
    LEAST_BUSY,
    /** Each candidate in turn. */
    ROUND_ROBIN,
    /** Uniformly at random. */
    RANDOM,
    /** At random, weighted by each node's declared capacity. */
    WEIGHTED,
    /** The same node for the same session key (rendezvous hashing); least-busy without a session key. */
    STICKY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a wire name such as {@code least-busy}.
     *
     * @throws InvalidInputException naming the accepted values
     */
    @JsonCreator
    public static Strategy fromWire(String value) {
        for (Strategy strategy : values()) {
            if (strategy.wireName().equals(value)) {
                return strategy;
            }
        }
        throw new InvalidInputException(
                "unknown strategy '" + value + "' (expected least-busy, round-robin, random, weighted or sticky)");
    }
}
