package io.clawmesh.coordinator.events;

import java.time.Instant;

/**
 * A node's heartbeat renewed its lease, whether or not its status changed: its reported in-flight count may have
 * dropped, so work waiting for a slot may go there now. Not part of the live stream.
 */
public record NodeRenewed(NodeRef node, int inflight, int capacity, Instant time) implements MeshEvent {}
