/** The message log: one record per routed message (who answered, how fast, how it ended), kept in the database. */
@NullMarked
package io.clawmesh.coordinator.messages;

import org.jspecify.annotations.NullMarked;
