/**
 * The wire contract of durable tasks (SPEC §16): the coordinator's task API and the agent's task API that the
 * coordinator drives, with the server-sent event names and their data shared by servers and clients.
 */
@NullMarked
package io.clawmesh.common.task;

import org.jspecify.annotations.NullMarked;
