/** Seed sync: serves the coordinator's OpenClaw config and workspace identity files to joining nodes. */
@NullMarked
package io.clawmesh.coordinator.seed;

import org.jspecify.annotations.NullMarked;
