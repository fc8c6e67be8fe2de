/** The claw-mesh CLI: one command class per noun (nodes, routes, send, watch, init, version), one-shot or in the shell. */
@NullMarked
package io.clawmesh.cli;

import org.jspecify.annotations.NullMarked;
