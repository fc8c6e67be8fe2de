/** Seed sync: the coordinator shares its OpenClaw config and workspace identity files with joining nodes. */
@NullMarked
package io.clawmesh.common.seed;

import org.jspecify.annotations.NullMarked;
