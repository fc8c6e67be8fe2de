package io.clawmesh.common.node;

import io.clawmesh.common.api.ApiPaths;
import org.jspecify.annotations.Nullable;

/**
 * Checks what an agent says about its node, at registration and heartbeat, and returns it in canonical form; the node
 * counterpart of {@link io.clawmesh.common.routing.RuleValidator}. Every failure is an {@link InvalidInputException}
 * naming the field.
 */
public final class NodeValidator {

    /** The largest {@code memory_gb} a node may report (1 PiB). */
    public static final long MAX_MEMORY_GB = 1_048_576;

    /** The largest in-flight count a heartbeat may report. */
    public static final int MAX_INFLIGHT = 1_000_000;

    private NodeValidator() {}

    /** Capabilities with bounded, printable text and well-formed tags and skills; none when absent. */
    public static Capabilities capabilities(@Nullable Capabilities capabilities) {
        if (capabilities == null) {
            return Capabilities.none();
        }
        if (capabilities.memoryGb() < 0 || capabilities.memoryGb() > MAX_MEMORY_GB) {
            throw new InvalidInputException("capabilities.memory_gb must be between 0 and " + MAX_MEMORY_GB);
        }
        if (capabilities.os().length() > 32 || capabilities.arch().length() > 32) {
            throw new InvalidInputException("capabilities.os and capabilities.arch must be at most 32 characters");
        }
        PrintableText.require("capabilities.os", capabilities.os());
        PrintableText.require("capabilities.arch", capabilities.arch());
        return new Capabilities(
                capabilities.os(),
                capabilities.arch(),
                capabilities.gpu(),
                capabilities.memoryGb(),
                Names.requireLabels("capabilities.tags", capabilities.tags()),
                Names.requireLabels("capabilities.skills", capabilities.skills()));
    }

    /** The runtime a node reports, or {@code fallback} when it reports none. */
    public static RuntimeInfo runtime(@Nullable RuntimeInfo runtime, RuntimeInfo fallback) {
        if (runtime == null) {
            return fallback;
        }
        if (runtime.kind() == null || runtime.kind().isBlank() || runtime.kind().length() > 32) {
            throw new InvalidInputException(
                    "runtime.kind is required and must be at most 32 characters (echo, openclaw, zeroclaw, openai)");
        }
        if (runtime.version() != null && runtime.version().length() > 100) {
            throw new InvalidInputException("runtime.version must be at most 100 characters");
        }
        PrintableText.require("runtime.kind", runtime.kind());
        PrintableText.require("runtime.version", runtime.version());
        return runtime;
    }

    /** The capacity a node asks for, {@code defaultCapacity} when it asks for none, at most {@code maxCapacity}. */
    public static int capacity(@Nullable Integer capacity, int defaultCapacity, int maxCapacity) {
        if (capacity == null) {
            return defaultCapacity;
        }
        if (capacity < 1 || capacity > maxCapacity) {
            throw new InvalidInputException("capacity must be between 1 and " + maxCapacity + ", not " + capacity);
        }
        return capacity;
    }

    /** The in-flight count a heartbeat reports, or {@code current} when it reports none. */
    public static int inflight(@Nullable Integer inflight, int current) {
        int value = (inflight != null) ? inflight : current;
        if (value < 0 || value > MAX_INFLIGHT) {
            throw new InvalidInputException("inflight must be between 0 and " + MAX_INFLIGHT + ", not " + value);
        }
        return value;
    }

    /**
     * Refuses {@code offline} in a heartbeat: otherwise a node could drop out of routing without leaving, which before
     * SPEC §5 also freed its name for a takeover.
     */
    public static void heartbeatStatus(@Nullable NodeStatus status) {
        if (status == NodeStatus.OFFLINE) {
            throw new InvalidInputException("status 'offline' cannot be reported by a heartbeat: a node leaves by"
                    + " deregistering (DELETE " + ApiPaths.NODES + "/{id}), and the coordinator marks a silent node"
                    + " offline itself; report online, busy or degraded");
        }
    }
}
