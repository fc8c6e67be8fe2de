package io.clawmesh.coordinator.outbound;

/**
 * An outbound agent's connection opened on this coordinator (published before the node is marked alive), so that the
 * other replicas learn where to relay its requests (ADR 0013).
 */
public record AgentLinkOpened(String nodeId) {}
