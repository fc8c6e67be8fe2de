package io.clawmesh.coordinator.events;

import java.time.Duration;
import java.time.Instant;

/**
 * A node accepted a task and its runtime started it.
 *
 * @param waited how long the task waited from its submission until it started
 */
public record TaskStarted(String taskId, String nodeId, String nodeName, int attempt, Duration waited, Instant time)
        implements MeshEvent {}
