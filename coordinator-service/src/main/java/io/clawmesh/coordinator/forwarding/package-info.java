/** Forwarding messages to node agents with failover, in-flight accounting and the message log. */
@NullMarked
package io.clawmesh.coordinator.forwarding;

import org.jspecify.annotations.NullMarked;
