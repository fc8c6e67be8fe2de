package io.clawmesh.coordinator.events;

/**
 * Another replica removed a node (its {@code node.removed} event arrived over the fan-out): this replica drops the node
 * and its token from its cache at once instead of at its next full refresh.
 */
public record NodeRemovedElsewhere(String nodeId) {}
