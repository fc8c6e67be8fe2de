/**
 * Agents that dial out (SPEC §17, ADR 0010): the WebSocket an outbound agent holds to the coordinator, the exchanges
 * multiplexed over it, and the grace after which a dropped connection marks the node offline.
 */
@NullMarked
package io.clawmesh.coordinator.outbound;

import org.jspecify.annotations.NullMarked;
