/**
 * Dialling out (SPEC §17, ADR 0010): the WebSocket an outbound agent holds to the coordinator, kept alive with pings,
 * a watchdog and reconnects with jittered backoff, and the agent's own API served over it.
 */
@NullMarked
package io.clawmesh.agent.outbound;

import org.jspecify.annotations.NullMarked;
