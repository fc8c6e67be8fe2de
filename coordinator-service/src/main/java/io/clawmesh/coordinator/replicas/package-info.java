/**
 * Several coordinators on one database: which replica runs the scheduled work that must run once, which replicas are
 * alive, and the adoption of the tasks a dead replica followed (SPEC §19, ADR 0013).
 */
@NullMarked
package io.clawmesh.coordinator.replicas;

import org.jspecify.annotations.NullMarked;
