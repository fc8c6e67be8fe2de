package io.clawmesh.coordinator.tasks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Durable task settings ({@code mesh.tasks.*}).
 *
 * @param defaultTimeout how long a task may take from its submission, queueing included, when it names no timeout
 * @param maxTimeout the longest timeout a task may ask for
 * @param maxQueued how many tasks may wait; beyond, submissions get 429 with {@code Retry-After}
 * @param retryAfter what {@code Retry-After} says when the queue is full
 * @param retention how long finished tasks are kept before they are deleted
 * @param retentionBatch how many finished tasks one delete statement removes
 * @param retentionInterval how often finished tasks past their retention are looked for
 * @param maxNotAccepted how many times a task may be refused by nodes (down, unreachable, runtime down) before it
 *     fails; refusals for being at capacity (429) do not count, the task just waits
 * @param nodeBackoff how long a node that refused a task (or was full) gets no further tasks from this coordinator,
 *     unless a heartbeat or a freed slot says it has room again
 * @param reattachAttempts how many times a run whose event stream broke after the node accepted it re-attaches to it
 *     before the task fails
 * @param keepAlive how long an idle task event stream waits before a keep-alive comment
 * @param recoveryInterval the longest pause between two asks, after a restart, to a node that cannot be asked about a
 *     task it held; recovery asks until the node answers or the task ends (its deadline, a cancel)
 * @param databaseRetry how long a task's run keeps trying to write its status when the database is busy or briefly
 *     away (no pooled connection in time, a dropped connection) before it gives up and leaves the task to its
 *     deadline or to recovery after a restart
 * @param groupCommit whether the task table's writes that arrive together share one commit ({@link TaskWriteBatcher}):
 *     {@code auto} (the default) groups them on H2, where every commit stores the database file's changed pages, and
 *     not on PostgreSQL, which groups its log flushes itself and where one writer would serialise the round trips
 */
@ConfigurationProperties("mesh.tasks")
public record TaskProperties(
        @DefaultValue("30m") Duration defaultTimeout,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("10000") int maxQueued,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("1000") int retentionBatch,
        @DefaultValue("1h") Duration retentionInterval,
        @DefaultValue("5") int maxNotAccepted,
        @DefaultValue("2s") Duration nodeBackoff,
        @DefaultValue("3") int reattachAttempts,
        @DefaultValue("15s") Duration keepAlive,
        @DefaultValue("5s") Duration recoveryInterval,
        @DefaultValue("10m") Duration databaseRetry,
        @DefaultValue("auto") GroupCommit groupCommit) {

    /** When the task table's writes share commits. */
    public enum GroupCommit {
        /** On H2, not on other databases. */
        AUTO,
        /** Always. */
        ON,
        /** Never: every write commits alone. */
        OFF
    }
}
