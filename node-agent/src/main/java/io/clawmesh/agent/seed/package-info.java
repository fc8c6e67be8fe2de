/** Seed sync on join: the coordinator's OpenClaw config and workspace identity files, written safely into this node's. */
@NullMarked
package io.clawmesh.agent.seed;

import org.jspecify.annotations.NullMarked;
