/** Routing rules and the choice of a node for a message: rule matching and the selection strategies. */
@NullMarked
package io.clawmesh.coordinator.routing;

import org.jspecify.annotations.NullMarked;
