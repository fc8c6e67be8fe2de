package io.clawmesh.common.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a task is in its life: {@code queued → assigned → running →} one of the four final statuses. {@code assigned}
 * means a node was chosen and the task is on its way to it; {@code running} means the node accepted it, after which it
 * is never sent to another node.
 */
public enum TaskStatus {
    QUEUED,
    ASSIGNED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED,
    TIMED_OUT;

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
    public static TaskStatus fromWire(String value) {
        for (TaskStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task status '" + value
                + "' (expected queued, assigned, running, succeeded, failed, canceled or timed_out)");
    }

    /** Whether the task has ended: nothing about it changes any more. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == TIMED_OUT;
    }

    /** The name of the task event that ends a task in this status; only for finished statuses. */
    public String eventName() {
        return wireName();
    }
}
