package io.clawmesh.coordinator.dashboard;

/**
 * The mesh totals at the top of the overview.
 *
 * @param inflight messages this coordinator has in flight right now
 * @param messagesLastMinute messages routed (whatever the outcome) in the last minute
 * @param failoversLastHour messages in the last hour that had to be tried on more than one node
 */
record MeshSummary(
        int total,
        int online,
        int busy,
        int degraded,
        int offline,
        int inflight,
        long messagesLastMinute,
        long failoversLastHour) {}
