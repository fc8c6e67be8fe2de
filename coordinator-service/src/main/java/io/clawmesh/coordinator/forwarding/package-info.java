/** Forwarding messages to node agents with failover; what happened goes to the message log. */
@NullMarked
package io.clawmesh.coordinator.forwarding;

import org.jspecify.annotations.NullMarked;
