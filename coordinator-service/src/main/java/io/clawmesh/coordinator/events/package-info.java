/**
 * Domain events of the coordinator and the live event stream built on them. The registry, the rules and the forwarder
 * publish {@link io.clawmesh.coordinator.events.MeshEvent}s through Spring's {@code ApplicationEventPublisher} after a
 * change has been committed; the SSE stream, the dashboard and the metrics listen to them. Events are local to the
 * replica that made the change.
 */
@NullMarked
package io.clawmesh.coordinator.events;

import org.jspecify.annotations.NullMarked;
