/**
 * The audit trail (SPEC §18): who did which operator action, when, to what, with which outcome. {@link
 * io.clawmesh.coordinator.audit.AuditTrail} is the one entry point features call; the package uses nothing of the
 * coordinator but the database, so that rules, registry, tasks, dashboard and security may all use it.
 */
@NullMarked
package io.clawmesh.coordinator.audit;

import org.jspecify.annotations.NullMarked;
