/** Prometheus meters of the mesh (SPEC §13): nodes by status, routed messages, forward latency, probes, failovers. */
@NullMarked
package io.clawmesh.coordinator.metrics;

import org.jspecify.annotations.NullMarked;
