package io.clawmesh.coordinator.events;

import io.clawmesh.common.node.NodeStatus;

/**
 * What an event says about a node: its id, name, endpoint and status when the event happened. Events carry this
 * small value instead of the registry's {@code Node}, so a listener needs nothing from the registry.
 */
public record NodeRef(String id, String name, String endpoint, NodeStatus status) {}
