/** Spring AOT at start: the generated bean definitions, used only when the run's settings match the build's. */
@NullMarked
package io.clawmesh.coordinator.aot;

import org.jspecify.annotations.NullMarked;
