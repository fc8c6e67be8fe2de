/**
 * Outbound agents reachable from every replica (SPEC §19, ADR 0013): which replica holds each outbound node's
 * WebSocket, the internal endpoint through which another replica relays a request down it, and the choice between the
 * local connection and that relay.
 */
@NullMarked
package io.clawmesh.coordinator.outbound.relay;

import org.jspecify.annotations.NullMarked;
