/** The claw-mesh coordinator application. */
@NullMarked
package io.clawmesh.coordinator;

import org.jspecify.annotations.NullMarked;
