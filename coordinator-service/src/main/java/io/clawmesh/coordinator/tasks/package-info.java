/**
 * Durable tasks (SPEC §16, ADR 0008): the task table, the submit/read/cancel API, the dispatcher that hands queued
 * tasks to nodes with a free slot, the runs that relay each agent's event stream, recovery after a restart, timeouts
 * and retention.
 */
@NullMarked
package io.clawmesh.coordinator.tasks;

import org.jspecify.annotations.NullMarked;
