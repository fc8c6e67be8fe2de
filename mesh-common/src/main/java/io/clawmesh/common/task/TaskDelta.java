package io.clawmesh.common.task;

/** Data of a {@link TaskEventTypes#DELTA} event: the next piece of the reply. */
public record TaskDelta(String text) {}
