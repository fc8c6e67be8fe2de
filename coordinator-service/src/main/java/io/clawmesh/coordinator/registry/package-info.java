/** The node registry: registration, heartbeats (lease renewals), deregistration, node tokens and the cache over the database. */
@NullMarked
package io.clawmesh.coordinator.registry;

import org.jspecify.annotations.NullMarked;
