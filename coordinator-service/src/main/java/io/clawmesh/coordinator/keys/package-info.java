/**
 * Client keys (SPEC §21): scoped bearer keys for front-door clients, stored hashed, looked up through a cache whose
 * revocation check is at most a second stale, limited per minute, their use written in batches.
 */
@NullMarked
package io.clawmesh.coordinator.keys;

import org.jspecify.annotations.NullMarked;
