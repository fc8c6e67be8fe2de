package io.clawmesh.coordinator.outbound;

/** The connection an outbound agent held to this coordinator closed, and no newer one of that node replaced it. */
public record AgentLinkClosed(String nodeId) {}
