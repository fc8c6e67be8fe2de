package io.clawmesh.coordinator.events;

import java.time.Instant;

/** A task was submitted and waits for a node. */
public record TaskQueued(String taskId, int priority, Instant time) implements MeshEvent {}
