/** Node health: heartbeat staleness sweeps, active probes, self-preservation and eviction of long-dead nodes. */
@NullMarked
package io.clawmesh.coordinator.health;

import org.jspecify.annotations.NullMarked;
