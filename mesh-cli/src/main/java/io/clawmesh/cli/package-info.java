/** The claw-mesh command line application; the operator verbs arrive with the CLI issue. */
@NullMarked
package io.clawmesh.cli;

import org.jspecify.annotations.NullMarked;
